using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>EC2 instance, image and launch-template errors with the codes and texts EC2 returns.</summary>
public static class Ec2Errors
{
    public static AwsError InstanceNotFound(string instanceId) => new("InvalidInstanceID.NotFound", $"The instance ID '{instanceId}' does not exist");

    public static AwsError InstanceIdMalformed(string instanceId) => new("InvalidInstanceID.Malformed", $"Invalid id: \"{instanceId}\"");

    /// <summary>The action is a past participle: started, stopped, rebooted, terminated, modified.</summary>
    public static AwsError IncorrectInstanceState(string instanceId, string action) =>
        new("IncorrectInstanceState", $"This instance '{instanceId}' is not in a state from which it can be {action}.");

    public static AwsError InstanceNotStopped(string instanceId) =>
        new("IncorrectInstanceState", $"The instance '{instanceId}' is not in the 'stopped' state.");

    public static AwsError TerminationProtected(string instanceId) =>
        new("OperationNotPermitted", $"The instance '{instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.");

    public static AwsError StopProtected(string instanceId) =>
        new("OperationNotPermitted", $"The instance '{instanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.");

    public static AwsError NoAttributeToModify(string instanceId) =>
        AwsError.MissingParameter($"No instance attribute to modify was specified for instance '{instanceId}'.");

    /// <summary>ModifyInstanceAttribute's refusal of a value the attribute cannot take.</summary>
    public static AwsError InvalidAttributeValue(string attribute, string value) =>
        new("InvalidInstanceAttributeValue", $"Value ({value}) for parameter {attribute} is invalid.");

    public static AwsError InvalidInstanceType(string instanceType) => AwsError.InvalidParameterValue($"Invalid value '{instanceType}' for InstanceType.");

    public static AwsError ArchitectureMismatch(string instanceTypeArchitecture, string imageArchitecture) =>
        AwsError.InvalidParameterValue(
            $"The architecture '{instanceTypeArchitecture}' of the specified instance type does not match the architecture '{imageArchitecture}' of the specified AMI. "
            + "Specify an instance type and an AMI that have matching architectures, and try again. "
            + "You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.");

    public static AwsError ImageIdMalformed(string imageId) => new("InvalidAMIID.Malformed", $"Invalid id: \"{imageId}\" (expecting \"ami-...\")");

    public static AwsError ImageNotFound(string imageId) => new("InvalidAMIID.NotFound", $"The image id '[{imageId}]' does not exist");

    public static AwsError InsufficientCapacity(string instanceType, string availabilityZone, IEnumerable<string> otherZones) =>
        AwsError.InsufficientInstanceCapacity(
            $"We currently do not have sufficient {instanceType} capacity in the Availability Zone you requested ({availabilityZone}). "
            + $"Our system will be working on provisioning additional capacity. You can currently get {instanceType} capacity by not specifying an "
            + $"Availability Zone in your request or choosing {string.Join(", ", otherZones)}.");

    public static AwsError LaunchTemplateNotFound(string launchTemplateId) =>
        new("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {launchTemplateId}, does not exist.");

    public static AwsError LaunchTemplateIdMalformed(string launchTemplateId) =>
        new("InvalidLaunchTemplateId.Malformed", $"Invalid id: \"{launchTemplateId}\" (expecting \"lt-...\")");

    public static AwsError LaunchTemplateNameNotFound(string name) =>
        new("InvalidLaunchTemplateName.NotFoundException", $"The specified launch template, with template name {name}, does not exist.");

    public static AwsError LaunchTemplateNameMalformed() =>
        new("InvalidLaunchTemplateName.MalformedException",
            "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.");

    public static AwsError LaunchTemplateNameInUse() => new("InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use.");

    public static AwsError LaunchTemplateVersionNotFound(string launchTemplateId, string version) =>
        new("InvalidLaunchTemplateId.VersionNotFound", $"Could not find the specified version {version} for the launch template with ID {launchTemplateId}.");

    public static AwsError NoDefaultVpc() =>
        new("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
}
