using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;
using Akka.Util;

namespace Orchestrator.Actors.Persistence;

/// <summary>
/// A SQLite write journal that group commits: every <see cref="WriteMessagesAsync"/> call is
/// serialized on the journal actor, queued, and written by one writer loop that puts everything
/// pending (up to <c>max-batch</c> rows) into one transaction; each call completes only once its
/// transaction committed. Akka.Persistence.Sql writes one transaction per event on SQLite
/// (~1-4k events/s); here 1,000 entities persisting single events share transactions.
/// <para>
/// Storage is exactly Akka.Persistence.Sql's (table-mapping default, tag-write-mode TagTable):
/// the same <c>journal</c> and <c>tags</c> tables, columns, values (payload bytes from the
/// payload's Akka serializer, serializer id, serializer manifest, ticks in <c>created</c>), delete
/// semantics and highest-sequence-number rule, so a database written by either plugin is read by
/// the other. Snapshots stay with Akka.Persistence.Sql's snapshot store.
/// </para>
/// <para>
/// Failures: a payload that does not serialize rejects only its own AtomicWrite (returned in the
/// result list, so the actor gets OnPersistRejected and keeps running). A storage error fails the
/// whole call (OnPersistFailure), and only that call: a failed batch is retried item by item.
/// Tags: a <see cref="Tagged"/> payload is unwrapped and its tags written to the <c>tags</c> table,
/// as Akka.Persistence.Sql does; there is no query side here (use Akka.Persistence.Sql's read
/// journal on the same file for that).
/// </para>
/// </summary>
public sealed class GroupCommitSqliteJournal : AsyncWriteJournal
{
    /// <summary>The plugin id this class is usually configured under.</summary>
    public const string PluginId = "akka.persistence.journal.sqlite-group-commit";

    /// <summary>
    /// The plugin section with its defaults. The node falls back on it and sets connection-string.
    /// synchronous = normal: durable when a transaction commits as far as a crash of this process goes
    /// (WAL), not against power loss; "full" fsyncs the WAL once per committed batch.
    /// </summary>
    public static readonly string DefaultConfig = $$"""
        {{PluginId}} {
          class = "Orchestrator.Actors.Persistence.GroupCommitSqliteJournal, Orchestrator.Actors"
          plugin-dispatcher = "akka.actor.default-dispatcher"
          # A Microsoft.Data.Sqlite connection string, e.g. "Data Source=/var/lib/orchestrator/journal.db".
          connection-string = ""
          # Rows (events; a delete counts one) one transaction takes at most. A single larger AtomicWrite still goes whole.
          max-batch = 1000
          # PRAGMA synchronous of the writer connection: normal (WAL: survives process crashes) or full (also power loss).
          synchronous = normal
          # How long a statement waits on a lock held by another connection (the snapshot store, another process).
          busy-timeout = 30s
        }
        """;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly ExtendedActorSystem _system;
    private readonly SqliteJournalStore _store;
    // The last write in flight per persistence id: reading the highest sequence number waits for it,
    // so a restarting actor never reuses a number its previous incarnation is still writing.
    private readonly ConcurrentDictionary<string, Task> _inFlight = new();

    public GroupCommitSqliteJournal(Akka.Configuration.Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var connectionString = config.GetString("connection-string", "");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new Akka.Configuration.ConfigurationException($"{PluginId}: connection-string is not set");
        _system = (ExtendedActorSystem)Context.System;
        _serialization = _system.Serialization;
        _store = new SqliteJournalStore(
            connectionString,
            config.GetInt("max-batch", 1000),
            config.GetString("synchronous", "normal"),
            config.GetTimeSpan("busy-timeout", TimeSpan.FromSeconds(30)));
    }

    /// <summary>Ask the journal actor for its <see cref="GroupCommitJournalStats"/>.</summary>
    public sealed class GetStats
    {
        public static readonly GetStats Instance = new();

        private GetStats()
        {
        }
    }

