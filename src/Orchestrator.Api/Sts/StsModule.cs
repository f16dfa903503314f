using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;

namespace Orchestrator.Api.Sts;

/// <summary>STS: only the caller identity so far (every caller is the account root).</summary>
public sealed class StsModule : IAwsServiceModule
{
    public void Register(AwsOperationRegistry registry) =>
        registry.Register("sts", "GetCallerIdentity", request => new JsonObject
        {
            ["UserId"] = request.Context.AccessKeyId,
            ["Account"] = request.Context.AccountId,
            ["Arn"] = $"arn:aws:iam::{request.Context.AccountId}:root",
        });
}
