using Akka.Actor;
using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Clock;

/// <summary>
/// A clock and scheduler that only move when told: tests and benchmarks advance it and every
/// deadline that falls due is delivered in order, so a 10-minute cooldown takes no wall time.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : ISimClock, ISimScheduler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Owner, string Key), (DateTimeOffset At, long Sequence, IActorRef Target, object Message)> _deadlines = [];
    private long _sequence;
    private DateTimeOffset _now = start;

    public DateTimeOffset Now
    {
        get { lock (_gate) return _now; }
    }

    public void Schedule(string owner, string key, DateTimeOffset at, IActorRef target, object message)
    {
        lock (_gate)
            _deadlines[(owner, key)] = (at, _sequence++, target, message);
    }

    public void Cancel(string owner, string key)
    {
        lock (_gate)
            _deadlines.Remove((owner, key));
    }

    public void CancelAll(string owner)
    {
        lock (_gate)
            foreach (var key in _deadlines.Keys.Where(k => k.Owner == owner).ToArray())
                _deadlines.Remove(key);
    }

    public int PendingCount
    {
        get { lock (_gate) return _deadlines.Count; }
    }

    /// <summary>Whether some owner whose name starts so still waits on a deadline (a gathering in flight, say).</summary>
    public bool AnyPending(string ownerPrefix)
    {
        lock (_gate) return _deadlines.Keys.Any(k => k.Owner.StartsWith(ownerPrefix, StringComparison.Ordinal));
    }

    public DateTimeOffset? NextDeadline
    {
        get { lock (_gate) return _deadlines.Count == 0 ? null : _deadlines.Values.Min(d => d.At); }
    }

    /// <summary>Moves time forward, delivering each due deadline at its own instant, in order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate)
            target = _now + by;
        while (TryTakeNextDue(target, out var due))
            due.Target.Tell(due.Message, ActorRefs.NoSender);
        lock (_gate)
            _now = target;
    }

    private bool TryTakeNextDue(DateTimeOffset until, out (IActorRef Target, object Message) due)
    {
        lock (_gate)
        {
            var next = _deadlines.Where(d => d.Value.At <= until).OrderBy(d => d.Value.At).ThenBy(d => d.Value.Sequence).FirstOrDefault();
            if (next.Value.Target is null)
            {
                due = default;
                return false;
            }
            _deadlines.Remove(next.Key);
            if (next.Value.At > _now)
                _now = next.Value.At;
            due = (next.Value.Target, next.Value.Message);
            return true;
        }
    }
}
