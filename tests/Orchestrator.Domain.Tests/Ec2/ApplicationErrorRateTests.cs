using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Ec2.InstanceCommands;

namespace Orchestrator.Domain.Tests.Ec2;

/// <summary>An impaired application (chaos impair-app): a share of its answers are 500s, the same ones on every replay.</summary>
public sealed class ApplicationErrorRateTests
{
    private const string Id = InstanceFixture.InstanceId;
    private static readonly AvailabilityZoneStatus Up = TestRegion.Zone(InstanceFixture.Zone);

    [Fact]
    public void A_share_of_health_checks_fail_with_500_and_the_same_instants_fail_every_time()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Healthy, ErrorRate: 0.3));
        var instants = Enumerable.Range(0, 2000).Select(i => instance.Now.AddSeconds(30 * i)).ToList();

        var failed = instants.Count(at => InstanceProbe.Answer(instance.State, Up, at).HttpStatus == 500);

        Assert.InRange(failed, 500, 700);
        Assert.Equal(failed, instants.Count(at => InstanceProbe.Answer(instance.State, Up, at) is { Outcome: ProbeOutcome.Unhealthy, Reason: ProbeAnswer.ResponseCodeMismatchReason }));
    }

    [Fact]
    public void A_flow_is_answered_with_the_error_share_and_slowness_adds_to_it()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Slow, TimeSpan.FromSeconds(2), 0.25));

        var served = InstanceWorkload.ServeFlow(instance.State, Up, 10, instance.Now);

        Assert.Equal((0.75, 0.25, 500), (served.SuccessShare, served.ErrorShare, served.ErrorStatus));
        Assert.True(served.Latency >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void The_rate_is_part_of_the_application_s_health_and_must_be_a_share()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);

        Assert.Single(instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Healthy, ErrorRate: 0.1)));
        Assert.Equal(0.1, instance.State!.ErrorRate);
        Assert.Empty(instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Healthy, ErrorRate: 0.1)));
        Assert.Single(instance.Execute(new SetApplicationHealth(Id, ApplicationHealth.Healthy)));
        Assert.Equal(0, instance.State!.ErrorRate);
        Assert.Equal("InvalidParameterValue", instance.Refuse(new SetApplicationHealth(Id, ApplicationHealth.Healthy, ErrorRate: 2)).Code);
    }
}
