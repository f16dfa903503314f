using Akka.Actor;
using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Clock;

/// <summary>
/// The node's simulated scheduler: keeps deadlines in sim time and one wall-clock timer for the
/// earliest. When the clock's scale changes or it pauses, the timer is re-armed from the new
/// parameters (an Akka timer armed with a wall delay would keep the old speed).
/// </summary>
public sealed class SimSchedulerActor : ReceiveActor, IWithTimers
{
    public sealed record ScheduleDeadline(string Owner, string Key, DateTimeOffset At, IActorRef Target, object Message);
    public sealed record CancelDeadline(string Owner, string Key);
    public sealed record CancelOwner(string Owner);
    public sealed record ClockChanged(SimClockParameters Parameters);
    private sealed record Tick;

    private readonly record struct Entry(DateTimeOffset At, long Sequence, string Owner, string Key);

    private readonly SimClock _clock;
    private readonly SortedSet<Entry> _queue = new(Comparer<Entry>.Create((a, b) =>
        a.At != b.At ? a.At.CompareTo(b.At) : a.Sequence.CompareTo(b.Sequence)));
    private readonly Dictionary<(string Owner, string Key), (Entry Entry, IActorRef Target, object Message)> _byKey = [];
    private readonly Dictionary<string, HashSet<string>> _keysByOwner = [];
    private long _sequence;

    public ITimerScheduler Timers { get; set; } = null!;

    public SimSchedulerActor(SimClock clock)
    {
        _clock = clock;
        Receive<ScheduleDeadline>(d =>
        {
            Remove(d.Owner, d.Key);
            var entry = new Entry(d.At, _sequence++, d.Owner, d.Key);
            _queue.Add(entry);
            _byKey[(d.Owner, d.Key)] = (entry, d.Target, d.Message);
            if (!_keysByOwner.TryGetValue(d.Owner, out var keys))
                _keysByOwner[d.Owner] = keys = [];
            keys.Add(d.Key);
            if (_queue.Min == entry)
                Arm();
        });
        Receive<CancelDeadline>(c => Remove(c.Owner, c.Key));
        Receive<CancelOwner>(c =>
        {
            if (_keysByOwner.TryGetValue(c.Owner, out var keys))
                foreach (var key in keys.ToArray())
                    Remove(c.Owner, key);
        });
        Receive<ClockChanged>(_ => Arm());
        Receive<Tick>(_ => FireDue());
    }

    private void FireDue()
    {
        var now = _clock.Now;
        while (_queue.Count > 0 && _queue.Min.At <= now)
        {
            var entry = _queue.Min;
            var (_, target, message) = _byKey[(entry.Owner, entry.Key)];
            Remove(entry.Owner, entry.Key);
            target.Tell(message, ActorRefs.NoSender);
        }
        Arm();
    }

    private void Remove(string owner, string key)
    {
        if (!_byKey.Remove((owner, key), out var existing))
            return;
        _queue.Remove(existing.Entry);
        if (_keysByOwner.TryGetValue(owner, out var keys) && keys.Remove(key) && keys.Count == 0)
            _keysByOwner.Remove(owner);
    }

    private void Arm()
    {
        Timers.Cancel(nameof(Tick));
        if (_queue.Count == 0)
            return;
        var delay = _clock.Parameters.WallDelayUntil(_queue.Min.At, _clock.WallNow);
        if (delay is { } wallDelay)
            Timers.StartSingleTimer(nameof(Tick), new Tick(), wallDelay);
    }
}

/// <summary>The <see cref="ISimScheduler"/> of a node: a thin facade over its scheduler actor.</summary>
public sealed class ActorSimScheduler(IActorRef scheduler) : ISimScheduler
{
    public void Schedule(string owner, string key, DateTimeOffset at, IActorRef target, object message) =>
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline(owner, key, at, target, message));

    public void Cancel(string owner, string key) => scheduler.Tell(new SimSchedulerActor.CancelDeadline(owner, key));

    public void CancelAll(string owner) => scheduler.Tell(new SimSchedulerActor.CancelOwner(owner));
}
