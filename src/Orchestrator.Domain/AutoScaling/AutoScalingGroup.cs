using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>LifecycleState values of aws-semantics 4.2 (the ones this node reaches).</summary>
public static class LifecycleStates
{
    public const string Pending = "Pending";
    public const string PendingWait = "Pending:Wait";
    public const string PendingProceed = "Pending:Proceed";
    public const string InService = "InService";
    public const string Terminating = "Terminating";
    public const string TerminatingWait = "Terminating:Wait";
    public const string TerminatingProceed = "Terminating:Proceed";
    public const string Terminated = "Terminated";
    public const string Standby = "Standby";
    public const string Detaching = "Detaching";
    public const string Detached = "Detached";

    /// <summary>Pending, or waiting for (or past) its launch lifecycle hooks.</summary>
    public static bool IsPending(string state) => state is Pending or PendingWait or PendingProceed;

    public static bool IsTerminating(string state) => state is Terminating or TerminatingWait or TerminatingProceed;
}

public static class HealthStatuses
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
}

/// <summary>The processes SuspendProcesses names (aws-semantics 4.7).</summary>
public static class ScalingProcesses
{
    public const string Launch = "Launch";
    public const string Terminate = "Terminate";
    public const string HealthCheck = "HealthCheck";
    public const string ReplaceUnhealthy = "ReplaceUnhealthy";
    public const string AZRebalance = "AZRebalance";
    public const string AlarmNotification = "AlarmNotification";
    public const string ScheduledActions = "ScheduledActions";
    public const string AddToLoadBalancer = "AddToLoadBalancer";
    public const string InstanceRefresh = "InstanceRefresh";
    public const string RemoveFromLoadBalancerLowPriority = "RemoveFromLoadBalancerLowPriority";

    public static readonly ImmutableArray<string> All =
        [Launch, Terminate, HealthCheck, ReplaceUnhealthy, AZRebalance, AlarmNotification, ScheduledActions, AddToLoadBalancer, InstanceRefresh, RemoveFromLoadBalancerLowPriority];
}

public static class TerminationPolicies
{
    public const string Default = "Default";
    public const string OldestInstance = "OldestInstance";
    public const string NewestInstance = "NewestInstance";
    public const string OldestLaunchTemplate = "OldestLaunchTemplate";
    public const string OldestLaunchConfiguration = "OldestLaunchConfiguration";
    public const string ClosestToNextInstanceHour = "ClosestToNextInstanceHour";
    public const string AllocationStrategy = "AllocationStrategy";

    public static readonly ImmutableArray<string> All =
        [Default, OldestInstance, NewestInstance, OldestLaunchTemplate, OldestLaunchConfiguration, ClosestToNextInstanceHour, AllocationStrategy];
}

/// <summary>The launch template a group names (id and name both resolved by the service) and the version as the user gave it.</summary>
public sealed record GroupLaunchTemplate(string LaunchTemplateId, string LaunchTemplateName, string Version);

/// <summary>A subnet of VPCZoneIdentifier with the zone it lies in.</summary>
public sealed record GroupSubnet(string SubnetId, string AvailabilityZone);

public sealed record GroupTag(string Key, string Value, bool PropagateAtLaunch);

