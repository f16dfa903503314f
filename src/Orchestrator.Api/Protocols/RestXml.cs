using System.Text.Json.Nodes;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>
/// rest-xml (S3), as far as routing needs: match method + path + query against each operation's
/// requestUri template, bind uri labels, query-string and header members. Bodies are not decoded yet.
/// </summary>
public static class RestXml
{
    public sealed record Match(OperationModel Operation, IReadOnlyDictionary<string, string> Labels);

    /// <summary>The most specific operation whose template fits (literal query keys count most, then literal path segments).</summary>
    public static Match? FindOperation(ServiceModel service, string method, string path, IReadOnlyCollection<KeyValuePair<string, string>> query)
    {
        Match? best = null;
        var bestScore = -1;
        var segments = SplitPath(path);
        foreach (var op in service.Operations)
        {
            if (!string.Equals(op.HttpMethod, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var (template, literalQuery, xId) = ParseTemplate(op.RequestUri);
            if (!literalQuery.All(q => query.Any(p => p.Key == q.Key && (q.Value is null || p.Value == q.Value))))
            {
                continue;
            }
            // A required query-string member is as distinguishing as a literal (AbortMultipartUpload needs uploadId).
            if (op.Input is { } input && input.Members.Any(m => m.Value.Location == "querystring" && input.IsRequired(m.Key)
                    && !query.Any(p => p.Key == (m.Value.LocationName ?? m.Key))))
            {
                continue;
            }
            if (MatchPath(template, segments) is not { } labels)
            {
                continue;
            }
            var score = (literalQuery.Count * 100) + template.Count(s => !s.StartsWith('{'));
            // x-id only disambiguates: it wins when sent, and an operation that expects it loses ties when it is absent.
            if (xId is not null)
            {
                score += query.Any(p => p.Key == "x-id" && p.Value == xId) ? 1000 : -1;
            }
            if (score > bestScore)
            {
                best = new Match(op, labels);
                bestScore = score;
            }
        }
        return best;
    }

    public static JsonObject DecodeInput(Match match, IReadOnlyCollection<KeyValuePair<string, string>> query, Func<string, string?> header)
    {
        var result = new JsonObject();
        if (match.Operation.Input is not { } shape)
        {
            return result;
        }
        foreach (var (name, member) in shape.Members)
        {
            var wire = member.LocationName ?? name;
            string? text = member.Location switch
            {
                "uri" => match.Labels.GetValueOrDefault(wire),
                "querystring" => query.FirstOrDefault(p => p.Key == wire).Value,
                "header" => header(wire),
                _ => null,
            };
            if (text is null)
            {
                continue;
            }
            result[name] = ValueTree.ParseScalar(text, member.Shape)
                ?? throw InputException.Single(InputIssueKind.WrongType, wire, name, text, $"Member must be of type {ValueTree.TypeName(member.Shape.Kind)}");
        }
        InputValidator.Validate(result, shape, AwsProtocol.RestXml);
        return result;
    }

    /// <summary>Header-bound output members, as (header name, text).</summary>
    public static IEnumerable<KeyValuePair<string, string>> OutputHeaders(JsonObject output, Shape? shape)
    {
        if (shape is null)
        {
            yield break;
        }
        foreach (var (name, member) in shape.Members)
        {
            if (member.Location == "header" && output[name] is { } value)
            {
                yield return new(member.LocationName ?? name, ValueTree.ScalarText(value, member, ValueTree.Rfc822));
            }
        }
    }

    /// <summary>The XML body of an output, or null when every member is bound to headers or the status code.</summary>
    public static byte[]? OutputBody(ServiceModel service, OperationModel operation, JsonObject output)
    {
        if (operation.Output is not { } shape || !shape.Members.Values.Any(m => m.Location is null) || output.Count == 0)
        {
            return null;
        }
        return XmlEncoder.RestXmlBody(service, shape.LocationName ?? operation.Name + "Result", output, shape);
    }

    private static string[] SplitPath(string path) =>
        path.TrimStart('/').Length == 0 ? [] : path.TrimStart('/').Split('/');

    private static (string[] Template, List<KeyValuePair<string, string?>> Query, string? XId) ParseTemplate(string requestUri)
    {
        string? xId = null;
        var q = requestUri.IndexOf('?', StringComparison.Ordinal);
        var pathPart = q < 0 ? requestUri : requestUri[..q];
        var literal = new List<KeyValuePair<string, string?>>();
        if (q >= 0)
        {
            foreach (var part in requestUri[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? part : part[..eq];
                // botocore adds x-id=<Op> to disambiguate; servers treat it as optional.
                if (key == "x-id")
                {
                    xId = eq < 0 ? null : part[(eq + 1)..];
                }
                else
                {
                    literal.Add(new(key, eq < 0 ? null : part[(eq + 1)..]));
                }
            }
        }
        return (SplitPath(pathPart), literal, xId);
    }

    private static Dictionary<string, string>? MatchPath(string[] template, string[] segments)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < template.Length; i++)
        {
            var t = template[i];
            if (t.StartsWith('{') && t.EndsWith("+}", StringComparison.Ordinal))
            {
                if (i >= segments.Length)
                {
                    return null;
                }
                labels[t[1..^2]] = Uri.UnescapeDataString(string.Join('/', segments[i..]));
                return labels;
            }
            if (i >= segments.Length || segments[i].Length == 0)
            {
                return null;
            }
            if (t.StartsWith('{'))
            {
                labels[t[1..^1]] = Uri.UnescapeDataString(segments[i]);
            }
            else if (t != segments[i])
            {
                return null;
            }
        }
        // "/bucket/" still names the bucket.
        var rest = segments.Skip(template.Length);
        return rest.All(s => s.Length == 0) ? labels : null;
    }
}
