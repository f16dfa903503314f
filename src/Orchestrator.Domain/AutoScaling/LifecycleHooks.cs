using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>A lifecycle hook (PutLifecycleHook): instances making its transition wait for it (aws-semantics 4.2).</summary>
public sealed record LifecycleHook(
    string Name,
    string Transition,
    int HeartbeatTimeout,
    string DefaultResult,
    string? NotificationMetadata,
    string? NotificationTargetArn,
    string? RoleArn);

/// <summary>
/// One hook an instance waits for: its token, the heartbeat deadline the DefaultResult applies at,
/// and the global limit no heartbeat extends past.
/// </summary>
public sealed record LifecycleAction(string HookName, string Token, DateTimeOffset Deadline, DateTimeOffset GlobalDeadline);

/// <summary>The rules of lifecycle hooks: their checks and the waits they put launching and terminating instances in.</summary>
public static class LifecycleHooks
{
    public const string Launching = "autoscaling:EC2_INSTANCE_LAUNCHING";
    public const string Terminating = "autoscaling:EC2_INSTANCE_TERMINATING";
    public const string Continue = "CONTINUE";
    public const string Abandon = "ABANDON";
    public const int DefaultHeartbeatTimeout = 3600;
    public const int MaxHooks = 50;

    /// <summary>A wait ends at the latest 100 heartbeat timeouts or 48 hours after it began, whichever is smaller.</summary>
    public static readonly TimeSpan MaxGlobalTimeout = TimeSpan.FromHours(48);

    public static AwsError NotFound(string groupName, string hookName) =>
        AutoScalingErrors.Validation($"No Lifecycle Hook found with name: {hookName} for group: {groupName}");

    public static AwsError NoAction(string hookName, string? instanceId, string? token) => instanceId is not null
        ? AutoScalingErrors.Validation($"No active Lifecycle Action found with instance ID {instanceId}")
        : AutoScalingErrors.Validation($"No active Lifecycle Action found with token {token} for hook {hookName}");

    /// <summary>PutLifecycleHook's checks, and the hook as put: a new hook needs its transition; an existing one keeps what is not given.</summary>
    public static Result<LifecycleHook> Put(AutoScalingGroup group, AutoScalingCommands.PutLifecycleHook put)
    {
        if (string.IsNullOrEmpty(put.HookName) || put.HookName.Length > 255)
            return AutoScalingErrors.Validation("LifecycleHookName must be 1 to 255 characters long");
        var existing = group.Hooks.Find(h => h.Name == put.HookName);
        if (existing is null && group.Hooks.Count >= MaxHooks)
            return new AwsError("LimitExceeded", $"Cannot add more than {MaxHooks} lifecycle hooks to the group {group.Name}");
        var transition = put.Transition ?? existing?.Transition;
        if (transition is null)
            return AutoScalingErrors.Validation("LifecycleTransition must be specified for a new lifecycle hook");
        if (transition is not (Launching or Terminating))
            return AutoScalingErrors.Validation($"Invalid Lifecycle Transition: {transition}");
        var heartbeat = put.HeartbeatTimeout ?? existing?.HeartbeatTimeout ?? DefaultHeartbeatTimeout;
        if (heartbeat is < 30 or > 7200)
            return AutoScalingErrors.Validation($"HeartbeatTimeout must be between 30 and 7200 seconds, got {heartbeat}");
        var result = put.DefaultResult ?? existing?.DefaultResult ?? Abandon;
        if (result is not (Continue or Abandon))
            return AutoScalingErrors.Validation($"Invalid DefaultResult: {result}");
        return new LifecycleHook(put.HookName, transition, heartbeat, result,
            put.NotificationMetadata ?? existing?.NotificationMetadata, put.NotificationTargetArn ?? existing?.NotificationTargetArn, put.RoleArn ?? existing?.RoleArn);
    }

    /// <summary>The waits an instance making the transition starts now, one per hook of that transition (none: it goes on at once).</summary>
    public static List<LifecycleAction> Start(AutoScalingGroup group, string instanceId, string transition, DateTimeOffset now) =>
        [.. group.Hooks.Where(h => h.Transition == transition).Select(h => new LifecycleAction(h.Name,
            AutoScalingIds.Uuid($"{group.Arn}/lifecycle/{instanceId}/{h.Name}/{now.UtcTicks}"),
            now + TimeSpan.FromSeconds(h.HeartbeatTimeout),
            now + Min(MaxGlobalTimeout, TimeSpan.FromSeconds(100.0 * h.HeartbeatTimeout))))];

    /// <summary>A heartbeat restarts the heartbeat timeout, up to the global limit.</summary>
    public static DateTimeOffset Extend(LifecycleHook hook, LifecycleAction action, DateTimeOffset now) =>
        Min(now + TimeSpan.FromSeconds(hook.HeartbeatTimeout), action.GlobalDeadline);

    private static T Min<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) <= 0 ? a : b;
}
