using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Entities;

/// <summary>
/// The actor shell around a pure decider: decides, persists the events, evolves state with the
/// same function recovery uses, updates the read model, and only then acknowledges. Deadlines
/// named by the state are armed on the simulated scheduler and re-armed after recovery.
/// </summary>
public sealed class EntityActor<TState, TCommand, TEvent> : UntypedPersistentActor
    where TState : class
    where TCommand : class
    where TEvent : class
{
    private readonly EntityDefinition<TState, TCommand, TEvent> _definition;
    private readonly string _entityId;
    private readonly EntityServices _services;
    private readonly long _generation;
    // Most entities never wait on a deadline: the set is created on first use (memory per idle entity counts at 100k).
    private HashSet<string>? _armedDeadlines;
    private TState? _state;
    private long _snapshotSequenceNr;

    public EntityActor(EntityDefinition<TState, TCommand, TEvent> definition, string entityId, EntityServices services)
    {
        (_definition, _entityId, _services) = (definition, entityId, services);
        _generation = services.Region.Current.Generation;
        PersistenceId = PersistenceIds.For(definition.Kind, _generation, entityId);
    }

    // A switch rather than ReceivePersistentActor's per-instance handler tables: same behaviour, less memory per entity.
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                _state = (TState)offer.Snapshot;
                _snapshotSequenceNr = offer.Metadata.SequenceNr;
                break;
            case TEvent e:
                _state = _definition.Behavior.Evolve(_state, e);
                break;
            case RecoveryCompleted:
                OnRecovered();
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case TCommand command:
                Handle(command, Sender);
                break;
            case EntityQueries.GetState:
                Sender.Tell(new EntityReplies.Accepted(_state));
                PassivateIfNothing();
                break;
            case RegionChanged changed:
                OnRegionChanged(changed);
                break;
            case PublishMetrics tick:
                OnPublishMetrics(tick.At);
                break;
            case SaveSnapshotSuccess success:
                DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failure:
                Context.GetLogger().Warning(failure.Cause, "snapshot of {0} failed", PersistenceId);
                break;
            case DeleteMessagesSuccess:
                Passivate();
                break;
            case DeleteMessagesFailure failure:
                Context.GetLogger().Warning(failure.Cause, "deleting the events of {0} failed", PersistenceId);
                Passivate();
                break;
            case PassivateNow:
                Context.Stop(Self);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default:
                if (_definition.Answer?.Invoke(_state, message, new DecisionContext(_services.Clock.Now, _services.Region.Current.Status)) is { } answer)
                {
                    Sender.Tell(answer);
                    PassivateIfNothing();
                }
                else
                    Unhandled(message);
                break;
        }
    }

    public override string PersistenceId { get; }

    private sealed record PassivateNow;

    /// <summary>A transient (not persisted) sim-time tick: metrics are samples, not decisions.</summary>
    private sealed record PublishMetrics(DateTimeOffset At);

    private const string MetricsDeadlineKey = "metrics";

    private void OnRecovered()
    {
        Context.System.EventStream.Subscribe(Self, typeof(RegionChanged));
        if (_state is null)
            return;
        ArmDeadlines();
        ArmMetrics();
        // The read model may have missed the last change if a node died between journal and index.
        _ = _services.Index.ReplaceOwned(PersistenceId, LastSequenceNr, _generation, _definition.Project(_state));
        OnRegionChanged(new RegionChanged(_services.Region.Current));
    }

    private void OnRegionChanged(RegionChanged changed)
    {
        if (changed.State.Generation != _generation)
        {
            _services.Scheduler.CancelAll(PersistenceId);
            Passivate();
            return;
        }
        if (_state is not null && _definition.FollowRegion?.Invoke(changed.State, _state) is { } command)
            Handle(command, ActorRefs.Nobody);
    }

    private void Handle(TCommand command, IActorRef replyTo)
    {
        var context = new DecisionContext(_services.Clock.Now, _services.Region.Current.Status);
        var decision = _definition.Behavior.Decide(_state, command, context);
        if (decision.IsError)
        {
            Reply(replyTo, new EntityReplies.Rejected(decision.Error!));
            PassivateIfNothing();
            return;
        }
        var events = decision.Value;
        if (events.Count == 0)
        {
            Reply(replyTo, new EntityReplies.Accepted(_state));
            return;
        }
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            var before = _state;
            _state = _definition.Behavior.Evolve(_state, e);
            if (_definition.Effects is { } effects)
                foreach (var outbound in effects(before, e))
                    SendEffect(outbound);
            if (--remaining > 0)
                return;
            AfterPersisted(replyTo);
        });
    }

    /// <summary>
    /// Effects are at most once: one addressed to a kind this node does not host (its module is not
    /// loaded) is lost with a warning, never a crash after the event is already durable.
    /// </summary>
    private void SendEffect(Outbound outbound)
    {
        try
        {
            _services.Router.Tell(outbound.Kind, outbound.EntityId, outbound.Message);
        }
        catch (InvalidOperationException e)
        {
            Context.GetLogger().Warning("{0} could not send {1} to {2} {3}: {4}", PersistenceId, outbound.Message.GetType().Name, outbound.Kind, outbound.EntityId, e.Message);
        }
    }

    private void AfterPersisted(IActorRef replyTo)
    {
        // Events persisted together can step over a multiple of SnapshotEvery: compare with the last snapshot instead.
        if (_state is not null && LastSequenceNr - _snapshotSequenceNr >= _services.SnapshotEvery)
        {
            SaveSnapshot(_state);
            _snapshotSequenceNr = LastSequenceNr;
        }
        ArmDeadlines();
        ArmMetrics();
        var state = _state;
        var rows = state is null ? [] : _definition.Project(state);
        _services.Index.ReplaceOwned(PersistenceId, LastSequenceNr, _generation, rows).ContinueWith(
            written =>
            {
                if (written.IsFaulted)
                    replyTo.Tell(new Status.Failure(written.Exception!.GetBaseException()));
                else if (!replyTo.IsNobody())
                    replyTo.Tell(new EntityReplies.Accepted(state));
            },
            TaskScheduler.Default);
        if (state is null)
        {
            // Gone (deleted, expired): a later resource with the same id must not replay these events.
            _services.Scheduler.CancelAll(PersistenceId);
            DeleteMessages(LastSequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(long.MaxValue));
        }
    }

    private void ArmMetrics()
    {
        if (_definition.Metrics is not { } metrics || _state is null || metrics.Interval(_state) is not { } interval)
        {
            _services.Scheduler.Cancel(PersistenceId, MetricsDeadlineKey);
            return;
        }
        var next = NextBoundary(_services.Clock.Now, interval);
        _services.Scheduler.Schedule(PersistenceId, MetricsDeadlineKey, next, Self, new PublishMetrics(next));
    }

    /// <summary>The datapoint is stamped with its period boundary, however late the tick was processed.</summary>
    private void OnPublishMetrics(DateTimeOffset at)
    {
        if (_definition.Metrics is not { } metrics || _state is null || metrics.Interval(_state) is not { } interval)
            return;
        foreach (var datum in metrics.Sample(_state, at, _services.Region.Current))
            _services.Metrics.Publish(datum);
        var next = NextBoundary(at, interval);
        _services.Scheduler.Schedule(PersistenceId, MetricsDeadlineKey, next, Self, new PublishMetrics(next));
    }

    /// <summary>AWS publishes on period boundaries (every whole minute, or five), not at arbitrary offsets.</summary>
    private static DateTimeOffset NextBoundary(DateTimeOffset now, TimeSpan interval) =>
        new(now.UtcTicks - now.UtcTicks % interval.Ticks + interval.Ticks, TimeSpan.Zero);

    private void ArmDeadlines()
    {
        var due = _definition.Behavior.Deadlines(_state).ToList();
        if (due.Count == 0 && _armedDeadlines is null)
            return;
        _armedDeadlines ??= [];
        foreach (var stale in _armedDeadlines.Except(due.Select(d => d.Key)).ToArray())
        {
            _services.Scheduler.Cancel(PersistenceId, stale);
            _armedDeadlines.Remove(stale);
        }
        foreach (var deadline in due)
        {
            _services.Scheduler.Schedule(PersistenceId, deadline.Key, deadline.At,
                _services.Router.RefFor(_definition.Kind), _services.Router.Envelope(_entityId, deadline.Command));
            _armedDeadlines.Add(deadline.Key);
        }
    }

    private void Passivate() => Context.Parent.Tell(new Passivate(new PassivateNow()));

    /// <summary>
    /// A query or a refused command for an id that holds nothing must not leave an empty entity
    /// behind (a remembered kind would restart it forever).
    /// </summary>
    private void PassivateIfNothing()
    {
        if (_state is null && LastSequenceNr == 0)
            Passivate();
    }

    private static void Reply(IActorRef replyTo, object reply)
    {
        if (!replyTo.IsNobody())
            replyTo.Tell(reply);
    }

    protected override void PostStop()
    {
        _services.Scheduler.Cancel(PersistenceId, MetricsDeadlineKey);
        Context.System.EventStream.Unsubscribe(Self);
        base.PostStop();
    }
}
