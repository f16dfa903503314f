using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Persistence;

/// <summary>One serialized event, in the columns of Akka.Persistence.Sql's journal table.</summary>
internal readonly record struct JournalRow(
    string PersistenceId, long SequenceNr, long Created, byte[] Message, string Manifest, int SerializerId, string? WriterUuid, IReadOnlyCollection<string> Tags);

/// <summary>A row read back for replay.</summary>
internal readonly record struct StoredRow(long SequenceNr, long Created, byte[] Message, string? Manifest, int? SerializerId, string? WriterUuid);

/// <summary>Counters of the writer loop, for tests and diagnostics.</summary>
public sealed record GroupCommitJournalStats(long CommittedTransactions, long CommittedEvents, long CommittedDeletes, long FailedTransactions, long RetriedBatches);

/// <summary>
/// The SQLite side of <see cref="GroupCommitSqliteJournal"/>: reads and writes exactly the tables
/// Akka.Persistence.Sql creates on SQLite (table-mapping default, tag-write-mode TagTable), so
/// either plugin reads what the other wrote.
/// <para>
/// Writes are group committed like <c>SqlResourceIndex</c>: every write (and delete) waiting when a
/// transaction starts goes into it, on one long-lived writer connection with one prepared insert,
/// and each caller is released only once that transaction has committed. When a transaction fails,
/// its items are retried one per transaction, so one bad write (a duplicate sequence number, say)
/// fails alone and the others still commit. Items are applied in the order they were enqueued, so
/// the order per persistence id is kept.
/// </para>
/// <para>
/// Durability: the writer connection runs WAL with <c>synchronous=NORMAL</c>. A commit is then
/// durable against a crash of the process (the WAL frames are in the OS page cache and the next
/// open replays them), but not against power loss or a kernel crash: the last transactions before
/// the next WAL checkpoint's fsync can be lost. <c>synchronous=FULL</c> would fsync the WAL at every
/// commit; with group commit that costs one fsync per batch, not per event, so set
/// <c>synchronous = full</c> in the plugin section where power-loss durability matters.
/// </para>
/// </summary>
internal sealed class SqliteJournalStore : IAsyncDisposable
{
    // The exact DDL Akka.Persistence.Sql 1.5.73 runs on SQLite (linq2db CreateTable + its footer),
    // with IF NOT EXISTS so that it is a no-op on a file either plugin already initialized.
    internal const string SchemaSql = """
        CREATE TABLE IF NOT EXISTS [journal]
        (
        	[ordering]        INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
        	[created]         INTEGER        NOT NULL,
        	[deleted]         Bit            NOT NULL,
        	[persistence_id]  NVarChar(255)  NOT NULL,
        	[sequence_number] INTEGER        NOT NULL,
        	[message]         VarBinary      NOT NULL,
        	[manifest]        NVarChar(500)      NULL,
        	[identifier]      INTEGER            NULL,
        	[writer_uuid]     NVarChar(128)      NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS journal_uq ON journal (persistence_id, sequence_number);
        CREATE INDEX IF NOT EXISTS journal_created_idx ON journal (created);
        CREATE INDEX IF NOT EXISTS journal_sequence_number_idx ON journal (sequence_number);
        CREATE TABLE IF NOT EXISTS [tags]
        (
        	[ordering_id]    INTEGER       NOT NULL,
        	[tag]            NVarChar(64)  NOT NULL,
        	[sequence_nr]    INTEGER       NOT NULL,
        	[persistence_id] NVarChar(255) NOT NULL,

        	CONSTRAINT [PK_tags] PRIMARY KEY ([ordering_id], [tag])
        );
        CREATE INDEX IF NOT EXISTS tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr);
        CREATE INDEX IF NOT EXISTS tags_tag_idx ON tags (tag);
        """;

    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly int _maxBatch;
    private readonly BlockingCollection<Pending> _pending = new(new ConcurrentQueue<Pending>());
    private readonly ManualResetEventSlim _started = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _committedTransactions, _committedEvents, _committedDeletes, _failedTransactions, _retriedBatches;

