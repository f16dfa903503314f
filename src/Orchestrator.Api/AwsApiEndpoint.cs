using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Orchestrator.Api.Auth;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;
using Orchestrator.Api.Protocols;
using Orchestrator.Api.Routing;

namespace Orchestrator.Api;

/// <summary>
/// The AWS-compatible HTTP surface (port 4566): routes each request to its service, decodes it with the
/// service model, calls the registered handler and encodes the answer in the request's protocol.
/// Mount with <c>app.Run(endpoint.Handle)</c>.
/// </summary>
public sealed partial class AwsApiEndpoint
{
    public const string HealthPath = "/_orchestrator/health";

    private readonly AwsOperationRegistry _registry;
    private readonly AwsApiOptions _options;
    private readonly ILogger<AwsApiEndpoint> _logger;
    private readonly ServiceRouter _router;

    public AwsApiEndpoint(AwsOperationRegistry registry, AwsApiOptions options, ILogger<AwsApiEndpoint> logger)
    {
        _registry = registry;
        _options = options;
        _logger = logger;
        _router = new ServiceRouter(registry.Catalog);
    }

    public async Task Handle(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path.Equals(HealthPath, StringComparison.OrdinalIgnoreCase))
        {
            await WriteHealth(context.Response);
            return;
        }

        var requestId = _options.NewRequestId();
        var body = await ReadBody(request, context.RequestAborted);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var query = QueryDecoder.ParseForm(request.QueryString.Value ?? "");
        var signature = SigV4.ParseAuthorization(request.Headers.Authorization)
            ?? SigV4.ParseQuery(name => query.FirstOrDefault(p => p.Key == name).Value);
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            ? QueryDecoder.ParseForm(body)
            : null;
        string? Header(string name) => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

        var route = _router.Route(new RouteRequest(request.Method, request.Path.Value ?? "/", Header, query, form, signature));
        if (route is null)
        {
            await WriteError(context, null, AwsProtocol.Query, new AwsError("UnknownService", "No service matches this request."), requestId);
            return;
        }
        var service = _registry.Catalog.Get(route.Service);
        var protocol = route.Protocol;

        if (_options.VerifySignatures && Authenticate(context, signature, body) is { } authError)
        {
            await WriteError(context, service, protocol, authError, requestId);
            return;
        }

        OperationModel? operation;
        JsonObject input;
        try
        {
            (operation, input) = Decode(service, route, request, body, query, Header);
        }
        catch (AwsErrorException e)
        {
            await WriteError(context, service, protocol, e.Error, requestId);
            return;
        }
        catch (InputException e)
        {
            await WriteError(context, service, protocol, ProtocolErrors.FromIssues(service, protocol, e.Issues), requestId);
            return;
        }

        var handler = _registry.Find(service.Name, operation.Name);
        if (handler is null)
        {
            await WriteError(context, service, protocol, ProtocolErrors.NotImplemented(service, protocol, operation.Name), requestId);
            return;
        }

        var callContext = new AwsRequestContext(
            signature?.Region ?? _options.DefaultRegion,
            _options.AccountId,
            signature?.AccessKeyId ?? query.FirstOrDefault(p => p.Key == "AWSAccessKeyId").Value ?? "",
            requestId,
            _options.Time.GetUtcNow(),
            signature);
        AwsResult result;
        try
        {
            result = await handler.HandleAsync(new AwsRequest(service, operation, input, callContext), context.RequestAborted);
        }
        catch (AwsErrorException e)
        {
            result = e.Error;
        }
        catch (InputException e)
        {
            result = ProtocolErrors.FromIssues(service, protocol, e.Issues);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogHandlerFailure(e, service.Name, operation.Name, requestId);
            result = ProtocolErrors.Internal(protocol);
        }

