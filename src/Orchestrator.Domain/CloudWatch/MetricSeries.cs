using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>One datum as accepted: its time, storage resolution (1 or 60 s) and what it aggregates.</summary>
public sealed record Sample(DateTimeOffset Timestamp, int StorageResolution, Aggregate Aggregate);

/// <summary>A series' row in the read model: what ListMetrics lists, without waking the series.</summary>
public sealed record MetricView(string Namespace, string MetricName, ImmutableSortedDictionary<string, string> Dimensions, DateTimeOffset LastReceivedAt);

public interface IMetricSeriesCommand;

public interface IMetricSeriesEvent;

public static class MetricSeriesCommands
{
    /// <summary>A batch of samples for one series (one PutMetricData's share, or what the sink gathered).</summary>
    public sealed record Record(MetricKey Key, ImmutableArray<Sample> Samples) : IMetricSeriesCommand;
}

public static class MetricSeriesEvents
{
    /// <summary>The batch, received at At: retention is measured from the newest receipt, so replay prunes exactly as it did live.</summary>
    public sealed record Recorded(MetricKey Key, DateTimeOffset At, ImmutableArray<Sample> Samples) : IMetricSeriesEvent;
}

public static class MetricSeriesQueries
{
    /// <summary>The aggregates per period over [Start, End) (periods aligned to Start), per unit, or of one unit only.</summary>
    public sealed record Statistics(DateTimeOffset Start, DateTimeOffset End, int Period, string? Unit);
}

/// <summary>One period of one unit: the merged aggregate of the buckets that fall in it.</summary>
public sealed record PeriodAggregate(DateTimeOffset Timestamp, Aggregate Aggregate);

public sealed record PeriodAggregates(ImmutableArray<PeriodAggregate> Periods);

/// <summary>
/// A metric series: per-second buckets of high-resolution data (kept 3 h, as AWS keeps 1 s
/// points) and per-minute buckets of everything (kept 15 days, as AWS keeps 60 s points).
/// Coarser roll-ups (5 min for 63 days, 1 h for 455 days) are not kept: a query older than
/// 15 days finds nothing, which AWS also answers for data past its retention.
/// Buckets are keyed by their start in Unix seconds; a bucket holds one aggregate per unit.
/// </summary>
public sealed record MetricSeries(
    MetricKey Key,
    ImmutableSortedDictionary<long, ImmutableArray<Aggregate>> Seconds,
    ImmutableSortedDictionary<long, ImmutableArray<Aggregate>> Minutes,
    DateTimeOffset LastReceivedAt)
{
    public static readonly TimeSpan HighResolutionRetention = TimeSpan.FromHours(3);
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromDays(15);

    public MetricView View() => new(Key.Namespace, Key.MetricName, Key.Dimensions, LastReceivedAt);

    public MetricSeries Add(DateTimeOffset at, IEnumerable<Sample> samples)
    {
        var seconds = Seconds.ToBuilder();
        var minutes = Minutes.ToBuilder();
        foreach (var sample in samples)
        {
            var second = sample.Timestamp.ToUnixTimeSeconds();
            Merge(minutes, second - Mod(second, 60), sample.Aggregate);
            if (sample.StorageResolution < 60)
                Merge(seconds, second, sample.Aggregate);
        }
        Prune(seconds, (at - HighResolutionRetention).ToUnixTimeSeconds());
        Prune(minutes, (at - MinuteRetention).ToUnixTimeSeconds());
        return this with { Seconds = seconds.ToImmutable(), Minutes = minutes.ToImmutable(), LastReceivedAt = at > LastReceivedAt ? at : LastReceivedAt };
    }

    /// <summary>
    /// Aggregates per period: periods under a minute read the per-second buckets (only
    /// high-resolution data has them), whole minutes read the per-minute ones.
    /// </summary>
    public PeriodAggregates Aggregate(MetricSeriesQueries.Statistics query)
    {
        var source = query.Period % 60 == 0 ? Minutes : Seconds;
        var start = query.Start.ToUnixTimeSeconds();
        var end = query.End.ToUnixTimeSeconds();
        var periods = new SortedDictionary<(long Period, string Unit), Aggregate>();
        foreach (var (bucket, aggregates) in source)
        {
            if (bucket < start)
                continue;
            if (bucket >= end)
                break;
            var period = start + (bucket - start) / query.Period * query.Period;
            foreach (var aggregate in aggregates.Where(a => query.Unit is null || a.Unit == query.Unit))
                periods[(period, aggregate.Unit)] = periods.TryGetValue((period, aggregate.Unit), out var seen) ? seen.Merge(aggregate) : aggregate;
        }
        return new PeriodAggregates([.. periods.Select(p => new PeriodAggregate(DateTimeOffset.FromUnixTimeSeconds(p.Key.Period), p.Value))]);
    }

    private static void Merge(ImmutableSortedDictionary<long, ImmutableArray<Aggregate>>.Builder buckets, long at, Aggregate aggregate)
    {
        var existing = buckets.TryGetValue(at, out var found) ? found : [];
        for (var i = 0; i < existing.Length; i++)
        {
            if (existing[i].Unit != aggregate.Unit)
                continue;
            buckets[at] = existing.SetItem(i, existing[i].Merge(aggregate));
            return;
        }
        buckets[at] = existing.Add(aggregate);
    }

    private static void Prune(ImmutableSortedDictionary<long, ImmutableArray<Aggregate>>.Builder buckets, long before)
    {
        foreach (var stale in buckets.Keys.TakeWhile(k => k < before).ToList())
            buckets.Remove(stale);
    }

    private static long Mod(long value, long by) => ((value % by) + by) % by;
}

/// <summary>Series accept every batch (validation happens before: a batch is already AWS-valid); an empty batch changes nothing.</summary>
public sealed class MetricSeriesBehavior : IEntityBehavior<MetricSeries, IMetricSeriesCommand, IMetricSeriesEvent>
{
    public Result<IReadOnlyList<IMetricSeriesEvent>> Decide(MetricSeries? state, IMetricSeriesCommand command, DecisionContext context) => command switch
    {
        MetricSeriesCommands.Record { Samples.IsEmpty: true } => Decisions.None<IMetricSeriesEvent>(),
        MetricSeriesCommands.Record record => Decisions.Events<IMetricSeriesEvent>(new MetricSeriesEvents.Recorded(record.Key, context.Now, record.Samples)),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown metric series command"),
    };

    public MetricSeries? Evolve(MetricSeries? state, IMetricSeriesEvent @event) => @event switch
    {
        MetricSeriesEvents.Recorded e => (state ?? new MetricSeries(e.Key, ImmutableSortedDictionary<long, ImmutableArray<Aggregate>>.Empty,
            ImmutableSortedDictionary<long, ImmutableArray<Aggregate>>.Empty, e.At)).Add(e.At, e.Samples),
        _ => state,
    };

    public IEnumerable<Deadline<IMetricSeriesCommand>> Deadlines(MetricSeries? state) => [];
}
