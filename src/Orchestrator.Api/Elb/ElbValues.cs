using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Elb;
using AwsError = Orchestrator.Api.Handlers.AwsError;
using DomainError = Orchestrator.Domain.Common.AwsError;

namespace Orchestrator.Api.Elb;

/// <summary>Reading ELBv2 input trees (tags, actions, conditions, pages) and writing the shapes its actions share.</summary>
internal static class ElbValues
{
    public static string? String(JsonObject? input, string name) => input?[name]?.GetValue<string>();

    public static int? Int(JsonObject? input, string name) => input?[name]?.GetValue<int>();

    public static bool? Bool(JsonObject? input, string name) => input?[name]?.GetValue<bool>();

    public static IReadOnlyList<string> Strings(JsonObject? input, string name) =>
        (input?[name] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();

    public static AwsError ToApi(DomainError error) => new(error.Code, error.Message, error.HttpStatus, Sender: error.HttpStatus < 500);

    /// <summary>A TagList as a map: a key given twice is DuplicateTagKeys.</summary>
    public static Result<ImmutableDictionary<string, string>> Tags(JsonObject input, string name = "Tags")
    {
        var tags = ImmutableDictionary<string, string>.Empty;
        foreach (var tag in (input[name] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = String(tag, "Key") ?? "";
            if (tags.ContainsKey(key))
                return ElbErrors.DuplicateTagKeys(key);
            tags = tags.Add(key, String(tag, "Value") ?? "");
        }
        return tags;
    }

    public static JsonArray TagList(IReadOnlyDictionary<string, string> tags) =>
        new([.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]);

    /// <summary>A list of Key/Value attributes as a map (a later duplicate wins).</summary>
    public static ImmutableDictionary<string, string> Attributes(JsonObject input) =>
        (input["Attributes"] as JsonArray ?? []).OfType<JsonObject>()
            .Aggregate(ImmutableDictionary<string, string>.Empty, (map, a) => map.SetItem(String(a, "Key") ?? "", String(a, "Value") ?? ""));

    public static JsonArray AttributeList(IReadOnlyDictionary<string, string> attributes) =>
        new([.. attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (JsonNode)new JsonObject { ["Key"] = a.Key, ["Value"] = a.Value })]);

    /// <summary>Actions as the domain holds them: a forward's TargetGroupArn and ForwardConfig become one weighted list.</summary>
    public static Result<ImmutableArray<ElbAction>> Actions(JsonArray? actions)
    {
        var parsed = ImmutableArray.CreateBuilder<ElbAction>();
        foreach (var action in (actions ?? []).OfType<JsonObject>())
        {
            var type = String(action, "Type") ?? "";
            var order = Int(action, "Order") ?? 0;
            var forward = action["ForwardConfig"] as JsonObject;
            var groups = (forward?["TargetGroups"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(g => new WeightedTargetGroup(String(g, "TargetGroupArn") ?? "", Int(g, "Weight") ?? 1)).ToImmutableArray();
            if (String(action, "TargetGroupArn") is { } single)
            {
                if (!groups.IsEmpty && (groups.Length != 1 || groups[0].TargetGroupArn != single))
                    return ElbErrors.Validation("TargetGroupArn and ForwardConfig must name the same single target group when both are specified");
                groups = groups.IsEmpty ? [new WeightedTargetGroup(single, 1)] : groups;
            }
            var stickiness = forward?["TargetGroupStickinessConfig"] as JsonObject;
            var redirect = action["RedirectConfig"] as JsonObject;
            var fixedResponse = action["FixedResponseConfig"] as JsonObject;
            parsed.Add(new ElbAction(type, order, type == ElbAction.Forward ? groups : [],
                Bool(stickiness, "Enabled") ?? false, Int(stickiness, "DurationSeconds"),
                redirect is null ? null : new RedirectConfig(String(redirect, "Protocol"), String(redirect, "Port"), String(redirect, "Host"), String(redirect, "Path"),
                    String(redirect, "Query"), String(redirect, "StatusCode") ?? ""),
                fixedResponse is null ? null : new FixedResponseConfig(String(fixedResponse, "StatusCode") ?? "", String(fixedResponse, "ContentType"), String(fixedResponse, "MessageBody"))));
        }
        return parsed.ToImmutable();
    }

    public static JsonArray ActionList(ImmutableArray<ElbAction> actions) => new([.. actions.Select(a => (JsonNode)ActionJson(a))]);

    private static JsonObject ActionJson(ElbAction action)
    {
        var json = new JsonObject { ["Type"] = action.Type, ["Order"] = action.Order };
        if (action.Type == ElbAction.Forward)
        {
            if (action.TargetGroups.Length == 1)
                json["TargetGroupArn"] = action.TargetGroups[0].TargetGroupArn;
            var stickiness = new JsonObject { ["Enabled"] = action.StickinessEnabled };
            if (action.StickinessDurationSeconds is { } duration)
                stickiness["DurationSeconds"] = duration;
            json["ForwardConfig"] = new JsonObject
            {
                ["TargetGroups"] = new JsonArray([.. action.TargetGroups.Select(g => (JsonNode)new JsonObject { ["TargetGroupArn"] = g.TargetGroupArn, ["Weight"] = g.Weight })]),
                ["TargetGroupStickinessConfig"] = stickiness,
            };
        }
        if (action.Redirect is { } r)
            json["RedirectConfig"] = Optional(new JsonObject { ["StatusCode"] = r.StatusCode },
                ("Protocol", r.Protocol), ("Port", r.Port), ("Host", r.Host), ("Path", r.Path), ("Query", r.Query));
        if (action.FixedResponse is { } f)
            json["FixedResponseConfig"] = Optional(new JsonObject { ["StatusCode"] = f.StatusCode }, ("ContentType", f.ContentType), ("MessageBody", f.MessageBody));
        return json;
    }

    /// <summary>Conditions in either form: the legacy Values (host-header and path-pattern only) or the field's config.</summary>
    public static Result<ImmutableArray<RuleCondition>> Conditions(JsonArray? conditions)
    {
        var parsed = ImmutableArray.CreateBuilder<RuleCondition>();
        foreach (var condition in (conditions ?? []).OfType<JsonObject>())
        {
            var field = String(condition, "Field");
            if (field is null)
                return ElbErrors.Validation("A condition must specify a field");
            if (condition["RegexValues"] is not null || new[] { "HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig" }.Any(c => condition[c]?["RegexValues"] is not null))
                return ElbErrors.Validation("Regular expression conditions are not supported by this simulator");
            var legacy = Strings(condition, "Values");
            var config = condition[ConfigName(field)] as JsonObject;
            if (legacy.Count > 0 && config is not null)
                return ElbErrors.Validation($"Values and {ConfigName(field)} cannot both be specified for a '{field}' condition");
            if (legacy.Count > 0 && field is not (RuleCondition.HostHeader or RuleCondition.PathPattern))
                return ElbErrors.Validation($"The Values parameter is not supported for a '{field}' condition: use {ConfigName(field)}");
            parsed.Add(field == RuleCondition.QueryString
                ? new RuleCondition(field, [], null, [.. (config?["Values"] as JsonArray ?? []).OfType<JsonObject>().Select(q => new QueryStringPair(String(q, "Key"), String(q, "Value") ?? ""))])
                : new RuleCondition(field, [.. legacy.Count > 0 ? legacy : Strings(config, "Values")], String(config, "HttpHeaderName"), []));
        }
        return parsed.ToImmutable();
    }

    public static JsonArray ConditionList(ImmutableArray<RuleCondition> conditions) => new([.. conditions.Select(c => (JsonNode)ConditionJson(c))]);

    private static JsonObject ConditionJson(RuleCondition condition)
    {
        JsonArray Values() => new([.. condition.Values.Select(v => (JsonNode)v)]);
        var json = new JsonObject { ["Field"] = condition.Field };
        if (condition.Field is RuleCondition.HostHeader or RuleCondition.PathPattern)
            json["Values"] = Values();
        json[ConfigName(condition.Field)] = condition.Field switch
        {
            RuleCondition.HttpHeader => new JsonObject { ["HttpHeaderName"] = condition.HttpHeaderName, ["Values"] = Values() },
            RuleCondition.QueryString => new JsonObject
            {
                ["Values"] = new JsonArray([.. condition.QueryValues.Select(q => (JsonNode)Optional(new JsonObject { ["Value"] = q.Value }, ("Key", q.Key)))]),
            },
            _ => new JsonObject { ["Values"] = Values() },
        };
        return json;
    }

    private static string ConfigName(string field) => field switch
    {
        RuleCondition.HostHeader => "HostHeaderConfig",
        RuleCondition.PathPattern => "PathPatternConfig",
        RuleCondition.HttpHeader => "HttpHeaderConfig",
        RuleCondition.HttpRequestMethod => "HttpRequestMethodConfig",
        RuleCondition.QueryString => "QueryStringConfig",
        _ => "SourceIpConfig",
    };

    public static JsonObject Optional(JsonObject json, params (string Name, string? Value)[] members)
    {
        foreach (var (name, value) in members)
            if (value is not null)
                json[name] = value;
        return json;
    }

    /// <summary>Marker/PageSize paging: the marker is the offset of the next page.</summary>
    public static Result<(IReadOnlyList<T> Items, string? NextMarker)> Page<T>(IReadOnlyList<T> all, JsonObject input)
    {
        var offset = 0;
        if (String(input, "Marker") is { } marker && !int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            return ElbErrors.Validation($"Invalid marker '{marker}'");
        var size = Int(input, "PageSize") ?? 400;
        var items = all.Skip(offset).Take(size).ToList();
        var next = offset + items.Count < all.Count ? (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
        return (items, next);
    }

    public static JsonObject Paged<T>((IReadOnlyList<T> Items, string? NextMarker) page, string member, Func<T, JsonNode> json)
    {
        var output = new JsonObject { [member] = new JsonArray([.. page.Items.Select(json)]) };
        if (page.NextMarker is { } next)
            output["NextMarker"] = next;
        return output;
    }
}