        if (result.Error is { } error)
        {
            await WriteError(context, service, protocol, error, requestId);
            return;
        }
        try
        {
            await WriteOutput(context, service, operation, protocol, result.Output ?? [], requestId);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            // An output that does not fit its shape is a handler bug: a logged 500, never a malformed body.
            LogHandlerFailure(e, service.Name, operation.Name, requestId);
            await WriteError(context, service, protocol, ProtocolErrors.Internal(protocol), requestId);
        }
    }

    private (OperationModel Operation, JsonObject Input) Decode(
        ServiceModel service, Route route, HttpRequest request, byte[] body,
        List<KeyValuePair<string, string>> query, Func<string, string?> header)
    {
        if (route.Protocol == AwsProtocol.RestXml)
        {
            var match = RestXml.FindOperation(service, request.Method, request.Path.Value ?? "/", query)
                ?? throw new AwsErrorException(new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405));
            return (match.Operation, RestXml.DecodeInput(match, query, header));
        }
        if (route.Operation is null)
        {
            throw new AwsErrorException(route.Protocol is AwsProtocol.Ec2 or AwsProtocol.Query
                ? ProtocolErrors.MissingAction()
                : ProtocolErrors.UnknownOperation(service, route.Protocol, ""));
        }
        var operation = service.FindOperation(route.Operation)
            ?? throw new AwsErrorException(ProtocolErrors.UnknownOperation(service, route.Protocol, route.Operation));
        var input = route.Protocol switch
        {
            AwsProtocol.Ec2 or AwsProtocol.Query => QueryDecoder.Decode(route.Parameters ?? [], operation.Input, route.Protocol),
            AwsProtocol.RpcV2Cbor => Cbor.Decode(body, operation.Input),
            _ => JsonCodec.Decode(body, operation.Input, route.Protocol),
        };
        return (operation, input);
    }

    private AwsError? Authenticate(HttpContext context, SigV4Signature? signature, byte[] body)
    {
        if (signature is null)
        {
            return new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
        }
        var secret = _options.SecretKeyFor(signature.AccessKeyId);
        if (secret is null)
        {
            return new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
        }
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : (request.Path + request.QueryString).ToString();
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
        var payloadHash = request.Headers.TryGetValue("x-amz-content-sha256", out var declared) ? declared.ToString() : SigV4.Sha256Hex(body);
        var signed = new SigV4Request(request.Method, q < 0 ? rawTarget : rawTarget[..q], q < 0 ? "" : rawTarget[(q + 1)..], headers, payloadHash);
        return SigV4.Verify(signed, signature, secret)
            ? null
            : new AwsError("SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.", 403);
    }

    private async Task<byte[]?> ReadBody(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > _options.MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > _options.MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static Task WriteOutput(HttpContext context, ServiceModel service, OperationModel operation, AwsProtocol protocol, JsonObject output, string requestId) =>
        Write(context, AwsResponseEncoder.Output(service, operation, protocol, output, requestId));

    private static Task WriteError(HttpContext context, ServiceModel? service, AwsProtocol protocol, AwsError error, string requestId) =>
        Write(context, AwsResponseEncoder.Error(service, protocol, error, requestId,
            queryMode: context.Request.Headers.ContainsKey("x-amzn-query-mode"),
            head: HttpMethods.IsHead(context.Request.Method)));

    private static async Task Write(HttpContext context, EncodedResponse encoded)
    {
        var response = context.Response;
        response.StatusCode = encoded.Status;
        foreach (var (name, value) in encoded.Headers)
        {
            response.Headers[name] = value;
        }
        if (encoded.Body is { } body)
        {
            response.ContentType = encoded.ContentType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private async Task WriteHealth(HttpResponse response)
    {
        var services = new JsonObject();
        foreach (var name in _registry.Catalog.ServiceNames.Order(StringComparer.Ordinal))
        {
            services[name] = _registry.HasHandlers(name) ? "running" : "available";
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["services"] = services, ["edition"] = "orchestrator" });
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Service}.{Operation} failed (request {RequestId}); answered 500")]
    private partial void LogHandlerFailure(Exception exception, string service, string operation, string requestId);
}
