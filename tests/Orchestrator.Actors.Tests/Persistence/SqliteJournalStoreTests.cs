using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Persistence;
using static Orchestrator.Actors.Tests.Persistence.JournalTestSupport;

namespace Orchestrator.Actors.Tests.Persistence;

/// <summary>The writer loop and the reads of the journal's SQLite store, without actors.</summary>
[Collection(SqliteJournalCollection.Name)]
public sealed class SqliteJournalStoreTests
{
    private static JournalRow Row(string persistenceId, long sequenceNr) =>
        new(persistenceId, sequenceNr, DateTime.UtcNow.Ticks, [(byte)sequenceNr], "m", 1, "writer", []);

    private static SqliteJournalStore Store(string db, bool start = true, int maxBatch = 1000) =>
        new($"Data Source={db}", maxBatch, "normal", TimeSpan.FromSeconds(30), start);

    [Fact]
    public async Task A_failing_write_in_a_batch_fails_alone_and_atomically()
    {
        var db = TempDatabase();
        try
        {
            await using (var store = Store(db, start: false))
            {
                // Queued before the loop starts: all of them land in one batch.
                var a = store.Write([Row("a", 1)]);
                var b = store.Write([Row("b", 1)]);
                var duplicate = store.Write([Row("b", 1)]);
                var c = store.Write([Row("c", 1), Row("c", 2)]);
                var halfDuplicate = store.Write([Row("d", 1), Row("b", 1)]);
                var delete = store.Delete("c", 1);
                store.Start();

                await Task.WhenAll(a, b, c, delete).WaitAsync(AskTimeout);
                var error = await Assert.ThrowsAsync<SqliteException>(() => duplicate.WaitAsync(AskTimeout));
                Assert.Contains("UNIQUE", error.Message);
                await Assert.ThrowsAsync<SqliteException>(() => halfDuplicate.WaitAsync(AskTimeout));

                var stats = store.Stats;
                Assert.Equal(1, stats.RetriedBatches);
                Assert.Equal(4, stats.CommittedEvents);
                Assert.Equal(1, stats.CommittedDeletes);
            }
            // d/1 went with its failing sibling; c/1 is flagged deleted and stays (the highest flagged row).
            Assert.Equal([("a", 1, false), ("b", 1, false), ("c", 1, true), ("c", 2, false)], JournalRows(db));
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    [Fact]
    public async Task Writes_queued_together_commit_in_one_transaction_up_to_max_batch()
    {
        var db = TempDatabase();
        try
        {
            await using var store = Store(db, start: false, maxBatch: 10);
            var writes = Enumerable.Range(1, 25).Select(i => store.Write([Row("p", i)])).ToArray();
            store.Start();
            await Task.WhenAll(writes).WaitAsync(AskTimeout);
            Assert.Equal(3, store.Stats.CommittedTransactions);
            Assert.Equal(25, await store.HighestSequenceNr("p", 0, CancellationToken.None));
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    [Fact]
    public async Task Replay_honours_from_to_and_max_and_highest_honours_from()
    {
        var db = TempDatabase();
        try
        {
            await using var store = Store(db);
            await store.Write(Enumerable.Range(1, 10).Select(i => Row("p", i)).ToArray()).WaitAsync(AskTimeout);
            await store.Write([Row("q", 1)]).WaitAsync(AskTimeout);

            async Task<long[]> Replay(long from, long to, long max)
            {
                var seen = new List<long>();
                await store.Replay("p", from, to, max, row => seen.Add(row.SequenceNr)).WaitAsync(AskTimeout);
                return [.. seen];
            }

            Assert.Equal(new long[] { 3, 4, 5, 6 }, await Replay(3, 6, long.MaxValue));
            Assert.Equal(new long[] { 3, 4 }, await Replay(3, 6, 2));
            Assert.Empty(await Replay(3, 6, 0));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), await Replay(0, long.MaxValue, long.MaxValue));
            Assert.Equal(10, await store.HighestSequenceNr("p", 4, CancellationToken.None));
            Assert.Equal(0, await store.HighestSequenceNr("p", 10, CancellationToken.None));
            Assert.Equal(0, await store.HighestSequenceNr("none", 0, CancellationToken.None));

            var rows = new List<StoredRow>();
            await store.Replay("q", 1, 1, 1, rows.Add);
            var row = Assert.Single(rows);
            Assert.Equal(("m", 1, "writer"), (row.Manifest, row.SerializerId!.Value, row.WriterUuid));
            Assert.Equal([(byte)1], row.Message);
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    [Fact]
    public async Task A_fresh_file_gets_the_schema_akka_persistence_sql_creates()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Golden", "journal-v1.db");
        var db = TempDatabase();
        try
        {
            await using (var store = Store(db))
                await store.Ready.WaitAsync(AskTimeout);
            Assert.Equal(Schema(fixture, "journal", "tags"), Schema(db, "journal", "tags"));
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    /// <summary>Columns (name, declared type, not null, primary key) and indexes (name, unique, columns) of the tables.</summary>
    private static List<string> Schema(string db, params string[] tables)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var schema = new List<string>();
        foreach (var table in tables)
        {
            schema.AddRange(Query(connection, $"SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk FROM pragma_table_info('{table}')"));
            foreach (var index in Query(connection, $"SELECT name || ' ' || \"unique\" FROM pragma_index_list('{table}') ORDER BY name"))
            {
                schema.Add(index);
                schema.AddRange(Query(connection, $"SELECT name FROM pragma_index_info('{index.Split(' ')[0]}') ORDER BY seqno"));
            }
        }
        schema.AddRange(Query(connection, "SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"));
        return schema;
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.GetString(0));
        return values;
    }
}
