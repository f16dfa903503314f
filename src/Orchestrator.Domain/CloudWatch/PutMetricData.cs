using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>StatisticValues as sent.</summary>
public sealed record StatisticSetInput(double? SampleCount, double? Sum, double? Minimum, double? Maximum);

/// <summary>One MetricDatum as sent, before validation.</summary>
public sealed record MetricDatumInput(
    string? MetricName,
    IReadOnlyList<(string? Name, string? Value)> Dimensions,
    DateTimeOffset? Timestamp = null,
    double? Value = null,
    IReadOnlyList<double>? Values = null,
    IReadOnlyList<double>? Counts = null,
    StatisticSetInput? StatisticValues = null,
    string? Unit = null,
    int? StorageResolution = null);

/// <summary>PutMetricData's rules (aws-semantics.md 5.1): a request is accepted whole or refused with the first problem found.</summary>
public static class PutMetricData
{
    public const int MaxMetricData = 1000;
    public const int MaxValues = 150;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(2);
    private static readonly double MaxMagnitude = Math.Pow(2, 360);

    /// <summary>The samples per series; <paramref name="allowReserved"/> lets our own resources publish to AWS/ namespaces.</summary>
    public static Result<IReadOnlyList<(MetricKey Key, Sample Sample)>> Validate(string? metricNamespace, IReadOnlyList<MetricDatumInput> data, DateTimeOffset now,
        bool allowReserved = false)
    {
        if (MetricKey.ValidateNamespace(metricNamespace, allowReserved) is { } badNamespace)
            return badNamespace;
        if (data.Count == 0)
            return AwsError.MissingParameter("The parameter MetricData is required.");
        if (data.Count > MaxMetricData)
            return AwsError.InvalidParameterValue($"The collection MetricData must not have a size greater than {MaxMetricData}.");
        var accepted = new List<(MetricKey, Sample)>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var path = $"MetricData.member.{i + 1}.";
            var datum = data[i];
            var key = MetricKey.Create(metricNamespace!, datum.MetricName, datum.Dimensions, path);
            if (key.IsError)
                return key.Error!;
            var sample = ToSample(datum, path, now);
            if (sample.IsError)
                return sample.Error!;
            accepted.Add((key.Value, sample.Value));
        }
        return accepted;
    }

    private static Result<Sample> ToSample(MetricDatumInput datum, string path, DateTimeOffset now)
    {
        var timestamp = datum.Timestamp ?? now;
        if (timestamp < now - MaxAge)
            return AwsError.InvalidParameterValue($"The parameter {path}Timestamp must specify a time no more than two weeks in the past.");
        if (timestamp > now + MaxAhead)
            return AwsError.InvalidParameterValue($"The parameter {path}Timestamp must specify a time no more than two hours in the future.");
        var resolution = datum.StorageResolution ?? 60;
        if (resolution is not (1 or 60))
            return AwsError.InvalidParameterValue($"The parameter {path}StorageResolution must be 1 or 60.");
        var unit = datum.Unit ?? "None";
        var given = new[] { datum.Value is not null, datum.StatisticValues is not null, datum.Values is { Count: > 0 } }.Count(g => g);
        if (given > 1)
            return AwsError.InvalidParameterCombination($"The parameters {path}Value, {path}StatisticValues and {path}Values are mutually exclusive: specify only one.");
        if (datum.Counts is { Count: > 0 } && datum.Values is not { Count: > 0 })
            return AwsError.InvalidParameterCombination($"The parameter {path}Counts requires {path}Values.");
        if (datum.Value is { } value)
        {
            return Invalid(value) is { } bad ? AwsError.InvalidParameterValue($"The value {bad} for parameter {path}Value is invalid.")
                : new Sample(timestamp, resolution, Aggregate.OfValues(unit, [new ValueCount(value, 1)]));
        }
        if (datum.StatisticValues is { } set)
        {
            if (set.SampleCount is not { } count || set.Sum is not { } sum || set.Minimum is not { } min || set.Maximum is not { } max)
                return AwsError.MissingParameter($"The parameter {path}StatisticValues requires SampleCount, Sum, Minimum and Maximum.");
            if (new[] { count, sum, min, max }.FirstOrDefault(v => Invalid(v) is not null) is var badValue && Invalid(badValue) is { } text)
                return AwsError.InvalidParameterValue($"The value {text} for parameter {path}StatisticValues is invalid.");
            if (count <= 0 || min > max)
                return AwsError.InvalidParameterValue($"The parameter {path}StatisticValues is invalid: SampleCount must be positive and Minimum at most Maximum.");
            return new Sample(timestamp, resolution, Aggregate.OfStatistics(unit, count, sum, min, max));
        }
        if (datum.Values is { Count: > 0 } values)
        {
            if (values.Count > MaxValues)
                return AwsError.InvalidParameterValue($"The collection {path}Values must not have a size greater than {MaxValues}.");
            var counts = datum.Counts is { Count: > 0 } c ? c : [.. values.Select(_ => 1.0)];
            if (counts.Count != values.Count)
                return AwsError.InvalidParameterValue($"The parameters {path}Values and {path}Counts must be of the same size.");
            if (values.Concat(counts).FirstOrDefault(v => Invalid(v) is not null) is var badValue && Invalid(badValue) is { } text)
                return AwsError.InvalidParameterValue($"The value {text} for parameter {path}Values is invalid.");
            if (counts.Any(n => n < 0))
                return AwsError.InvalidParameterValue($"The parameter {path}Counts must not hold negative counts.");
            if (counts.All(n => n == 0))
                return AwsError.InvalidParameterValue($"The parameter {path}Counts must count at least one sample.");
            return new Sample(timestamp, resolution, Aggregate.OfValues(unit, [.. values.Zip(counts, (v, n) => new ValueCount(v, n))]));
        }
        return AwsError.MissingParameter($"One of the parameters {path}Value, {path}StatisticValues or {path}Values must be specified.");
    }

    /// <summary>NaN, infinities and magnitudes beyond 2^360 are refused; the text names the value.</summary>
    private static string? Invalid(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > MaxMagnitude ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The samples grouped per series, in request order: one command (so one event) per series.</summary>
    public static IReadOnlyList<(MetricKey Key, ImmutableArray<Sample> Samples)> BySeries(IEnumerable<(MetricKey Key, Sample Sample)> samples) =>
        [.. samples.GroupBy(s => s.Key).Select(g => (g.Key, g.Select(s => s.Sample).ToImmutableArray()))];
}
