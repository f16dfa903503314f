using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Actors.Tests.CloudWatch;

/// <summary>Metric series as entities in virtual time: fed by the sink and by PutMetricData, read per period, recovered after a restart.</summary>
public sealed class MetricSeriesEntityTests : EntityTestKit
{
    private const string Instance = "i-0123456789abcdef0";
    private static readonly ImmutableSortedDictionary<string, string> PerInstance =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("InstanceId", Instance)]);
    private static readonly MetricKey Cpu = new("AWS/EC2", "CPUUtilization", PerInstance);

    private readonly CloudWatchService _cloudWatch;

    public MetricSeriesEntityTests() => _cloudWatch = new CloudWatchService(Services, "000000000000");

    /// <summary>Everything told to the series so far is processed (and indexed) once it answers a later ask.</summary>
    private Task Settled(MetricKey key) => Router.Ask<object>(CloudWatchKinds.MetricSeries, key.EntityId(), new EntityQueries.GetState(), TimeSpan.FromSeconds(5));

    private async Task<IReadOnlyList<(DateTimeOffset Timestamp, double Average, double SampleCount)>> PerMinute(MetricKey key, DateTimeOffset from, DateTimeOffset to, int period = 60)
    {
        var statistics = await _cloudWatch.Statistics(key, from, to, period, ["Average", "SampleCount"], [], null);
        Assert.False(statistics.IsError, statistics.Error?.ToString());
        return [.. statistics.Value.Select(p => (p.Period.Timestamp, p.Values[0].Value, p.Values[1].Value))];
    }

    [Fact]
    public async Task Points_published_through_the_sink_reach_their_series_and_are_read_per_period()
    {
        using var sink = new SeriesMetricSink(Router);
        var minute = Start;
        foreach (var (offset, value) in new[] { (0, 10.0), (20, 30.0), (60, 50.0), (120, 70.0), (150, 90.0) })
            sink.Publish(new MetricDatum("AWS/EC2", "CPUUtilization", PerInstance, minute.AddSeconds(offset), value, "Percent", 60));
        sink.Publish(new MetricDatum("AWS/EC2", "NetworkIn", PerInstance, minute, 1024, "Bytes", 60));
        sink.Flush();
        await Settled(Cpu);

        Assert.Equal([(Start, 20.0, 2.0), (Start.AddMinutes(1), 50.0, 1.0), (Start.AddMinutes(2), 80.0, 2.0)], await PerMinute(Cpu, Start, Start.AddMinutes(5)));
        Assert.Equal([(Start, 30.0, 3.0), (Start.AddMinutes(2), 80.0, 2.0)], await PerMinute(Cpu, Start, Start.AddMinutes(5), period: 120));
        var listed = (await _cloudWatch.ListMetrics("AWS/EC2", null, [new DimensionFilter("InstanceId", null)], recentlyActive: true, null)).Value;
        Assert.Equal(["CPUUtilization", "NetworkIn"], listed.Metrics.Select(m => m.MetricName));
    }

    [Fact]
    public async Task One_flush_makes_one_event_per_series()
    {
        using var sink = new SeriesMetricSink(Router);
        for (var i = 0; i < 5; i++)
            sink.Publish(new MetricDatum("AWS/EC2", "CPUUtilization", PerInstance, Start.AddMinutes(i), i, "Percent", 60));
        sink.Flush();
        sink.Flush();
        await Settled(Cpu);
        var entity = await Sys.ActorSelection($"/user/local-{CloudWatchKinds.MetricSeries}/{Uri.EscapeDataString(Cpu.EntityId())}").ResolveOne(TimeSpan.FromSeconds(5));
        var state = Assert.IsType<MetricSeries>(((EntityReplies.Accepted)await entity.Ask<object>(new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State);
        Assert.Equal(5, state.Minutes.Count);
        Assert.Equal(Clock.Now, state.LastReceivedAt);
    }

    [Fact]
    public async Task A_series_recovers_its_points_after_a_restart_from_its_snapshot_and_events()
    {
        var key = MetricKey.Of("App", "Requests", [KeyValuePair.Create("Host", "a")]);
        // 101 acknowledged puts: a snapshot at the hundredth event, one event after it.
        for (var i = 0; i < 101; i++)
        {
            var put = await _cloudWatch.PutMetricData("App", [new MetricDatumInput("Requests", [("Host", "a")], Start.AddSeconds(i), 1, Unit: "Count")]);
            Assert.False(put.IsError, put.Error?.ToString());
        }
        var before = await PerMinute(key, Start, Start.AddMinutes(3));
        Assert.Equal([(Start, 1.0, 60.0), (Start.AddMinutes(1), 1.0, 41.0)], before);

        var entity = await Sys.ActorSelection($"/user/local-{CloudWatchKinds.MetricSeries}/{Uri.EscapeDataString(key.EntityId())}").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);

        Assert.Equal(before, await PerMinute(key, Start, Start.AddMinutes(3)));
    }

    [Fact]
    public async Task A_series_nobody_wrote_answers_nothing_and_AWS_namespaces_are_refused_to_callers()
    {
        Assert.Empty(await PerMinute(MetricKey.Of("App", "Nothing", []), Start, Start.AddMinutes(5)));
        var refused = await _cloudWatch.PutMetricData("AWS/EC2", [new MetricDatumInput("CPUUtilization", [("InstanceId", Instance)], Value: 5)]);
        Assert.Equal("InvalidParameterValue", refused.Error?.Code);
        Assert.Equal("InvalidParameterValue", (await _cloudWatch.Statistics(Cpu, Start, Start.AddMinutes(5), 45, ["Average"], [], null)).Error?.Code);
    }

    [Fact]
    public async Task Dashboards_are_upserted_listed_and_deleted()
    {
        Assert.False((await _cloudWatch.PutDashboard("main", """{"widgets":[]}""")).IsError);
        Assert.False((await _cloudWatch.PutDashboard("other", """{"widgets":[{"type":"text","properties":{"markdown":"x"}}]}""")).IsError);
        Assert.Equal("InvalidParameterInput", (await _cloudWatch.PutDashboard("bad", """{"widgets":[{"type":"chart"}]}""")).Error?.Code);
        Assert.Equal(["main", "other"], (await _cloudWatch.ListDashboards(null, null)).Value.Dashboards.Select(d => d.DashboardName));
        Assert.Equal("ResourceNotFound", (await _cloudWatch.DeleteDashboards(["main", "missing"])).Error?.Code);
        Assert.False((await _cloudWatch.DeleteDashboards(["main"])).IsError);
        Assert.Equal("ResourceNotFound", (await _cloudWatch.GetDashboard("main")).Error?.Code);
        Assert.Equal("arn:aws:cloudwatch::000000000000:dashboard/other", (await _cloudWatch.GetDashboard("other")).Value.DashboardArn);
    }

    [Fact]
    public async Task The_metrics_palette_lists_series_and_their_statistics()
    {
        using var sink = new SeriesMetricSink(Router);
        sink.Publish(new MetricDatum("AWS/EC2", "CPUUtilization", PerInstance, Clock.Now.AddMinutes(-2), 40, "Percent", 60));
        sink.Publish(new MetricDatum("AWS/EC2", "CPUUtilization", PerInstance, Clock.Now.AddMinutes(-2).AddSeconds(10), 60, "Percent", 60));
        sink.Flush();
        await Settled(Cpu);
        var palette = new MetricsPalette(_cloudWatch, Services);

        var listed = await palette.Execute(CommandRequest.Parse("metrics list --namespace AWS/EC2"), CancellationToken.None);
        Assert.True(listed.Ok, listed.Text);
        Assert.Contains("CPUUtilization", listed.Text);
        Assert.Contains($"InstanceId={Instance}", listed.Text);
        var stats = await palette.Execute(CommandRequest.Parse($"metrics stats AWS/EC2 CPUUtilization --dimension InstanceId={Instance} --minutes 5"), CancellationToken.None);
        Assert.True(stats.Ok, stats.Text);
        Assert.Contains("n=2", stats.Text);
        Assert.Contains("avg=50", stats.Text);
        var refused = await palette.Execute(CommandRequest.Parse($"metrics stats AWS/EC2 CPUUtilization --period 45"), CancellationToken.None);
        Assert.Equal("InvalidParameterValue", refused.Error?.Code);
    }
}
