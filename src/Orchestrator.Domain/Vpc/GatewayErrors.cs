using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

/// <summary>Internet gateway, Elastic IP and NAT gateway errors with the codes and texts EC2 returns.</summary>
public static class GatewayErrors
{
    public static AwsError InternetGatewayNotFound(string id) =>
        new("InvalidInternetGatewayID.NotFound", $"The internetGateway ID '{id}' does not exist");

    public static AwsError InternetGatewayIdMalformed(string id) =>
        new("InvalidInternetGatewayId.Malformed", $"Invalid id: \"{id}\" (expecting \"igw-...\")");

    public static AwsError InternetGatewayAlreadyAttached(string id, string vpcId) =>
        new("Resource.AlreadyAssociated", $"resource {id} is already attached to network {vpcId}");

    /// <summary>EC2 answers a second gateway for one VPC with the same code as a gateway attached twice.</summary>
    public static AwsError VpcAlreadyHasInternetGateway(string vpcId, string otherGatewayId) =>
        new("Resource.AlreadyAssociated", $"resource {vpcId} is already attached to network {otherGatewayId}");

    public static AwsError InternetGatewayNotAttached(string id, string vpcId) =>
        new("Gateway.NotAttached", $"resource {id} is not attached to network {vpcId}");

    public static AwsError InternetGatewayHasDependencies(string id) =>
        new("DependencyViolation", $"The internetGateway '{id}' has dependencies and cannot be deleted.");

    public static AwsError AllocationNotFound(string allocationId) =>
        new("InvalidAllocationID.NotFound", $"The allocation ID '{allocationId}' does not exist");

    public static AwsError AllocationIdMalformed(string allocationId) =>
        new("InvalidAllocationID.Malformed", $"Invalid id: \"{allocationId}\" (expecting \"eipalloc-...\")");

    public static AwsError AssociationNotFound(string associationId) =>
        new("InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist");

    public static AwsError AssociationIdMalformed(string associationId) =>
        new("InvalidAssociationID.Malformed", $"Invalid id: \"{associationId}\" (expecting \"eipassoc-...\")");

    public static AwsError PublicIpNotFound(string publicIp) =>
        new("InvalidAddress.NotFound", $"Address '{publicIp}' not found.");

    public static AwsError AddressAlreadyAssociated(string allocationId, string associationId) =>
        new("Resource.AlreadyAssociated", $"resource {allocationId} is already associated with associate-id {associationId}");

    public static AwsError AddressInUse(string allocationId) =>
        new("InvalidIPAddress.InUse", $"The address with allocation id [{allocationId}] is in use.");

    public static AwsError AddressLimitExceeded() => new("AddressLimitExceeded", "The maximum number of addresses has been reached.");

    public static AwsError InstanceNotAssociable(string instanceId, string state) =>
        new("IncorrectInstanceState", $"The instance '{instanceId}' is not in a valid state for this operation. Current state: {state}.");

    public static AwsError NetworkInterfaceIdMalformed(string id) =>
        new("InvalidNetworkInterfaceID.Malformed", $"Invalid id: \"{id}\" (expecting \"eni-...\")");

    public static AwsError NatGatewayNotFound(string id) => new("NatGatewayNotFound", $"The Nat Gateway {id} was not found");

    public static AwsError NatGatewayIdMalformed(string id) => new("NatGatewayMalformed", $"The Nat Gateway ID '{id}' is malformed");

    public static AwsError PublicNatGatewayNeedsAddress() =>
        AwsError.MissingParameter("The request must include the AllocationId parameter. Add the required parameter and retry the request.");

    public static AwsError PrivateNatGatewayWithAddress() =>
        AwsError.InvalidParameterCombination("Cannot specify AllocationId for a private NAT gateway.");

    public static AwsError InvalidConnectivityType(string value) =>
        AwsError.InvalidParameterValue($"Value ({value}) for parameter connectivityType is invalid. Valid values are: public, private");
}
