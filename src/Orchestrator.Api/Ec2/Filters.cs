using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Api.Handlers;

namespace Orchestrator.Api.Ec2;

/// <summary>
/// EC2's Filter.N.Name / Filter.N.Value.M: every filter must match (AND), any of its values may
/// (OR); values take the * and ? wildcards. An unknown filter name is refused, as EC2 does.
/// </summary>
public sealed class Filters
{
    private readonly List<(string Name, List<Regex> Values)> _filters;

    private Filters(List<(string, List<Regex>)> filters) => _filters = filters;

    /// <summary>Reads the request's filters; a name outside <paramref name="known"/> (or tag:*) is refused before anything is matched.</summary>
    public static Filters Parse(JsonObject input, IReadOnlySet<string> known)
    {
        var filters = (input["Filters"] as JsonArray ?? []).OfType<JsonObject>().Select(f => (
            Name: f["Name"]?.GetValue<string>() ?? "null",
            Values: (f["Values"] as JsonArray ?? []).Select(v => Wildcard(v!.GetValue<string>())).ToList())).ToList();
        foreach (var (name, _) in filters)
            if (!known.Contains(name) && !name.StartsWith("tag:", StringComparison.Ordinal))
                throw new AwsErrorException(new AwsError("InvalidParameterValue", $"The filter '{name}' is invalid"));
        return new(filters);
    }

    /// <summary>valuesOf answers a (known) filter name with the resource's values for it.</summary>
    public bool Matches(Func<string, IReadOnlyList<string>?> valuesOf)
    {
        foreach (var (name, patterns) in _filters)
        {
            var values = valuesOf(name) ?? [];
            if (!values.Any(value => patterns.Any(p => p.IsMatch(value))))
                return false;
        }
        return true;
    }

    private static Regex Wildcard(string value) =>
        new("^" + Regex.Escape(value).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}

/// <summary>MaxResults / NextToken pagination over a described list (the token is an opaque offset).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken, AwsError? Error);

public static class Page
{
    public static Page<T> Of<T>(IReadOnlyList<T> all, JsonObject input, int min = 5, int max = 1000)
    {
        var maxResults = input["MaxResults"]?.GetValue<int>();
        if (maxResults is not null && input["InstanceIds"] is JsonArray { Count: > 0 })
            return new([], null, new AwsError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults"));
        if (maxResults is { } size && (size < min || size > max))
            return new([], null, new AwsError("InvalidParameterValue", $"Value ( {size} ) for parameter maxResults is invalid. Expecting a value between {min} and {max}."));
        var offset = 0;
        if (input["NextToken"]?.GetValue<string>() is { } token)
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return new([], null, new AwsError("InvalidParameterValue", $"Invalid value '{token}' for nextToken"));
            }
        }
        var take = maxResults ?? int.MaxValue;
        var items = all.Skip(offset).Take(take).ToList();
        var next = offset + items.Count < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;
        return new(items, next, null);
    }
}
