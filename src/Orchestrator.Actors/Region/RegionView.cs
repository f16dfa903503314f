using Akka;
using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;
using Orchestrator.Actors.Clock;

namespace Orchestrator.Actors.Region;

/// <summary>
/// This node's follower of the replicated region state: applies newer states to the node's clock
/// and snapshot, re-arms the simulated scheduler, and tells local entities through the EventStream.
/// </summary>
public sealed class RegionView : ReceiveActor
{
    /// <summary>Applies a state the node learnt directly (a controller reply), ahead of replication.</summary>
    public sealed record Observed(Domain.Region.RegionState State);

    private readonly RegionSnapshot _snapshot;
    private readonly SimClock _clock;
    private readonly IActorRef _scheduler;

    public RegionView(RegionSnapshot snapshot, SimClock clock, IActorRef scheduler)
    {
        (_snapshot, _clock, _scheduler) = (snapshot, clock, scheduler);
        var replicator = DistributedData.Get(Context.System).Replicator;
        replicator.Tell(Dsl.Subscribe(RegionController.ReplicatedKey, Self));
        Receive<Changed>(changed => Apply(changed.Get(RegionController.ReplicatedKey).Value));
        Receive<Observed>(observed =>
        {
            Apply(observed.State);
            Sender.Tell(Done.Instance);
        });
    }

    private void Apply(Domain.Region.RegionState? state)
    {
        if (state is null || !_snapshot.TryAdvance(state))
            return;
        _clock.Update(state.Clock);
        _scheduler.Tell(new SimSchedulerActor.ClockChanged(state.Clock));
        Context.System.EventStream.Publish(new RegionChanged(state));
    }
}
