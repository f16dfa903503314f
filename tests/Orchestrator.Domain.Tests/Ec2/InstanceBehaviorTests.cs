using System.Collections.Immutable;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Ec2.InstanceCommands;
using static Orchestrator.Domain.Ec2.InstanceEvents;
using static Orchestrator.Domain.Ec2.InstanceStateName;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class InstanceBehaviorTests
{
    private const string Id = InstanceFixture.InstanceId;

    [Fact]
    public void Launch_creates_a_pending_instance_that_boots_on_its_deadline()
    {
        var instance = InstanceFixture.New();
        var launched = Assert.IsType<Launched>(Assert.Single(instance.Execute(new Launch(InstanceFixture.Spec()))));

        Assert.Equal(TestRegion.Epoch + InstanceTimings.Boot, launched.BootCompletesAt);
        var state = instance.State!;
        Assert.Equal(Pending, state.State);
        Assert.Equal(StateReason.Pending, state.StateReason);
        Assert.Equal("", state.StateTransitionReason);
        Assert.Equal(TestRegion.Epoch, state.LaunchTime);
        Assert.Equal("54.210.1.2", state.PublicIpAddress);

        instance.Advance(InstanceTimings.Boot);

        Assert.Equal(Running, instance.State!.State);
        Assert.Null(instance.State.StateReason);
        Assert.Equal(TestRegion.Epoch + InstanceTimings.Boot, instance.State.RunningSince);
    }

    [Fact]
    public void Launch_again_is_a_retry()
    {
        var instance = InstanceFixture.In(Running);
        Assert.Empty(instance.Execute(new Launch(InstanceFixture.Spec())));
    }

    [Fact]
    public void Launch_with_an_unknown_type_is_InvalidParameterValue()
    {
        var error = InstanceFixture.New().Refuse(new Launch(InstanceFixture.Spec("t3.gigantic")));
        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.Equal("Invalid value 't3.gigantic' for InstanceType.", error.Message);
    }

    [Fact]
    public void Launch_with_a_malformed_image_is_InvalidAMIID_Malformed() =>
        Assert.Equal("InvalidAMIID.Malformed", InstanceFixture.New().Refuse(new Launch(InstanceFixture.Spec(imageId: "ami-xyz"))).Code);

    [Fact]
    public void Launch_of_an_arm64_image_on_an_x86_type_is_refused()
    {
        var error = InstanceFixture.New().Refuse(new Launch(InstanceFixture.Spec("t3.micro", InstanceFixture.Al2023Arm)));
        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.StartsWith("The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI.", error.Message);
        Assert.Single(InstanceFixture.New().Execute(new Launch(InstanceFixture.Spec("t4g.micro", InstanceFixture.Al2023Arm))));
    }

    [Theory]
    [InlineData(OutageMode.Power)]
    [InlineData(OutageMode.Network)]
    public void Launch_into_a_zone_that_is_down_is_InsufficientInstanceCapacity(OutageMode mode)
    {
        var instance = InstanceFixture.New();
        instance.Region = TestRegion.With(TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, mode));

        var error = instance.Refuse(new Launch(InstanceFixture.Spec()));

        Assert.Equal("InsufficientInstanceCapacity", error.Code);
        Assert.Equal(500, error.HttpStatus);
        Assert.StartsWith("We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1a).", error.Message);
        Assert.EndsWith("choosing us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f.", error.Message);
    }

    [Fact]
    public void Launch_into_an_impaired_zone_works() =>
        Assert.Single(new EntityHarness<Instance, IInstanceCommand, IInstanceEvent>(new InstanceBehavior())
        {
            Region = TestRegion.With(TestRegion.Zone(InstanceFixture.Zone, AzState.Impaired)),
        }.Execute(new Launch(InstanceFixture.Spec())));

    [Fact]
    public void A_user_stop_records_who_and_when_and_loses_the_public_address()
    {
        var instance = InstanceFixture.In(Running);
        var stopAt = instance.Now;
        var stopping = Assert.IsType<StopInitiated>(Assert.Single(instance.Execute(new Stop(Id))));

        Assert.Equal(stopAt + InstanceTimings.Stop, stopping.CompletesAt);
        Assert.Equal("User initiated (2025-03-01 12:00:10 GMT)", instance.State!.StateTransitionReason);
        Assert.Equal(new StateReason("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown"), instance.State.StateReason);
        Assert.Equal("54.210.1.2", instance.State.PublicIpAddress);

        instance.Advance(InstanceTimings.Stop);

        Assert.Equal(Stopped, instance.State!.State);
        Assert.Null(instance.State.PublicIpAddress);
        Assert.Equal("10.0.1.4", instance.State.PrivateIpAddress);
    }

    [Fact]
    public void A_forced_stop_is_quicker()
    {
        var instance = InstanceFixture.In(Running);
        var stopping = Assert.IsType<StopInitiated>(Assert.Single(instance.Execute(new Stop(Id, Force: true))));
        Assert.Equal(instance.Now + InstanceTimings.ForcedStop, stopping.CompletesAt);
    }

    [Fact]
    public void Start_gets_the_new_public_address_and_a_new_launch_time()
    {
        var instance = InstanceFixture.In(Stopped);
        instance.Advance(TimeSpan.FromMinutes(5));
        var started = Assert.IsType<Started>(Assert.Single(instance.Execute(new Start(Id, "3.90.4.5"))));

        Assert.False(started.AfterPowerOutage);
        Assert.Equal(Pending, instance.State!.State);
        Assert.Equal(instance.Now, instance.State.LaunchTime);
        Assert.Equal("3.90.4.5", instance.State.PublicIpAddress);
        Assert.Equal(StateReason.Pending, instance.State.StateReason);
        Assert.Equal("", instance.State.StateTransitionReason);

        instance.Advance(InstanceTimings.Boot);
        Assert.Equal(Running, instance.State!.State);
    }

    [Fact]
    public void Start_in_a_zone_that_is_down_is_InsufficientInstanceCapacity()
    {
        var instance = InstanceFixture.In(Stopped);
        instance.Region = TestRegion.With(TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable));
        Assert.Equal("InsufficientInstanceCapacity", instance.Refuse(new Start(Id)).Code);
    }

    [Fact]
    public void Terminate_records_the_user_reason_and_clears_the_public_address_when_done()
    {
        var instance = InstanceFixture.In(Running);
        var shuttingDown = Assert.IsType<TerminationInitiated>(Assert.Single(instance.Execute(new Terminate(Id))));

        Assert.Equal(StateReason.UserInitiatedShutdown, shuttingDown.Reason);
        Assert.Equal("User initiated (2025-03-01 12:00:10 GMT)", shuttingDown.TransitionReason);

        instance.Advance(InstanceTimings.ShutDown);

        Assert.Equal(Terminated, instance.State!.State);
        Assert.Null(instance.State.PublicIpAddress);
        Assert.Equal(instance.Now + InstanceTimings.TerminatedVisibility, instance.State.ExpiresAt);
    }

    [Theory]
    [InlineData(Pending)]
    [InlineData(Running)]
    [InlineData(Stopping)]
    [InlineData(Stopped)]
    public void Termination_protection_refuses_terminate_with_OperationNotPermitted(InstanceStateName state)
    {
        var instance = InstanceFixture.In(state, InstanceFixture.Spec() with { DisableApiTermination = true });
        var error = instance.Refuse(new Terminate(Id));
        Assert.Equal("OperationNotPermitted", error.Code);
        Assert.Equal($"The instance '{Id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", error.Message);
    }

    [Fact]
    public void Stop_protection_refuses_stop_but_not_the_no_op_cases()
    {
        var instance = InstanceFixture.In(Running, InstanceFixture.Spec() with { DisableApiStop = true });
        var error = instance.Refuse(new Stop(Id));
        Assert.Equal("OperationNotPermitted", error.Code);
        Assert.Equal($"The instance '{Id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.", error.Message);
        Assert.Single(instance.Execute(new Terminate(Id)));
    }

    [Fact]
    public void Protection_can_be_lifted_with_ModifyAttribute()
    {
        var instance = InstanceFixture.In(Running, InstanceFixture.Spec() with { DisableApiTermination = true, DisableApiStop = true });
        var modified = Assert.IsType<AttributesModified>(Assert.Single(instance.Execute(new ModifyAttribute(Id, DisableApiTermination: false, DisableApiStop: false))));
        Assert.Equal(new AttributesModified(instance.Now, null, false, false), modified);
        Assert.Single(instance.Execute(new Stop(Id)));
    }

    [Fact]
    public void InstanceType_changes_only_while_stopped()
    {
        var running = InstanceFixture.In(Running);
        var error = running.Refuse(new ModifyAttribute(Id, InstanceType: "m5.large"));
        Assert.Equal("IncorrectInstanceState", error.Code);
        Assert.Equal($"The instance '{Id}' is not in the 'stopped' state.", error.Message);

        var stopped = InstanceFixture.In(Stopped);
        stopped.Execute(new ModifyAttribute(Id, InstanceType: "m5.large"));
        Assert.Equal("m5.large", stopped.State!.InstanceType);
        Assert.Empty(stopped.Execute(new ModifyAttribute(Id, InstanceType: "m5.large")));
    }

    [Theory]
    [InlineData(Pending)]
    [InlineData(Stopping)]
    public void InstanceType_cannot_change_in_transitional_states(InstanceStateName state) =>
        Assert.Equal("IncorrectInstanceState", InstanceFixture.In(state).Refuse(new ModifyAttribute(Id, InstanceType: "m5.large")).Code);

    [Theory]
    [InlineData(ShuttingDown)]
    [InlineData(Terminated)]
    public void Nothing_is_modified_on_the_way_out(InstanceStateName state)
    {
        var error = InstanceFixture.In(state).Refuse(new ModifyAttribute(Id, DisableApiStop: true));
        Assert.Equal("IncorrectInstanceState", error.Code);
        Assert.Equal($"This instance '{Id}' is not in a state from which it can be modified.", error.Message);
    }

    [Fact]
    public void InstanceType_change_is_validated_against_the_catalogue_and_the_image()
    {
        var stopped = InstanceFixture.In(Stopped);
        var unknown = stopped.Refuse(new ModifyAttribute(Id, InstanceType: "x9.huge"));
        Assert.Equal(("InvalidInstanceAttributeValue", "Value (x9.huge) for parameter instanceType is invalid."), (unknown.Code, unknown.Message));
        Assert.StartsWith("The architecture 'arm64'", stopped.Refuse(new ModifyAttribute(Id, InstanceType: "m6g.large")).Message);
    }

    [Fact]
    public void ModifyAttribute_without_an_attribute_is_MissingParameter() =>
        Assert.Equal("MissingParameter", InstanceFixture.In(Running).Refuse(new ModifyAttribute(Id)).Code);

    [Fact]
    public void Monitoring_toggles_and_is_idempotent()
    {
        var instance = InstanceFixture.In(Running);
        Assert.Empty(instance.Execute(new SetMonitoring(Id, Detailed: false)));
        Assert.Single(instance.Execute(new SetMonitoring(Id, Detailed: true)));
        Assert.True(instance.State!.DetailedMonitoring);
        Assert.Single(instance.Execute(new SetMonitoring(Id, Detailed: false)));
        Assert.False(instance.State!.DetailedMonitoring);
        Assert.Equal("IncorrectInstanceState", InstanceFixture.In(Terminated).Refuse(new SetMonitoring(Id, true)).Code);
    }

    [Fact]
    public void Tags_are_set_and_removed_and_only_real_changes_are_recorded()
    {
        var instance = InstanceFixture.In(Running);
        var set = ImmutableDictionary<string, string>.Empty.Add("Name", "web").Add("team", "blue");

        var changed = Assert.IsType<TagsChanged>(Assert.Single(instance.Execute(new ChangeTags(Id, set, []))));
        Assert.Equal(["team"], changed.Set.Keys);
        Assert.Empty(instance.Execute(new ChangeTags(Id, set, ["missing"])));

        instance.Execute(new ChangeTags(Id, ImmutableDictionary<string, string>.Empty, ["Name"]));
        Assert.Equal(["team"], instance.State!.Tags.Keys);
    }

    [Fact]
    public void Application_health_is_a_fault_knob_with_a_latency_for_slow()
    {
        var instance = InstanceFixture.In(Running);
        Assert.Empty(instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Healthy)));
        var slow = Assert.IsType<ApplicationHealthChanged>(Assert.Single(instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Slow, TimeSpan.FromSeconds(8)))));
        Assert.Equal(TimeSpan.FromSeconds(8), slow.SlowResponseLatency);
        Assert.Equal(ApplicationHealth.Slow, instance.State!.ApplicationHealth);
        Assert.Single(instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Failing)));
        Assert.Equal(InstanceTimings.SlowResponse, instance.State!.SlowResponseLatency);
    }

    [Fact]
    public void Reboot_keeps_the_instance_running_with_its_addresses()
    {
        var instance = InstanceFixture.In(Running);
        var rebooted = Assert.IsType<Rebooted>(Assert.Single(instance.Execute(new Reboot(Id))));

        Assert.Equal(instance.Now + InstanceTimings.Reboot, rebooted.CompletesAt);
        Assert.Equal(Running, instance.State!.State);
        Assert.True(instance.State.IsRebooting(instance.Now));
        Assert.False(instance.State.IsRebooting(rebooted.CompletesAt));
        Assert.Equal("54.210.1.2", instance.State.PublicIpAddress);
        Assert.Empty(new InstanceBehavior().Deadlines(instance.State));
    }

    [Theory]
    [InlineData(Running)]
    [InlineData(Pending)]
    public void A_power_outage_stops_the_instance_and_power_return_starts_it_again(InstanceStateName from)
    {
        var instance = InstanceFixture.In(from);
        var outage = TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, OutageMode.Power, instance.Now);
        instance.Region = TestRegion.With(outage);

        var stopping = Assert.IsType<StopInitiated>(Assert.Single(instance.Execute(new ObserveZone(Id, outage))));
        Assert.True(stopping.ByPowerOutage);
        Assert.Equal(new StateReason("Server.InternalError", "Server.InternalError: Power interruption in Availability Zone us-east-1a"), stopping.Reason);
        Assert.StartsWith("Server initiated (", stopping.TransitionReason);

        instance.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Stopped, instance.State!.State);
        Assert.True(instance.State.StoppedByPowerOutage);
        Assert.Equal("54.210.1.2", instance.State.PublicIpAddress);

        var restored = outage with { State = AzState.Available, Since = instance.Now };
        instance.Region = TestRegion.With(restored);
        var started = Assert.IsType<Started>(Assert.Single(instance.Execute(new ObserveZone(Id, restored))));
        Assert.True(started.AfterPowerOutage);
        Assert.False(instance.State!.StoppedByPowerOutage);

        instance.Advance(InstanceTimings.Boot);
        Assert.Equal(Running, instance.State!.State);
        Assert.Equal("54.210.1.2", instance.State.PublicIpAddress);
    }

    [Fact]
    public void Power_returning_before_the_stop_completes_restarts_the_instance_when_it_does()
    {
        var instance = InstanceFixture.In(Running);
        var outage = TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, OutageMode.Power);
        instance.Execute(new ObserveZone(Id, outage));
        var restored = outage with { State = AzState.Available };
        Assert.Empty(instance.Execute(new ObserveZone(Id, restored)));

        instance.Advance(InstanceTimings.Stop);

        Assert.Equal([typeof(StopCompleted), typeof(Started)], instance.History.TakeLast(2).Select(e => e.GetType()));
        Assert.Equal(Pending, instance.State!.State);
    }

    [Fact]
    public void An_instance_the_user_stopped_stays_stopped_when_power_returns()
    {
        var instance = InstanceFixture.In(Stopped);
        var outage = TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, OutageMode.Power);
        Assert.Empty(instance.Execute(new ObserveZone(Id, outage)));
        Assert.Empty(instance.Execute(new ObserveZone(Id, outage with { State = AzState.Available })));
        Assert.Equal(Stopped, instance.State!.State);
    }

    [Fact]
    public void Terminating_an_outage_stopped_instance_cancels_its_restart()
    {
        var instance = InstanceFixture.In(Running);
        var outage = TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, OutageMode.Power);
        instance.Execute(new ObserveZone(Id, outage));
        instance.Advance(InstanceTimings.Stop);
        instance.Execute(new Terminate(Id));
        Assert.Empty(instance.Execute(new ObserveZone(Id, outage with { State = AzState.Available })));
        Assert.Equal(ShuttingDown, instance.State!.State);
    }

    [Theory]
    [InlineData(AzState.Unavailable, OutageMode.Network)]
    [InlineData(AzState.Impaired, OutageMode.Power)]
    [InlineData(AzState.Available, OutageMode.Power)]
    public void Only_a_power_outage_changes_EC2_state(AzState state, OutageMode mode)
    {
        var instance = InstanceFixture.In(Running);
        Assert.Empty(instance.Execute(new ObserveZone(Id, TestRegion.Zone(InstanceFixture.Zone, state, mode))));
        Assert.Equal(Running, instance.State!.State);
    }

    [Fact]
    public void Other_zones_are_ignored()
    {
        var instance = InstanceFixture.In(Running);
        Assert.Empty(instance.Execute(new ObserveZone(Id, TestRegion.Zone("us-east-1b", AzState.Unavailable, OutageMode.Power))));
    }

    [Fact]
    public void Events_carry_absolute_sim_timestamps()
    {
        var instance = InstanceFixture.In(Terminated);
        Assert.Equal(
            [TestRegion.Epoch, TestRegion.Epoch + InstanceTimings.Boot, TestRegion.Epoch + InstanceTimings.Boot, TestRegion.Epoch + InstanceTimings.Boot + InstanceTimings.ShutDown],
            instance.History.Select(e => e.At));
    }
}
