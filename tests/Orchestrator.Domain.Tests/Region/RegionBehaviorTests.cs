using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Tests.Region;

public sealed class RegionBehaviorTests
{
    private static readonly DateTimeOffset Wall0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly RegionBehavior Behavior = RegionBehavior.Instance;

    private static RegionState Apply(RegionState? state, IRegionCommand command)
    {
        var context = new DecisionContext(state?.Clock.SimAt(Wall0) ?? Wall0, state?.Status ?? new RegionStatus("", []));
        var decision = Behavior.Decide(state, command, context);
        Assert.False(decision.IsError, decision.Error?.ToString());
        return decision.Value.Aggregate(state, Behavior.Evolve)!;
    }

    private static RegionState Joined(double? scale = null) =>
        Apply(null, new RegionCommands.Join("us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c"], scale, Wall0));

    [Fact]
    public void First_join_initialises_every_zone_available_with_aws_zone_ids()
    {
        var state = Joined();
        Assert.Equal(["use1-az1", "use1-az2", "use1-az3"], state.Status.Zones.Select(z => z.ZoneId));
        Assert.All(state.Status.Zones, z => Assert.Equal(AzState.Available, z.State));
        Assert.Equal(1, state.Clock.Scale);
        Assert.Equal(1, state.Generation);
    }

    [Fact]
    public void Later_join_keeps_state_and_applies_only_an_explicit_scale()
    {
        var state = Apply(Joined(), new RegionCommands.SetZoneStatus("us-east-1b", AzState.Unavailable, OutageMode.Network));
        var rejoined = Apply(state, new RegionCommands.Join("us-east-1", ["us-east-1a"], null, Wall0));
        Assert.Same(state, rejoined);
        var faster = Apply(state, new RegionCommands.Join("us-east-1", ["us-east-1a"], 60, Wall0));
        Assert.Equal(60, faster.Clock.Scale);
        Assert.Equal(AzState.Unavailable, faster.Status.Zone("us-east-1b")!.State);
    }

    [Fact]
    public void Zone_outage_records_its_mode_and_each_change_bumps_the_version()
    {
        var state = Joined();
        var down = Apply(state, new RegionCommands.SetZoneStatus("us-east-1a", AzState.Unavailable, OutageMode.Power));
        Assert.True(down.Status.Zone("us-east-1a")!.IsPoweredOff);
        Assert.True(down.Version > state.Version);
        var network = Apply(down, new RegionCommands.SetZoneStatus("us-east-1a", AzState.Unavailable, OutageMode.Network));
        Assert.True(network.Status.Zone("us-east-1a")!.IsUnreachable);
        Assert.Same(network, Apply(network, new RegionCommands.SetZoneStatus("us-east-1a", AzState.Unavailable, OutageMode.Network)));
    }

    [Fact]
    public void Unknown_zone_is_an_invalid_parameter()
    {
        var decision = Behavior.Decide(Joined(), new RegionCommands.SetZoneStatus("us-east-1z", AzState.Unavailable, OutageMode.Power), new DecisionContext(Wall0, Joined().Status));
        Assert.Equal("InvalidParameterValue", decision.Error?.Code);
    }

    [Fact]
    public void Reset_starts_a_new_generation_and_forgets_the_default_vpc_plan()
    {
        var planned = Apply(Joined(), new RegionCommands.PlanDefaultVpc("vpc-1", ["subnet-a", "subnet-b", "subnet-c"]));
        Assert.Same(planned, Apply(planned, new RegionCommands.PlanDefaultVpc("vpc-2", ["x", "y", "z"])));
        var reset = Apply(planned, new RegionCommands.Reset());
        Assert.Equal(2, reset.Generation);
        Assert.Null(reset.DefaultVpc);
    }

    [Fact]
    public void Speed_out_of_range_is_refused_and_pause_is_idempotent()
    {
        var state = Joined();
        Assert.Equal("InvalidParameterValue", Behavior.Decide(state, new RegionCommands.SetTimeScale(0, Wall0), new DecisionContext(Wall0, state.Status)).Error?.Code);
        var paused = Apply(state, new RegionCommands.PauseClock(Wall0));
        Assert.True(paused.Clock.Paused);
        Assert.Same(paused, Apply(paused, new RegionCommands.PauseClock(Wall0)));
    }
}