/// <summary>Everything CreateAutoScalingGroup and UpdateAutoScalingGroup set besides the capacity numbers, target groups and tags.</summary>
public sealed record GroupSettings(
    GroupLaunchTemplate LaunchTemplate,
    ImmutableArray<GroupSubnet> Subnets,
    string HealthCheckType,
    int HealthCheckGracePeriod,
    int DefaultCooldown,
    ImmutableArray<string> TerminationPolicies,
    bool NewInstancesProtectedFromScaleIn)
{
    public bool UsesElbHealth => HealthCheckType.Split(',').Any(t => t.Trim() == "ELB");

    /// <summary>The group's zones in the order its subnets name them.</summary>
    public IEnumerable<string> ZoneNames() => Subnets.Select(s => s.AvailabilityZone).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// One member instance. LaunchedAt starts the health-check grace period; Rebalancing marks a launch
/// AZRebalance made, whose surplus is terminated only once it is in service (launch first, then terminate);
/// Draining marks a terminating instance whose targets still drain, which EC2 terminates only afterwards.
/// LifecycleActions are the lifecycle hooks it waits for in Pending:Wait or Terminating:Wait.
/// </summary>
public sealed record GroupInstance(
    string InstanceId,
    string SubnetId,
    string AvailabilityZone,
    string LifecycleState,
    string HealthStatus,
    DateTimeOffset LaunchedAt,
    bool ProtectedFromScaleIn,
    string LaunchTemplateVersion,
    string? InstanceType = null,
    bool Rebalancing = false,
    DateTimeOffset? TerminatingSince = null,
    string? UnhealthyCause = null,
    bool Draining = false,
    ImmutableList<LifecycleAction>? LifecycleActions = null)
{
    /// <summary>Pending (with its lifecycle waits) and InService instances count toward desired capacity.</summary>
    public bool Counts => LifecycleStates.IsPending(LifecycleState) || LifecycleState == LifecycleStates.InService;

    public ImmutableList<LifecycleAction> Actions => LifecycleActions ?? [];
}

public sealed record ScalingActivity(
    string ActivityId,
    string Description,
    string Cause,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string StatusCode,
    string? StatusMessage,
    int Progress,
    string Details,
    string? InstanceId = null);

/// <summary>A step relative to the alarm threshold; null bounds are infinite (aws-semantics 4.6).</summary>
public sealed record StepAdjustment(double? MetricIntervalLowerBound, double? MetricIntervalUpperBound, int ScalingAdjustment);

/// <summary>TargetTracking and Alarms belong to TargetTrackingScaling policies (the alarms the group owns).</summary>
public sealed record ScalingPolicy(
    string PolicyName,
    string PolicyArn,
    string PolicyType,
    string AdjustmentType,
    int? ScalingAdjustment,
    int? MinAdjustmentMagnitude,
    int? Cooldown,
    ImmutableArray<StepAdjustment> StepAdjustments,
    string? MetricAggregationType,
    int? EstimatedInstanceWarmup,
    bool Enabled,
    TargetTrackingConfiguration? TargetTracking = null,
    ImmutableList<PolicyAlarm>? Alarms = null);

/// <summary>
/// A scheduled action (PutScheduledUpdateGroupAction): the capacity it sets, once at StartTime or on
/// its cron Recurrence (in TimeZone, UTC by default) until EndTime. NextRun is when it runs next,
/// decided when it is put and after each run, so its deadline is data.
/// </summary>
public sealed record ScheduledAction(
    string Name,
    string Arn,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string? Recurrence,
    int? MinSize,
    int? MaxSize,
    int? DesiredCapacity,
    string? TimeZone,
    DateTimeOffset NextRun);

/// <summary>
/// An Auto Scaling group: its settings and capacity, its instances, the policies that change its
/// desired capacity and the activities it recorded. LaunchSequence numbers the launches, from which
/// instance ids are derived, so a launch retried after a crash names the same instance.
/// </summary>
public sealed record AutoScalingGroup(
    string Name,
    string Arn,
    GroupSettings Settings,
    int MinSize,
    int MaxSize,
    int DesiredCapacity,
    ImmutableArray<string> TargetGroupArns,
    ImmutableArray<string> SuspendedProcesses,
    ImmutableList<GroupTag> Tags,
    ImmutableList<GroupInstance> Instances,
    ImmutableList<ScalingActivity> Activities,
    ImmutableList<ScalingPolicy> Policies,
    long LaunchSequence,
    long ActivitySequence,
    DateTimeOffset? CooldownUntil,
    string? DesiredCause,
    bool Deleting,
    DateTimeOffset CreatedAt,
    ImmutableList<ScheduledAction>? ScheduledActions = null,
    ImmutableList<LifecycleHook>? LifecycleHooks = null,
    ImmutableList<string>? EnabledMetrics = null,
    ImmutableList<InstanceRefresh>? InstanceRefreshes = null)
{
    /// <summary>The latest instance refreshes, oldest first.</summary>
    public ImmutableList<InstanceRefresh> Refreshes => InstanceRefreshes ?? [];

    /// <summary>The group metrics EnableMetricsCollection turned on (1Minute granularity), in name order.</summary>
    public ImmutableList<string> Collected => EnabledMetrics ?? [];

    public ImmutableList<ScheduledAction> Scheduled => ScheduledActions ?? [];

    public ImmutableList<LifecycleHook> Hooks => LifecycleHooks ?? [];

    public const int MaxActivities = 100;
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    public string? Status => Deleting ? "Delete in progress" : null;

    public bool IsSuspended(string process) => SuspendedProcesses.Contains(process);

    public GroupInstance? Find(string instanceId) => Instances.Find(i => i.InstanceId == instanceId);

    public int Capacity => Instances.Count(i => i.Counts);

    /// <summary>Tags each launched instance gets: the propagated ones and the group's name under the key AWS reserves.</summary>
    public ImmutableDictionary<string, string> LaunchTags() =>
        Tags.Where(t => t.PropagateAtLaunch).Aggregate(ImmutableDictionary<string, string>.Empty, (map, t) => map.SetItem(t.Key, t.Value))
            .SetItem("aws:autoscaling:groupName", Name);
}

/// <summary>Ids that follow from a group's ARN and a sequence number, so Decide stays pure and a replay names the same things.</summary>
public static class AutoScalingIds
{
    public static string Instance(string groupArn, long sequence) => Common.AwsIds.Derived("i", $"{groupArn}/launch/{sequence}");

    public static string Activity(string groupArn, long sequence) => Uuid($"{groupArn}/activity/{sequence}");

    public static string Uuid(string seed) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16)).ToString();

    public static string GroupArn(string region, string account, string uuid, string name) =>
        $"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:{uuid}:autoScalingGroupName/{name}";

    public static string PolicyArn(string groupArn, string policyName)
    {
        var (prefix, groupName) = SplitArn(groupArn);
        return $"{prefix.Replace(":autoScalingGroup:", ":scalingPolicy:", StringComparison.Ordinal)}{Uuid($"{groupArn}/policy/{policyName}")}:autoScalingGroupName/{groupName}:policyName/{policyName}";
    }

    public static string ScheduledActionArn(string groupArn, string actionName)
    {
        var (prefix, groupName) = SplitArn(groupArn);
        return $"{prefix.Replace(":autoScalingGroup:", ":scheduledUpdateGroupAction:", StringComparison.Ordinal)}{Uuid($"{groupArn}/scheduled/{actionName}")}:autoScalingGroupName/{groupName}:scheduledActionName/{actionName}";
    }

    private static (string Prefix, string Name) SplitArn(string groupArn)
    {
        var marker = groupArn.IndexOf(":autoScalingGroup:", StringComparison.Ordinal) + ":autoScalingGroup:".Length;
        var name = groupArn[(groupArn.IndexOf(":autoScalingGroupName/", StringComparison.Ordinal) + ":autoScalingGroupName/".Length)..];
        return (groupArn[..marker], name);
    }
}
