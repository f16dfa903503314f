using System.Collections.Frozen;
using Orchestrator.Api.Auth;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Routing;

/// <summary>What the router looks at: everything is read before the service is known.</summary>
public sealed record RouteRequest(
    string Method,
    string Path,
    Func<string, string?> Header,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>>? Form,
    SigV4Signature? Signature);

/// <summary>
/// Where a request goes. <see cref="Service"/> is the botocore model name; <see cref="Operation"/> is null for
/// rest-xml (resolved from the path by <see cref="Protocols.RestXml"/>) and when the request names none.
/// </summary>
public sealed record Route(string Service, AwsProtocol Protocol, string? Operation, IReadOnlyList<KeyValuePair<string, string>>? Parameters);

/// <summary>
/// Routes as AWS endpoints sharing one port would: the Smithy RPC v2 path, then the X-Amz-Target prefix,
/// then form Action/Version (disambiguated by the SigV4 credential-scope service), then the scope alone, then S3 path-style.
/// </summary>
public sealed class ServiceRouter
{
    private const string RpcV2Prefix = "/service/";
    private readonly FrozenDictionary<string, ServiceMetadata> _metadata;

    public ServiceRouter(ServiceCatalog catalog)
    {
        _metadata = catalog.Metadata;
    }

    public Route? Route(RouteRequest request)
    {
        // POST /service/<ServiceName>/operation/<Op>
        if (request.Path.StartsWith(RpcV2Prefix, StringComparison.Ordinal))
        {
            var parts = request.Path[RpcV2Prefix.Length..].Split('/');
            if (parts is [var target, "operation", var op] && FindByTarget(target, AwsProtocol.RpcV2Cbor) is { } svc)
            {
                return new Route(svc, AwsProtocol.RpcV2Cbor, op, null);
            }
        }

        if (request.Header("X-Amz-Target") is { } amzTarget)
        {
            var dot = amzTarget.LastIndexOf('.');
            if (dot > 0 && FindByTarget(amzTarget[..dot], AwsProtocol.Json) is { } svc)
            {
                return new Route(svc, AwsProtocol.Json, amzTarget[(dot + 1)..], null);
            }
        }

        var scopeService = request.Signature?.Service;
        if (scopeService != "s3")
        {
            var parameters = request.Form is null ? request.Query : [.. request.Query, .. request.Form];
            var action = parameters.FirstOrDefault(p => p.Key == "Action").Value;
            if (action is not null && FindQueryService(parameters.FirstOrDefault(p => p.Key == "Version").Value, scopeService) is { } svc)
            {
                var protocol = _metadata[svc].Protocols.Contains(AwsProtocol.Ec2) ? AwsProtocol.Ec2 : AwsProtocol.Query;
                return new Route(svc, protocol, action, parameters);
            }
        }

        if (scopeService is not null && FindBySigningName(scopeService) is { } signed)
        {
            var metadata = _metadata[signed];
            if (metadata.Protocol == AwsProtocol.RestXml)
            {
                return new Route(signed, AwsProtocol.RestXml, null, null);
            }
            // A known service but no operation could be read from the request: answer in its own protocol.
            var protocol = metadata.Protocols.Contains(AwsProtocol.Ec2) ? AwsProtocol.Ec2
                : metadata.Protocols.Contains(AwsProtocol.Query) ? AwsProtocol.Query
                : AwsProtocol.Json;
            return new Route(signed, protocol, null, request.Form ?? request.Query);
        }

        return _metadata.ContainsKey("s3") ? new Route("s3", AwsProtocol.RestXml, null, null) : null;
    }

    private string? FindByTarget(string target, AwsProtocol protocol) =>
        _metadata.FirstOrDefault(kv => kv.Value.TargetPrefix == target && kv.Value.Protocols.Contains(protocol)).Key;

    private string? FindBySigningName(string signingName) =>
        _metadata.Where(kv => kv.Value.SigningName == signingName || kv.Value.EndpointPrefix == signingName)
            .Select(kv => kv.Key)
            .OrderBy(k => k, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>A query-capable service by API version; the signing name breaks ties (ELB v1/v2 share one) or stands in for a missing Version.</summary>
    private string? FindQueryService(string? version, string? scopeService)
    {
        var candidates = _metadata
            .Where(kv => kv.Value.Protocols.Contains(AwsProtocol.Query) || kv.Value.Protocols.Contains(AwsProtocol.Ec2))
            .Where(kv => version is null || kv.Value.ApiVersion == version)
            .Where(kv => version is not null || scopeService is not null)
            .ToList();
        if (scopeService is not null && candidates.FirstOrDefault(kv => kv.Value.SigningName == scopeService || kv.Value.EndpointPrefix == scopeService).Key is { } signed)
        {
            return signed;
        }
        return candidates.Count > 0 ? candidates[0].Key : null;
    }
}
