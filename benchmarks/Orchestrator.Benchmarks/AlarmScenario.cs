using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Benchmarks;

/// <summary>
/// CloudWatch at scale on one in-process node: PutMetricData datapoints per second (calls of
/// --batch datums over --metrics series, --in-flight at once), then --alarms metric alarms on
/// those series (60 s period, 3 of 3) and the process's CPU over a window while every alarm
/// evaluates each simulated minute; evaluations are counted as the series queries they send.
/// </summary>
public static class AlarmScenario
{
    public static async Task<int> Run(Options options)
    {
        var metrics = options.Int("metrics", 1000);
        var puts = options.Int("puts", 2000);
        var batch = options.Int("batch", 20);
        var inFlight = options.Int("in-flight", 16);
        var alarms = options.Int("alarms", 10_000);
        var window = TimeSpan.FromSeconds(options.Int("window", 120));
        var scale = options.Int("time-scale", 1);
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-bench-{Guid.NewGuid():N}");
        var nodeOptions = BenchNode.OptionsFrom(options, dataDir) with { TimeScale = scale };
        try
        {
            await using var node = await BenchNode.Start(nodeOptions);
            var counter = new QueryCountingRouter(node.Router);
            ((DeferredEntityRouter)node.Services.Router).Inner = counter;
            var cloudWatch = new CloudWatchService(node.Services, node.Options.AccountId);
            var alarmService = new AlarmService(node.Services, node.Options.AccountId);

            var watch = Stopwatch.StartNew();
            await Parallel(puts, inFlight, async i =>
            {
                var data = Enumerable.Range(0, batch).Select(d => new MetricDatumInput($"m{(i * batch + d) % metrics}", [], null, (i + d) % 100, null, null, null, "Percent", null))
                    .ToList();
                var put = await cloudWatch.PutMetricData("Bench", data);
                if (put.IsError)
                    throw new InvalidOperationException(put.Error!.ToString());
            });
            var putElapsed = watch.Elapsed;
            Console.WriteLine($"PutMetricData: {puts} calls x {batch} datums over {metrics} series in {putElapsed.TotalSeconds:F1} s = "
                + $"{puts / putElapsed.TotalSeconds:F0} calls/s, {BenchNode.PerSecond(puts * batch, putElapsed):F0} datapoints/s");

            watch.Restart();
            await Parallel(alarms, inFlight, async i =>
            {
                var put = await alarmService.Put(new PutMetricAlarmInput($"bench-{i}", null, null, [], [], [], "Bench", $"m{i % metrics}", [], 60, "Average", null, null,
                    3, null, 50, ComparisonOperators.GreaterThanThreshold, MissingDataTreatments.NotBreaching));
                if (put.IsError)
                    throw new InvalidOperationException(put.Error!.ToString());
            });
            Console.WriteLine($"{alarms} alarms put in {watch.Elapsed.TotalSeconds:F1} s ({BenchNode.PerSecond(alarms, watch.Elapsed):F0}/s)");
            await Task.Delay(TimeSpan.FromSeconds(options.Int("settle", 10)));

            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var queriesBefore = counter.Queries;
            var gcBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var wall = Stopwatch.StartNew();
            await Task.Delay(window);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var elapsed = wall.Elapsed;
            var evaluations = counter.Queries - queriesBefore;
            var gc = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - gcBefore[g]).ToArray();
            var ofCore = cpu.TotalSeconds / elapsed.TotalSeconds * 100;
            var expected = alarms * elapsed.TotalMinutes * scale;
            Console.WriteLine($"window {elapsed.TotalSeconds:F1} s wall at x{scale}: CPU {cpu.TotalSeconds:F2} s = {ofCore:F1}% of one core; "
                + $"{evaluations} evaluations (expected about {expected:F0}), {(evaluations == 0 ? 0 : cpu.TotalMilliseconds * 1000 / evaluations):F0} us CPU each; "
                + $"GC gen0/1/2 {gc[0]}/{gc[1]}/{gc[2]}, working set {process.WorkingSet64 / 1048576} MB");
            Console.WriteLine($"summary: alarms {nodeOptions.Persistence.ToString().ToLowerInvariant()} {BenchNode.PerSecond(puts * batch, putElapsed):F0} datapoints/s; "
                + $"{alarms} alarms x{scale}: {ofCore:F1}% of a core, {evaluations / elapsed.TotalSeconds:F0} evaluations/s");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task Parallel(int count, int inFlight, Func<int, Task> work)
    {
        using var gate = new SemaphoreSlim(inFlight);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await work(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Counts the series queries alarm evaluations send (one per single-metric alarm and evaluation).</summary>
    private sealed class QueryCountingRouter(IEntityRouter inner) : IEntityRouter
    {
        private long _queries;

        public long Queries => Interlocked.Read(ref _queries);

        public IActorRef RefFor(string kind) => inner.RefFor(kind);

        public object Envelope(string entityId, object message)
        {
            if (message is MetricSeriesQueries.Statistics)
                Interlocked.Increment(ref _queries);
            return inner.Envelope(entityId, message);
        }
    }
}
