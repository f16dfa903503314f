using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Region;

/// <summary>
/// The region's single writer (a cluster singleton): zone status, the simulated clock and the
/// generation live in its journal, so they survive restarts and fail-over, and every change is
/// written to distributed data for the region views on all nodes. Replies carry the new state so
/// the caller's node applies it at once (read-after-write).
/// </summary>
public sealed class RegionController : ReceivePersistentActor
{
    public const string PersistenceIdValue = "region-controller";
    public static readonly LWWRegisterKey<RegionState> ReplicatedKey = new("orchestrator-region");

    private readonly IActorRef _replicator;
    private readonly TimeProvider _wall;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private RegionState? _state;

    public RegionController(TimeProvider wall)
    {
        _wall = wall;
        _replicator = DistributedData.Get(Context.System).Replicator;
        Recover<SnapshotOffer>(offer => _state = (RegionState)offer.Snapshot);
        Recover<IRegionEvent>(e => _state = RegionBehavior.Instance.Evolve(_state, e));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_state is not null)
                Replicate(_state);
        });
        Command<IRegionCommand>(Handle);
        Command<EntityQueries.GetState>(_ => Sender.Tell(new EntityReplies.Accepted(_state)));
        Command<UpdateSuccess>(_ => { });
        Command<IUpdateFailure>(failure => _log.Warning("region state not yet replicated to a majority: {0}", failure));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(failure => _log.Warning(failure.Cause, "region snapshot failed"));
    }

    public override string PersistenceId => PersistenceIdValue;

    private void Handle(IRegionCommand command)
    {
        var now = _state is null ? _wall.GetUtcNow() : _state.Clock.SimAt(_wall.GetUtcNow());
        var status = _state?.Status ?? new RegionStatus("", []);
        var decision = RegionBehavior.Instance.Decide(_state, command, new DecisionContext(now, status));
        if (decision.IsError)
        {
            Sender.Tell(new EntityReplies.Rejected(decision.Error!));
            return;
        }
        var events = decision.Value;
        if (events.Count == 0)
        {
            Sender.Tell(new EntityReplies.Accepted(_state));
            return;
        }
        var replyTo = Sender;
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            _state = RegionBehavior.Instance.Evolve(_state, e);
            if (--remaining > 0)
                return;
            if (LastSequenceNr % 50 == 0)
                SaveSnapshot(_state!);
            Replicate(_state!);
            replyTo.Tell(new EntityReplies.Accepted(_state));
        });
    }

    private void Replicate(RegionState state) =>
        _replicator.Tell(Dsl.Update(ReplicatedKey, new LWWRegister<RegionState>(_cluster.SelfUniqueAddress, state),
            new WriteMajority(TimeSpan.FromSeconds(3)), register => register.WithValue(_cluster.SelfUniqueAddress, state, VersionClock)));

    // Orders replicas by the state's own version rather than by wall clocks that may differ between nodes.
    private static long VersionClock(long current, RegionState state) => Math.Max(current + 1, state.Version);
}
