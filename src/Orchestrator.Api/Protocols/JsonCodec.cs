using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>
/// awsJson 1.0/1.1 bodies, and the shape-typing both JSON and CBOR share: a wire tree (from JSON text or from
/// <see cref="Cbor"/>) becomes the typed tree of <see cref="ValueTree"/>, and back.
/// </summary>
public static class JsonCodec
{
    public static JsonObject Decode(ReadOnlySpan<byte> body, Shape? input, AwsProtocol protocol = AwsProtocol.Json)
    {
        JsonNode? wire;
        if (body.IsEmpty || body.Trim((byte)' ').IsEmpty)
        {
            wire = new JsonObject();
        }
        else
        {
            try
            {
                wire = JsonNode.Parse(body);
            }
            catch (JsonException e)
            {
                throw InputException.Single(InputIssueKind.Malformed, "", "", null, $"Invalid JSON: {e.Message}");
            }
        }
        return FromWire(wire, input, protocol);
    }

    /// <summary>Types a wire tree by the input shape, then validates it.</summary>
    public static JsonObject FromWire(JsonNode? wire, Shape? input, AwsProtocol protocol)
    {
        if (wire is not null and not JsonObject)
        {
            throw InputException.Single(InputIssueKind.Malformed, "", "", null, "The request body must be an object.");
        }
        if (input is null)
        {
            return [];
        }
        var result = (JsonObject?)Typed(wire, input, "", "") ?? [];
        InputValidator.Validate(result, input, protocol);
        return result;
    }

    private static JsonNode? Typed(JsonNode? wire, Shape shape, string path, string model)
    {
        if (wire is null)
        {
            return null;
        }
        switch (shape.Kind)
        {
            case ShapeKind.Structure when wire is JsonObject o:
                var result = new JsonObject();
                foreach (var (name, member) in shape.Members)
                {
                    var key = member.LocationName ?? name;
                    if (o[key] is { } value && Typed(value, member.Shape, Join(path, key), Join(model, LowerCamel(name))) is { } typed)
                    {
                        result[name] = typed;
                    }
                }
                return result;
            case ShapeKind.List when wire is JsonArray a:
                var list = new JsonArray();
                for (var i = 0; i < a.Count; i++)
                {
                    list.Add(Typed(a[i], shape.Member!.Shape, $"{path}[{i}]", $"{model}.{i + 1}.member"));
                }
                return list;
            case ShapeKind.Map when wire is JsonObject m:
                var map = new JsonObject();
                foreach (var (key, value) in m)
                {
                    map[key] = Typed(value, shape.Value!.Shape, $"{path}.{key}", $"{model}.{key}");
                }
                return map;
            case ShapeKind.Document:
                return wire.DeepClone();
            case ShapeKind.Structure or ShapeKind.List or ShapeKind.Map:
                break;
            default:
                if (wire is JsonValue v && TypedScalar(v, shape) is { } scalar)
                {
                    return scalar;
                }
                break;
        }
        throw InputException.Single(InputIssueKind.WrongType, path, model, wire.ToJsonString(),
            $"{Describe(wire)} can not be converted to {ValueTree.TypeName(shape.Kind)}");
    }

    private static JsonValue? TypedScalar(JsonValue v, Shape shape)
    {
        var kind = v.GetValueKind();
        switch (shape.Kind)
        {
            case ShapeKind.String or ShapeKind.BigDecimal or ShapeKind.BigInteger:
                return v.TryGetValue<string>(out var s) ? JsonValue.Create(s)
                    : shape.Kind != ShapeKind.String && kind == JsonValueKind.Number ? JsonValue.Create(v.ToJsonString()) : null;
            case ShapeKind.Blob:
                return v.TryGetValue<string>(out var b) && ValueTree.IsBase64(b) ? JsonValue.Create(b) : null;
            case ShapeKind.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(kind == JsonValueKind.True) : null;
            case ShapeKind.Integer:
                return kind == JsonValueKind.Number && ValueTree.TryReadLong(v, out var i) && i is >= int.MinValue and <= int.MaxValue
                    ? JsonValue.Create((int)i) : null;
            case ShapeKind.Long:
                return kind == JsonValueKind.Number && ValueTree.TryReadLong(v, out var l) ? JsonValue.Create(l) : null;
            case ShapeKind.Double or ShapeKind.Float:
                if (kind == JsonValueKind.Number && ValueTree.TryReadDouble(v, out var d))
                {
                    return JsonValue.Create(d);
                }
                // Smithy JSON sends non-finite doubles as strings.
                return v.TryGetValue<string>(out var special) && special is "NaN" or "Infinity" or "-Infinity"
                    ? ValueTree.ParseScalar(special, shape) : null;
            case ShapeKind.Timestamp:
                if (v.TryGetValue<DateTimeOffset>(out var t))
                {
                    return JsonValue.Create(t);
                }
                if (kind == JsonValueKind.Number && ValueTree.TryReadDouble(v, out var seconds) && ValueTree.TryFromEpochSeconds(seconds, out var fromEpoch))
                {
                    return JsonValue.Create(fromEpoch);
                }
                return v.TryGetValue<string>(out var text) && ValueTree.TryParseTimestamp(text, out var parsed) ? JsonValue.Create(parsed) : null;
            default:
                return null;
        }
    }

