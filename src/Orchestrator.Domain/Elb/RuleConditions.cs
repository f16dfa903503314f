using System.Collections.Immutable;
using System.Net;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// Rule conditions as AWS accepts them: at most one host-header, http-request-method, path-pattern
/// and source-ip per rule (http-header and query-string may repeat), up to three values per
/// condition, five per rule and five wildcards per rule.
/// </summary>
public static class RuleConditions
{
    public const int MaxValuesPerCondition = 3;
    public const int MaxValuesPerRule = 5;
    public const int MaxWildcardsPerRule = 5;
    public const int MaxValueLength = 128;

    private static readonly ImmutableHashSet<string> Fields =
    [
        RuleCondition.HostHeader, RuleCondition.PathPattern, RuleCondition.HttpHeader,
        RuleCondition.HttpRequestMethod, RuleCondition.QueryString, RuleCondition.SourceIp,
    ];

    private static readonly ImmutableHashSet<string> OncePerRule =
        [RuleCondition.HostHeader, RuleCondition.PathPattern, RuleCondition.HttpRequestMethod, RuleCondition.SourceIp];

    public static AwsError? Validate(ImmutableArray<RuleCondition> conditions)
    {
        if (conditions.IsDefaultOrEmpty)
            return ElbErrors.Validation("A rule must have at least one condition");
        foreach (var condition in conditions)
        {
            if (!Fields.Contains(condition.Field))
                return ElbErrors.Validation($"Condition field '{condition.Field}' is not valid");
            if (CheckCondition(condition) is { } error)
                return error;
        }
        if (conditions.GroupBy(c => c.Field).FirstOrDefault(g => OncePerRule.Contains(g.Key) && g.Count() > 1) is { } repeated)
            return ElbErrors.Validation($"A rule can have only one '{repeated.Key}' condition");
        if (conditions.Sum(Count) > MaxValuesPerRule)
            return ElbErrors.Validation($"A rule can have at most {MaxValuesPerRule} condition values");
        var wildcards = conditions.SelectMany(c => c.Values.Concat(c.QueryValues.SelectMany(q => new[] { q.Key ?? "", q.Value })))
            .Sum(v => v.Count(ch => ch is '*' or '?'));
        if (wildcards > MaxWildcardsPerRule)
            return ElbErrors.Validation($"A rule can have at most {MaxWildcardsPerRule} wildcards");
        return null;
    }

    private static int Count(RuleCondition condition) => condition.Field == RuleCondition.QueryString ? condition.QueryValues.Length : condition.Values.Length;

    private static AwsError? CheckCondition(RuleCondition condition)
    {
        var count = Count(condition);
        if (count == 0)
            return ElbErrors.Validation($"A '{condition.Field}' condition must have at least one value");
        if (count > MaxValuesPerCondition)
            return ElbErrors.Validation($"A '{condition.Field}' condition can have at most {MaxValuesPerCondition} values");
        var values = condition.Values;
        if (values.FirstOrDefault(v => v.Length > MaxValueLength) is { } tooLong)
            return ElbErrors.Validation($"Condition value '{tooLong}' is longer than {MaxValueLength} characters");
        return condition.Field switch
        {
            RuleCondition.HostHeader => values.FirstOrDefault(v => v.Length == 0 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '*' or '?')) is { } bad
                ? ElbErrors.Validation($"Host header value '{bad}' can contain only letters, digits, hyphens, periods and the wildcards * and ?")
                : null,
            RuleCondition.PathPattern => values.FirstOrDefault(v => v.Length == 0 || v.Any(char.IsWhiteSpace)) is { } bad
                ? ElbErrors.Validation($"Path pattern '{bad}' is not valid")
                : null,
            RuleCondition.HttpHeader => CheckHeader(condition),
            RuleCondition.HttpRequestMethod => values.FirstOrDefault(v => v.Length is 0 or > 40 || !v.All(c => char.IsAsciiLetterUpper(c) || c is '-' or '_')) is { } bad
                ? ElbErrors.Validation($"HTTP request method '{bad}' can contain only uppercase letters, hyphens and underscores")
                : null,
            RuleCondition.QueryString => condition.QueryValues.FirstOrDefault(q => q.Value.Length == 0 || q.Value.Length > MaxValueLength || q.Key is { Length: > MaxValueLength }) is { } bad
                ? ElbErrors.Validation($"Query string value '{bad.Key}={bad.Value}' is not valid: the value is required")
                : null,
            _ => values.FirstOrDefault(v => !IPNetwork.TryParse(v, out _) || v == "255.255.255.255/32") is { } bad
                ? ElbErrors.Validation($"Source IP '{bad}' is not a valid CIDR block")
                : null,
        };
    }

    private static AwsError? CheckHeader(RuleCondition condition) =>
        condition.HttpHeaderName is not { Length: > 0 and <= 40 } name || name.Any(c => c is '*' or '?' || char.IsWhiteSpace(c))
            ? ElbErrors.Validation($"HTTP header name '{condition.HttpHeaderName}' is not valid: it is required, without wildcards")
            : null;
}
