using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>The Auto Scaling errors of aws-semantics 4.10 (all 400, Sender, unless noted).</summary>
public static class AutoScalingErrors
{
    public static AwsError Validation(string message) => new("ValidationError", message);

    public static AwsError GroupNotFound(string name) => Validation($"AutoScalingGroup name not found - AutoScalingGroup {name} not found");

    public static AwsError AlreadyExists(string name) => new("AlreadyExists", $"AutoScalingGroup by this name already exists - A group with the name {name} already exists");

    public static AwsError InUse() => new("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.");

    public static AwsError ActivityInProgress(string message) => new("ScalingActivityInProgress", message);

    public static AwsError InstanceNotInGroup(string instanceId) => Validation($"The instance ID '{instanceId}' is not part of Auto Scaling group.");

    public static AwsError PolicyNotFound(string name) => Validation($"No such policy {name} found");
}
