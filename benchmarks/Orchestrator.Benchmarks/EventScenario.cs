using System.Collections.Immutable;
using System.Diagnostics;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Benchmarks;

/// <summary>Persisted events per second: E entities each persisting single events (one tag change per command), all at once.</summary>
public static class EventScenario
{
    public static async Task<int> Run(Options options)
    {
        var entities = options.Int("entities", 1_000);
        var events = options.Int("events", 20);
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-bench-{Guid.NewGuid():N}");
        try
        {
            await using var node = await BenchNode.Start(BenchNode.OptionsFrom(options, dataDir));
            await BenchNode.AskAll(node.Router, BenchNode.Kind, entities, i => ($"i-{i:x17}", BenchNode.Launch(i, "vpc-00000000000000001", "subnet-00000000000000001")), entities);

            // Every entity has one command in flight at a time: each event is its own write, as a busy region produces them.
            var watch = Stopwatch.StartNew();
            var total = entities * events;
            await BenchNode.AskAll(node.Router, BenchNode.Kind, total, n =>
            {
                var i = n % entities;
                var tags = ImmutableDictionary<string, string>.Empty.Add("n", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return ($"i-{i:x17}", new InstanceCommands.ChangeTags($"i-{i:x17}", tags, []));
            }, entities);
            var elapsed = watch.Elapsed;
            Console.WriteLine($"{total} events from {entities} entities in {elapsed.TotalSeconds:F1} s: {BenchNode.PerSecond(total, elapsed):F0} events/s");
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
