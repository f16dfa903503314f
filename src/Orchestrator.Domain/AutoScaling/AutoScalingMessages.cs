using System.Collections.Immutable;

namespace Orchestrator.Domain.AutoScaling;

public interface IAutoScalingCommand
{
    string GroupName { get; }
}

public interface IAutoScalingEvent
{
    DateTimeOffset At { get; }
}

/// <summary>What one sweep saw of an instance: its EC2 state (null: no such instance, or no answer) and since when its status checks fail.</summary>
public sealed record InstanceObservation(string InstanceId, string? State, DateTimeOffset? ImpairedSince = null);

/// <summary>The worst health any of the group's target groups reports for an instance.</summary>
public sealed record TargetObservation(string InstanceId, string State);

/// <summary>
/// Facts that span resources (the template and subnets exist, the name is free) are resolved by the
/// service before a command is sent; the rest is decided by the group.
/// </summary>
public static class AutoScalingCommands
{
    public sealed record Create(
        string GroupName,
        string Arn,
        GroupSettings Settings,
        int MinSize,
        int MaxSize,
        int? DesiredCapacity,
        ImmutableArray<string> TargetGroupArns,
        ImmutableArray<GroupTag> Tags) : IAutoScalingCommand;

    /// <summary>Only the fields given change; Settings is the group's settings with the request's changes applied by the service.</summary>
    public sealed record Update(string GroupName, GroupSettings? Settings, int? MinSize, int? MaxSize, int? DesiredCapacity) : IAutoScalingCommand;

    public sealed record Delete(string GroupName, bool ForceDelete) : IAutoScalingCommand;

    public sealed record SetDesiredCapacity(string GroupName, int DesiredCapacity, bool HonorCooldown) : IAutoScalingCommand;

    public sealed record TerminateInstance(string GroupName, string InstanceId, bool ShouldDecrementDesiredCapacity) : IAutoScalingCommand;

    public sealed record SetInstanceHealth(string GroupName, string InstanceId, string HealthStatus, bool ShouldRespectGracePeriod) : IAutoScalingCommand;

    public sealed record EnterStandby(string GroupName, string InstanceId, bool ShouldDecrementDesiredCapacity) : IAutoScalingCommand;

    public sealed record ExitStandby(string GroupName, string InstanceId) : IAutoScalingCommand;

    /// <summary>Empty Processes means all of them.</summary>
    public sealed record SuspendProcesses(string GroupName, ImmutableArray<string> Processes) : IAutoScalingCommand;

    public sealed record ResumeProcesses(string GroupName, ImmutableArray<string> Processes) : IAutoScalingCommand;

    public sealed record AttachTargetGroups(string GroupName, ImmutableArray<string> TargetGroupArns) : IAutoScalingCommand;

    public sealed record DetachTargetGroups(string GroupName, ImmutableArray<string> TargetGroupArns) : IAutoScalingCommand;

    public sealed record PutPolicy(string GroupName, ScalingPolicy Policy) : IAutoScalingCommand;

    public sealed record DeletePolicy(string GroupName, string PolicyName) : IAutoScalingCommand;

    public sealed record ExecutePolicy(string GroupName, string PolicyName, bool HonorCooldown, double? MetricValue, double? BreachThreshold) : IAutoScalingCommand;

    /// <summary>PutScheduledUpdateGroupAction (an upsert); Time, the deprecated name of StartTime, is folded into StartTime by the service.</summary>
    public sealed record PutScheduledAction(string GroupName, string Name, DateTimeOffset? StartTime, DateTimeOffset? EndTime, string? Recurrence,
        int? MinSize, int? MaxSize, int? DesiredCapacity, string? TimeZone) : IAutoScalingCommand;

    public sealed record DeleteScheduledAction(string GroupName, string Name) : IAutoScalingCommand;

    /// <summary>A scheduled action's deadline: it runs if it is due.</summary>
    public sealed record RunScheduledAction(string GroupName, string Name) : IAutoScalingCommand;

    /// <summary>PutLifecycleHook (an upsert): fields not given keep their value, or their default on a new hook.</summary>
    public sealed record PutLifecycleHook(string GroupName, string HookName, string? Transition, int? HeartbeatTimeout, string? DefaultResult,
        string? NotificationMetadata, string? NotificationTargetArn, string? RoleArn) : IAutoScalingCommand;

    public sealed record DeleteLifecycleHook(string GroupName, string HookName) : IAutoScalingCommand;

    /// <summary>The action is named by its instance or its token.</summary>
    public sealed record CompleteLifecycleAction(string GroupName, string HookName, string? InstanceId, string? Token, string Result) : IAutoScalingCommand;

    public sealed record RecordLifecycleActionHeartbeat(string GroupName, string HookName, string? InstanceId, string? Token) : IAutoScalingCommand;

    /// <summary>A lifecycle action's heartbeat deadline: its hook's DefaultResult applies if it is due.</summary>
    public sealed record LifecycleActionTimedOut(string GroupName, string InstanceId, string HookName) : IAutoScalingCommand;

    /// <summary>Empty Metrics means all of them; Granularity must be 1Minute.</summary>
    public sealed record EnableMetricsCollection(string GroupName, ImmutableArray<string> Metrics, string? Granularity) : IAutoScalingCommand;

    public sealed record DisableMetricsCollection(string GroupName, ImmutableArray<string> Metrics) : IAutoScalingCommand;

    /// <summary>TargetVersion: the launch template version number the group's version resolves to now (resolved by the service).</summary>
    public sealed record StartInstanceRefresh(string GroupName, string TargetVersion, int? MinHealthyPercentage, int? InstanceWarmup) : IAutoScalingCommand;

