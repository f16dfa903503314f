using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Logs;

/// <summary>Names, ARNs, retention periods and tag limits of CloudWatch Logs (aws-semantics.md 5.7).</summary>
public static partial class LogNames
{
    public const int MaxNameLength = 512;
    public const int MaxTags = 50;

    /// <summary>The only retention periods PutRetentionPolicy accepts, in days.</summary>
    public static readonly ImmutableArray<int> RetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]+$")]
    private static partial Regex GroupNamePattern();

    public static AwsError? ValidateGroupName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            return LogsErrors.InvalidParameter($"Log group name must be between 1 and {MaxNameLength} characters.");
        if (!GroupNamePattern().IsMatch(name))
            return LogsErrors.InvalidParameter($"Log group name '{name}' may only contain letters, digits and the characters . - _ / #.");
        if (name.StartsWith("aws/", StringComparison.Ordinal))
            return LogsErrors.InvalidParameter("Log group names starting with 'aws/' are reserved.");
        return null;
    }

    public static AwsError? ValidateStreamName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            return LogsErrors.InvalidParameter($"Log stream name must be between 1 and {MaxNameLength} characters.");
        return name.AsSpan().IndexOfAny(':', '*') >= 0
            ? LogsErrors.InvalidParameter($"Log stream name '{name}' may not contain ':' or '*'.")
            : null;
    }

    public static AwsError? ValidateRetention(int days) =>
        RetentionDays.Contains(days)
            ? null
            : LogsErrors.InvalidParameter($"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", RetentionDays)}]");

    public static AwsError? ValidateTags(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count > MaxTags)
            return LogsErrors.InvalidParameter($"A log group can have at most {MaxTags} tags.");
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > Tags.MaxKeyLength || value.Length > Tags.MaxValueLength)
                return LogsErrors.InvalidParameter($"Tag '{key}' is not valid: keys are 1 to {Tags.MaxKeyLength} characters, values at most {Tags.MaxValueLength}.");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                return LogsErrors.InvalidParameter("Tag keys starting with 'aws:' are reserved.");
        }
        return null;
    }

    /// <summary>arn:aws:logs:region:account:log-group:name (the LogGroup's arn field adds ":*").</summary>
    public static string GroupArn(string region, string accountId, string name) => $"arn:aws:logs:{region}:{accountId}:log-group:{name}";

    public static string StreamArn(string groupArn, string stream) => $"{groupArn}:log-stream:{stream}";

    /// <summary>A logGroupIdentifier is a name or a log group ARN (with or without the trailing ":*").</summary>
    public static string GroupNameOf(string identifier)
    {
        if (!identifier.StartsWith("arn:", StringComparison.Ordinal))
            return identifier;
        var marker = identifier.IndexOf(":log-group:", StringComparison.Ordinal);
        if (marker < 0)
            return identifier;
        var name = identifier[(marker + ":log-group:".Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    /// <summary>The group a TagResource ARN names; anything else is not a log group.</summary>
    public static string? GroupNameOfArn(string arn) =>
        arn.StartsWith("arn:aws:logs:", StringComparison.Ordinal) && arn.Contains(":log-group:", StringComparison.Ordinal) && !arn.Contains(":log-stream:", StringComparison.Ordinal)
            ? GroupNameOf(arn)
            : null;
}
