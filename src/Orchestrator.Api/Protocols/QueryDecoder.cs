using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>
/// Decodes form parameters of the query and EC2 protocols (botocore QuerySerializer / EC2Serializer) into a typed tree.
/// Query: lists Name.member.N (or Name.&lt;locationName&gt;.N), flattened Name.N, maps Name.entry.N.key/value,
/// "Name=" is an empty list. EC2: member names queryName, else capitalised locationName; lists always Name.N.
/// </summary>
public sealed class QueryDecoder
{
    /// <summary>Parameters that belong to the envelope or to SigV2/SigV4 query auth, never to the input shape.</summary>
    private static readonly HashSet<string> EnvelopeParameters = new(StringComparer.Ordinal)
    {
        "Action", "Version", "AWSAccessKeyId", "SignatureMethod", "SignatureVersion", "Signature", "Timestamp", "Expires",
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token",
    };

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _prefixes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    private readonly AwsProtocol _protocol;

    private QueryDecoder(IEnumerable<KeyValuePair<string, string>> parameters, AwsProtocol protocol)
    {
        _protocol = protocol;
        foreach (var (key, value) in parameters)
        {
            if (EnvelopeParameters.Contains(key) || !_values.TryAdd(key, value))
            {
                continue;
            }
            for (var dot = key.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = key.IndexOf('.', dot + 1))
            {
                _prefixes.Add(key[..dot]);
            }
        }
    }

    public static JsonObject Decode(IEnumerable<KeyValuePair<string, string>> parameters, Shape? input, AwsProtocol protocol)
    {
        var decoder = new QueryDecoder(parameters, protocol);
        var result = input is null ? [] : decoder.DecodeStructure(input, "", "") ?? [];
        // EC2 rejects parameters it does not know; Coral query services ignore them.
        if (protocol == AwsProtocol.Ec2 && decoder._values.Keys.FirstOrDefault(k => !decoder._consumed.Contains(k)) is { } unknown)
        {
            throw InputException.Single(InputIssueKind.UnknownParameter, unknown, unknown, decoder._values[unknown], "not recognized");
        }
        if (input is not null)
        {
            InputValidator.Validate(result, input, protocol);
        }
        return result;
    }

    /// <summary>Splits an application/x-www-form-urlencoded string ('+' is a space) into ordered pairs.</summary>
    public static List<KeyValuePair<string, string>> ParseForm(string body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in body.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add(new(Unescape(key), Unescape(value)));
        }
        return pairs;
    }

    public static List<KeyValuePair<string, string>> ParseForm(ReadOnlySpan<byte> body) => ParseForm(Encoding.UTF8.GetString(body));

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private bool Has(string key) => _values.ContainsKey(key) || _prefixes.Contains(key);

    private JsonObject? DecodeStructure(Shape shape, string prefix, string modelPath)
    {
        JsonObject? result = null;
        foreach (var (name, member) in shape.Members)
        {
            var wire = InputValidator.WireName(member, _protocol);
            var key = prefix.Length == 0 ? wire : $"{prefix}.{wire}";
            var model = modelPath.Length == 0 ? LowerCamel(name) : $"{modelPath}.{LowerCamel(name)}";
            if (DecodeValue(member, key, model) is { } value)
            {
                (result ??= [])[name] = value;
            }
        }
        return result;
    }

    private JsonNode? DecodeValue(MemberRef member, string key, string model)
    {
        var shape = member.Shape;
        switch (shape.Kind)
        {
            case ShapeKind.Structure:
                return _prefixes.Contains(key) ? DecodeStructure(shape, key, model) : null;
            case ShapeKind.List:
                return DecodeList(member, key, model);
            case ShapeKind.Map:
                return DecodeMap(member, key, model);
            default:
                if (!_values.TryGetValue(key, out var text))
                {
                    return null;
                }
                _consumed.Add(key);
                return ValueTree.ParseScalar(text, shape)
                    ?? throw InputException.Single(InputIssueKind.WrongType, key, model, text,
                        $"Member must be of type {ValueTree.TypeName(shape.Kind)}");
        }
    }

    private JsonArray? DecodeList(MemberRef member, string key, string model)
    {
        var element = member.Shape.Member!;
        string elementPrefix;
        if (_protocol == AwsProtocol.Ec2)
        {
            elementPrefix = key;
        }
        else if (member.Flattened)
        {
            // A flattened list whose element has its own locationName replaces the last name segment (botocore).
            elementPrefix = element.LocationName is { } name
                ? (key.LastIndexOf('.') is var dot and >= 0 ? key[..(dot + 1)] : "") + name
                : key;
        }
        else
        {
            elementPrefix = $"{key}.{element.LocationName ?? "member"}";
        }
        if (_values.TryGetValue(key, out var marker) && marker.Length == 0 && !_prefixes.Contains(key))
        {
            _consumed.Add(key);
            return [];
        }
        JsonArray? list = null;
        for (var i = 1; Has($"{elementPrefix}.{i}"); i++)
        {
            var value = DecodeValue(element, $"{elementPrefix}.{i}", $"{model}.{i}.member");
            (list ??= []).Add(value);
        }
        return list;
    }

    private JsonObject? DecodeMap(MemberRef member, string key, string model)
    {
        var shape = member.Shape;
        var entryPrefix = member.Flattened ? key : $"{key}.entry";
        var keyName = shape.Key!.LocationName ?? "key";
        var valueName = shape.Value!.LocationName ?? "value";
        JsonObject? map = null;
        for (var i = 1; Has($"{entryPrefix}.{i}"); i++)
        {
            var k = DecodeValue(shape.Key, $"{entryPrefix}.{i}.{keyName}", $"{model}.{i}.key");
            if (k is null)
            {
                throw InputException.Single(InputIssueKind.Missing, $"{entryPrefix}.{i}.{keyName}", $"{model}.{i}.key", null, "Member must not be null");
            }
            (map ??= [])[k.GetValue<string>()] = DecodeValue(shape.Value, $"{entryPrefix}.{i}.{valueName}", $"{model}.{i}.value");
        }
        return map;
    }

    private static string LowerCamel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
