using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>
/// A metric's identity as CloudWatch has it: namespace, name and the exact dimension set (sorted
/// by name, so the order a caller sends them in never makes a second series).
/// </summary>
public sealed record MetricKey(string Namespace, string MetricName, ImmutableSortedDictionary<string, string> Dimensions)
{
    public const int MaxDimensions = 30;
    public const int MaxNameLength = 255;
    public const int MaxDimensionValueLength = 1024;

    public static MetricKey Of(string metricNamespace, string metricName, IEnumerable<KeyValuePair<string, string>> dimensions) =>
        new(metricNamespace, metricName, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, dimensions));

    /// <summary>
    /// The series' entity id: each part escaped, so '/' and '=' separate unambiguously and the id
    /// stays printable (PersistenceIds hashes it when it grows past the journal's id length).
    /// </summary>
    public string EntityId() =>
        string.Join('/', new[] { Namespace, MetricName }.Concat(Dimensions.Select(d => $"{Uri.EscapeDataString(d.Key)}={Uri.EscapeDataString(d.Value)}"))
            .Select((part, i) => i < 2 ? Uri.EscapeDataString(part) : part));

    public bool Equals(MetricKey? other) => other is not null && EntityId() == other.EntityId();

    public override int GetHashCode() => EntityId().GetHashCode(StringComparison.Ordinal);

    /// <summary>Namespace rules; AWS/ belongs to AWS's own services (our simulated resources publish there through the sink, callers may not).</summary>
    public static AwsError? ValidateNamespace(string? metricNamespace, bool allowReserved = false)
    {
        if (string.IsNullOrEmpty(metricNamespace))
            return AwsError.MissingParameter("The parameter Namespace is required.");
        if (metricNamespace.Length > MaxNameLength || metricNamespace.StartsWith(':') || !IsPrintableAscii(metricNamespace)
            || (!allowReserved && metricNamespace.StartsWith("AWS/", StringComparison.Ordinal)))
            return AwsError.InvalidParameterValue($"The value {metricNamespace} for parameter Namespace is invalid.");
        return null;
    }

    /// <summary>A metric name and dimension set, as each MetricDatum (or query) names them; <paramref name="path"/> is the wire prefix for messages.</summary>
    public static Result<MetricKey> Create(string metricNamespace, string? metricName, IReadOnlyList<(string? Name, string? Value)> dimensions, string path)
    {
        if (string.IsNullOrEmpty(metricName))
            return AwsError.MissingParameter($"The parameter {path}MetricName is required.");
        if (metricName.Length > MaxNameLength)
            return AwsError.InvalidParameterValue($"The parameter {path}MetricName must be at most {MaxNameLength} characters.");
        if (dimensions.Count > MaxDimensions)
            return AwsError.InvalidParameterValue($"The collection {path}Dimensions must not have a size greater than {MaxDimensions}.");
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < dimensions.Count; i++)
        {
            var (name, value) = dimensions[i];
            var at = $"{path}Dimensions.member.{i + 1}";
            if (string.IsNullOrEmpty(name))
                return AwsError.MissingParameter($"The parameter {at}.Name is required.");
            if (string.IsNullOrEmpty(value))
                return AwsError.MissingParameter($"The parameter {at}.Value is required.");
            if (name.Length > MaxNameLength || name.StartsWith(':') || name.Any(char.IsWhiteSpace) || !IsPrintableAscii(name))
                return AwsError.InvalidParameterValue($"The value {name} for parameter {at}.Name is invalid.");
            if (value.Length > MaxDimensionValueLength || !IsPrintableAscii(value))
                return AwsError.InvalidParameterValue($"The value {value} for parameter {at}.Value is invalid.");
            if (!builder.TryAdd(name, value))
                return AwsError.InvalidParameterValue($"No metric may have duplicate dimension names: {name}.");
        }
        return new MetricKey(metricNamespace, metricName, builder.ToImmutable());
    }

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= ' ' and < '\u007f');
}