    private SqliteConnection? _connection;
    private SqliteCommand? _insert, _lastRowId, _insertTag, _maxToDelete, _markDeleted, _purgeDeleted, _purgeTags;

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string.</param>
    /// <param name="maxBatch">Rows (events, deletes count one) that one transaction takes at most; a single larger AtomicWrite still goes whole.</param>
    /// <param name="synchronous">The writer connection's PRAGMA synchronous (NORMAL or FULL).</param>
    /// <param name="busyTimeout">How long a statement waits on a lock another connection holds.</param>
    /// <param name="start">False to start the writer loop later (<see cref="Start"/>), so a test can queue several writes into one batch.</param>
    public SqliteJournalStore(string connectionString, int maxBatch, string synchronous, TimeSpan busyTimeout, bool start = true)
    {
        if (maxBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "max-batch must be at least 1");
        if (!synchronous.Equals("NORMAL", StringComparison.OrdinalIgnoreCase) && !synchronous.Equals("FULL", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "synchronous must be NORMAL or FULL");
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        _connectionString = builder.ToString();
        _synchronous = synchronous.ToUpperInvariant();
        _maxBatch = maxBatch;
        // SQLite calls block: the writer gets its own thread, so neither does it take a thread-pool
        // thread for good nor does it stall when the pool is starved (100k entities recovering).
        new Thread(WriteLoop) { IsBackground = true, Name = "sqlite-journal-writer" }.Start();
        if (start)
            Start();
    }

    /// <summary>Completes once the schema exists and the writer connection is open; faulted if that failed.</summary>
    // Reads block their thread (Microsoft.Data.Sqlite is synchronous underneath) and a thousand
    // recoveries opening connections at once make SQLite answer busy and back off for seconds:
    // a few readers at a time get through faster than all of them together.
    private readonly SemaphoreSlim _readers = new(Math.Max(4, Environment.ProcessorCount * 2));

    public Task Ready => _ready.Task;

    /// <summary>Completes once the writer has drained its queue and closed its connection after <see cref="DisposeAsync"/>.</summary>
    public Task Stopped => _stopped.Task;

    public void Start() => _started.Set();

    public GroupCommitJournalStats Stats => new(
        Interlocked.Read(ref _committedTransactions), Interlocked.Read(ref _committedEvents), Interlocked.Read(ref _committedDeletes),
        Interlocked.Read(ref _failedTransactions), Interlocked.Read(ref _retriedBatches));

    /// <summary>Queues rows that must be stored atomically; completes once their transaction committed.</summary>
    public Task Write(IReadOnlyList<JournalRow> rows) => Enqueue(new Pending(rows, null, 0));

    /// <summary>Queues a delete up to <paramref name="toSequenceNr"/>; it runs in order with the writes around it.</summary>
    public Task Delete(string persistenceId, long toSequenceNr) => Enqueue(new Pending([], persistenceId, toSequenceNr));

    private Task Enqueue(Pending item)
    {
        bool added;
        try
        {
            added = _pending.TryAdd(item);
        }
        catch (InvalidOperationException)
        {
            added = false; // CompleteAdding was called: stopping
        }
        if (!added)
            item.Done.TrySetException(new ObjectDisposedException(nameof(GroupCommitSqliteJournal), "The journal is stopping"));
        return item.Done.Task;
    }

    public async Task<long> HighestSequenceNr(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _readers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadHighest(persistenceId, fromSequenceNr, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _readers.Release();
        }
    }

    private async Task<long> ReadHighest(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReader(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // The highest row of any kind, deleted or not: Akka.Persistence.Sql keeps the highest row
        // (flagged deleted) when deleting, so numbering continues after a delete.
        command.CommandText = "SELECT MAX(sequence_number) FROM journal WHERE persistence_id = @pid AND sequence_number > @from";
        command.Parameters.AddWithValue("@pid", persistenceId);
        command.Parameters.AddWithValue("@from", fromSequenceNr);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long highest ? highest : 0;
    }

    /// <summary>The rows not flagged deleted, in sequence order.</summary>
    public async Task Replay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<StoredRow> onRow)
    {
        if (max <= 0)
            return;
        await _ready.Task.ConfigureAwait(false);
        await _readers.WaitAsync().ConfigureAwait(false);
        try
        {
            await ReadRows(persistenceId, fromSequenceNr, toSequenceNr, max, onRow).ConfigureAwait(false);
        }
        finally
        {
            _readers.Release();
        }
    }

    private async Task ReadRows(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<StoredRow> onRow)
    {
        await using var connection = await OpenReader(CancellationToken.None).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence_number, created, message, manifest, identifier, writer_uuid FROM journal
            WHERE persistence_id = @pid AND sequence_number >= @from AND sequence_number <= @to AND deleted = 0
            ORDER BY sequence_number LIMIT @max
            """;
        command.Parameters.AddWithValue("@pid", persistenceId);
        command.Parameters.AddWithValue("@from", fromSequenceNr);
        command.Parameters.AddWithValue("@to", toSequenceNr);
        command.Parameters.AddWithValue("@max", max);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            onRow(new StoredRow(
                reader.GetInt64(0),
                reader.GetInt64(1),
                (byte[])reader.GetValue(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
    }

    private async Task<SqliteConnection> OpenReader(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void OpenWriter()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // WAL is a property of the file (it sticks); synchronous and busy_timeout are per connection.
            Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout={connection.DefaultTimeout * 1000};");
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, SchemaSql, transaction);
                transaction.Commit();
            }
            _insert = Prepare(connection, """
                INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
                VALUES (@created, 0, @pid, @seq, @message, @manifest, @identifier, @writer)
                """, "@created", "@pid", "@seq", "@message", "@manifest", "@identifier", "@writer");
            _lastRowId = Prepare(connection, "SELECT last_insert_rowid()");
            _insertTag = Prepare(connection, "INSERT INTO tags (ordering_id, tag, sequence_nr, persistence_id) VALUES (@ordering, @tag, @seq, @pid)",
                "@ordering", "@tag", "@seq", "@pid");
            // Deletes exactly as Akka.Persistence.Sql 1.5.73's BaseByteArrayJournalDao.Delete (sql-common compatibility
            // mode off): take the highest row at or below toSequenceNr, flag it deleted and keep it (so the highest
            // sequence number survives and a new incarnation continues numbering), physically delete every row of the
            // persistence id below it, and the tags of those rows (the kept row keeps its tags).
            _maxToDelete = Prepare(connection, "SELECT sequence_number FROM journal WHERE persistence_id = @pid AND sequence_number <= @to ORDER BY sequence_number DESC LIMIT 1",
                "@pid", "@to");
            _markDeleted = Prepare(connection, "UPDATE journal SET deleted = 1 WHERE persistence_id = @pid AND sequence_number = @max", "@pid", "@max");
            _purgeDeleted = Prepare(connection, "DELETE FROM journal WHERE persistence_id = @pid AND sequence_number < @max", "@pid", "@max");
            _purgeTags = Prepare(connection, "DELETE FROM tags WHERE sequence_nr < @max AND persistence_id = @pid", "@max", "@pid");
            _connection = connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void WriteLoop()
    {
        Exception? notReady = null;
        try
        {
            OpenWriter();
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            notReady = ex;
            _ready.TrySetException(ex);
        }
        try
        {
            _started.Wait();
            var batch = new List<Pending>(_maxBatch);
            // Blocks until an item arrives; then takes everything pending, up to max-batch rows.
            foreach (var first in _pending.GetConsumingEnumerable())
            {
                batch.Add(first);
                var weight = Math.Max(1, first.Rows.Count);
                while (weight < _maxBatch && _pending.TryTake(out var item))
                {
                    batch.Add(item);
                    weight += Math.Max(1, item.Rows.Count);
                }
                if (notReady is not null)
                {
                    foreach (var item in batch)
                        item.Done.TrySetException(new InvalidOperationException("The SQLite journal could not open its database", notReady));
                }
                else
                {
                    Commit(batch);
                }
                batch.Clear();
            }
        }
        finally
        {
            _connection?.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Commit(List<Pending> batch)
    {
        try
        {
            RunTransaction(batch);
            foreach (var item in batch)
                item.Done.TrySetResult();
            return;
        }
        catch (Exception ex) when (batch.Count == 1)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _retriedBatches);
        }
        // One item per transaction: only the items that fail on their own fail.
        var single = new List<Pending>(1) { batch[0] };
        foreach (var item in batch)
        {
            single[0] = item;
            try
            {
                RunTransaction(single);
                item.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                item.Done.TrySetException(ex);
            }
        }
    }

    private void RunTransaction(List<Pending> items)
    {
        var connection = _connection!;
        long events = 0, deletes = 0;
        try
        {
            using var transaction = connection.BeginTransaction();
            foreach (var item in items)
            {
                if (item.DeletePersistenceId is { } persistenceId)
                {
                    RunDelete(transaction, persistenceId, item.DeleteTo);
                    deletes++;
                    continue;
                }
                foreach (var row in item.Rows)
                    Insert(transaction, row);
                events += item.Rows.Count;
            }
            transaction.Commit();
        }
        catch
        {
            Interlocked.Increment(ref _failedTransactions);
            throw;
        }
        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Add(ref _committedEvents, events);
        Interlocked.Add(ref _committedDeletes, deletes);
    }

    private void Insert(SqliteTransaction transaction, JournalRow row)
    {
        var insert = _insert!;
        insert.Transaction = transaction;
        var p = insert.Parameters;
        p[0].Value = row.Created;
        p[1].Value = row.PersistenceId;
        p[2].Value = row.SequenceNr;
        p[3].Value = row.Message;
        p[4].Value = row.Manifest;
        p[5].Value = row.SerializerId;
        p[6].Value = (object?)row.WriterUuid ?? DBNull.Value;
        insert.ExecuteNonQuery();
        if (row.Tags.Count == 0)
            return;
        _lastRowId!.Transaction = transaction;
        var ordering = (long)_lastRowId.ExecuteScalar()!;
        var insertTag = _insertTag!;
        insertTag.Transaction = transaction;
        foreach (var tag in row.Tags)
        {
            insertTag.Parameters[0].Value = ordering;
            insertTag.Parameters[1].Value = tag;
            insertTag.Parameters[2].Value = row.SequenceNr;
            insertTag.Parameters[3].Value = row.PersistenceId;
            insertTag.ExecuteNonQuery();
        }
    }

    private void RunDelete(SqliteTransaction transaction, string persistenceId, long toSequenceNr)
    {
        var find = _maxToDelete!;
        find.Transaction = transaction;
        find.Parameters[0].Value = persistenceId;
        find.Parameters[1].Value = toSequenceNr;
        if (find.ExecuteScalar() is not long max || max == 0)
            return;
        foreach (var command in new[] { _markDeleted!, _purgeDeleted! })
        {
            command.Transaction = transaction;
            command.Parameters[0].Value = persistenceId;
            command.Parameters[1].Value = max;
            command.ExecuteNonQuery();
        }
        var tags = _purgeTags!;
        tags.Transaction = transaction;
        tags.Parameters[0].Value = max;
        tags.Parameters[1].Value = persistenceId;
        tags.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Stops taking writes, finishes the queued ones and closes the writer connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.CompleteAdding();
        Start();
        await _stopped.Task.ConfigureAwait(false);
    }

    private sealed class Pending(IReadOnlyList<JournalRow> rows, string? deletePersistenceId, long deleteTo)
    {
        public IReadOnlyList<JournalRow> Rows { get; } = rows;
        public string? DeletePersistenceId { get; } = deletePersistenceId;
        public long DeleteTo { get; } = deleteTo;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
