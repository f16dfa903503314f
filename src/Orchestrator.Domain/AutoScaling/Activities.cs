using System.Globalization;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>The wording of scaling activities and their causes, as DescribeScalingActivities shows them (aws-semantics 4.9).</summary>
public static class Activities
{
    public const string InProgress = "InProgress";
    public const string Successful = "Successful";
    public const string Failed = "Failed";
    public const string WaitingForELBConnectionDraining = "WaitingForELBConnectionDraining";
    public const string MidLifecycleAction = "MidLifecycleAction";

    /// <summary>An activity not finished yet: it blocks a delete that is not forced.</summary>
    public static bool IsActive(ScalingActivity activity) => activity.StatusCode is InProgress or WaitingForELBConnectionDraining or MidLifecycleAction;

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Details(GroupSubnet subnet) => $$"""{"Subnet ID":"{{subnet.SubnetId}}","Availability Zone":"{{subnet.AvailabilityZone}}"}""";

    public static string UserSetDesired(DateTimeOffset at, int from, int to) =>
        $"At {Stamp(at)} a user request explicitly set group desired capacity changing the desired capacity from {from} to {to}.";

    public static string UserCreated(DateTimeOffset at, int to) =>
        $"At {Stamp(at)} a user request created an AutoScalingGroup changing the desired capacity from 0 to {to}.";

    public static string UserUpdated(DateTimeOffset at, int min, int max, int from, int to) =>
        $"At {Stamp(at)} a user request update of AutoScalingGroup constraints to min: {min}, max: {max}, desired: {to} changing the desired capacity from {from} to {to}.";

    public static string ScheduledUpdate(DateTimeOffset at, int min, int max, int from, int to) =>
        $"At {Stamp(at)} a scheduled action update of AutoScalingGroup constraints to min: {min}, max: {max}, desired: {to} changing the desired capacity from {from} to {to}.";

    public static string PolicyExecuted(DateTimeOffset at, string policy, int from, int to) =>
        $"At {Stamp(at)} a user request executed policy {policy} changing the desired capacity from {from} to {to}.";

    public static string ScaleOut(DateTimeOffset at, int from, int to) =>
        $"At {Stamp(at)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {from} to {to}.";

    public static string ScaleIn(DateTimeOffset at, int from, int to, string instanceId) =>
        $"At {Stamp(at)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {from} to {to}.  At {Stamp(at)} instance {instanceId} was selected for termination.";

    public static string Rebalance(DateTimeOffset at, IEnumerable<string> zones) =>
        $"At {Stamp(at)} an instance was launched to balance instances in zones {string.Join(' ', zones)} with other zones resulting in more than desired number of instances in the group.";

    public static string Ec2Unhealthy(DateTimeOffset at) =>
        $"At {Stamp(at)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.";

    public static string StatusChecksFailed(DateTimeOffset at) =>
        $"At {Stamp(at)} an instance was taken out of service in response to an EC2 instance status checks failure.";

    public static string ElbUnhealthy(DateTimeOffset at) =>
        $"At {Stamp(at)} an instance was taken out of service in response to an ELB system health check failure.";

    public static string UserUnhealthy(DateTimeOffset at) =>
        $"At {Stamp(at)} an instance was taken out of service in response to a user health-check.";

    public static string UserTerminated(DateTimeOffset at, string instanceId, int? from, int? to) => from is { } f && to is { } t
        ? $"At {Stamp(at)} instance {instanceId} was taken out of service in response to a user request, shrinking the capacity from {f} to {t}."
        : $"At {Stamp(at)} instance {instanceId} was taken out of service in response to a user request.";

    public static string LaunchAbandoned(DateTimeOffset at, string instanceId) =>
        $"At {Stamp(at)} instance {instanceId} was taken out of service because a launch lifecycle action was abandoned.";

    public static string Refreshing(DateTimeOffset at, string instanceId) =>
        $"At {Stamp(at)} an instance was taken out of service in response to an instance refresh.  At {Stamp(at)} instance {instanceId} was selected for termination.";

    public static string Deleting(DateTimeOffset at) => $"At {Stamp(at)} a user request deleted the AutoScalingGroup, terminating its instances.";

    public static string LaunchDescription(string instanceId) => $"Launching a new EC2 instance: {instanceId}";

    public static string FailedLaunchDescription(string reason) => $"Launching a new EC2 instance.  Status Reason: {reason}. Launching EC2 instance failed.";

    public static string TerminateDescription(string instanceId) => $"Terminating EC2 instance: {instanceId}";
}
