using System.Collections.Immutable;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

public static class PredefinedMetricTypes
{
    public const string ASGAverageCPUUtilization = "ASGAverageCPUUtilization";
    public const string ASGAverageNetworkIn = "ASGAverageNetworkIn";
    public const string ASGAverageNetworkOut = "ASGAverageNetworkOut";
    public const string ALBRequestCountPerTarget = "ALBRequestCountPerTarget";

    public static readonly ImmutableArray<string> All = [ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut, ALBRequestCountPerTarget];
}

/// <summary>CustomizedMetricSpecification: the metric (namespace, name, dimensions), its statistic and unit.</summary>
public sealed record CustomizedMetric(MetricKey Metric, string Statistic, string? Unit);

/// <summary>TargetTrackingConfiguration: a predefined metric (with its ResourceLabel) or a customized one, the target, and whether scale-in is off.</summary>
public sealed record TargetTrackingConfiguration(
    string? PredefinedMetricType,
    string? ResourceLabel,
    CustomizedMetric? CustomizedMetric,
    double TargetValue,
    bool DisableScaleIn);

/// <summary>An alarm a target tracking policy owns, as PutScalingPolicy and DescribePolicies list it.</summary>
public sealed record PolicyAlarm(string AlarmName, string AlarmArn);

/// <summary>
/// Target tracking (aws-semantics 4.6): the two alarms AWS creates for a policy (high: 3 of 3
/// one-minute points above the target; low: 15 of 15 below 0.7 × target, none with DisableScaleIn)
/// and the capacity an alarm's breach asks for. Scale-out is proportional to the metric over the
/// target, counting only instances past their warm-up (those warming count in capacity, so a repeat
/// while they warm adds nothing); scale-in waits for every warm-up to end and removes at most 10%
/// (at least one instance) per action.
/// </summary>
public static class TargetTracking
{
    public const int HighDatapoints = 3;
    public const int LowDatapoints = 15;
    public const int Period = 60;

    /// <summary>What AWS sets for EC2 Auto Scaling groups (observed 0.7 × target; aws-semantics 4.6 and 10.2).</summary>
    public const double LowThresholdFactor = 0.7;

    public const string High = "AlarmHigh";
    public const string Low = "AlarmLow";

    /// <summary>PutScalingPolicy's checks of a TargetTrackingScaling policy; group gives the attached target groups.</summary>
    public static AwsError? Validate(ScalingPolicy policy, AutoScalingGroup group)
    {
        if (policy.TargetTracking is not { } config)
            return AutoScalingErrors.Validation("TargetTrackingConfiguration is required for TargetTrackingScaling policy");
        if (policy.ScalingAdjustment is not null || !policy.StepAdjustments.IsDefaultOrEmpty || policy.Cooldown is not null || policy.MinAdjustmentMagnitude is not null)
            return AutoScalingErrors.Validation("ScalingAdjustment, StepAdjustments, Cooldown and MinAdjustmentMagnitude are not allowed for TargetTrackingScaling policy");
        if (double.IsNaN(config.TargetValue) || double.IsInfinity(config.TargetValue) || config.TargetValue <= 0)
            return AutoScalingErrors.Validation("TargetValue must be a positive number");
        if ((config.PredefinedMetricType is null) == (config.CustomizedMetric is null))
            return AutoScalingErrors.Validation("Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified");
        if (config.CustomizedMetric is { } custom)
            return Statistic.Parse(custom.Statistic) is { IsExtended: false }
                ? null
                : AutoScalingErrors.Validation($"Invalid statistic {custom.Statistic} for CustomizedMetricSpecification");
        if (!PredefinedMetricTypes.All.Contains(config.PredefinedMetricType!))
            return AutoScalingErrors.Validation($"Invalid predefined metric type {config.PredefinedMetricType}");
        if (config.PredefinedMetricType != PredefinedMetricTypes.ALBRequestCountPerTarget)
            return config.ResourceLabel is null ? null : AutoScalingErrors.Validation($"ResourceLabel is only valid with {PredefinedMetricTypes.ALBRequestCountPerTarget}");
        if (TargetGroupDimension(config.ResourceLabel) is not { } targetGroup)
            return AutoScalingErrors.Validation("ResourceLabel must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>");
        return group.TargetGroupArns.Any(arn => arn.EndsWith(":" + targetGroup, StringComparison.Ordinal))
            ? null
            : AutoScalingErrors.Validation($"The target group {targetGroup} in ResourceLabel is not attached to the Auto Scaling group {group.Name}");
    }

