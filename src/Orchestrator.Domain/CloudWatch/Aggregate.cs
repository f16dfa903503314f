using System.Collections.Immutable;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>A value and how many samples had it (PutMetricData's Values/Counts).</summary>
public sealed record ValueCount(double Value, double Count);

/// <summary>
/// What CloudWatch keeps of the samples in one bucket (a second or a minute) of one unit: the
/// statistic set, and their distribution for percentiles while every sample came with its value
/// (Complete). StatisticValues carry no values: a bucket holding one cannot give percentiles.
/// The distribution is bounded at <see cref="MaxDistinctValues"/>: beyond it the two closest
/// values merge into their weighted mean, so a percentile stays within the gap they spanned.
/// </summary>
public sealed record Aggregate(string Unit, double SampleCount, double Sum, double Minimum, double Maximum, ImmutableArray<ValueCount> Values, bool Complete)
{
    public const int MaxDistinctValues = 150;

    public static Aggregate OfValues(string unit, IReadOnlyList<ValueCount> values)
    {
        var positive = values.Where(v => v.Count > 0).ToList();
        return new Aggregate(unit, positive.Sum(v => v.Count), positive.Sum(v => v.Value * v.Count), positive.Min(v => v.Value), positive.Max(v => v.Value),
            Compact(positive.GroupBy(v => v.Value).Select(g => new ValueCount(g.Key, g.Sum(v => v.Count))).OrderBy(v => v.Value)), true);
    }

    public static Aggregate OfStatistics(string unit, double sampleCount, double sum, double minimum, double maximum) =>
        new(unit, sampleCount, sum, minimum, maximum, [], false);

    public double Average => Sum / SampleCount;

    public Aggregate Merge(Aggregate other)
    {
        var complete = Complete && other.Complete;
        return new Aggregate(Unit, SampleCount + other.SampleCount, Sum + other.Sum, Math.Min(Minimum, other.Minimum), Math.Max(Maximum, other.Maximum),
            complete ? Compact(Values.Concat(other.Values).GroupBy(v => v.Value).Select(g => new ValueCount(g.Key, g.Sum(v => v.Count))).OrderBy(v => v.Value)) : [],
            complete);
    }

    /// <summary>
    /// The nearest-rank percentile (the smallest value with at least p% of the samples at or
    /// below it); null when the distribution is unknown. p100 is the maximum, as in CloudWatch.
    /// </summary>
    public double? Percentile(double p)
    {
        if (!Complete || SampleCount <= 0)
            return null;
        if (p >= 100)
            return Maximum;
        var rank = Math.Max(1, Math.Ceiling(p / 100 * SampleCount - 1e-9));
        var seen = 0.0;
        foreach (var v in Values)
        {
            seen += v.Count;
            if (seen >= rank - 1e-9)
                return v.Value;
        }
        return Maximum;
    }

    private static ImmutableArray<ValueCount> Compact(IEnumerable<ValueCount> sorted)
    {
        var values = sorted.ToList();
        while (values.Count > MaxDistinctValues)
        {
            var closest = 0;
            for (var i = 1; i < values.Count - 1; i++)
                if (values[i + 1].Value - values[i].Value < values[closest + 1].Value - values[closest].Value)
                    closest = i;
            var (a, b) = (values[closest], values[closest + 1]);
            var count = a.Count + b.Count;
            values[closest] = new ValueCount((a.Value * a.Count + b.Value * b.Count) / count, count);
            values.RemoveAt(closest + 1);
        }
        return [.. values];
    }
}