    private static string Describe(JsonNode wire) => wire.GetValueKind() switch
    {
        JsonValueKind.String => "STRING_VALUE",
        JsonValueKind.Number => "NUMBER_VALUE",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN_VALUE",
        JsonValueKind.Array => "START_ARRAY",
        JsonValueKind.Object => "START_OBJECT",
        _ => "VALUE",
    };

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    private static string LowerCamel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    public static byte[] Encode(JsonObject output, Shape? shape) =>
        JsonSerializer.SerializeToUtf8Bytes(shape is null ? new JsonObject() : ToWire(output, shape, timestampsAsNumbers: true));

    /// <summary>
    /// The wire tree of an output: members renamed to their locationName, timestamps as epoch seconds
    /// (JSON numbers, or DateTimeOffset left for CBOR tag 1 when <paramref name="timestampsAsNumbers"/> is false).
    /// </summary>
    public static JsonNode ToWire(JsonNode value, Shape shape, bool timestampsAsNumbers, string? timestampFormat = null)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Structure:
                var result = new JsonObject();
                foreach (var (name, node) in value.AsObject())
                {
                    if (!shape.Members.TryGetValue(name, out var member))
                    {
                        throw new InvalidOperationException($"Output member {shape.Name}.{name} is not in the model.");
                    }
                    if (node is not null && member.Location is null)
                    {
                        result[member.LocationName ?? name] = ToWire(node, member.Shape, timestampsAsNumbers, member.TimestampFormat);
                    }
                }
                return result;
            case ShapeKind.List:
                return new JsonArray(value.AsArray().OfType<JsonNode>().Select(n => ToWire(n, shape.Member!.Shape, timestampsAsNumbers, shape.Member.TimestampFormat)).ToArray());
            case ShapeKind.Map:
                var map = new JsonObject();
                foreach (var (key, node) in value.AsObject())
                {
                    map[key] = node is null ? null : ToWire(node, shape.Value!.Shape, timestampsAsNumbers, shape.Value.TimestampFormat);
                }
                return map;
            case ShapeKind.Timestamp:
                var t = ValueTree.ReadTimestamp(value);
                return timestampsAsNumbers
                    ? (timestampFormat ?? shape.TimestampFormat) is { } format && format != ValueTree.UnixTimestamp
                        ? JsonValue.Create(ValueTree.FormatTimestamp(t, format))
                        : JsonValue.Create(ValueTree.ToEpochSeconds(t))
                    : JsonValue.Create(t);
            case ShapeKind.Integer or ShapeKind.Long:
                return ValueTree.TryReadLong(value.AsValue(), out var l) ? JsonValue.Create(l) : throw NotA(value, shape);
            case ShapeKind.Double or ShapeKind.Float:
                if (!ValueTree.TryReadDouble(value.AsValue(), out var d))
                {
                    throw NotA(value, shape);
                }
                return double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(ValueTree.FormatDouble(d));
            default:
                return value.DeepClone();
        }
    }

    private static InvalidOperationException NotA(JsonNode value, Shape shape) => new($"{value.ToJsonString()} does not fit shape {shape}.");

    /// <summary>{"__type":"Code","message":"..."}: botocore reads the code after any '#' and the message from message or Message.</summary>
    public static byte[] Error(AwsError error) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["__type"] = error.Code, ["message"] = error.Message });
}