    /// <summary>The metric, statistic and unit the policy's alarms watch.</summary>
    public static (MetricKey Metric, string Statistic, string? Unit) Metric(string groupName, TargetTrackingConfiguration config)
    {
        if (config.CustomizedMetric is { } custom)
            return (custom.Metric, custom.Statistic, custom.Unit);
        KeyValuePair<string, string>[] byGroup = [KeyValuePair.Create("AutoScalingGroupName", groupName)];
        return config.PredefinedMetricType switch
        {
            PredefinedMetricTypes.ASGAverageNetworkIn => (MetricKey.Of("AWS/EC2", "NetworkIn", byGroup), "Average", null),
            PredefinedMetricTypes.ASGAverageNetworkOut => (MetricKey.Of("AWS/EC2", "NetworkOut", byGroup), "Average", null),
            PredefinedMetricTypes.ALBRequestCountPerTarget => (MetricKey.Of("AWS/ApplicationELB", "RequestCountPerTarget",
                [KeyValuePair.Create("TargetGroup", TargetGroupDimension(config.ResourceLabel)!)]), "Sum", null),
            _ => (MetricKey.Of("AWS/EC2", "CPUUtilization", byGroup), "Average", null),
        };
    }

    /// <summary>TargetTracking-&lt;group&gt;-AlarmHigh-&lt;uuid&gt;: the uuid follows from the policy, so putting the policy again keeps its alarms.</summary>
    public static string AlarmName(string groupName, string policyArn, string which) =>
        $"TargetTracking-{groupName}-{which}-{AutoScalingIds.Uuid($"{policyArn}/{which}")}";

    /// <summary>The alarms the policy owns: high always, low unless scale-in is disabled.</summary>
    public static IReadOnlyList<string> AlarmKinds(TargetTrackingConfiguration config) => config.DisableScaleIn ? [High] : [High, Low];

    /// <summary>The PutMetricAlarm request AWS makes for one of the policy's alarms.</summary>
    public static PutMetricAlarmInput AlarmInput(string groupName, ScalingPolicy policy, string which)
    {
        var config = policy.TargetTracking!;
        var (metric, statistic, unit) = Metric(groupName, config);
        var high = which == High;
        var threshold = high ? config.TargetValue : config.TargetValue * LowThresholdFactor;
        var points = high ? HighDatapoints : LowDatapoints;
        return new PutMetricAlarmInput(AlarmName(groupName, policy.PolicyArn, which),
            $"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy.PolicyArn}.", true, [], [policy.PolicyArn], [],
            metric.Namespace, metric.MetricName, [.. metric.Dimensions.Select(d => ((string?)d.Key, (string?)d.Value))], Period, statistic, null, unit,
            points, points, threshold, high ? ComparisonOperators.GreaterThanThreshold : ComparisonOperators.LessThanThreshold, MissingDataTreatments.Missing);
    }

    /// <summary>
    /// The desired capacity an alarm's datapoint asks for, or null for no change: above the target
    /// ceil(warmed × metric / target), never below the current desired; below it (unless scale-in is
    /// disabled or an instance still warms up) ceil(capacity × metric / target), at most 10% (at least
    /// one) fewer. Always within [min, max].
    /// </summary>
    public static int? Desired(AutoScalingGroup group, ScalingPolicy policy, double metric, DateTimeOffset now)
    {
        var config = policy.TargetTracking!;
        var warmup = TimeSpan.FromSeconds(policy.EstimatedInstanceWarmup ?? group.Settings.DefaultCooldown);
        var counted = group.Instances.Where(i => i.Counts).ToList();
        var warming = counted.Count(i => now < i.LaunchedAt + warmup);
        var warmed = counted.Count - warming;
        int wanted;
        if (metric > config.TargetValue)
        {
            if (warmed == 0)
                return null;
            wanted = Math.Max(group.DesiredCapacity, Proportional(warmed, metric, config.TargetValue));
        }
        else if (metric < config.TargetValue && !config.DisableScaleIn && warming == 0 && counted.Count > 0)
            wanted = Math.Max(Proportional(counted.Count, metric, config.TargetValue), counted.Count - Math.Max(1, counted.Count / 10));
        else
            return null;
        var desired = Math.Clamp(wanted, group.MinSize, group.MaxSize);
        return desired == group.DesiredCapacity ? null : desired;
    }

    /// <summary>Rounded up, so the group is never under-provisioned; a hair of tolerance keeps 2 × 75 / 50 at 3.</summary>
    private static int Proportional(int capacity, double metric, double target) => (int)Math.Ceiling(capacity * metric / target - 1e-9);

    /// <summary>"targetgroup/&lt;name&gt;/&lt;id&gt;" from a ResourceLabel "app/&lt;lb&gt;/&lt;id&gt;/targetgroup/&lt;name&gt;/&lt;id&gt;".</summary>
    public static string? TargetGroupDimension(string? resourceLabel)
    {
        var parts = resourceLabel?.Split('/') ?? [];
        return parts is ["app", { Length: > 0 }, { Length: > 0 }, "targetgroup", { Length: > 0 }, { Length: > 0 }]
            ? string.Join('/', parts[3..])
            : null;
    }

    public static string AlarmCause(DateTimeOffset at, string alarmName, string policyName, int from, int to) =>
        $"At {Activities.Stamp(at)} a monitor alarm {alarmName} in state ALARM triggered policy {policyName} changing the desired capacity from {from} to {to}.";
}
