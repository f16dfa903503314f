using System.Collections.Immutable;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

/// <summary>Statistics per period against hand-computed values, percentiles included, and the period and range rules.</summary>
public sealed class StatisticsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly MetricKey Key = MetricKey.Of("App", "Latency", [KeyValuePair.Create("Host", "a")]);

    private static MetricSeries Empty => new(Key, ImmutableSortedDictionary<long, ImmutableArray<Aggregate>>.Empty, ImmutableSortedDictionary<long, ImmutableArray<Aggregate>>.Empty, T0);

    private static Sample Values(DateTimeOffset at, params double[] values) =>
        new(at, 60, Aggregate.OfValues("Milliseconds", [.. values.Select(v => new ValueCount(v, 1))]));

    private static PeriodAggregates Query(MetricSeries series, int period, DateTimeOffset? end = null, string? unit = null) =>
        series.Aggregate(new MetricSeriesQueries.Statistics(T0, end ?? T0.AddMinutes(10), period, unit));

    private static double? Stat(Aggregate aggregate, string statistic) => Statistic.Parse(statistic)!.Of(aggregate);

    [Fact]
    public void One_minute_gives_the_five_statistics_and_nearest_rank_percentiles()
    {
        var series = Empty.Add(T0, [Values(T0.AddSeconds(5), 1, 2, 3, 4), Values(T0.AddSeconds(40), 10)]);
        var period = Assert.Single(Query(series, 60).Periods);
        Assert.Equal(T0, period.Timestamp);
        var a = period.Aggregate;
        Assert.Equal((5.0, 20.0, 4.0, 1.0, 10.0), (Stat(a, "SampleCount")!.Value, Stat(a, "Sum")!.Value, Stat(a, "Average")!.Value, Stat(a, "Minimum")!.Value, Stat(a, "Maximum")!.Value));
        // Sorted 1 2 3 4 10: the p-th percentile is the value at rank ceil(p/100 * 5).
        Assert.Equal(1.0, Stat(a, "p20"));
        Assert.Equal(2.0, Stat(a, "p40"));
        Assert.Equal(3.0, Stat(a, "p50"));
        Assert.Equal(10.0, Stat(a, "p90"));
        Assert.Equal(10.0, Stat(a, "p99.99"));
        Assert.Equal(10.0, Stat(a, "p100"));
    }

    [Fact]
    public void Counts_weigh_values_in_averages_and_percentiles()
    {
        var sample = new Sample(T0, 60, Aggregate.OfValues("None", [new ValueCount(10, 3), new ValueCount(20, 1)]));
        var a = Assert.Single(Query(Empty.Add(T0, [sample]), 60).Periods).Aggregate;
        Assert.Equal(4.0, a.SampleCount);
        Assert.Equal(12.5, a.Average);
        Assert.Equal(10.0, Stat(a, "p75"));
        Assert.Equal(20.0, Stat(a, "p76"));
    }

    [Fact]
    public void A_period_merges_its_minutes_and_periods_align_to_the_start()
    {
        var series = Empty.Add(T0, [Values(T0, 1, 2, 3, 4, 10), Values(T0.AddMinutes(1).AddSeconds(30), 6), Values(T0.AddMinutes(2), 7)]);
        var periods = Query(series, 120).Periods;
        Assert.Equal([T0, T0.AddMinutes(2)], periods.Select(p => p.Timestamp));
        Assert.Equal((6.0, 26.0, 1.0, 10.0), (periods[0].Aggregate.SampleCount, periods[0].Aggregate.Sum, periods[0].Aggregate.Minimum, periods[0].Aggregate.Maximum));
        Assert.Equal(7.0, periods[1].Aggregate.Sum);
    }

    [Fact]
    public void Statistic_sets_have_no_percentiles_and_units_stay_apart()
    {
        var series = Empty.Add(T0, [
            new Sample(T0, 60, Aggregate.OfStatistics("Count", 4, 40, 5, 15)),
            new Sample(T0, 60, Aggregate.OfValues("Percent", [new ValueCount(50, 1)])),
        ]);
        var periods = Query(series, 60).Periods;
        Assert.Equal(2, periods.Length);
        var counts = periods.Single(p => p.Aggregate.Unit == "Count").Aggregate;
        Assert.Equal(10.0, counts.Average);
        Assert.Null(Stat(counts, "p50"));
        Assert.Equal(50.0, Assert.Single(Query(series, 60, unit: "Percent").Periods).Aggregate.Sum);
    }

    [Fact]
    public void High_resolution_points_answer_sub_minute_periods_and_minutes_alike()
    {
        var series = Empty.Add(T0, [new Sample(T0.AddSeconds(1), 1, Aggregate.OfValues("None", [new ValueCount(1, 1)])),
            new Sample(T0.AddSeconds(12), 1, Aggregate.OfValues("None", [new ValueCount(3, 1)]))]);
        Assert.Equal([T0, T0.AddSeconds(10)], Query(series, 10).Periods.Select(p => p.Timestamp));
        Assert.Equal(4.0, Assert.Single(Query(series, 60).Periods).Aggregate.Sum);
        // Standard-resolution data has no per-second buckets.
        Assert.Empty(Query(Empty.Add(T0, [Values(T0, 1)]), 10).Periods);
    }

    [Fact]
    public void Retention_drops_seconds_after_three_hours_and_minutes_after_fifteen_days()
    {
        var series = Empty.Add(T0, [new Sample(T0, 1, Aggregate.OfValues("None", [new ValueCount(1, 1)]))]);
        var later = series.Add(T0.AddHours(3).AddSeconds(1), []);
        Assert.Empty(later.Seconds);
        Assert.Single(later.Minutes);
        Assert.Empty(later.Add(T0.AddDays(15).AddMinutes(1), []).Minutes);
    }

    [Fact]
    public void The_distribution_stays_bounded()
    {
        var many = Enumerable.Range(0, 400).Select(i => new ValueCount(i, 1)).ToList();
        var a = Aggregate.OfValues("None", many);
        Assert.Equal(Aggregate.MaxDistinctValues, a.Values.Length);
        Assert.Equal(400.0, a.SampleCount);
        Assert.InRange(a.Percentile(50)!.Value, 195, 205);
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(120, true)]
    [InlineData(3600, true)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(10, true)]
    [InlineData(20, true)]
    [InlineData(30, true)]
    [InlineData(45, false)]
    [InlineData(90, false)]
    [InlineData(0, false)]
    public void Periods_are_multiples_of_60_or_high_resolution(int period, bool valid)
    {
        Assert.Equal(valid, Periods.IsValid(period));
        Assert.Equal(valid ? null : "InvalidParameterValue", Periods.ValidateRange(T0, T0.AddMinutes(10), period)?.Code);
    }

    [Fact]
    public void Ranges_are_checked_as_AWS_does()
    {
        Assert.Null(Periods.ValidateRange(T0, T0.AddDays(1), 60));
        Assert.Equal("InvalidParameterCombination", Periods.ValidateRange(T0, T0.AddDays(1).AddMinutes(1), 60)?.Code);
        Assert.Equal("InvalidParameterValue", Periods.ValidateRange(T0, T0, 60)?.Code);
        Assert.Equal(T0, Periods.AlignStart(T0.AddSeconds(59.5), 60));
        Assert.Equal(T0.AddSeconds(59), Periods.AlignStart(T0.AddSeconds(59.5), 10));
    }

    [Fact]
    public void Statistics_are_named_as_AWS_names_them()
    {
        Assert.Equal("MissingParameter", Periods.ParseStatistics([], []).Error?.Code);
        Assert.Equal("InvalidParameterValue", Periods.ParseStatistics(["Foo"], []).Error?.Code);
        Assert.Equal("InvalidParameterValue", Periods.ParseStatistics([], ["p101"]).Error?.Code);
        Assert.Equal("InvalidParameterValue", Periods.ParseStatistics([], ["Average"]).Error?.Code);
        Assert.Equal("InvalidParameterCombination", Periods.ParseStatistics(["Sum"], ["p99"]).Error?.Code);
        Assert.Equal(99.9, Periods.ParseStatistics([], ["p99.9"]).Value[0].Percentile);
    }
}
