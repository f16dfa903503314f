using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Orchestrator.Actors.Entities;

namespace Orchestrator.Benchmarks;

/// <summary>Creates N instance entities, measures the rate and the managed heap each idle one holds, then restarts the node on the same data and measures recovery.</summary>
public static class EntityScenario
{
    public static async Task<int> Run(Options options)
    {
        var count = options.Int("count", 100_000);
        var inFlight = options.Int("in-flight", 2_000);
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-bench-{Guid.NewGuid():N}");
        var nodeOptions = BenchNode.OptionsFrom(options, dataDir);
        try
        {
            long heapBefore, heapAfter;
            TimeSpan create;
            await using (var node = await BenchNode.Start(nodeOptions))
            {
                heapBefore = BenchNode.ManagedBytes();
                var watch = Stopwatch.StartNew();
                await BenchNode.AskAll(node.Router, BenchNode.Kind, count, i => ($"i-{i:x17}", BenchNode.Launch(i, "vpc-00000000000000001", "subnet-00000000000000001")), inFlight);
                create = watch.Elapsed;
                heapAfter = BenchNode.ManagedBytes();
                Console.WriteLine($"created {count} instances in {create.TotalSeconds:F1} s: {BenchNode.PerSecond(count, create):F0}/s");
                Console.WriteLine($"managed heap per idle instance entity: {(heapAfter - heapBefore) / (double)count / 1024:F2} KB");
            }
            if (nodeOptions.Persistence == Node.Hosting.PersistenceMode.Memory)
                return 0;

            var restart = Stopwatch.StartNew();
            await using (var node = await BenchNode.Start(nodeOptions))
            {
                var started = restart.Elapsed;
                // Remembered entities restart by themselves; asking each proves it has recovered its state.
                await BenchNode.AskAll(node.Router, BenchNode.Kind, count, i => ($"i-{i:x17}", new EntityQueries.GetState()), inFlight);
                var recovered = restart.Elapsed;
                var stats = await BenchNode.Region(node).Ask<ShardRegionStats>(GetShardRegionStats.Instance, TimeSpan.FromSeconds(30));
                Console.WriteLine($"restart: node ready in {started.TotalSeconds:F1} s, all {count} recovered in {recovered.TotalSeconds:F1} s: {BenchNode.PerSecond(count, recovered):F0}/s ({stats.Stats.Values.Sum()} live)");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }
}
