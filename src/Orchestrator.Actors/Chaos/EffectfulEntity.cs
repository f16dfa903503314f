using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Region;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// The shell for entities whose effects are node I/O rather than messages to other entities (the
/// chaos ledger changes zones through the region controller, a drill runs palette commands and
/// observes the region): decide, persist, evolve, then run the effects and acknowledge once they
/// are done. Deadlines named by the state go to the entity itself in simulated time and are
/// re-armed after recovery, so they survive a restart (the kinds remember their entities).
/// A command the subclass intercepts is I/O to do first; it answers with a command to decide.
/// </summary>
public abstract class EffectfulEntity<TState, TCommand, TEvent> : UntypedPersistentActor
    where TState : class
    where TCommand : class
    where TEvent : class
{
    private readonly IEntityBehavior<TState, TCommand, TEvent> _behavior;
    private readonly long _generation;
    private readonly HashSet<string> _armed = [];
    private long _snapshotSequenceNr;

    protected EffectfulEntity(string kind, string entityId, EntityServices services, IEntityBehavior<TState, TCommand, TEvent> behavior)
    {
        (Services, _behavior) = (services, behavior);
        _generation = services.Region.Current.Generation;
        PersistenceId = PersistenceIds.For(kind, _generation, entityId);
    }

    public override string PersistenceId { get; }

    protected EntityServices Services { get; }

    protected TState? State { get; private set; }

    protected DecisionContext Now => new(Services.Clock.Now, Services.Region.Current.Status);

    /// <summary>Rows this entity keeps in the read model (List and Describe read them, not the entity).</summary>
    protected abstract IReadOnlyList<IndexRow> Project(TState state);

    /// <summary>True when the command is I/O the subclass carries out itself instead of a decision.</summary>
    protected virtual bool Intercept(TCommand command) => false;

    /// <summary>What a persisted event does outside the journal; the command is acknowledged once it completes.</summary>
    protected virtual Task Effect(TState? before, TEvent @event) => Task.CompletedTask;

    protected virtual void Recovered()
    {
    }

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                State = (TState)offer.Snapshot;
                _snapshotSequenceNr = offer.Metadata.SequenceNr;
                break;
            case TEvent e:
                State = _behavior.Evolve(State, e);
                break;
            case RecoveryCompleted:
                Context.System.EventStream.Subscribe(Self, typeof(RegionChanged));
                ArmDeadlines();
                if (State is not null)
                    Recovered();
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case TCommand command when Intercept(command):
                // A recurring deadline is due again next period; one-off ones are re-armed with the next decision.
                foreach (var recurring in _behavior.Deadlines(State).Where(d => d.Every is not null && Equals(d.Command, command)))
                    Services.Scheduler.Schedule(PersistenceId, recurring.Key, recurring.NextAfter(Services.Clock.Now), Self, recurring.Command);
                break;
            case TCommand command:
                Handle(command, Sender);
                break;
            case EntityQueries.GetState:
                Sender.Tell(new EntityReplies.Accepted(State));
                break;
            case RegionChanged { State.Generation: var generation } when generation != _generation:
                // A reset starts every entity over under a new persistence id.
                Services.Scheduler.CancelAll(PersistenceId);
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
                break;
            case RegionChanged:
                break;
            case SaveSnapshotSuccess success:
                DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failure:
                Log.Warning(failure.Cause, "snapshot of {0} failed", PersistenceId);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            case Status.Failure failure:
                Log.Warning(failure.Cause, "{0}: an effect failed", PersistenceId);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Handle(TCommand command, IActorRef replyTo)
    {
        var decision = _behavior.Decide(State, command, Now);
        if (decision.IsError)
        {
            Reply(replyTo, new EntityReplies.Rejected(decision.Error!));
            return;
        }
        var events = decision.Value;
        if (events.Count == 0)
        {
            ArmDeadlines();
            Reply(replyTo, new EntityReplies.Accepted(State));
            return;
        }
        var effects = new List<Task>();
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            var before = State;
            State = _behavior.Evolve(State, e);
            effects.Add(Effect(before, e));
            if (--remaining > 0)
                return;
            // A ledger keeps every fault: snapshots keep its recovery short (versioned like events).
            if (State is not null && LastSequenceNr - _snapshotSequenceNr >= Services.SnapshotEvery)
            {
                SaveSnapshot(State);
                _snapshotSequenceNr = LastSequenceNr;
            }
            ArmDeadlines();
            var state = State;
            effects.Add(Services.Index.ReplaceOwned(PersistenceId, LastSequenceNr, _generation, state is null ? [] : Project(state)));
            Task.WhenAll(effects).ContinueWith(
                done =>
                {
                    if (done.IsFaulted)
                        Reply(replyTo, new Status.Failure(done.Exception!.GetBaseException()));
                    else
                        Reply(replyTo, new EntityReplies.Accepted(state));
                },
                TaskScheduler.Default);
        });
    }

    private void ArmDeadlines()
    {
        var due = _behavior.Deadlines(State).ToList();
        foreach (var stale in _armed.Except(due.Select(d => d.Key)).ToArray())
        {
            Services.Scheduler.Cancel(PersistenceId, stale);
            _armed.Remove(stale);
        }
        foreach (var deadline in due)
        {
            Services.Scheduler.Schedule(PersistenceId, deadline.Key, deadline.NextAfter(Services.Clock.Now), Self, deadline.Command);
            _armed.Add(deadline.Key);
        }
    }

    private static void Reply(IActorRef replyTo, object reply)
    {
        if (!replyTo.IsNobody())
            replyTo.Tell(reply);
    }

    protected override void PostStop()
    {
        Services.Scheduler.CancelAll(PersistenceId);
        Context.System.EventStream.Unsubscribe(Self);
        base.PostStop();
    }
}
