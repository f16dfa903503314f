using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Ec2.InstanceCommands;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class InstanceProbeTests
{
    private const string Id = InstanceFixture.InstanceId;
    private static readonly AvailabilityZoneStatus Up = TestRegion.Zone(InstanceFixture.Zone);

    [Fact]
    public void A_running_healthy_instance_answers_200_quickly()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        var answer = InstanceProbe.Answer(instance.State, Up, instance.Now);
        Assert.Equal(new ProbeAnswer(ProbeOutcome.Healthy, InstanceTimings.HealthyResponse, 200, null), answer);
        Assert.Equal(answer, answer.Within(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_failing_application_answers_500_as_a_response_code_mismatch()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Failing));
        var answer = InstanceProbe.Answer(instance.State, Up, instance.Now);
        Assert.Equal(ProbeOutcome.Unhealthy, answer.Outcome);
        Assert.Equal(500, answer.HttpStatus);
        Assert.Equal("Target.ResponseCodeMismatch", answer.Reason);
    }

    [Fact]
    public void A_slow_application_answers_late_and_times_out_against_a_shorter_timeout()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Slow, TimeSpan.FromSeconds(7)));
        var answer = InstanceProbe.Answer(instance.State, Up, instance.Now);

        Assert.Equal(ProbeOutcome.Healthy, answer.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), answer.Latency);
        Assert.Equal(ProbeAnswer.NoResponse, answer.Within(TimeSpan.FromSeconds(5)));
        Assert.Equal(answer, answer.Within(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(InstanceStateName.Pending)]
    [InlineData(InstanceStateName.Stopping)]
    [InlineData(InstanceStateName.Stopped)]
    [InlineData(InstanceStateName.ShuttingDown)]
    [InlineData(InstanceStateName.Terminated)]
    public void An_instance_that_is_not_running_does_not_answer_but_names_its_state(InstanceStateName state)
    {
        var instance = InstanceFixture.In(state);
        var answer = InstanceProbe.Answer(instance.State, Up, instance.Now);
        Assert.Equal(ProbeOutcome.Timeout, answer.Outcome);
        Assert.Null(answer.HttpStatus);
        Assert.Equal("Target.Timeout", answer.Reason);
        Assert.Equal(InstanceStateView.Of(state).Name, answer.InstanceState);
    }

    [Fact]
    public void A_missing_instance_does_not_answer() =>
        Assert.Equal(ProbeAnswer.NoResponse, InstanceProbe.Answer(null, Up, TestRegion.Epoch));

    [Theory]
    [InlineData(OutageMode.Network)]
    [InlineData(OutageMode.Power)]
    public void Nothing_answers_from_a_zone_that_is_down(OutageMode mode)
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        Assert.Equal(ProbeAnswer.NoResponse, InstanceProbe.Answer(instance.State, TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable, mode), instance.Now));
    }

    [Fact]
    public void An_impaired_zone_still_answers()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        Assert.Equal(ProbeOutcome.Healthy, InstanceProbe.Answer(instance.State, TestRegion.Zone(InstanceFixture.Zone, AzState.Impaired), instance.Now).Outcome);
    }

    [Fact]
    public void A_rebooting_instance_does_not_answer_until_the_guest_is_back()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new Reboot(Id));
        Assert.Equal(ProbeOutcome.Timeout, InstanceProbe.Answer(instance.State, Up, instance.Now).Outcome);
        instance.Advance(InstanceTimings.Reboot);
        Assert.Equal(ProbeOutcome.Healthy, InstanceProbe.Answer(instance.State, Up, instance.Now).Outcome);
    }

    [Fact]
    public void Without_a_known_zone_the_instance_alone_decides() =>
        Assert.Equal(ProbeOutcome.Healthy, InstanceProbe.Answer(InstanceFixture.In(InstanceStateName.Running).State, null, TestRegion.Epoch.AddMinutes(1)).Outcome);
}
