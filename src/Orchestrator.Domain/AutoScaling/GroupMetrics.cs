using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>
/// The group metrics of EnableMetricsCollection (namespace AWS/AutoScaling, dimension
/// AutoScalingGroupName, one datapoint a minute). Every instance weighs 1, so the capacity metrics
/// equal the instance ones.
/// </summary>
public static class GroupMetrics
{
    public const string Namespace = "AWS/AutoScaling";
    public const string Granularity = "1Minute";
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    public static readonly ImmutableArray<string> All =
    [
        "GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupStandbyInstances",
        "GroupTerminatingInstances", "GroupTotalInstances", "GroupInServiceCapacity", "GroupPendingCapacity", "GroupStandbyCapacity",
        "GroupTerminatingCapacity", "GroupTotalCapacity",
    ];

    /// <summary>The enabled metrics after the change, in name order; no metrics named means all of them.</summary>
    public static Result<ImmutableArray<string>> Change(AutoScalingGroup group, ImmutableArray<string> metrics, string? granularity, bool enable)
    {
        if (enable && granularity != Granularity)
            return AutoScalingErrors.Validation($"Granularity {granularity} is not supported, the only valid value is {Granularity}");
        var named = metrics.IsDefaultOrEmpty ? All : metrics;
        if (named.FirstOrDefault(m => !All.Contains(m)) is { } unknown)
            return AutoScalingErrors.Validation($"Invalid metric name: {unknown}");
        var current = group.Collected;
        return (enable ? current.Union(named) : current.Except(named)).Order(StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>The value of one group metric now.</summary>
    public static double Value(AutoScalingGroup group, string metric)
    {
        int Count(Func<string, bool> state) => group.Instances.Count(i => state(i.LifecycleState));
        return metric switch
        {
            "GroupMinSize" => group.MinSize,
            "GroupMaxSize" => group.MaxSize,
            "GroupDesiredCapacity" => group.DesiredCapacity,
            "GroupInServiceInstances" or "GroupInServiceCapacity" => Count(s => s == LifecycleStates.InService),
            "GroupPendingInstances" or "GroupPendingCapacity" => Count(LifecycleStates.IsPending),
            "GroupStandbyInstances" or "GroupStandbyCapacity" => Count(s => s == LifecycleStates.Standby),
            "GroupTerminatingInstances" or "GroupTerminatingCapacity" => Count(LifecycleStates.IsTerminating),
            // In service, pending and terminating: standby instances are not counted.
            "GroupTotalInstances" or "GroupTotalCapacity" => Count(s => s == LifecycleStates.InService || LifecycleStates.IsPending(s) || LifecycleStates.IsTerminating(s)),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown group metric"),
        };
    }
}
