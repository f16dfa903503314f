using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class InstanceWorkloadTests
{
    private static readonly AvailabilityZoneStatus Up = TestRegion.Zone(InstanceFixture.Zone);

    [Fact]
    public void A_t3_micro_serves_200_requests_per_second_before_it_saturates()
    {
        Assert.Equal(200, InstanceWorkload.CapacityPerSecond("t3.micro"), 6);
        Assert.Equal(InstanceWorkload.IdleCpuPercent, InstanceWorkload.CpuPercent("t3.micro", 0), 6);
        Assert.Equal(50.25, InstanceWorkload.CpuPercent("t3.micro", 100), 6);
        Assert.Equal(100, InstanceWorkload.CpuPercent("t3.micro", 400), 6);
    }

    [Fact]
    public void Latency_grows_with_utilisation_and_an_overloaded_instance_refuses_the_excess()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(10), InstanceWorkload.Latency("t3.micro", 0));
        Assert.Equal(TimeSpan.FromMilliseconds(20), InstanceWorkload.Latency("t3.micro", 100));
        Assert.Equal(0, InstanceWorkload.RefusedShare("t3.micro", 200), 6);
        Assert.Equal(0.5, InstanceWorkload.RefusedShare("t3.micro", 400), 6);
    }

    [Fact]
    public void The_answer_follows_the_instance_state_its_zone_and_its_application()
    {
        var running = InstanceFixture.In(InstanceStateName.Running);
        var now = running.Now;
        Assert.Equal(200, InstanceWorkload.Serve(running.State, Up, 10, refused: false, now).StatusCode);
        Assert.Equal(503, InstanceWorkload.Serve(running.State, Up, 400, refused: true, now).StatusCode);
        Assert.Equal(ServeOutcome.NoResponse, InstanceWorkload.Serve(running.State, Up with { State = AzState.Unavailable, Mode = OutageMode.Network }, 10, false, now).Outcome);
        Assert.Equal(ServeOutcome.NoResponse, InstanceWorkload.Serve(InstanceFixture.In(InstanceStateName.Stopped).State, Up, 10, false, now).Outcome);
        var rebooting = InstanceFixture.In(InstanceStateName.Running);
        rebooting.Execute(new InstanceCommands.Reboot(InstanceFixture.InstanceId));
        Assert.Equal(ServeOutcome.Refused, InstanceWorkload.Serve(rebooting.State, Up, 10, false, rebooting.Now).Outcome);
        running.Execute(new InstanceCommands.SetApplicationHealth(InstanceFixture.InstanceId, ApplicationHealth.Failing));
        Assert.Equal(500, InstanceWorkload.Serve(running.State, Up, 10, false, now).StatusCode);
        running.Execute(new InstanceCommands.SetApplicationHealth(InstanceFixture.InstanceId, ApplicationHealth.Slow));
        Assert.True(InstanceWorkload.Serve(running.State, Up, 10, false, now).Latency >= InstanceTimings.SlowResponse);
    }
}
