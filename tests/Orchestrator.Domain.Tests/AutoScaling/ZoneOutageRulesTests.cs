using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>A launch caught by a zone failing between the group's plan and EC2's answer: recorded as failed, retried in a zone still up.</summary>
public sealed class ZoneOutageRulesTests
{
    private const string Name = "zonal";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "zonal", "$Default"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b"), new GroupSubnet("subnet-c", "us-east-1c")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    [Fact]
    public void A_launch_into_a_zone_that_failed_meanwhile_is_recorded_as_failed_and_retried_in_another_zone()
    {
        _group.Execute(new Create(Name, Arn, Settings, 3, 6, 3, [], []));
        var doomed = _group.State!.Instances.Single(i => i.AvailabilityZone == "us-east-1c").InstanceId;

        _group.Region = TestRegion.With(TestRegion.Zone("us-east-1c", AzState.Unavailable));
        _group.Execute(new LaunchFailed(Name, doomed, "InsufficientInstanceCapacity", "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1c)."));
        Assert.Null(_group.State.Find(doomed));
        var failed = _group.State.Activities.Single(a => a.InstanceId == doomed && a.StatusCode == Activities.Failed);
        Assert.Contains("us-east-1c", failed.StatusMessage);

        _group.Execute(new RecordSweep(Name, [.. _group.State.Instances.Select(i => new InstanceObservation(i.InstanceId, "running"))], []));
        var retried = Assert.Single(_group.State.Instances, i => i.LifecycleState == LifecycleStates.Pending);
        Assert.NotEqual("us-east-1c", retried.AvailabilityZone);
        Assert.Equal(3, _group.State.Capacity);
    }
}
