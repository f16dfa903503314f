using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.CloudWatch;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>Target tracking as tables: the alarms a policy owns, validation, and the capacity each breach asks for (aws-semantics 4.6).</summary>
public sealed class TargetTrackingTests
{
    private const string Name = "web";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly string TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "web", "$Default"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    private static ScalingPolicy Policy(TargetTrackingConfiguration config, int? warmup = 120, string name = "cpu50") =>
        new(name, AutoScalingIds.PolicyArn(Arn, name), PolicyTypes.TargetTrackingScaling, "", null, null, null, [], null, warmup, true, config);

    private static TargetTrackingConfiguration Cpu(double target = 50, bool disableScaleIn = false) =>
        new(PredefinedMetricTypes.ASGAverageCPUUtilization, null, null, target, disableScaleIn);

    /// <summary>A group of <paramref name="desired"/> instances, all in service and launched at the harness's start.</summary>
    private void Group(int desired, int min = 1, int max = 6)
    {
        _group.Execute(new Create(Name, Arn, Settings, min, max, desired, [TargetGroupArn], []));
        _group.Execute(new RecordSweep(Name, [.. _group.State!.Instances.Select(i => new InstanceObservation(i.InstanceId, "running"))], []));
    }

    private void Breach(string policy, double metric) => _group.Execute(new ExecutePolicy(Name, policy, true, metric, null));

    [Fact]
    public void The_policy_owns_a_high_alarm_of_3_of_3_points_above_the_target_and_a_low_one_of_15_of_15_below_seven_tenths_of_it()
    {
        var policy = Policy(Cpu());
        var high = MetricAlarmConfig.Validate(TargetTracking.AlarmInput(Name, policy, TargetTracking.High)).Value;
        var low = MetricAlarmConfig.Validate(TargetTracking.AlarmInput(Name, policy, TargetTracking.Low)).Value;
        Assert.Matches("^TargetTracking-web-AlarmHigh-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", high.AlarmName);
        Assert.StartsWith("TargetTracking-web-AlarmLow-", low.AlarmName);
        Assert.Equal(high.AlarmName, TargetTracking.AlarmName(Name, policy.PolicyArn, TargetTracking.High)); // stable: putting the policy again keeps its alarms
        Assert.Equal((60, 3, 3, 50.0, ComparisonOperators.GreaterThanThreshold, "Average"),
            (high.Period, high.EvaluationPeriods, high.DatapointsToAlarm, high.Threshold, high.ComparisonOperator, high.Statistic));
        Assert.Equal((60, 15, 15, 35.0, ComparisonOperators.LessThanThreshold),
            (low.Period, low.EvaluationPeriods, low.DatapointsToAlarm, low.Threshold, low.ComparisonOperator));
        Assert.Equal(MetricKey.Of("AWS/EC2", "CPUUtilization", [KeyValuePair.Create("AutoScalingGroupName", Name)]), high.Metric);
        Assert.Equal(policy.PolicyArn, Assert.Single(high.AlarmActions));
        Assert.Equal(policy.PolicyArn, Assert.Single(low.AlarmActions));
        Assert.StartsWith("DO NOT EDIT OR DELETE. For TargetTrackingScaling policy", high.AlarmDescription);
        Assert.Equal([TargetTracking.High], TargetTracking.AlarmKinds(Cpu(disableScaleIn: true)));
    }

    [Fact]
    public void Each_predefined_metric_and_a_customized_one_name_what_the_alarms_watch()
    {
        var label = "app/web/50dc6c495c0c9188/targetgroup/web/0123456789abcdef";
        Assert.Equal(("NetworkIn", "Average"), Watched(new(PredefinedMetricTypes.ASGAverageNetworkIn, null, null, 1e6, false)));
        Assert.Equal(("NetworkOut", "Average"), Watched(new(PredefinedMetricTypes.ASGAverageNetworkOut, null, null, 1e6, false)));
        var perTarget = TargetTracking.Metric(Name, new(PredefinedMetricTypes.ALBRequestCountPerTarget, label, null, 1000, false));
        Assert.Equal(MetricKey.Of("AWS/ApplicationELB", "RequestCountPerTarget", [KeyValuePair.Create("TargetGroup", "targetgroup/web/0123456789abcdef")]), perTarget.Metric);
        Assert.Equal("Sum", perTarget.Statistic);
        var queue = MetricKey.Of("App", "QueueDepth", [KeyValuePair.Create("Queue", "jobs")]);
        Assert.Equal((queue, "Maximum", "Count"), TargetTracking.Metric(Name, new(null, null, new CustomizedMetric(queue, "Maximum", "Count"), 10, false)));

        static (string, string) Watched(TargetTrackingConfiguration config)
        {
            var watched = TargetTracking.Metric(Name, config);
            return (watched.Metric.MetricName, watched.Statistic);
        }
    }