    protected override void PreStart()
    {
        base.PreStart();
        var log = _log;
        _store.Ready.ContinueWith(
            t => log.Error(t.Exception!.GetBaseException(), "The SQLite journal could not open its database; every write and replay fails"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    protected override void PostStop()
    {
        // Let the writer finish what is queued and close its connection (bounded: the system is stopping).
        if (!_store.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)))
            _log.Warning("The SQLite journal writer did not drain within 10 s");
        base.PostStop();
    }

    protected override bool ReceivePluginInternal(object message)
    {
        if (message is GetStats)
        {
            Sender.Tell(_store.Stats);
            return true;
        }
        return false;
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken = default)
    {
        // The token (circuit-breaker timeout) is not used to abandon a queued write: once queued it
        // may commit, and the caller is then failed by the breaker anyway ("unknown" = failure), and a
        // restarting actor's highest-sequence-number read waits for it (see _inFlight).
        // Called on the journal actor, one call per WriteMessages, in arrival order: enqueueing here keeps the order.
        var now = DateTime.UtcNow.Ticks;
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        var rows = new List<JournalRow>(writes.Count);
        Exception?[]? rejections = null;
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            var before = rows.Count;
            try
            {
                if (write.Payload is not IImmutableList<IPersistentRepresentation> payloads)
                    throw new ArgumentException($"{write.PersistenceId} received an empty payload for sequence numbers {write.LowestSequenceNr}-{write.HighestSequenceNr}");
                foreach (var representation in payloads)
                    rows.Add(Serialize(representation, now));
            }
            catch (Exception ex)
            {
                // Rejected: not stored, the actor gets OnPersistRejected. Drop this write's rows only.
                rows.RemoveRange(before, rows.Count - before);
                rejections ??= new Exception?[writes.Count];
                rejections[i] = ex;
            }
        }

        IImmutableList<Exception>? results = rejections is null ? null : ImmutableList.CreateRange(rejections.Select(e => e!));
        if (rows.Count == 0)
            return Task.FromResult(results!);

        var written = _store.Write(rows);
        // One persistent actor per WriteMessages in practice; track every id anyway.
        foreach (var pid in writes.Select(w => w.PersistenceId).Distinct())
        {
            _inFlight[pid] = written;
            written.ContinueWith(
                t => _inFlight.TryRemove(new KeyValuePair<string, Task>(pid, t)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return written.ContinueWith(
            t =>
            {
                t.GetAwaiter().GetResult(); // a storage failure fails the whole call
                return results!;
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private JournalRow Serialize(IPersistentRepresentation representation, long now)
    {
        var payload = representation.Payload;
        IReadOnlyCollection<string> tags = [];
        if (payload is Tagged tagged)
        {
            payload = tagged.Payload;
            tags = tagged.Tags;
        }
        var serializer = _serialization.FindSerializerFor(payload);
        // Serialize with the system's transport address in scope, as Akka.Persistence.Sql does, so
        // IActorRefs inside events are written with a full address.
        var (bytes, manifest) = Akka.Serialization.Serialization.WithTransport(_system, (serializer, payload), state =>
        {
            var (s, p) = state;
            var m = s switch
            {
                SerializerWithStringManifest withManifest => withManifest.Manifest(p),
                { IncludeManifest: true } => p.GetType().TypeQualifiedName(),
                _ => string.Empty,
            };
            return (s.ToBinary(p), m);
        });
        return new JournalRow(
            representation.PersistenceId,
            representation.SequenceNr,
            representation.Timestamp == 0 ? now : representation.Timestamp,
            bytes,
            manifest,
            serializer.Identifier,
            representation.WriterGuid,
            tags);
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        await _store.Replay(persistenceId, fromSequenceNr, toSequenceNr, max, row =>
            recoveryCallback(new Persistent(
                payload: Deserialize(row),
                sequenceNr: row.SequenceNr,
                persistenceId: persistenceId,
                manifest: row.Manifest ?? string.Empty,
                isDeleted: false,
                sender: ActorRefs.NoSender,
                writerGuid: row.WriterUuid,
                timestamp: row.Created))).ConfigureAwait(false);
    }

    private object Deserialize(StoredRow row)
    {
        if (row.SerializerId is { } identifier)
            return _serialization.Deserialize(row.Message, identifier, row.Manifest);
        // Rows without a serializer id (very old Akka.Persistence.Sql writers): the manifest is the type name.
        var type = Type.GetType(row.Manifest ?? throw new InvalidOperationException("A journal row has neither a serializer id nor a manifest"), throwOnError: true)!;
        return _serialization.FindSerializerForType(type).FromBinary(row.Message, type);
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        // Succeeded or failed, a write still in flight must be finished before the highest number is read.
        if (_inFlight.TryGetValue(persistenceId, out var pending))
            await Task.WhenAny(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await _store.HighestSequenceNr(persistenceId, fromSequenceNr, cancellationToken).ConfigureAwait(false);
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        _store.Delete(persistenceId, toSequenceNr);
}
