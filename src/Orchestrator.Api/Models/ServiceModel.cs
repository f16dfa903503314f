using System.Collections.Frozen;
using System.Text.Json;

namespace Orchestrator.Api.Models;

/// <summary>Wire protocol a request arrived in (or a response must be written in).</summary>
public enum AwsProtocol
{
    Ec2,
    Query,
    Json,
    RpcV2Cbor,
    RestXml,
    RestJson,
}

public enum ShapeKind
{
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Boolean,
    Double,
    Float,
    Timestamp,
    Blob,
    BigDecimal,
    BigInteger,
    Document,
}

/// <summary>A parsed botocore service model (service-2.json without documentation).</summary>
public sealed class ServiceModel
{
    private readonly FrozenDictionary<string, OperationModel> _operations;
    private readonly OperationModel[] _operationList;
    private readonly FrozenDictionary<string, Shape> _errorsByCode;

    private ServiceModel(string name, ServiceMetadata metadata, Dictionary<string, Shape> shapes, Dictionary<string, OperationModel> operations)
    {
        Name = name;
        Metadata = metadata;
        Shapes = shapes.ToFrozenDictionary(StringComparer.Ordinal);
        _operations = operations.ToFrozenDictionary(StringComparer.Ordinal);
        _operationList = [.. operations.Values];
        var errors = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var shape in shapes.Values.Where(s => s.IsError))
        {
            errors.TryAdd(shape.Name, shape);
            if (shape.ErrorCode is { } code)
            {
                errors[code] = shape;
            }
        }
        _errorsByCode = errors.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The botocore folder name (ec2, sts, elbv2, cloudwatch, ...); the key services are registered under.</summary>
    public string Name { get; }

    public ServiceMetadata Metadata { get; }

    public FrozenDictionary<string, Shape> Shapes { get; }

    /// <summary>Operations in model order (rest-xml routing breaks ties by it: ListBuckets before ListDirectoryBuckets).</summary>
    public IReadOnlyList<OperationModel> Operations => _operationList;

    public OperationModel? FindOperation(string name) => _operations.GetValueOrDefault(name);

    /// <summary>The modelled error shape for a wire code (error.code) or a shape name.</summary>
    public Shape? FindError(string code) => _errorsByCode.GetValueOrDefault(code);

    public static ServiceModel Parse(string name, Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var metadata = ServiceMetadata.Parse(root.GetProperty("metadata"));
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var shape in root.GetProperty("shapes").EnumerateObject())
        {
            shapes[shape.Name] = Shape.Parse(shape.Name, shape.Value);
        }
        // Second pass: member references point at shapes that may come later in the file.
        foreach (var shape in shapes.Values)
        {
            shape.Resolve(shapes);
        }
        var operations = new Dictionary<string, OperationModel>(StringComparer.Ordinal);
        foreach (var op in root.GetProperty("operations").EnumerateObject())
        {
            operations[op.Name] = OperationModel.Parse(op.Name, op.Value, shapes);
        }
        return new ServiceModel(name, metadata, shapes, operations);
    }
}

