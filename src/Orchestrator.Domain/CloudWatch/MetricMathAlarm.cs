using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>
/// Alarms on a metric math expression (PutMetricAlarm with Metrics): the MetricDataQuery list,
/// with exactly one query returning data; that query's series is what the alarm compares with its
/// threshold, one value per period, evaluated by the same M-of-N rules as a single-metric alarm.
/// </summary>
public static class MetricMathAlarm
{
    /// <summary>At most ten metrics (MetricStat queries) per alarm (aws-semantics 5.4).</summary>
    public const int MaxMetrics = 10;

    /// <summary>The queries, checked as PutMetricAlarm checks them, and the alarm's period: that of the query returning data (else of its first metric).</summary>
    public static Result<(ImmutableArray<MetricDataQueryInput> Queries, int Period)> Validate(IReadOnlyList<MetricDataQueryInput> queries)
    {
        if (queries.FirstOrDefault(q => q.MetricStat is not null && q.Expression is not null) is not null)
            return Invalid("The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have specified both.");
        if (queries.Count(q => q.MetricStat is not null) > MaxMetrics)
            return Invalid($"The collection Metrics must not hold more than {MaxMetrics} metrics.");
        if (queries.Count(q => q.ReturnData) != 1)
            return Invalid("Exactly one element of the metrics list should return data.");
        // GetMetricData's rules on ids, periods and statistics apply unchanged; its time range does not matter here.
        if (GetMetricData.Validate(queries, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1)) is { } invalid)
            return invalid;
        var returned = queries.Single(q => q.ReturnData);
        var period = returned.MetricStat?.Period ?? returned.Period ?? queries.Select(q => q.MetricStat?.Period).FirstOrDefault(p => p is not null) ?? 60;
        if (!(period is 10 or 20 or 30 || period % 60 == 0))
            return Invalid("Period must be 10, 20, 30 or a multiple of 60");
        // The expressions must parse and refer to known ids: evaluate them once over one sample period.
        var sample = TimeSeries.Of([KeyValuePair.Create(DateTimeOffset.UnixEpoch, 1.0)]);
        var results = GetMetricData.Results(queries, queries.Where(q => q.MetricStat is not null).ToDictionary(q => q.Id, _ => sample, StringComparer.Ordinal),
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(period), ascending: true);
        if (results.IsError)
            return results.Error!;
        return ([.. queries], period);
    }

    /// <summary>
    /// The alarm's values per period: each metric's statistic from its aggregates, then the
    /// expressions in order; the values of the query returning data on the slots' grid. A slot
    /// the expression gives no finite value for is missing data, as AWS treats it.
    /// </summary>
    public static ImmutableArray<AlarmSlot> Slots(ImmutableArray<MetricDataQueryInput> queries, IReadOnlyDictionary<string, PeriodAggregates> fetched,
        IReadOnlyList<DateTimeOffset> grid, int period)
    {
        var series = queries.Where(q => q.MetricStat is not null)
            .ToDictionary(q => q.Id, q => GetMetricData.SeriesOf(q.MetricStat!, fetched.TryGetValue(q.Id, out var a) ? a : new PeriodAggregates([])), StringComparer.Ordinal);
        if (grid.Count == 0)
            return [];
        var results = GetMetricData.Results(queries, series, grid[0], grid[^1].AddSeconds(period), ascending: true);
        var points = results.IsError ? [] : results.Value[0].Timestamps.Zip(results.Value[0].Values).ToDictionary(p => p.First, p => p.Second);
        return [.. grid.Select(t => new AlarmSlot(t, points.TryGetValue(t, out var v) ? v : null))];
    }

    private static AwsError Invalid(string message) => new("ValidationError", message);
}
