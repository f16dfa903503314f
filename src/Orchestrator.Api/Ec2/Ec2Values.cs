using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;
using DomainError = Orchestrator.Domain.Common.AwsError;

namespace Orchestrator.Api.Ec2;

/// <summary>Reading EC2 input trees and writing the shapes every EC2 action shares (tags, errors).</summary>
internal static class Ec2Values
{
    public static string? String(JsonObject input, string name) => input[name]?.GetValue<string>();

    public static int? Int(JsonObject input, string name) => input[name]?.GetValue<int>();

    public static bool Bool(JsonObject input, string name) => input[name]?.GetValue<bool>() ?? false;

    public static IReadOnlyList<string> Strings(JsonObject input, string name) =>
        (input[name] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();

    /// <summary>
    /// A requested Tag list ([{Key, Value}]) as a map; a later duplicate key wins, as AWS applies them in order.
    /// Tags that break EC2's rules refuse the whole request before anything is created.
    /// </summary>
    public static ImmutableDictionary<string, string> TagMap(JsonArray? tags)
    {
        var map = (tags ?? []).OfType<JsonObject>()
            .Aggregate(ImmutableDictionary<string, string>.Empty, (map, tag) => map.SetItem(String(tag, "Key") ?? "", String(tag, "Value") ?? ""));
        var refused = Orchestrator.Domain.Common.Tags.Add(Orchestrator.Domain.Common.Tags.None, map);
        return refused.IsError ? throw new AwsErrorException(ToApi(refused.Error!)) : map;
    }

    /// <summary>The tags a request's TagSpecifications put on one resource type; a spec without a type applies to all.</summary>
    public static ImmutableDictionary<string, string> TagSpecifications(JsonObject input, string resourceType) =>
        (input["TagSpecifications"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(spec => String(spec, "ResourceType") is null || String(spec, "ResourceType") == resourceType)
            .Select(spec => TagMap(spec["Tags"] as JsonArray))
            .Aggregate(ImmutableDictionary<string, string>.Empty, (tags, more) => tags.SetItems(more));

    public static JsonArray Tags(IReadOnlyDictionary<string, string> tags) =>
        new([.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]);

    /// <summary>The domain's errors are AWS errors already; only the envelope type differs.</summary>
    public static AwsError ToApi(DomainError error) => new(error.Code, error.Message, error.HttpStatus, Sender: error.HttpStatus < 500);
}
