using Orchestrator.Domain.AutoScaling;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>EnableMetricsCollection and DisableMetricsCollection, and the values the group metrics take.</summary>
public sealed class GroupMetricsTests
{
    private const string Name = "web";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "web", "$Default"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    [Fact]
    public void Enabling_adds_the_named_metrics_or_all_of_them_and_disabling_removes_them()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 4, 1, [], []));
        Assert.Equal("ValidationError", _group.Refuse(new EnableMetricsCollection(Name, ["GroupMaxSize"], "5Minute")).Code);
        Assert.Equal("ValidationError", _group.Refuse(new EnableMetricsCollection(Name, ["GroupHappiness"], "1Minute")).Code);
        _group.Execute(new EnableMetricsCollection(Name, ["GroupTotalInstances", "GroupMaxSize"], "1Minute"));
        Assert.Equal(["GroupMaxSize", "GroupTotalInstances"], _group.State!.Collected);
        Assert.Empty(_group.Execute(new EnableMetricsCollection(Name, ["GroupMaxSize"], "1Minute")));
        _group.Execute(new EnableMetricsCollection(Name, [], "1Minute"));
        Assert.Equal(GroupMetrics.All.Order(StringComparer.Ordinal), _group.State.Collected);
        _group.Execute(new DisableMetricsCollection(Name, ["GroupMaxSize"]));
        Assert.DoesNotContain("GroupMaxSize", _group.State.Collected);
        _group.Execute(new DisableMetricsCollection(Name, []));
        Assert.Empty(_group.State.Collected);
        Assert.Null(_group.State.EnabledMetrics);
    }

    [Fact]
    public void Metric_values_count_instances_by_lifecycle_state_and_total_leaves_standby_out()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 5, 3, [], []));
        _group.Execute(new RecordSweep(Name, [.. _group.State!.Instances.Take(2).Select(i => new InstanceObservation(i.InstanceId, "running"))], []));
        var inService = _group.State.Instances.Where(i => i.LifecycleState == LifecycleStates.InService).Select(i => i.InstanceId).ToList();
        _group.Execute(new EnterStandby(Name, inService[0], ShouldDecrementDesiredCapacity: true));
        _group.Execute(new TerminateInstance(Name, inService[1], ShouldDecrementDesiredCapacity: false)); // a replacement launches
        var group = _group.State;
        var values = GroupMetrics.All.ToDictionary(m => m, m => GroupMetrics.Value(group, m));
        Assert.Equal((1.0, 5.0, 2.0), (values["GroupMinSize"], values["GroupMaxSize"], values["GroupDesiredCapacity"]));
        Assert.Equal((0.0, 2.0, 1.0, 1.0, 3.0), (values["GroupInServiceInstances"], values["GroupPendingInstances"], values["GroupStandbyInstances"],
            values["GroupTerminatingInstances"], values["GroupTotalInstances"]));
        Assert.Equal(values["GroupPendingInstances"], values["GroupPendingCapacity"]);
    }
}
