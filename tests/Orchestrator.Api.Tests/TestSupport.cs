using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Auth;
using Orchestrator.Api.Models;
using Orchestrator.Api.Protocols;
using Orchestrator.Api.Routing;

namespace Orchestrator.Api.Tests;

/// <summary>A request botocore sent, recorded by Fixtures/record_requests.py.</summary>
public sealed record RequestFixture(string Name, string Service, string Operation, string Method, string Path, string Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, JsonNode Params)
{
    public static IEnumerable<RequestFixture> All() =>
        Directory.GetFiles(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests"), "*.json").Order(StringComparer.Ordinal).Select(Load);

    public static RequestFixture Load(string file)
    {
        var j = JsonNode.Parse(File.ReadAllText(file))!;
        return new RequestFixture(
            System.IO.Path.GetFileNameWithoutExtension(file),
            (string)j["service"]!, (string)j["operation"]!, (string)j["method"]!, (string)j["path"]!, (string)j["query"]!,
            j["headers"]!.AsObject().Select(h => new KeyValuePair<string, string>(h.Key, (string)h.Value!)).ToList(),
            Convert.FromBase64String((string)j["bodyBase64"]!),
            j["params"]!);
    }

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public SigV4Signature? Signature => SigV4.ParseAuthorization(Header("Authorization"));

    public RouteRequest ToRouteRequest()
    {
        var form = Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true
            ? QueryDecoder.ParseForm(Body)
            : null;
        return new RouteRequest(Method, Path, Header, QueryDecoder.ParseForm(Query), form, Signature);
    }

    public SigV4Request ToSigV4Request() =>
        new(Method, Path, Query, Headers, Header("x-amz-content-sha256") ?? SigV4.Sha256Hex(Body));

    public override string ToString() => Name;
}

public static class Canon
{
    /// <summary>Canonical JSON text: sorted keys, numbers as doubles, timestamps as epoch seconds.</summary>
    public static string Of(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                foreach (var (k, v) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append('"').Append(k).Append("\":");
                    Write(sb, v);
                    sb.Append(',');
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                foreach (var v in a)
                {
                    Write(sb, v);
                    sb.Append(',');
                }
                sb.Append(']');
                break;
            case JsonValue v when v.TryGetValue<DateTimeOffset>(out var t):
                sb.Append(ValueTree.ToEpochSeconds(t).ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValue v when v.TryGetValue<bool>(out var b):
                sb.Append(b ? "true" : "false");
                break;
            case JsonValue v when ValueTree.TryReadDouble(v, out var d):
                sb.Append(Math.Round(d, 3).ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}
