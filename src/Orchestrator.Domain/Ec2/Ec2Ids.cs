using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>Syntax checks of EC2 ids as the API does them before looking anything up.</summary>
public static class Ec2Ids
{
    public static Result<string> Instance(string? id) => AwsIds.IsWellFormed(id, "i") ? id! : Ec2Errors.InstanceIdMalformed(id ?? "");

    public static Result<string> LaunchTemplate(string? id) => AwsIds.IsWellFormed(id, "lt") ? id! : Ec2Errors.LaunchTemplateIdMalformed(id ?? "");
}
