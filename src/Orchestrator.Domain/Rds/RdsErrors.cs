using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Rds;

/// <summary>
/// RDS's error vocabulary (aws-semantics 6.5): the wire code is the model's error.code, which
/// drops the Fault suffix for some shapes (DBInstanceNotFound) and keeps it for others (DBSubnetGroupNotFoundFault).
/// </summary>
public static class RdsErrors
{
    public static AwsError InvalidParameterValue(string message) => AwsError.InvalidParameterValue(message);

    public static AwsError InvalidParameterCombination(string message) => AwsError.InvalidParameterCombination(message);

    public static AwsError InstanceNotFound(string id) => new("DBInstanceNotFound", $"DBInstance {id} not found.", 404);

    public static AwsError InstanceAlreadyExists() => new("DBInstanceAlreadyExists", "DB instance already exists");

    public static AwsError InvalidInstanceState(string message) => new("InvalidDBInstanceState", message);

    public static AwsError SubnetGroupNotFound(string name) => new("DBSubnetGroupNotFoundFault", $"DB subnet group '{name}' not found.", 404);

    public static AwsError SubnetGroupAlreadyExists(string name) => new("DBSubnetGroupAlreadyExists", $"The DB subnet group '{name}' already exists.");

    public static AwsError SubnetGroupInUse(string name, string instanceId) =>
        new("InvalidDBSubnetGroupStateFault", $"Cannot delete the subnet group '{name}' because at least one database instance: {instanceId} is still using it.");

    public static AwsError NotEnoughZones(IEnumerable<string> zones) =>
        new("DBSubnetGroupDoesNotCoverEnoughAZs",
            $"The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: {string.Join(", ", zones)}. Add subnets to cover at least 2 AZs.");

    public static AwsError InvalidSubnet(string message) => new("InvalidSubnet", message);

    public static AwsError DbClusterNotFound(string id) => new("DBClusterNotFoundFault", $"DBCluster {id} not found.", 404);

    public static AwsError StorageTypeNotSupported(string storageType) => new("StorageTypeNotSupported", $"Invalid storage type: {storageType}");

    /// <summary>Not an AWS API error: what a client of the database endpoint meets while no primary serves it (db put/get).</summary>
    public static AwsError EndpointUnreachable(string endpoint, string why) => new("EndpointUnreachable", $"cannot connect to {endpoint}: {why}", 503);
}
