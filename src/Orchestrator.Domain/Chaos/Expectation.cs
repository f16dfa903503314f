using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Domain.Chaos;

/// <summary>
/// One assertion of a drill step, in a small language:
/// <c>&lt;subject-kind&gt; &lt;name&gt; &lt;property&gt; [op] &lt;value&gt; [within &lt;duration&gt;]</c>, for example
/// "asg web in-service >= 3 within 5m", "target-group web healthy >= 2 within 3m",
/// "alarm cpu-high state ALARM within 4m", "zone us-east-1a state unavailable",
/// "instance i-0123456789abcdef0 internet yes within 2m" (egress on tcp/443),
/// "db orders primary-az us-east-1b within 3m", "db orders serving yes". Without within it
/// is checked once, right after the step's action; with it, it passes as soon as it holds before
/// the deadline and fails at the deadline with the value last observed.
/// </summary>
public sealed record Expectation(string Text, string SubjectKind, string Subject, string Property, string Operator, string Value, TimeSpan Within)
{
    /// <summary>The properties each kind of subject has; counts compare as numbers, states as words.</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> Properties = new Dictionary<string, ImmutableArray<string>>
    {
        ["zone"] = ["state", "running"],
        ["asg"] = ["in-service", "desired", "instances"],
        ["target-group"] = ["healthy", "unhealthy"],
        ["alarm"] = ["state"],
        ["instance"] = ["internet"],
        ["db"] = ["status", "primary-az", "serving"],
    }.ToImmutableDictionary();

    private static readonly ImmutableArray<string> Operators = ["==", "=", "!=", ">=", "<=", ">", "<"];

    public static Expectation Parse(string text)
    {
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var within = TimeSpan.Zero;
        if (tokens.Length >= 2 && tokens[^2] == "within")
        {
            if (!SimDuration.TryParse(tokens[^1], out within))
                throw new FormatException($"'{text}': within needs a duration like 90s, 5m or 1h, got '{tokens[^1]}'");
            tokens = tokens[..^2];
        }
        if (tokens.Length is < 4 or > 5)
            throw new FormatException($"'{text}': expected <kind> <name> <property> [op] <value> [within <duration>]");
        var (kind, subject, property) = (tokens[0], tokens[1], tokens[2]);
        if (!Properties.TryGetValue(kind, out var properties))
            throw new FormatException($"'{text}': unknown subject '{kind}' (known: {string.Join(", ", Properties.Keys.Order(StringComparer.Ordinal))})");
        if (!properties.Contains(property))
            throw new FormatException($"'{text}': {kind} has no property '{property}' (known: {string.Join(", ", properties)})");
        var op = tokens.Length == 5 ? tokens[3] : "==";
        if (!Operators.Contains(op))
            throw new FormatException($"'{text}': unknown comparison '{op}' (known: {string.Join(" ", Operators)})");
        var value = tokens[^1];
        var numeric = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        if (op is not ("==" or "=" or "!=") && !numeric)
            throw new FormatException($"'{text}': {op} compares numbers, got '{value}'");
        return new Expectation(text.Trim(), kind, subject, property, op == "=" ? "==" : op, value, within);
    }

    /// <summary>Whether the observed value satisfies the expectation (null: nothing could be observed, which never passes).</summary>
    public bool IsMetBy(string? observed)
    {
        if (observed is null)
            return false;
        if (double.TryParse(observed, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual)
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected))
            return Operator switch
            {
                "==" => actual == expected,
                "!=" => actual != expected,
                ">=" => actual >= expected,
                "<=" => actual <= expected,
                ">" => actual > expected,
                _ => actual < expected,
            };
        var equal = string.Equals(observed, Value, StringComparison.OrdinalIgnoreCase);
        return Operator == "!=" ? !equal : Operator == "==" && equal;
    }
}