public sealed record ServiceMetadata(
    string ApiVersion,
    AwsProtocol Protocol,
    IReadOnlyList<AwsProtocol> Protocols,
    string EndpointPrefix,
    string SigningName,
    string? TargetPrefix,
    string? JsonVersion,
    string? XmlNamespace,
    bool AwsQueryCompatible,
    string ServiceId)
{
    internal static ServiceMetadata Parse(JsonElement m)
    {
        var protocol = ParseProtocol(m.GetProperty("protocol").GetString()!);
        var protocols = m.TryGetProperty("protocols", out var list)
            ? list.EnumerateArray().Select(p => ParseProtocol(p.GetString()!)).ToArray()
            : [protocol];
        var endpointPrefix = m.GetProperty("endpointPrefix").GetString()!;
        return new ServiceMetadata(
            m.GetProperty("apiVersion").GetString()!,
            protocol,
            protocols,
            endpointPrefix,
            Str(m, "signingName") ?? endpointPrefix,
            Str(m, "targetPrefix"),
            Str(m, "jsonVersion"),
            Str(m, "xmlNamespace"),
            m.TryGetProperty("awsQueryCompatible", out _),
            Str(m, "serviceId") ?? endpointPrefix);
    }

    internal static AwsProtocol ParseProtocol(string name) => name switch
    {
        "ec2" => AwsProtocol.Ec2,
        "query" => AwsProtocol.Query,
        "json" => AwsProtocol.Json,
        "smithy-rpc-v2-cbor" => AwsProtocol.RpcV2Cbor,
        "rest-xml" => AwsProtocol.RestXml,
        "rest-json" => AwsProtocol.RestJson,
        _ => throw new InvalidDataException($"Unknown protocol '{name}'."),
    };

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

public sealed class OperationModel
{
    public required string Name { get; init; }
    public required string HttpMethod { get; init; }
    public required string RequestUri { get; init; }
    public Shape? Input { get; init; }
    public Shape? Output { get; init; }

    /// <summary>Query protocol: the element the output is wrapped in (<c>{Op}Result</c>).</summary>
    public string? ResultWrapper { get; init; }

    public IReadOnlyList<Shape> Errors { get; init; } = [];

    internal static OperationModel Parse(string name, JsonElement e, Dictionary<string, Shape> shapes)
    {
        var http = e.GetProperty("http");
        return new OperationModel
        {
            Name = name,
            HttpMethod = ServiceMetadata.Str(http, "method") ?? "POST",
            RequestUri = ServiceMetadata.Str(http, "requestUri") ?? "/",
            Input = e.TryGetProperty("input", out var i) ? shapes[i.GetProperty("shape").GetString()!] : null,
            Output = e.TryGetProperty("output", out var o) ? shapes[o.GetProperty("shape").GetString()!] : null,
            ResultWrapper = e.TryGetProperty("output", out var o2) ? ServiceMetadata.Str(o2, "resultWrapper") : null,
            Errors = e.TryGetProperty("errors", out var errs)
                ? errs.EnumerateArray().Select(x => shapes[x.GetProperty("shape").GetString()!]).ToArray()
                : [],
        };
    }
}

/// <summary>A named shape. Serialization traits of a use site live on <see cref="MemberRef"/>.</summary>
public sealed class Shape
{
    private static readonly IReadOnlyDictionary<string, MemberRef> NoMembers = FrozenDictionary<string, MemberRef>.Empty;

    public required string Name { get; init; }
    public required ShapeKind Kind { get; init; }

    /// <summary>Structure members in model order.</summary>
    public IReadOnlyDictionary<string, MemberRef> Members { get; private set; } = NoMembers;

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>List element.</summary>
    public MemberRef? Member { get; private set; }

    public MemberRef? Key { get; private set; }
    public MemberRef? Value { get; private set; }
    public IReadOnlySet<string>? Enum { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public string? Pattern { get; init; }
    public bool Flattened { get; init; }
    public string? LocationName { get; init; }
    public string? TimestampFormat { get; init; }
    public bool IsUnion { get; init; }
    public bool IsError { get; init; }

    /// <summary>error.code: the query wire code when it differs from the shape name.</summary>
    public string? ErrorCode { get; init; }

    public int? ErrorHttpStatus { get; init; }
    public bool SenderFault { get; init; } = true;

    private JsonElement _raw;

    internal static Shape Parse(string name, JsonElement e)
    {
        var kind = e.GetProperty("type").GetString() switch
        {
            "structure" => ShapeKind.Structure,
            "list" => ShapeKind.List,
            "map" => ShapeKind.Map,
            "string" => ShapeKind.String,
            "integer" => ShapeKind.Integer,
            "long" => ShapeKind.Long,
            "boolean" => ShapeKind.Boolean,
            "double" => ShapeKind.Double,
            "float" => ShapeKind.Float,
            "timestamp" => ShapeKind.Timestamp,
            "blob" => ShapeKind.Blob,
            "bigdecimal" => ShapeKind.BigDecimal,
            "biginteger" => ShapeKind.BigInteger,
            "document" => ShapeKind.Document,
            var t => throw new InvalidDataException($"Shape {name}: unknown type '{t}'."),
        };
        var isDocument = kind == ShapeKind.Structure && e.TryGetProperty("document", out var d) && d.GetBoolean();
        var hasError = e.TryGetProperty("error", out var error);
        return new Shape
        {
            Name = name,
            Kind = isDocument ? ShapeKind.Document : kind,
            Required = e.TryGetProperty("required", out var req) ? req.EnumerateArray().Select(x => x.GetString()!).ToArray() : [],
            Enum = e.TryGetProperty("enum", out var en) ? en.EnumerateArray().Select(x => x.GetString()!).ToFrozenSet(StringComparer.Ordinal) : null,
            Min = e.TryGetProperty("min", out var min) ? min.GetDouble() : null,
            Max = e.TryGetProperty("max", out var max) ? max.GetDouble() : null,
            Pattern = ServiceMetadata.Str(e, "pattern"),
            Flattened = e.TryGetProperty("flattened", out var f) && f.GetBoolean(),
            LocationName = ServiceMetadata.Str(e, "locationName"),
            TimestampFormat = ServiceMetadata.Str(e, "timestampFormat"),
            IsUnion = e.TryGetProperty("union", out var u) && u.GetBoolean(),
            IsError = e.TryGetProperty("exception", out var ex) && ex.GetBoolean(),
            ErrorCode = hasError ? ServiceMetadata.Str(error, "code") : null,
            ErrorHttpStatus = hasError && error.TryGetProperty("httpStatusCode", out var status) ? status.GetInt32() : null,
            SenderFault = !(hasError && error.TryGetProperty("senderFault", out var sf) && !sf.GetBoolean())
                && !(e.TryGetProperty("fault", out var fault) && fault.GetBoolean()),
            _raw = e.Clone(),
        };
    }

    internal void Resolve(Dictionary<string, Shape> shapes)
    {
        var e = _raw;
        if (e.TryGetProperty("members", out var members))
        {
            var dict = new Dictionary<string, MemberRef>(StringComparer.Ordinal);
            foreach (var m in members.EnumerateObject())
            {
                dict[m.Name] = MemberRef.Parse(m.Name, m.Value, shapes);
            }
            // Ordered: Dictionary preserves insertion order when nothing is removed; serializers rely on model order.
            Members = dict;
        }
        if (e.TryGetProperty("member", out var member))
        {
            Member = MemberRef.Parse("member", member, shapes);
        }
        if (e.TryGetProperty("key", out var key))
        {
            Key = MemberRef.Parse("key", key, shapes);
        }
        if (e.TryGetProperty("value", out var value))
        {
            Value = MemberRef.Parse("value", value, shapes);
        }
        _raw = default;
    }

    public bool IsRequired(string member) => Required.Contains(member, StringComparer.Ordinal);

    public override string ToString() => $"{Name} ({Kind})";
}

/// <summary>A use of a shape (structure member, list element, map key/value) with its serialization traits.</summary>
public sealed class MemberRef
{
    public required string Name { get; init; }
    public required Shape Shape { get; init; }

    /// <summary>locationName of the reference, else of the target shape (botocore merges both, the reference wins).</summary>
    public string? LocationName { get; init; }

    public string? QueryName { get; init; }
    public bool Flattened { get; init; }

    /// <summary>REST binding: header, headers, uri, querystring, statusCode; null for the body.</summary>
    public string? Location { get; init; }

    public string? TimestampFormat { get; init; }
    public bool IdempotencyToken { get; init; }
    public bool XmlAttribute { get; init; }
    public bool HostLabel { get; init; }

    internal static MemberRef Parse(string name, JsonElement e, Dictionary<string, Shape> shapes)
    {
        var shape = shapes[e.GetProperty("shape").GetString()!];
        return new MemberRef
        {
            Name = name,
            Shape = shape,
            LocationName = ServiceMetadata.Str(e, "locationName") ?? shape.LocationName,
            QueryName = ServiceMetadata.Str(e, "queryName"),
            Flattened = (e.TryGetProperty("flattened", out var f) && f.GetBoolean()) || shape.Flattened,
            Location = ServiceMetadata.Str(e, "location"),
            TimestampFormat = ServiceMetadata.Str(e, "timestampFormat") ?? shape.TimestampFormat,
            IdempotencyToken = e.TryGetProperty("idempotencyToken", out var t) && t.GetBoolean(),
            XmlAttribute = e.TryGetProperty("xmlAttribute", out var a) && a.GetBoolean(),
            HostLabel = e.TryGetProperty("hostLabel", out var h) && h.GetBoolean(),
        };
    }

    public override string ToString() => $"{Name}: {Shape.Name}";
}
