using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Actors.Serialization;

namespace Orchestrator.Actors.ReadModel;

/// <summary>
/// The read model in SQL (SQLite for one node, PostgreSQL shared by several). Writes are group
/// committed: every replacement waiting when a transaction starts goes into it, and each caller
/// is released only once that transaction has committed.
/// </summary>
public sealed class SqlResourceIndex : IResourceIndex, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Func<DbConnection> _connect;
    private readonly bool _postgres;
    private readonly Channel<(string Owner, long Sequence, long Generation, IReadOnlyList<IndexRow> Rows, TaskCompletionSource Done)> _pending =
        Channel.CreateUnbounded<(string, long, long, IReadOnlyList<IndexRow>, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    private SqlResourceIndex(Func<DbConnection> connect, bool postgres)
    {
        (_connect, _postgres) = (connect, postgres);
        _writer = Task.Run(WriteLoop);
    }

    public static async Task<SqlResourceIndex> OpenSqlite(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var index = new SqlResourceIndex(() => new SqliteConnection(connectionString), postgres: false);
        await index.CreateSchema("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        return index;
    }

    public static async Task<SqlResourceIndex> OpenPostgres(string connectionString)
    {
        var index = new SqlResourceIndex(() => new NpgsqlConnection(connectionString), postgres: true);
        // Nodes starting together would race on CREATE ... IF NOT EXISTS, which PostgreSQL does not make
        // atomic (23505 on pg_type): a transaction-scoped advisory lock lets one node create the schema.
        await index.CreateSchema("BEGIN; SELECT pg_advisory_xact_lock(417041);", "COMMIT;").ConfigureAwait(false);
        return index;
    }

    private async Task CreateSchema(string preamble, string postscript = "")
    {
        await using var connection = await Open().ConfigureAwait(false);
        await Execute(connection, null, preamble + """
            CREATE TABLE IF NOT EXISTS orch_index_owner (owner TEXT PRIMARY KEY, seq BIGINT NOT NULL, generation BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS orch_index_row (kind TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, generation BIGINT NOT NULL, view TEXT NOT NULL, PRIMARY KEY (kind, id));
            CREATE INDEX IF NOT EXISTS orch_index_row_owner ON orch_index_row (owner);
            """ + postscript).ConfigureAwait(false);
    }

    public Task ReplaceOwned(string owner, long sequenceNr, long generation, IReadOnlyList<IndexRow> rows)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((owner, sequenceNr, generation, rows, done)))
            done.SetException(new ObjectDisposedException(nameof(SqlResourceIndex)));
        return done.Task;
    }

    public async Task<IReadOnlyList<object>> List(string kind, long generation)
    {
        await using var connection = await Open().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT view FROM orch_index_row WHERE kind = @kind AND generation = @generation ORDER BY id";
        AddParameter(command, "@kind", kind);
        AddParameter(command, "@generation", generation);
        var views = new List<object>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
            views.Add(ReadView(reader.GetString(0)));
        return views;
    }

    public async Task<object?> Get(string kind, string id, long generation)
    {
        await using var connection = await Open().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT view FROM orch_index_row WHERE kind = @kind AND id = @id AND generation = @generation";
        AddParameter(command, "@kind", kind);
        AddParameter(command, "@id", id);
        AddParameter(command, "@generation", generation);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is string json ? ReadView(json) : null;
    }

    public async Task Clear(long keepGeneration)
    {
        await using var connection = await Open().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        foreach (var table in new[] { "orch_index_row", "orch_index_owner" })
            await Execute(connection, transaction, $"DELETE FROM {table} WHERE generation < @generation", ("@generation", keepGeneration)).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private async Task WriteLoop()
    {
        var batch = new List<(string Owner, long Sequence, long Generation, IReadOnlyList<IndexRow> Rows, TaskCompletionSource Done)>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                await WriteBatch(batch).ConfigureAwait(false);
                foreach (var item in batch)
                    item.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var item in batch)
                    item.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private const string DeleteRowsSql = "DELETE FROM orch_index_row WHERE owner = @owner";

    private const string InsertRowSql =
        "INSERT INTO orch_index_row (kind, id, owner, generation, view) VALUES (@kind, @id, @owner, @generation, @view) " +
        "ON CONFLICT (kind, id) DO UPDATE SET owner = excluded.owner, generation = excluded.generation, view = excluded.view";

    private const string UpsertOwnerSql =
        "INSERT INTO orch_index_owner (owner, seq, generation) VALUES (@owner, @seq, @generation) " +
        "ON CONFLICT (owner) DO UPDATE SET seq = excluded.seq, generation = excluded.generation";

    private async Task WriteBatch(List<(string Owner, long Sequence, long Generation, IReadOnlyList<IndexRow> Rows, TaskCompletionSource Done)> batch)
    {
        await using var connection = await Open().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        // Only the latest replacement of each owner in the batch matters.
        var latest = batch.GroupBy(b => b.Owner).Select(g => g.MaxBy(b => (b.Generation, b.Sequence))).ToList();
        var stored = await StoredVersions(connection, transaction, latest.Select(b => b.Owner).ToList()).ConfigureAwait(false);
        // Newer rows (a stale writer after a hand-off) or the same rows (an entity re-projecting on recovery) need no write.
        var fresh = latest.Where(b => !(stored.TryGetValue(b.Owner, out var v) && v.Generation == b.Generation && v.Sequence >= b.Sequence)).ToList();
        if (fresh.Count > 0)
        {
            if (connection.CanCreateBatch)
                await WriteAsOneBatch(connection, transaction, fresh).ConfigureAwait(false);
            else
                await WriteStatementByStatement(connection, transaction, fresh).ConfigureAwait(false);
        }
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, (long Sequence, long Generation)>> StoredVersions(DbConnection connection, DbTransaction transaction, List<string> owners)
    {
        await using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = $"SELECT owner, seq, generation FROM orch_index_owner WHERE owner IN ({string.Join(", ", owners.Select((_, i) => $"@o{i}"))})";
        for (var i = 0; i < owners.Count; i++)
            AddParameter(query, $"@o{i}", owners[i]);
        var stored = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
            stored[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return stored;
    }

    /// <summary>PostgreSQL: every statement of the transaction in one round trip.</summary>
    private static async Task WriteAsOneBatch(DbConnection connection, DbTransaction transaction, List<(string Owner, long Sequence, long Generation, IReadOnlyList<IndexRow> Rows, TaskCompletionSource Done)> fresh)
    {
        await using var statements = connection.CreateBatch();
        statements.Transaction = transaction;
        void Add(string sql, params (string Name, object Value)[] parameters)
        {
            var command = statements.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            statements.BatchCommands.Add(command);
        }
        foreach (var (owner, sequence, generation, rows, _) in fresh)
        {
            Add(DeleteRowsSql, ("@owner", owner));
            foreach (var row in rows)
                Add(InsertRowSql, ("@kind", row.Kind), ("@id", row.Id), ("@owner", owner), ("@generation", generation), ("@view", WriteView(row.View)));
            Add(UpsertOwnerSql, ("@owner", owner), ("@seq", sequence), ("@generation", generation));
        }
        await statements.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>SQLite (in process, no round trips): three statements prepared once per batch and rebound per owner.</summary>
    private static async Task WriteStatementByStatement(DbConnection connection, DbTransaction transaction, List<(string Owner, long Sequence, long Generation, IReadOnlyList<IndexRow> Rows, TaskCompletionSource Done)> fresh)
    {
        await using var delete = Prepare(connection, transaction, DeleteRowsSql, "@owner");
        await using var insert = Prepare(connection, transaction, InsertRowSql, "@kind", "@id", "@owner", "@generation", "@view");
        await using var upsertOwner = Prepare(connection, transaction, UpsertOwnerSql, "@owner", "@seq", "@generation");
        foreach (var (owner, sequence, generation, rows, _) in fresh)
        {
            delete.Parameters[0].Value = owner;
            await delete.ExecuteNonQueryAsync().ConfigureAwait(false);
            foreach (var row in rows)
            {
                insert.Parameters[0].Value = row.Kind;
                insert.Parameters[1].Value = row.Id;
                insert.Parameters[2].Value = owner;
                insert.Parameters[3].Value = generation;
                insert.Parameters[4].Value = WriteView(row.View);
                await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            upsertOwner.Parameters[0].Value = owner;
            upsertOwner.Parameters[1].Value = sequence;
            upsertOwner.Parameters[2].Value = generation;
            await upsertOwner.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
            AddParameter(command, name, DBNull.Value);
        return command;
    }

    private static string WriteView(object view) => JsonSerializer.Serialize<object>(view, OrchestratorJson.Options);

    private static object ReadView(string json) => JsonSerializer.Deserialize<object>(json, OrchestratorJson.Options)!;

    private async Task<DbConnection> Open()
    {
        var connection = _connect();
        await connection.OpenAsync().ConfigureAwait(false);
        if (!_postgres)
        {
            // Per connection: WAL makes synchronous=NORMAL durable at transaction boundaries and much faster.
            await Execute(connection, null, "PRAGMA synchronous=NORMAL;").ConfigureAwait(false);
        }
        return connection;
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        if (sql.Length == 0)
            return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            AddParameter(command, name, value);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
