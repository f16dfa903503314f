using Orchestrator.Actors.Entities;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>
/// One evaluation of a metric math alarm: every metric of its query list is asked for the last
/// RangeFor(N) whole periods before now, then the expression turns their statistics into the
/// alarm's slots (MetricMathAlarm.Slots). A metric that does not answer counts as having no data.
/// </summary>
public static class MetricMathRound
{
    public static Gathering<IMetricAlarmCommand> Gathering(MetricAlarmConfig config, DateTimeOffset now)
    {
        var queries = config.Metrics!.Value;
        var seconds = now.ToUnixTimeSeconds();
        var end = DateTimeOffset.FromUnixTimeSeconds(seconds - (seconds % config.Period));
        var slots = AlarmEvaluation.RangeFor(config.EvaluationPeriods);
        var start = end.AddSeconds(-(long)config.Period * slots);
        var metrics = queries.Where(q => q.MetricStat is not null).ToList();
        return new Gathering<IMetricAlarmCommand>(
            [.. metrics.Select(q => new Outbound(CloudWatchKinds.MetricSeries, q.MetricStat!.Metric.EntityId(),
                new MetricSeriesQueries.Statistics(Periods.AlignStart(start, q.MetricStat.Period), end, q.MetricStat.Period, q.MetricStat.Unit)))],
            AlarmKinds.QueryTimeout,
            replies =>
            {
                var fetched = metrics.Select((q, i) => (q.Id, Aggregates: replies[i] as PeriodAggregates ?? new PeriodAggregates([])))
                    .ToDictionary(f => f.Id, f => f.Aggregates, StringComparer.Ordinal);
                var grid = Enumerable.Range(0, slots).Select(i => start.AddSeconds((long)config.Period * i)).ToList();
                return new MetricAlarmCommands.Evaluate(config.AlarmName, now, MetricMathAlarm.Slots(queries, fetched, grid, config.Period));
            });
    }
}
