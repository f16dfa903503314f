using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static Orchestrator.Actors.Tests.Persistence.JournalTestSupport;

namespace Orchestrator.Actors.Tests.Persistence;

/// <summary>
/// Not a performance assertion: prints persisted events/s for 1,000 actors × 20 single events
/// (each actor persists its next event once the previous is acknowledged) on a temp SQLite file,
/// after a small warm-up on the same system,
/// group-commit journal vs Akka.Persistence.Sql. Only correctness is asserted.
/// </summary>
[Collection(SqliteJournalCollection.Name)]
public sealed class JournalThroughputMeasurement(ITestOutputHelper output)
{
    private const int Actors = 1000, Events = 20;

    [Fact]
    public async Task Events_per_second_group_commit_vs_akka_persistence_sql()
    {
        var lines = new List<string>
        {
            await Measure(JournalKind.GroupCommit, "", walFirst: false, "group-commit (WAL, synchronous=NORMAL)"),
            await Measure(JournalKind.GroupCommit, $"{Orchestrator.Actors.Persistence.GroupCommitSqliteJournal.PluginId}.synchronous = full", walFirst: false,
                "group-commit (WAL, synchronous=FULL)"),
            await Measure(JournalKind.Sql, "", walFirst: false, "Akka.Persistence.Sql (fresh file, default pragmas)"),
            await Measure(JournalKind.Sql, "", walFirst: true, "Akka.Persistence.Sql (file in WAL, synchronous default FULL)"),
        };
        foreach (var line in lines)
            output.WriteLine(line);
    }

    private static async Task<string> Measure(JournalKind kind, string extra, bool walFirst, string label)
    {
        var db = TempDatabase();
        try
        {
            if (walFirst)
            {
                using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=WAL;";
                command.ExecuteNonQuery();
            }
            using var system = Start(kind, db, extra);
            await PersistConcurrently(system, "warm-up", 50, 5, TimeSpan.FromMinutes(10)); // JIT, pools, schema
            var (_, elapsed) = await PersistConcurrently(system, "bench", Actors, Events, TimeSpan.FromMinutes(10));
            var transactions = kind == JournalKind.GroupCommit ? $", {(await Stats(system)).CommittedTransactions} transactions" : "";
            await system.Terminate();
            Assert.Equal(Actors * Events + 50 * 5, JournalRows(db).Count);
            return $"{label}: {Actors * Events} events in {elapsed.TotalSeconds:F2} s = {Actors * Events / elapsed.TotalSeconds:N0} events/s{transactions}";
        }
        finally
        {
            DeleteDatabase(db);
        }
    }
}
