using System.Text.Json.Nodes;
using Orchestrator.Api.Auth;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Handlers;

/// <summary>What a handler knows about the caller, besides the decoded input.</summary>
public sealed record AwsRequestContext(
    string Region,
    string AccountId,
    string AccessKeyId,
    string RequestId,
    DateTimeOffset Now,
    SigV4Signature? Signature);

/// <summary>One decoded call: the input tree is typed by the operation's input shape (see <see cref="Protocols.ValueTree"/>).</summary>
public sealed record AwsRequest(ServiceModel Service, OperationModel Operation, JsonObject Input, AwsRequestContext Context);

/// <summary>Either an output tree (encoded with the operation's output shape) or an AWS error.</summary>
public readonly struct AwsResult
{
    private AwsResult(JsonObject? output, AwsError? error)
    {
        Output = output;
        Error = error;
    }

    public JsonObject? Output { get; }
    public AwsError? Error { get; }

    public static AwsResult Ok(JsonObject? output = null) => new(output ?? [], null);

    public static AwsResult Fail(AwsError error) => new(null, error);

    public static implicit operator AwsResult(JsonObject output) => Ok(output);

    public static implicit operator AwsResult(AwsError error) => Fail(error);
}

public interface IAwsOperationHandler
{
    ValueTask<AwsResult> HandleAsync(AwsRequest request, CancellationToken cancellationToken);
}

/// <summary>A service's set of handlers, registered at startup.</summary>
public interface IAwsServiceModule
{
    void Register(AwsOperationRegistry registry);
}
