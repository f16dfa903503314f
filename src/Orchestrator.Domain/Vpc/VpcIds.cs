using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

/// <summary>Syntax checks of VPC and subnet ids as the API does them before looking anything up.</summary>
public static class VpcIds
{
    public static Result<string> Vpc(string? id) => AwsIds.IsWellFormed(id, "vpc") ? id! : VpcErrors.VpcIdMalformed(id ?? "");

    public static Result<string> Subnet(string? id) => AwsIds.IsWellFormed(id, "subnet") ? id! : VpcErrors.SubnetIdMalformed(id ?? "");
}
