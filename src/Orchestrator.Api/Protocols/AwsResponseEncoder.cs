using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>An HTTP answer, independent of ASP.NET Core so codecs are testable byte for byte.</summary>
public sealed record EncodedResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string? ContentType, byte[]? Body);

/// <summary>Success and error envelopes of every protocol (botocore parsers.py is the reference for what clients read).</summary>
public static class AwsResponseEncoder
{
    public static EncodedResponse Output(ServiceModel service, OperationModel operation, AwsProtocol protocol, JsonObject output, string requestId)
    {
        var headers = RequestIdHeaders(protocol, requestId);
        switch (protocol)
        {
            case AwsProtocol.Ec2:
                return new(200, headers, "text/xml;charset=UTF-8", XmlEncoder.Ec2Response(service, operation, output, requestId));
            case AwsProtocol.Query:
                return new(200, headers, "text/xml", XmlEncoder.QueryResponse(service, operation, output, requestId));
            case AwsProtocol.RpcV2Cbor:
                headers.Add(new("smithy-protocol", "rpc-v2-cbor"));
                return new(200, headers, "application/cbor", Cbor.Encode(output, operation.Output));
            case AwsProtocol.RestXml:
                headers.AddRange(RestXml.OutputHeaders(output, operation.Output));
                var body = RestXml.OutputBody(service, operation, output);
                return new(200, headers, body is null ? null : "application/xml", body);
            default:
                return new(200, headers, JsonContentType(service), JsonCodec.Encode(output, operation.Output));
        }
    }

    /// <summary>
    /// Status: the error's own, else the modelled error.httpStatusCode, else 400 (sender) / 500 (receiver).
    /// <paramref name="queryMode"/>: the client sent x-amzn-query-mode, so a query-compatible service adds x-amzn-query-error.
    /// </summary>
    public static EncodedResponse Error(ServiceModel? service, AwsProtocol protocol, AwsError error, string requestId, bool queryMode = false, bool head = false)
    {
        var modelled = service?.FindError(error.Code);
        var sender = error.Sender && (modelled?.SenderFault ?? true);
        var status = error.HttpStatus ?? modelled?.ErrorHttpStatus ?? (sender ? 400 : 500);
        var wire = error with { Sender = sender };
        var headers = RequestIdHeaders(protocol, requestId);
        switch (protocol)
        {
            case AwsProtocol.Ec2:
                return new(status, headers, "text/xml;charset=UTF-8", XmlEncoder.Ec2Error(wire, requestId));
            case AwsProtocol.Query:
                return new(status, headers, "text/xml", XmlEncoder.QueryError(service, wire, requestId));
            case AwsProtocol.RestXml:
                // HEAD answers carry no body; the client reads the status alone.
                return new(status, headers, head ? null : "application/xml", head ? null : XmlEncoder.RestXmlError(wire, requestId));
        }
        // Query-compatible services: __type is the error shape's name, the query code travels in x-amzn-query-error.
        if (service is { Metadata.AwsQueryCompatible: true })
        {
            var queryCode = wire.QueryCode ?? modelled?.ErrorCode ?? wire.Code;
            if (modelled is not null)
            {
                wire = wire with { Code = modelled.Name };
            }
            if (queryMode)
            {
                headers.Add(new("x-amzn-query-error", $"{queryCode};{(sender ? "Sender" : "Receiver")}"));
            }
        }
        headers.Add(new("X-Amzn-ErrorType", wire.Code));
        if (protocol == AwsProtocol.RpcV2Cbor)
        {
            headers.Add(new("smithy-protocol", "rpc-v2-cbor"));
            return new(status, headers, "application/cbor", Cbor.Error(wire));
        }
        return new(status, headers, service is null ? "application/x-amz-json-1.0" : JsonContentType(service), JsonCodec.Error(wire));
    }

    private static string JsonContentType(ServiceModel service) => $"application/x-amz-json-{service.Metadata.JsonVersion ?? "1.0"}";

    private static List<KeyValuePair<string, string>> RequestIdHeaders(AwsProtocol protocol, string requestId) =>
        protocol == AwsProtocol.RestXml
            ? [new("x-amz-request-id", requestId), new("x-amz-id-2", requestId)]
            : [new("x-amzn-RequestId", requestId)];
}
