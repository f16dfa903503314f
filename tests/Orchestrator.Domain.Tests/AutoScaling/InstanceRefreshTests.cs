using Orchestrator.Domain.AutoScaling;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>Instance refresh: batches that keep MinHealthyPercentage in service, progress, success, cancellation.</summary>
public sealed class InstanceRefreshTests
{
    private const string Name = "web";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "web", "$Latest"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    private AutoScalingGroup Group => _group.State!;

    /// <summary>Ten seconds on: EC2 confirms the launches (on this template version) and the sweep sees the leavers gone and the rest running.</summary>
    private void Step(string version)
    {
        _group.Now += TimeSpan.FromSeconds(10);
        foreach (var launching in Group.Instances.Where(i => i.InstanceType is null).ToList())
            _group.Execute(new LaunchSucceeded(Name, launching.InstanceId, "t3.micro", version));
        _group.Execute(new RecordSweep(Name, [.. Group.Instances.Select(i => new InstanceObservation(i.InstanceId,
            LifecycleStates.IsTerminating(i.LifecycleState) ? "terminated" : "running"))], []));
    }

    private void Running(int desired)
    {
        _group.Execute(new Create(Name, Arn, Settings, 0, 8, desired, [], []));
        Step("1");
        Assert.All(Group.Instances, i => Assert.Equal((LifecycleStates.InService, "1"), (i.LifecycleState, i.LaunchTemplateVersion)));
    }

    [Fact]
    public void A_refresh_replaces_outdated_instances_in_batches_that_keep_the_minimum_healthy_in_service()
    {
        Running(4);
        _group.Execute(new StartInstanceRefresh(Name, "2", 50, 30));
        var refresh = Assert.Single(Group.Refreshes);
        Assert.Equal((InstanceRefreshes.Pending, 4, 4, 0), (refresh.Status, refresh.ToUpdateAtStart, refresh.InstancesToUpdate, refresh.PercentageComplete));
        Assert.Equal("InstanceRefreshInProgress", _group.Refuse(new StartInstanceRefresh(Name, "2", null, null)).Code);

        var steps = 0;
        var percentages = new List<int>();
        while (Group.Refreshes[0].Status != InstanceRefreshes.Successful)
        {
            Assert.True(++steps < 50, "the refresh never finished");
            Step("2");
            Assert.True(Group.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) >= 2, "fewer than 50% of 4 in service");
            Assert.True(Group.Instances.Count(i => LifecycleStates.IsTerminating(i.LifecycleState)) <= 2, "a batch larger than 4 - 2");
            percentages.Add(Group.Refreshes[0].PercentageComplete);
        }
        Assert.All(Group.Instances, i => Assert.Equal((LifecycleStates.InService, "2"), (i.LifecycleState, i.LaunchTemplateVersion)));
        Assert.Equal(4, Group.Instances.Count);
        refresh = Group.Refreshes[0];
        Assert.Equal((0, 100, _group.Now), (refresh.InstancesToUpdate, refresh.PercentageComplete, refresh.EndTime));
        Assert.Contains(50, percentages); // two batches of two
        Assert.Equal(percentages.Order(), percentages);
        Assert.Equal("ActiveInstanceRefreshNotFound", _group.Refuse(new CancelInstanceRefresh(Name)).Code);
    }

    [Fact]
    public void The_default_ninety_percent_replaces_one_at_a_time_and_a_cancel_stops_the_refresh()
    {
        Running(3);
        _group.Execute(new StartInstanceRefresh(Name, "2", null, null));
        Assert.Equal(90, Group.Refreshes[0].MinHealthyPercentage);
        Step("2");
        Assert.Equal(InstanceRefreshes.InProgress, Group.Refreshes[0].Status);
        Assert.Single(Group.Instances, i => LifecycleStates.IsTerminating(i.LifecycleState));
        _group.Execute(new CancelInstanceRefresh(Name));
        Assert.Equal((InstanceRefreshes.Cancelled, _group.Now), (Group.Refreshes[0].Status, Group.Refreshes[0].EndTime));
        for (var i = 0; i < 5; i++)
            Step("2");
        Assert.Equal(2, Group.Instances.Count(i => i.LaunchTemplateVersion == "1")); // nothing more was replaced
        _group.Execute(new StartInstanceRefresh(Name, "2", null, null));
        Assert.Equal(2, Group.Refreshes.Count);
        Assert.NotEqual(Group.Refreshes[0].InstanceRefreshId, Group.Refreshes[1].InstanceRefreshId);
    }
}
