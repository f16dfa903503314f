using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>A MetricStat: the metric, its period, the statistic and an optional unit.</summary>
public sealed record MetricStatInput(MetricKey Metric, int Period, string Stat, string? Unit);

/// <summary>One MetricDataQuery: exactly one of MetricStat or Expression.</summary>
public sealed record MetricDataQueryInput(string Id, MetricStatInput? MetricStat, string? Expression, string? Label, bool ReturnData, int? Period);

/// <summary>One result of GetMetricData, its points already in the order asked for.</summary>
public sealed record MetricDataResult(string Id, string Label, ImmutableArray<DateTimeOffset> Timestamps, ImmutableArray<double> Values);

/// <summary>
/// GetMetricData's rules: query ids (lowercase first letter, unique), one of MetricStat and
/// Expression each, valid periods and statistics, at least one query returning data; then the
/// results: each MetricStat's statistic per period, each expression over them, in order.
/// </summary>
public static class GetMetricData
{
    public const int MaxQueries = 500;

    public static AwsError? Validate(IReadOnlyList<MetricDataQueryInput> queries, DateTimeOffset start, DateTimeOffset end)
    {
        if (queries.Count == 0)
            return Invalid("The parameter MetricDataQueries is required.");
        if (queries.Count > MaxQueries)
            return Invalid($"The collection MetricDataQueries must not have a size greater than {MaxQueries}.");
        if (start >= end)
            return Invalid("The parameter StartTime must be less than the parameter EndTime.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            if (query.Id.Length == 0 || !char.IsLower(query.Id[0]) || !query.Id.All(c => char.IsLetterOrDigit(c) || c == '_'))
                return Invalid($"The value {query.Id} for parameter MetricDataQueries.Id is invalid: an id starts with a lowercase letter and holds letters, digits and underscores.");
            if (!ids.Add(query.Id))
                return Invalid($"The value {query.Id} for parameter MetricDataQueries.Id is not unique.");
            if ((query.MetricStat is null) == (query.Expression is null))
                return Invalid($"Query {query.Id}: exactly one of MetricStat and Expression must be specified.");
            if (query.MetricStat is { } stat)
            {
                if (!Periods.IsValid(stat.Period))
                    return Invalid($"Query {query.Id}: the period {stat.Period} must be a multiple of 60 or one of 1, 5, 10, 20, 30.");
                if (Statistic.Parse(stat.Stat) is null)
                    return Invalid($"Query {query.Id}: the statistic {stat.Stat} is not supported.");
            }
            if (query.Period is { } period && !Periods.IsValid(period))
                return Invalid($"Query {query.Id}: the period {period} must be a multiple of 60 or one of 1, 5, 10, 20, 30.");
        }
        if (!queries.Any(q => q.ReturnData))
            return Invalid("At least one query must have ReturnData set to true.");
        return null;
    }

    /// <summary>A MetricStat's series: its statistic per period (periods where the statistic cannot be computed have no point).</summary>
    public static TimeSeries SeriesOf(MetricStatInput stat, PeriodAggregates aggregates)
    {
        var statistic = Statistic.Parse(stat.Stat)!;
        var byPeriod = aggregates.Periods.GroupBy(p => p.Timestamp).Select(g => (g.Key, g.Select(p => p.Aggregate).Aggregate((a, b) => a.Merge(b))));
        return TimeSeries.Of(byPeriod.Select(p => (p.Key, statistic.Of(p.Item2))).Where(p => p.Item2 is not null)
            .Select(p => KeyValuePair.Create(p.Key, p.Item2!.Value)));
    }

    /// <summary>
    /// The results of every query that returns data, expressions evaluated in request order (an
    /// expression may use any MetricStat and any earlier expression), timestamps descending
    /// unless <paramref name="ascending"/>.
    /// </summary>
    public static Result<IReadOnlyList<MetricDataResult>> Results(IReadOnlyList<MetricDataQueryInput> queries, IReadOnlyDictionary<string, TimeSeries> fetched,
        DateTimeOffset start, DateTimeOffset end, bool ascending)
    {
        var series = new Dictionary<string, TimeSeries>(fetched, StringComparer.Ordinal);
        var metricIds = queries.Where(q => q.MetricStat is not null).Select(q => q.Id).ToList();
        var period = queries.Select(q => q.MetricStat?.Period ?? q.Period).FirstOrDefault(p => p is not null) ?? 60;
        var alignedStart = Periods.AlignStart(start, period);
        var grid = new List<DateTimeOffset>();
        for (var t = alignedStart; t < end && grid.Count < 100_800; t = t.AddSeconds(period))
            grid.Add(t);
        var pending = queries.Where(q => q.Expression is not null).ToList();
        foreach (var query in pending)
        {
            var evaluated = MetricMath.Evaluate(query.Expression!, series, metricIds, grid);
            if (evaluated.IsError)
                return new AwsError("ValidationError", $"Query {query.Id}: {evaluated.Error!.Message}");
            series[query.Id] = evaluated.Value;
        }
        return queries.Where(q => q.ReturnData).Select(q =>
        {
            var points = ascending ? series[q.Id].Points.ToList() : series[q.Id].Points.Reverse().ToList();
            return new MetricDataResult(q.Id, q.Label ?? (q.MetricStat?.Metric.MetricName ?? q.Id), [.. points.Select(p => p.Key)], [.. points.Select(p => p.Value)]);
        }).ToList();
    }

    private static AwsError Invalid(string message) => new("ValidationError", message);
}
