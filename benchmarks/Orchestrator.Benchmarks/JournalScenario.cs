using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Persistence;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The SQLite journal alone: A actors each persisting E single events (the next once the previous
/// is acknowledged), group-commit journal against Akka.Persistence.Sql, on a temp file.
/// </summary>
public static class JournalScenario
{
    public static async Task<int> Run(Options options)
    {
        var actors = options.Int("actors", 1_000);
        var events = options.Int("events", 20);
        var plugins = options.String("journal", "group-commit,sql").Split(',');
        foreach (var plugin in plugins)
        {
            foreach (var synchronous in plugin == "group-commit" ? new[] { "normal", "full" } : ["default"])
            {
                var path = Path.Combine(Path.GetTempPath(), $"orch-journal-bench-{Guid.NewGuid():N}.db");
                try
                {
                    using var system = ActorSystem.Create("journal", Config(plugin, path, synchronous));
                    await PersistAll(system, "warm-up", 50, 5);
                    var elapsed = await PersistAll(system, "bench", actors, events);
                    Console.WriteLine($"{plugin} (synchronous {synchronous}): {actors * events} events from {actors} actors in {elapsed.TotalSeconds:F2} s: {actors * events / elapsed.TotalSeconds:F0} events/s");
                    await system.Terminate();
                }
                finally
                {
                    SqliteConnection.ClearAllPools();
                    foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
                        File.Delete(file);
                }
            }
        }
        return 0;
    }

    private static Akka.Configuration.Config Config(string plugin, string path, string synchronous)
    {
        var connection = $"Data Source={path}";
        var journal = plugin == "group-commit"
            ? $$"""
              akka.persistence.journal.plugin = "{{GroupCommitSqliteJournal.PluginId}}"
              {{GroupCommitSqliteJournal.PluginId}} { connection-string = "{{connection}}", synchronous = {{synchronous}} }
              """
            : $$"""
              akka.persistence.journal.plugin = "akka.persistence.journal.sql"
              akka.persistence.journal.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", parallelism = 1 }
              """;
        return ConfigurationFactory.ParseString(journal + "\nakka.loglevel = WARNING")
            .WithFallback(ConfigurationFactory.ParseString(GroupCommitSqliteJournal.DefaultConfig))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private static async Task<TimeSpan> PersistAll(ActorSystem system, string prefix, int actors, int events)
    {
        var writers = Enumerable.Range(0, actors).Select(i => system.ActorOf(Props.Create(() => new Writer($"{prefix}-{i}")))).ToList();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(writers.Select(w => w.Ask<int>(events, TimeSpan.FromMinutes(10))));
        return watch.Elapsed;
    }

    /// <summary>Persists its events one at a time and answers when the last is acknowledged.</summary>
    private sealed class Writer(string persistenceId) : UntypedPersistentActor
    {
        public override string PersistenceId => persistenceId;

        protected override void OnRecover(object message)
        {
        }

        protected override void OnCommand(object message)
        {
            if (message is not int remaining)
                return;
            var replyTo = Sender;
            Persist($"event {remaining}", _ =>
            {
                if (remaining > 1)
                    Self.Tell(remaining - 1, replyTo);
                else
                    replyTo.Tell(0);
            });
        }
    }
}
