using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

/// <summary>VPC and subnet errors with the codes and texts EC2 returns.</summary>
public static class VpcErrors
{
    public static AwsError InvalidCidrBlock(string value) =>
        AwsError.InvalidParameterValue($"Value ({value}) for parameter cidrBlock is invalid. This is not a valid CIDR block.");

    public static AwsError VpcRange(string cidr) => new("InvalidVpc.Range", $"The CIDR '{cidr}' is invalid.");

    public static AwsError SubnetRange(string cidr) => new("InvalidSubnet.Range", $"The CIDR '{cidr}' is invalid.");

    public static AwsError SubnetConflict(string cidr) => new("InvalidSubnet.Conflict", $"The CIDR '{cidr}' conflicts with another subnet");

    public static AwsError VpcNotFound(string vpcId) => new("InvalidVpcID.NotFound", $"The vpc ID '{vpcId}' does not exist");

    public static AwsError VpcIdMalformed(string vpcId) => new("InvalidVpcID.Malformed", $"Invalid id: \"{vpcId}\" (expecting \"vpc-...\")");

    public static AwsError SubnetNotFound(string subnetId) => new("InvalidSubnetID.NotFound", $"The subnet ID '{subnetId}' does not exist");

    public static AwsError SubnetIdMalformed(string subnetId) => new("InvalidSubnetID.Malformed", $"Invalid id: \"{subnetId}\" (expecting \"subnet-...\")");

    public static AwsError VpcHasDependencies(string vpcId) => new("DependencyViolation", $"The vpc '{vpcId}' has dependencies and cannot be deleted.");

    public static AwsError SubnetHasDependencies(string subnetId) => new("DependencyViolation", $"The subnet '{subnetId}' has dependencies and cannot be deleted.");

    public static AwsError InvalidAvailabilityZone(string zone, IEnumerable<string> zones) =>
        AwsError.InvalidParameterValue(
            $"Value ({zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {string.Join(", ", zones)}.");

    public static AwsError InvalidAvailabilityZoneId(string zoneId, IEnumerable<string> zoneIds) =>
        AwsError.InvalidParameterValue(
            $"Value ({zoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zones: {string.Join(", ", zoneIds)}.");

    public static AwsError ZoneAndZoneIdDisagree(string zone, string zoneId) =>
        AwsError.InvalidParameterCombination($"The availability zone '{zone}' does not match the availability zone ID '{zoneId}'.");

    public static AwsError InvalidInstanceTenancy(string tenancy) =>
        AwsError.InvalidParameterValue($"Value ({tenancy}) for parameter instanceTenancy is invalid. Valid values are: default, dedicated");

    public static AwsError InsufficientFreeAddresses(string subnetId) =>
        new("InsufficientFreeAddressesInSubnet", $"There are not enough free addresses in subnet '{subnetId}' to satisfy the requested number of instances.");

    public static AwsError InvalidPrivateIpAddress(string value) =>
        AwsError.InvalidParameterValue($"Value ({value}) for parameter privateIpAddress is invalid. This is not a valid IP address.");

    public static AwsError AddressOutsideSubnet(string address) =>
        AwsError.InvalidParameterValue($"Address {address} does not fall within the subnet's address range");

    public static AwsError AddressReserved(string address) =>
        AwsError.InvalidParameterValue($"Address {address} is in subnet's reserved address range");

    public static AwsError AddressInUse(string address) => new("InvalidIPAddress.InUse", $"Address {address} is in use.");
}
