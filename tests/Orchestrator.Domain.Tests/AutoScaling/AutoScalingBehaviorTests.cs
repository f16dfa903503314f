using System.Collections.Immutable;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>The group decider as tables: constraints, convergence with AZ balance, termination policies, health replacement, rebalancing, policies.</summary>
public sealed class AutoScalingBehaviorTests
{
    private const string Name = "web";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "web", "$Default"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    private static Create Create(int min = 2, int max = 6, int? desired = null, GroupSettings? settings = null) =>
        new(Name, Arn, settings ?? Settings, min, max, desired, [], [new GroupTag("team", "blue", true), new GroupTag("local", "x", false)]);

    private IEnumerable<GroupInstance> Counted => _group.State!.Instances.Where(i => i.Counts);

    private Dictionary<string, int> ByZone() => Counted.GroupBy(i => i.AvailabilityZone).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Every pending instance runs: a sweep sees them all running and puts them in service.</summary>
    private void AllRunning(Func<GroupInstance, string?>? state = null, params TargetObservation[] targets) =>
        _group.Execute(new RecordSweep(Name, [.. _group.State!.Instances.Select(i => new InstanceObservation(i.InstanceId, state?.Invoke(i) ?? (i.LifecycleState == LifecycleStates.Terminating ? null : "running")))], [.. targets]));

    [Theory]
    [InlineData(3, 1, null, "Max bound, 1, must be greater than or equal to min bound, 3")]
    [InlineData(1, 3, 5, "Desired capacity:5 must be between the specified min size:1 and max size:3")]
    [InlineData(2, 3, 1, "Desired capacity:1 must be between the specified min size:2 and max size:3")]
    public void Capacity_constraints_are_validation_errors(int min, int max, int? desired, string message)
    {
        var error = _group.Refuse(Create(min, max, desired));
        Assert.Equal(("ValidationError", message), (error.Code, error.Message));
    }

