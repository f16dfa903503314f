using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Serialization;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Modules;

/// <summary>Manifests of the messages every node shares: entity replies, errors and the region controller's journal.</summary>
public static class CoreMessages
{
    public static void Register()
    {
        MessageRegistry.Register<AwsError>("core.error.v1");
        MessageRegistry.Register<EntityReplies.Accepted>("core.accepted.v1");
        MessageRegistry.Register<EntityReplies.Rejected>("core.rejected.v1");
        MessageRegistry.Register<EntityQueries.GetState>("core.get-state.v1");

        MessageRegistry.Register<RegionState>("region.state.v1");
        MessageRegistry.Register<SimClockParameters>("region.clock.v1");
        MessageRegistry.Register<RegionCommands.Join>("region.join.v1");
        MessageRegistry.Register<RegionCommands.SetZoneStatus>("region.set-zone.v1");
        MessageRegistry.Register<RegionCommands.SetTimeScale>("region.set-scale.v1");
        MessageRegistry.Register<RegionCommands.PauseClock>("region.pause.v1");
        MessageRegistry.Register<RegionCommands.ResumeClock>("region.resume.v1");
        MessageRegistry.Register<RegionCommands.Reset>("region.reset.v1");
        MessageRegistry.Register<RegionCommands.PlanDefaultVpc>("region.plan-default-vpc.v1");
        MessageRegistry.Register<RegionEvents.Initialized>("region.initialized.v1");
        MessageRegistry.Register<RegionEvents.ZoneStatusChanged>("region.zone-changed.v1");
        MessageRegistry.Register<RegionEvents.ClockChanged>("region.clock-changed.v1");
        MessageRegistry.Register<RegionEvents.StateReset>("region.reset-done.v1");
        MessageRegistry.Register<RegionEvents.DefaultVpcPlanned>("region.default-vpc-planned.v1");
    }
}
