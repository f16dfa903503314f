using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>
/// An instance refresh (StartInstanceRefresh): replaces the instances not on TargetVersion, the
/// launch template version the group's version named when it started (resolved by the service).
/// InstancesToUpdate is what is left to replace; ToUpdateAtStart scales PercentageComplete.
/// </summary>
public sealed record InstanceRefresh(
    string InstanceRefreshId,
    string Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string TargetVersion,
    int MinHealthyPercentage,
    int? InstanceWarmup,
    int ToUpdateAtStart,
    int InstancesToUpdate,
    int PercentageComplete,
    string? StatusReason);

/// <summary>
/// The rules of instance refreshes (aws-semantics 4): one at a time; each step terminates a batch of
/// outdated instances that keeps MinHealthyPercentage of desired capacity in service, and waits
/// for the replacements to be in service and warmed up before the next.
/// </summary>
public static class InstanceRefreshes
{
    public const string Pending = "Pending";
    public const string InProgress = "InProgress";
    public const string Successful = "Successful";
    public const string Cancelled = "Cancelled";
    public const int DefaultMinHealthyPercentage = 90;
    public const int MaxKept = 50;

    public static bool IsActive(InstanceRefresh refresh) => refresh.Status is Pending or InProgress;

    public static string Id(AutoScalingGroup group) => AutoScalingIds.Uuid($"{group.Arn}/refresh/{group.Refreshes.Count}/{group.Refreshes.LastOrDefault()?.StartTime.UtcTicks}");

    public static Result<InstanceRefresh> Start(AutoScalingGroup group, AutoScalingCommands.StartInstanceRefresh start, DateTimeOffset now)
    {
        if (group.Refreshes.Find(IsActive) is { } active)
            return new AwsError("InstanceRefreshInProgress", $"An Instance Refresh is already in progress and blocks the execution of this Instance Refresh. ({active.InstanceRefreshId})");
        if (start.MinHealthyPercentage is < 0 or > 100)
            return AutoScalingErrors.Validation("MinHealthyPercentage must be between 0 and 100");
        if (start.InstanceWarmup < 0)
            return AutoScalingErrors.Validation("InstanceWarmup must not be negative");
        var outdated = Outdated(group, start.TargetVersion).Count();
        return new InstanceRefresh(Id(group), Pending, now, null, start.TargetVersion, start.MinHealthyPercentage ?? DefaultMinHealthyPercentage,
            start.InstanceWarmup, outdated, outdated, 0, null);
    }

    /// <summary>Counted instances not on the target version.</summary>
    public static IEnumerable<GroupInstance> Outdated(AutoScalingGroup group, string targetVersion) =>
        group.Instances.Where(i => i.Counts && i.LaunchTemplateVersion != targetVersion);

    /// <summary>How far the refresh got: what is left, and the share of the instances at its start that are replaced.</summary>
    public static (int Left, int Percentage) Progress(AutoScalingGroup group, InstanceRefresh refresh)
    {
        var left = Outdated(group, refresh.TargetVersion).Count();
        var done = refresh.ToUpdateAtStart == 0 ? 100 : 100 * Math.Max(0, refresh.ToUpdateAtStart - left) / refresh.ToUpdateAtStart;
        return (left, done);
    }

    /// <summary>
    /// The outdated instances to terminate now: none while anything is pending, terminating or warming
    /// up; otherwise as many as leave MinHealthyPercentage of desired in service (at least one).
    /// </summary>
    public static IReadOnlyList<GroupInstance> NextBatch(AutoScalingGroup group, InstanceRefresh refresh, DateTimeOffset now)
    {
        var warmup = TimeSpan.FromSeconds(refresh.InstanceWarmup ?? group.Settings.HealthCheckGracePeriod);
        var busy = group.Instances.Exists(i => LifecycleStates.IsPending(i.LifecycleState) || LifecycleStates.IsTerminating(i.LifecycleState)
            || (i.LifecycleState == LifecycleStates.InService && i.LaunchedAt >= refresh.StartTime && now < i.LaunchedAt + warmup));
        if (busy)
            return [];
        var inService = group.Instances.Count(i => i.LifecycleState == LifecycleStates.InService);
        var minHealthy = (int)Math.Ceiling(group.DesiredCapacity * refresh.MinHealthyPercentage / 100.0);
        var batch = Math.Max(1, inService - minHealthy);
        return [.. Outdated(group, refresh.TargetVersion).Where(i => i.LifecycleState == LifecycleStates.InService).OrderBy(i => i.LaunchedAt).Take(batch)];
    }
}