    public sealed record CancelInstanceRefresh(string GroupName) : IAutoScalingCommand;

    public sealed record SetTags(string GroupName, ImmutableArray<GroupTag> Tags) : IAutoScalingCommand;

    public sealed record RemoveTags(string GroupName, ImmutableArray<string> Keys) : IAutoScalingCommand;

    /// <summary>The periodic health check, due every 10 s: the shell gathers what it needs and answers with <see cref="RecordSweep"/>.</summary>
    public sealed record Sweep(string GroupName) : IAutoScalingCommand;

    public sealed record RecordSweep(string GroupName, ImmutableArray<InstanceObservation> Instances, ImmutableArray<TargetObservation> Targets) : IAutoScalingCommand;

    /// <summary>Told by the launcher once EC2 holds the instance (InstanceType and the template version it resolved).</summary>
    public sealed record LaunchSucceeded(string GroupName, string InstanceId, string InstanceType, string LaunchTemplateVersion) : IAutoScalingCommand;

    public sealed record LaunchFailed(string GroupName, string InstanceId, string Code, string Message) : IAutoScalingCommand;
}

public static class AutoScalingEvents
{
    public sealed record Created(
        string GroupName,
        string Arn,
        GroupSettings Settings,
        int MinSize,
        int MaxSize,
        int DesiredCapacity,
        ImmutableArray<string> TargetGroupArns,
        ImmutableArray<GroupTag> Tags,
        DateTimeOffset At) : IAutoScalingEvent;

    public sealed record SettingsChanged(GroupSettings Settings, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>Cause is the sentence the next activities start with (a user request, a policy).</summary>
    public sealed record CapacityChanged(int MinSize, int MaxSize, int DesiredCapacity, string? Cause, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record CooldownStarted(DateTimeOffset Until, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>The intent to launch, durable before EC2 is asked, so a crash cannot launch twice under different ids.</summary>
    public sealed record InstanceLaunching(GroupInstance Instance, ScalingActivity Activity, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>A launch EC2 has not confirmed in time is asked for again, under the same id.</summary>
    public sealed record LaunchRetried(string InstanceId, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record InstanceLaunched(string InstanceId, string InstanceType, string LaunchTemplateVersion, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>Activity is the failed launch; the instance (if one was planned) leaves the group.</summary>
    public sealed record LaunchAbandoned(string? InstanceId, ScalingActivity Activity, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record InstanceInService(string InstanceId, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>Cause: the sentence the replacement's activity gives (which check failed).</summary>
    public sealed record InstanceHealthChanged(string InstanceId, string HealthStatus, string? Cause, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>
    /// Deregistered from the group's target groups; with Drain, EC2 terminates it once its targets have
    /// drained (<see cref="InstanceDrained"/>), otherwise at once.
    /// </summary>
    public sealed record InstanceTerminating(string InstanceId, ScalingActivity Activity, bool Drain, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>No target group lists the instance any more: EC2 terminates it now.</summary>
    public sealed record InstanceDrained(string InstanceId, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record TerminationRetried(string InstanceId, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>EC2 no longer runs it: it leaves the group and its activity ends.</summary>
    public sealed record InstanceGone(string InstanceId, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record InstanceStandby(string InstanceId, bool InStandby, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>The suspended processes after the change, in name order.</summary>
    public sealed record ProcessesChanged(ImmutableArray<string> Suspended, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record TargetGroupsChanged(ImmutableArray<string> TargetGroupArns, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record PolicyPut(ScalingPolicy Policy, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record PolicyDeleted(string PolicyName, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record ScheduledActionPut(ScheduledAction Action, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record ScheduledActionDeleted(string Name, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>The action ran (or was skipped while ScheduledActions is suspended); without a NextRun it is done and leaves the group.</summary>
    public sealed record ScheduledActionRan(string Name, DateTimeOffset? NextRun, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record TagsChanged(ImmutableList<GroupTag> Tags, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>The group metrics collected after the change, in name order.</summary>
    public sealed record MetricsCollectionChanged(ImmutableArray<string> Metrics, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record InstanceRefreshStarted(InstanceRefresh Refresh, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>The refresh's status and progress after a step; a final status ends it at At.</summary>
    public sealed record InstanceRefreshProgressed(string InstanceRefreshId, string Status, int InstancesToUpdate, int PercentageComplete, string? StatusReason,
        DateTimeOffset At) : IAutoScalingEvent;

    public sealed record LifecycleHookPut(LifecycleHook Hook, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record LifecycleHookDeleted(string HookName, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>The instance waits in LifecycleState (Pending:Wait or Terminating:Wait) for these hooks.</summary>
    public sealed record LifecycleWaitStarted(string InstanceId, string LifecycleState, ImmutableList<LifecycleAction> Actions, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record LifecycleHeartbeatRecorded(string InstanceId, string HookName, DateTimeOffset Deadline, DateTimeOffset At) : IAutoScalingEvent;

    /// <summary>
    /// One hook's action ended with Result; ABANDON ends the instance's other waits too. With no wait
    /// left the instance proceeds (Pending:Proceed, or Terminating:Proceed, when EC2 terminates it).
    /// </summary>
    public sealed record LifecycleActionCompleted(string InstanceId, string HookName, string Result, DateTimeOffset At) : IAutoScalingEvent;

    public sealed record DeleteStarted(DateTimeOffset At) : IAutoScalingEvent;

    public sealed record Deleted(DateTimeOffset At) : IAutoScalingEvent;
}
