using System.Collections.Immutable;

namespace Orchestrator.Domain.Common;

/// <summary>A DeleteTags entry: without a value the key goes whatever its value; with one, only when the value matches (an empty string matches only an empty value).</summary>
public sealed record TagRemoval(string Key, string? Value = null);

/// <summary>EC2 tag rules shared by every taggable resource: limits and how CreateTags/DeleteTags change a set.</summary>
public static class Tags
{
    public const int MaxTagsPerResource = 50;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    public static readonly ImmutableDictionary<string, string> None = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Checks keys and values as EC2 does; the aws: prefix belongs to AWS.</summary>
    public static AwsError? Validate(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            if (key.Length == 0)
                return AwsError.InvalidParameterValue("Tag key cannot be empty");
            if (key.Length > MaxKeyLength)
                return AwsError.InvalidParameterValue($"Tag key exceeds the maximum length of {MaxKeyLength} characters");
            if (value.Length > MaxValueLength)
                return AwsError.InvalidParameterValue($"Tag value exceeds the maximum length of {MaxValueLength} characters");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                return AwsError.InvalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
        }
        return null;
    }

    /// <summary>The tag set after CreateTags; more than 50 tags on one resource is TagLimitExceeded.</summary>
    public static Result<ImmutableDictionary<string, string>> Add(ImmutableDictionary<string, string> current, IReadOnlyDictionary<string, string> added)
    {
        if (Validate(added) is { } error)
            return error;
        var next = current.SetItems(added);
        return next.Count > MaxTagsPerResource
            ? new AwsError("TagLimitExceeded", $"The maximum number of tags per resource ({MaxTagsPerResource}) has been exceeded")
            : next;
    }

    /// <summary>The tag set after DeleteTags; removing an absent tag is not an error.</summary>
    public static ImmutableDictionary<string, string> Remove(ImmutableDictionary<string, string> current, IEnumerable<TagRemoval> removals)
    {
        var next = current;
        foreach (var removal in removals)
        {
            if (next.TryGetValue(removal.Key, out var value) && (removal.Value is null || removal.Value == value))
                next = next.Remove(removal.Key);
        }
        return next;
    }
}
