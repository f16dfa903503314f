using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>Security group errors with the codes and texts EC2 returns.</summary>
public static class SecurityGroupErrors
{
    public static AwsError GroupNotFound(string groupId) => new("InvalidGroup.NotFound", $"The security group '{groupId}' does not exist");

    /// <summary>GroupName parameters only reach the default VPC's groups.</summary>
    public static AwsError GroupNameNotFound(string groupName, string? defaultVpcId) =>
        new("InvalidGroup.NotFound", defaultVpcId is null
            ? $"The security group '{groupName}' does not exist"
            : $"The security group '{groupName}' does not exist in default VPC '{defaultVpcId}'");

    public static AwsError GroupIdMalformed(string groupId) => new("InvalidGroupId.Malformed", $"Invalid id: \"{groupId}\" (expecting \"sg-...\")");

    public static AwsError OtherNetwork() => new("InvalidGroup.NotFound", "You have specified two resources that belong to different networks.");

    public static AwsError DuplicateName(string groupName, string vpcId) =>
        new("InvalidGroup.Duplicate", $"The security group '{groupName}' already exists for VPC '{vpcId}'");

    public static AwsError ReservedName() => AwsError.InvalidParameterValue("Invalid security group name: 'default' is reserved for the default security group of a VPC.");

    public static AwsError NameLooksLikeId(string groupName) =>
        AwsError.InvalidParameterValue($"Value ({groupName}) for parameter GroupName is invalid. Group names may not be in the format sg-*.");

    public static AwsError MissingParameter(string parameter) => AwsError.MissingParameter($"The request must contain the parameter {parameter}");

    public static AwsError DescriptionTooLong(string parameter) =>
        AwsError.InvalidParameterValue($"Value for parameter {parameter} is invalid. Maximum length is {SecurityGroupPermissions.MaxDescriptionLength} characters.");

    public static AwsError NameTooLong(string groupName) =>
        AwsError.InvalidParameterValue($"Value ({groupName}) for parameter GroupName is invalid. Maximum length is {SecurityGroup.MaxNameLength} characters.");

    public static AwsError CannotDeleteDefault(string groupId) =>
        new("CannotDelete", $"the specified group: \"{groupId}\" name: \"default\" cannot be deleted by a user");

    public static AwsError InUse(string groupId) => new("DependencyViolation", $"resource {groupId} has a dependent object");

    public static AwsError DuplicatePermission(RuleSpec spec) => new("InvalidPermission.Duplicate", $"the specified rule \"{spec}\" already exists");

    public static AwsError PermissionNotFound() =>
        new("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");

    public static AwsError RuleNotFound(string ruleId) => new("InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{ruleId}' does not exist");

    public static AwsError RuleIdMalformed(string ruleId) => new("InvalidSecurityGroupRuleId.Malformed", $"Invalid id: \"{ruleId}\" (expecting \"sgr-...\")");

    public static AwsError RuleLimitExceeded() =>
        new("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.");

    public static AwsError UnknownProtocol(string protocol) => AwsError.InvalidParameterValue($"Invalid value '{protocol}' for IP protocol. Unknown protocol.");

    public static AwsError PortRangeRequired(string protocols) =>
        AwsError.InvalidParameterValue($"Invalid value for portRange. Must specify both from and to ports with {protocols}.");

    public static AwsError InvalidPortRange(int from, int to) =>
        AwsError.InvalidParameterValue($"Invalid TCP/UDP port range (from {from} to {to}): ports must be 0-65535 and FromPort no greater than ToPort.");

    public static AwsError InvalidIcmp(string part, int value) => AwsError.InvalidParameterValue($"Invalid value '{value}' for ICMP {part}.");

    public static AwsError MalformedCidr(string cidr) => AwsError.InvalidParameterValue($"CIDR block {cidr} is malformed");

    public static AwsError PrefixListIdMalformed(string id) => new("InvalidPrefixListId.Malformed", $"Invalid id: \"{id}\" (expecting \"pl-...\")");

    public static AwsError NoPeer() =>
        AwsError.MissingParameter("The request must contain a source or destination for each rule: a CIDR block, an IPv6 CIDR block, a prefix list or a security group.");

    public static AwsError SeveralPeers() =>
        AwsError.InvalidParameterCombination("A rule can have only one source or destination: a CIDR block, an IPv6 CIDR block, a prefix list or a security group.");
}
