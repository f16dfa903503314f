using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Ec2.InstanceCommands;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class InstanceStatusChecksTests
{
    private static readonly AvailabilityZoneStatus Up = TestRegion.Zone(InstanceFixture.Zone);

    [Fact]
    public void Checks_initialize_for_two_minutes_after_running_then_pass()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);

        var early = InstanceStatusChecks.Summarize(instance.State!, Up, instance.Now + TimeSpan.FromSeconds(119));
        Assert.Equal(StatusCheck.Initializing, early.SystemStatus);
        Assert.Equal(StatusCheck.Initializing, early.InstanceStatus);

        var later = InstanceStatusChecks.Summarize(instance.State!, Up, instance.Now + InstanceTimings.StatusChecksInitializing);
        Assert.Equal(new StatusCheck("ok", "passed", null), later.SystemStatus);
        Assert.Equal(StatusCheck.Ok, later.InstanceStatus);
        Assert.Equal(new InstanceStateView(16, "running"), later.InstanceState);
        Assert.Equal(InstanceFixture.Zone, later.AvailabilityZone);
    }

    [Theory]
    [InlineData(InstanceStateName.Pending)]
    [InlineData(InstanceStateName.Stopped)]
    [InlineData(InstanceStateName.Terminated)]
    public void Checks_do_not_apply_unless_running(InstanceStateName state)
    {
        var summary = InstanceStatusChecks.Summarize(InstanceFixture.In(state).State!, Up, TestRegion.Epoch.AddHours(1));
        Assert.Equal(StatusCheck.NotApplicable, summary.SystemStatus);
        Assert.Equal(StatusCheck.NotApplicable, summary.InstanceStatus);
    }

    [Fact]
    public void An_unreachable_zone_fails_both_checks_since_the_outage()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        var since = instance.Now.AddMinutes(5);
        var summary = InstanceStatusChecks.Summarize(instance.State!, TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, OutageMode.Network, since), since.AddMinutes(1));
        Assert.Equal(new StatusCheck("impaired", "failed", since), summary.SystemStatus);
        Assert.Equal(new StatusCheck("impaired", "failed", since), summary.InstanceStatus);
    }

    [Fact]
    public void An_impaired_zone_fails_only_the_system_check()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        var summary = InstanceStatusChecks.Summarize(instance.State!, TestRegion.Zone(InstanceFixture.Zone, AzState.Impaired), instance.Now.AddHours(1));
        Assert.Equal("impaired", summary.SystemStatus.Status);
        Assert.Equal(StatusCheck.Ok, summary.InstanceStatus);
    }

    [Fact]
    public void A_failing_application_is_invisible_to_EC2_status_checks()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new SetApplicationHealth(InstanceFixture.InstanceId, ApplicationHealth.Failing));
        var summary = InstanceStatusChecks.Summarize(instance.State!, Up, instance.Now.AddHours(1));
        Assert.Equal(StatusCheck.Ok, summary.SystemStatus);
        Assert.Equal(StatusCheck.Ok, summary.InstanceStatus);
    }
}