    [Theory]
    [InlineData(null, null, 50.0, "Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified")]
    [InlineData("ASGAverageMemory", null, 50.0, "Invalid predefined metric type ASGAverageMemory")]
    [InlineData("ASGAverageCPUUtilization", null, 0.0, "TargetValue must be a positive number")]
    [InlineData("ASGAverageCPUUtilization", "app/web/1/targetgroup/web/2", 50.0, "ResourceLabel is only valid with ALBRequestCountPerTarget")]
    [InlineData("ALBRequestCountPerTarget", null, 50.0, "ResourceLabel must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>")]
    [InlineData("ALBRequestCountPerTarget", "app/web/1/targetgroup/other/2", 50.0, "The target group targetgroup/other/2 in ResourceLabel is not attached to the Auto Scaling group web")]
    public void Bad_configurations_are_validation_errors(string? type, string? label, double target, string message)
    {
        Group(1);
        var error = _group.Refuse(new PutPolicy(Name, Policy(new(type, label, null, target, false))));
        Assert.Equal(("ValidationError", message), (error.Code, error.Message));
        _group.Execute(new PutPolicy(Name, Policy(new(PredefinedMetricTypes.ALBRequestCountPerTarget, "app/web/1/targetgroup/web/0123456789abcdef", null, 1000, false))));
        Assert.Equal(PolicyTypes.TargetTrackingScaling, Assert.Single(_group.State!.Policies).PolicyType);
    }

    [Fact]
    public void Scale_out_is_proportional_to_the_metric_over_the_target_and_bounded_by_max()
    {
        Group(2);
        _group.Execute(new PutPolicy(Name, Policy(Cpu())));
        _group.Now += TimeSpan.FromMinutes(5);
        Breach("cpu50", 80); // ceil(2 × 80 / 50) = 4
        Assert.Equal(4, _group.State!.DesiredCapacity);
        Assert.Matches("^At 2025-03-01T12:05:00Z a monitor alarm TargetTracking-web-AlarmHigh-[0-9a-f-]{36} in state ALARM triggered policy cpu50 changing the desired capacity from 2 to 4\\.",
            _group.State.Activities[^1].Cause);
        Assert.Empty(_group.History.OfType<AutoScalingEvents.CooldownStarted>()); // target tracking has no cooldown

        // The two new instances warm up for 120 s: a repeat meanwhile counts only the two warmed ones.
        _group.Now += TimeSpan.FromMinutes(1);
        Breach("cpu50", 90); // ceil(2 × 90 / 50) = 4: nothing more
        Assert.Equal(4, _group.State.DesiredCapacity);
        _group.Execute(new RecordSweep(Name, [.. _group.State.Instances.Select(i => new InstanceObservation(i.InstanceId, "running"))], []));
        _group.Now += TimeSpan.FromMinutes(1);
        Breach("cpu50", 90); // all four warmed: ceil(4 × 90 / 50) = 8, bounded by max 6
        Assert.Equal(6, _group.State.DesiredCapacity);
    }

    [Fact]
    public void Scale_in_waits_for_warm_up_and_removes_at_most_a_tenth_or_one_instance_per_action()
    {
        Group(3);
        _group.Execute(new PutPolicy(Name, Policy(Cpu())));
        Breach("cpu50", 5); // the instances are still warming up
        Assert.Equal(3, _group.State!.DesiredCapacity);
        _group.Now += TimeSpan.FromMinutes(3);
        Breach("cpu50", 5);
        Assert.Equal(2, _group.State.DesiredCapacity);
        Breach("cpu50", 40); // ceil(2 × 40 / 50) = 2: no change
        Assert.Equal(2, _group.State.DesiredCapacity);
        Breach("cpu50", 5);
        Breach("cpu50", 5);
        Assert.Equal(1, _group.State.DesiredCapacity); // min
        Assert.Contains("AlarmLow", _group.State.DesiredCause);
    }

    [Fact]
    public void Disable_scale_in_ignores_low_breaches_and_suspended_alarm_notifications_ignore_all()
    {
        Group(3);
        _group.Execute(new PutPolicy(Name, Policy(Cpu(disableScaleIn: true))));
        _group.Now += TimeSpan.FromMinutes(3);
        Breach("cpu50", 5);
        Assert.Equal(3, _group.State!.DesiredCapacity);
        _group.Execute(new SuspendProcesses(Name, [ScalingProcesses.AlarmNotification]));
        Breach("cpu50", 99);
        Assert.Equal(3, _group.State.DesiredCapacity);
        _group.Execute(new ResumeProcesses(Name, [ScalingProcesses.AlarmNotification]));
        Breach("cpu50", 99); // ceil(3 × 99 / 50) = 6
        Assert.Equal(6, _group.State.DesiredCapacity);
    }
}