    [Fact]
    public void Desired_defaults_to_min_and_the_group_launches_one_instance_per_zone_with_an_aws_like_activity()
    {
        _group.Execute(Create());
        Assert.Equal(2, _group.State!.DesiredCapacity);
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 1, ["us-east-1b"] = 1 }, ByZone());
        Assert.All(_group.State.Instances, i => Assert.Equal((LifecycleStates.Pending, HealthStatuses.Healthy), (i.LifecycleState, i.HealthStatus)));
        var activity = _group.State.Activities[0];
        Assert.Equal($"Launching a new EC2 instance: {_group.State.Instances[0].InstanceId}", activity.Description);
        Assert.StartsWith("At 2025-03-01T12:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.  At 2025-03-01T12:00:00Z an instance was started", activity.Cause);
        Assert.Equal("""{"Subnet ID":"subnet-a","Availability Zone":"us-east-1a"}""", activity.Details);
        Assert.Equal(ImmutableDictionary<string, string>.Empty.Add("team", "blue").Add("aws:autoscaling:groupName", Name), _group.State.LaunchTags());
        Assert.Equal("AlreadyExists", _group.Refuse(Create()).Code);
    }

    [Fact]
    public void Instance_ids_follow_from_the_launch_sequence_so_a_replayed_plan_names_the_same_instances()
    {
        _group.Execute(Create());
        Assert.Equal([AutoScalingIds.Instance(Arn, 0), AutoScalingIds.Instance(Arn, 1)], _group.State!.Instances.Select(i => i.InstanceId));
        Assert.Matches("^i-[0-9a-f]{17}$", _group.State.Instances[0].InstanceId);
    }

    [Fact]
    public void Running_instances_go_in_service_and_set_desired_capacity_keeps_zones_balanced()
    {
        _group.Execute(Create());
        AllRunning();
        Assert.All(_group.State!.Instances, i => Assert.Equal(LifecycleStates.InService, i.LifecycleState));
        _group.Execute(new SetDesiredCapacity(Name, 5, false));
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 3, ["us-east-1b"] = 2 }, ByZone());
        Assert.Equal("ValidationError", _group.Refuse(new SetDesiredCapacity(Name, 7, false)).Code);
        Assert.Equal("ValidationError", _group.Refuse(new SetDesiredCapacity(Name, 1, false)).Code);
    }

    [Fact]
    public void Scale_in_takes_from_the_fullest_zone_first_then_by_the_termination_policy()
    {
        _group.Execute(Create(min: 1));
        _group.Execute(new SetDesiredCapacity(Name, 3, false));
        AllRunning();
        var inA = _group.State!.Instances.Where(i => i.AvailabilityZone == "us-east-1a").ToList();
        Assert.Equal(2, inA.Count);
        _group.Execute(new SetDesiredCapacity(Name, 2, false));
        var terminating = Assert.Single(_group.State.Instances, i => i.LifecycleState == LifecycleStates.Terminating);
        Assert.Equal("us-east-1a", terminating.AvailabilityZone);
        Assert.Contains("shrinking the capacity from 3 to 2", _group.State.Activities[^1].Cause);
        Assert.Equal($"Terminating EC2 instance: {terminating.InstanceId}", _group.State.Activities[^1].Description);
    }

    [Theory]
    [InlineData(TerminationPolicies.OldestInstance, 0)]
    [InlineData(TerminationPolicies.NewestInstance, 1)]
    public void Oldest_and_newest_instance_policies_pick_by_launch_time(string policy, int expected)
    {
        _group.Execute(Create(min: 0, desired: 0, settings: Settings with { Subnets = [Settings.Subnets[0]], TerminationPolicies = [policy] }));
        _group.Execute(new SetDesiredCapacity(Name, 1, false));
        _group.Now += TimeSpan.FromMinutes(10);
        _group.Execute(new SetDesiredCapacity(Name, 2, false));
        AllRunning();
        var ids = _group.State!.Instances.Select(i => i.InstanceId).ToList();
        _group.Execute(new SetDesiredCapacity(Name, 1, false));
        Assert.Equal(ids[expected], Assert.Single(_group.State.Instances, i => i.LifecycleState == LifecycleStates.Terminating).InstanceId);
    }

    [Fact]
    public void Protected_instances_are_never_chosen_for_scale_in()
    {
        _group.Execute(Create(min: 0, desired: 2, settings: Settings with { NewInstancesProtectedFromScaleIn = true }));
        AllRunning();
        _group.Execute(new SetDesiredCapacity(Name, 0, false));
        Assert.Equal(2, _group.State!.Capacity);
    }

    [Fact]
    public void A_stopped_instance_is_unhealthy_at_once_even_in_its_grace_period_and_is_replaced()
    {
        _group.Execute(Create(settings: Settings with { HealthCheckGracePeriod = 300 }));
        AllRunning();
        var stopped = _group.State!.Instances[0];
        _group.Now += TimeSpan.FromSeconds(10);
        AllRunning(i => i.InstanceId == stopped.InstanceId ? "stopped" : "running");
        Assert.Equal(LifecycleStates.Terminating, _group.State.Find(stopped.InstanceId)!.LifecycleState);
        Assert.Equal(HealthStatuses.Unhealthy, _group.State.Find(stopped.InstanceId)!.HealthStatus);
        var replacement = Assert.Single(_group.State.Instances, i => i.LifecycleState == LifecycleStates.Pending);
        Assert.Equal(stopped.AvailabilityZone, replacement.AvailabilityZone);
        Assert.Contains("EC2 health check indicating it has been terminated or stopped", _group.State.Activities.First(a => a.InstanceId == stopped.InstanceId && a.Description.StartsWith("Terminating")).Cause);
        AllRunning(i => i.InstanceId == stopped.InstanceId ? "terminated" : "running");
        Assert.Null(_group.State.Find(stopped.InstanceId));
        Assert.Equal(2, _group.State.Instances.Count(i => i.LifecycleState == LifecycleStates.InService));
    }

    [Fact]
    public void With_elb_checks_an_unhealthy_target_is_replaced_only_after_the_grace_period()
    {
        _group.Execute(Create(settings: Settings with { HealthCheckType = "ELB", HealthCheckGracePeriod = 60 }));
        AllRunning();
        var sick = _group.State!.Instances[0].InstanceId;
        _group.Now += TimeSpan.FromSeconds(30);
        AllRunning(null, new TargetObservation(sick, "unhealthy"));
        Assert.Equal(HealthStatuses.Healthy, _group.State.Find(sick)!.HealthStatus);
        _group.Now += TimeSpan.FromSeconds(30);
        AllRunning(null, new TargetObservation(sick, "unhealthy"));
        Assert.Equal(LifecycleStates.Terminating, _group.State.Find(sick)!.LifecycleState);
        Assert.Contains("ELB system health check failure", _group.State.Activities.Last(a => a.InstanceId == sick).Cause);
    }

    [Fact]
    public void An_instance_behind_target_groups_is_terminated_only_once_no_target_group_lists_it()
    {
        const string tg = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
        _group.Execute(Create(min: 1) with { TargetGroupArns = [tg] });
        _group.Execute(new SetDesiredCapacity(Name, 2, false));
        AllRunning();
        var terminating = Assert.Single(_group.Execute(new SetDesiredCapacity(Name, 1, false)).OfType<AutoScalingEvents.InstanceTerminating>());
        var victim = terminating.InstanceId;
        Assert.True(terminating.Drain);
        Assert.Equal(Activities.WaitingForELBConnectionDraining, _group.State!.Activities[^1].StatusCode);
        _group.Now += TimeSpan.FromMinutes(2);
        Assert.Empty(_group.Execute(new RecordSweep(Name, [new InstanceObservation(victim, "running")], [new TargetObservation(victim, "draining")])));
        var drained = _group.Execute(new RecordSweep(Name, [new InstanceObservation(victim, "running")], []));
        Assert.IsType<AutoScalingEvents.InstanceDrained>(Assert.Single(drained));
        Assert.Equal(Activities.InProgress, _group.State.Activities[^1].StatusCode);
        _group.Execute(new RecordSweep(Name, [new InstanceObservation(victim, "terminated")], []));
        Assert.Null(_group.State.Find(victim));
        Assert.Equal(Activities.Successful, _group.State.Activities[^1].StatusCode);
    }

    [Fact]
    public void With_ec2_checks_only_an_unhealthy_target_is_never_replaced()
    {
        _group.Execute(Create());
        AllRunning();
        _group.Now += TimeSpan.FromMinutes(10);
        AllRunning(null, new TargetObservation(_group.State!.Instances[0].InstanceId, "unhealthy"));
        Assert.All(_group.State.Instances, i => Assert.Equal(HealthStatuses.Healthy, i.HealthStatus));
    }

    [Fact]
    public void Impaired_status_checks_are_tolerated_for_two_minutes()
    {
        _group.Execute(Create());
        AllRunning();
        var id = _group.State!.Instances[0].InstanceId;
        var since = _group.Now;
        _group.Now += TimeSpan.FromMinutes(1);
        _group.Execute(new RecordSweep(Name, [new InstanceObservation(id, "running", since)], []));
        Assert.Equal(HealthStatuses.Healthy, _group.State.Find(id)!.HealthStatus);
        _group.Now += TimeSpan.FromMinutes(1);
        _group.Execute(new RecordSweep(Name, [new InstanceObservation(id, "running", since)], []));
        Assert.Equal(LifecycleStates.Terminating, _group.State.Find(id)!.LifecycleState);
    }

    [Fact]
    public void Launches_skip_a_zone_that_is_down_and_a_failed_activity_is_recorded_when_every_zone_is_down()
    {
        _group.Region = TestRegion.With(TestRegion.Zone("us-east-1a", AzState.Unavailable));
        _group.Execute(Create());
        Assert.Equal(new Dictionary<string, int> { ["us-east-1b"] = 2 }, ByZone());

        var down = new EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent>(new AutoScalingBehavior())
        {
            Region = TestRegion.AllAvailable with { Zones = [.. TestRegion.AllAvailable.Zones.Select(z => z with { State = AzState.Unavailable })] },
        };
        down.Execute(Create());
        Assert.Empty(down.State!.Instances);
        var failed = Assert.Single(down.State.Activities);
        Assert.Equal(Activities.Failed, failed.StatusCode);
        Assert.StartsWith("Launching a new EC2 instance.  Status Reason:", failed.Description);
    }

    [Fact]
    public void A_failed_launch_leaves_the_group_and_the_next_sweep_launches_again()
    {
        _group.Execute(Create(min: 1));
        var id = _group.State!.Instances[0].InstanceId;
        _group.Execute(new LaunchFailed(Name, id, "InsufficientInstanceCapacity", "no capacity"));
        Assert.Empty(_group.State.Instances);
        Assert.Equal(Activities.Failed, _group.State.Activities[0].StatusCode);
        _group.Execute(new RecordSweep(Name, [], []));
        Assert.Single(_group.State.Instances);
    }

    [Fact]
    public void A_launch_ec2_never_saw_is_asked_again_under_the_same_id()
    {
        _group.Execute(Create(min: 1));
        var id = _group.State!.Instances[0].InstanceId;
        _group.Now += AutoScalingBehavior.RetryAfter;
        var events = _group.Execute(new RecordSweep(Name, [new InstanceObservation(id, null)], []));
        Assert.Equal(id, Assert.IsType<AutoScalingEvents.LaunchRetried>(Assert.Single(events)).InstanceId);
    }

    [Fact]
    public void When_a_zone_returns_the_group_launches_there_first_then_terminates_the_surplus()
    {
        _group.Region = TestRegion.With(TestRegion.Zone("us-east-1a", AzState.Unavailable));
        _group.Execute(Create(min: 2, max: 2));
        AllRunning();
        Assert.Equal(new Dictionary<string, int> { ["us-east-1b"] = 2 }, ByZone());

        _group.Region = TestRegion.AllAvailable;
        AllRunning();
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 1, ["us-east-1b"] = 2 }, ByZone()); // over max by one meanwhile
        Assert.Contains("to balance instances in zones", _group.State!.Activities[^1].Cause);
        AllRunning();
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 1, ["us-east-1b"] = 1 }, ByZone());
    }

    [Fact]
    public void Terminate_instance_with_decrement_lowers_desired_and_without_it_launches_a_replacement()
    {
        _group.Execute(Create(min: 1, desired: 3));
        AllRunning();
        var first = _group.State!.Instances[0].InstanceId;
        _group.Execute(new TerminateInstance(Name, first, true));
        Assert.Equal((2, 2), (_group.State.DesiredCapacity, _group.State.Capacity));
        var second = _group.State.Instances.First(i => i.Counts).InstanceId;
        _group.Execute(new TerminateInstance(Name, second, false));
        Assert.Equal((2, 2), (_group.State.DesiredCapacity, _group.State.Capacity));
        Assert.Single(_group.State.Instances, i => i.LifecycleState == LifecycleStates.Pending);
        Assert.Equal("ValidationError", _group.Refuse(new TerminateInstance(Name, "i-0000000000000000f", false)).Code);
    }

    [Fact]
    public void Standby_with_decrement_launches_no_replacement_and_exit_raises_desired_again()
    {
        _group.Execute(Create(min: 1, desired: 2));
        AllRunning();
        var id = _group.State!.Instances[0].InstanceId;
        _group.Execute(new EnterStandby(Name, id, true));
        Assert.Equal((1, 1, LifecycleStates.Standby), (_group.State.DesiredCapacity, _group.State.Capacity, _group.State.Find(id)!.LifecycleState));
        _group.Execute(new ExitStandby(Name, id));
        Assert.Equal((2, 2, LifecycleStates.Pending), (_group.State.DesiredCapacity, _group.State.Capacity, _group.State.Find(id)!.LifecycleState));
        _group.Execute(new EnterStandby(Name, _group.State.Instances[1].InstanceId, false));
        Assert.Equal(2, _group.State.Capacity); // a replacement for the instance in standby
    }

    [Fact]
    public void Suspended_launch_keeps_capacity_short_until_resumed()
    {
        _group.Execute(Create(min: 0, desired: 0));
        _group.Execute(new SuspendProcesses(Name, [ScalingProcesses.Launch]));
        _group.Execute(new SetDesiredCapacity(Name, 2, false));
        Assert.Empty(_group.State!.Instances);
        _group.Execute(new ResumeProcesses(Name, []));
        Assert.Equal(2, _group.State.Capacity);
    }

    [Fact]
    public void Delete_needs_an_empty_group_unless_forced_which_terminates_everything_first()
    {
        _group.Execute(Create());
        Assert.Equal("ResourceInUse", _group.Refuse(new Delete(Name, false)).Code);
        _group.Execute(new Delete(Name, true));
        Assert.True(_group.State!.Deleting);
        Assert.All(_group.State.Instances, i => Assert.Equal(LifecycleStates.Terminating, i.LifecycleState));
        AllRunning();
        Assert.Null(_group.State);
    }

    [Fact]
    public void Simple_policy_honours_the_cooldown_only_when_asked()
    {
        _group.Execute(Create(min: 1, max: 10));
        _group.Execute(new PutPolicy(Name, Policy(PolicyTypes.SimpleScaling, AdjustmentTypes.ChangeInCapacity, 2)));
        _group.Execute(new ExecutePolicy(Name, "out", true, null, null));
        Assert.Equal(3, _group.State!.DesiredCapacity);
        Assert.Equal("ScalingActivityInProgress", _group.Refuse(new ExecutePolicy(Name, "out", true, null, null)).Code);
        _group.Execute(new ExecutePolicy(Name, "out", false, null, null));
        Assert.Equal(5, _group.State.DesiredCapacity);
        _group.Now += TimeSpan.FromSeconds(300);
        _group.Execute(new ExecutePolicy(Name, "out", true, null, null));
        Assert.Equal(7, _group.State.DesiredCapacity);
    }

    /// <summary>The worked example of aws-semantics 4.6 (ASGUG): threshold 50, from 10 instances.</summary>
    [Fact]
    public void Step_policy_follows_the_worked_example()
    {
        _group.Execute(Create(min: 1, max: 20, desired: 10));
        ImmutableArray<StepAdjustment> outSteps = [new(0, 10, 0), new(10, 20, 10), new(20, null, 30)];
        ImmutableArray<StepAdjustment> inSteps = [new(-10, 0, 0), new(-20, -10, -10), new(null, -20, -30)];
        _group.Execute(new PutPolicy(Name, Policy(PolicyTypes.StepScaling, AdjustmentTypes.PercentChangeInCapacity, null, outSteps, "out")));
        _group.Execute(new PutPolicy(Name, Policy(PolicyTypes.StepScaling, AdjustmentTypes.PercentChangeInCapacity, null, inSteps, "in")));
        foreach (var (policy, metric, expected) in new[] { ("out", 60.0, 11), ("out", 70.0, 14), ("in", 40.0, 13), ("in", 30.0, 10) })
        {
            _group.Execute(new ExecutePolicy(Name, policy, false, metric, 50));
            Assert.Equal(expected, _group.State!.DesiredCapacity);
        }
        Assert.Equal("ValidationError", _group.Refuse(new ExecutePolicy(Name, "out", false, null, null)).Code);
    }

    [Theory]
    [InlineData(10, 127, null, 12)] // 12.7 down
    [InlineData(10, 5, null, 1)] // 0.5 up to 1
    [InlineData(10, -5, null, -1)] // -0.5 to -1
    [InlineData(15, -45, null, -6)] // -6.75 toward zero
    [InlineData(10, 10, 3, 3)] // MinAdjustmentMagnitude floors the magnitude
    [InlineData(10, 0, 3, 0)]
    public void Percent_changes_round_as_aws_does(int current, int percent, int? magnitude, int expected) =>
        Assert.Equal(expected, ScalingAdjustments.PercentChange(current, percent, magnitude));

    [Theory]
    [InlineData(AdjustmentTypes.ChangeInCapacity, 3, 8)]
    [InlineData(AdjustmentTypes.ChangeInCapacity, 30, 10)]
    [InlineData(AdjustmentTypes.ChangeInCapacity, -30, 1)]
    [InlineData(AdjustmentTypes.ExactCapacity, 7, 7)]
    [InlineData(AdjustmentTypes.PercentChangeInCapacity, 50, 7)]
    public void Adjustments_are_clamped_to_the_group_bounds(string type, int adjustment, int expected) =>
        Assert.Equal(expected, ScalingAdjustments.Apply(5, type, adjustment, null, 1, 10));

    [Fact]
    public void Step_intervals_must_not_leave_gaps()
    {
        _group.Execute(Create());
        var error = _group.Refuse(new PutPolicy(Name, Policy(PolicyTypes.StepScaling, AdjustmentTypes.ChangeInCapacity, null, [new(0, 10, 1), new(20, null, 2)])));
        Assert.Equal("ValidationError", error.Code);
    }

    private static ScalingPolicy Policy(string type, string adjustmentType, int? adjustment, ImmutableArray<StepAdjustment> steps = default, string name = "out") =>
        new(name, AutoScalingIds.PolicyArn(Arn, name), type, adjustmentType, adjustment, null, null, steps.IsDefault ? [] : steps, null, null, true);
}
