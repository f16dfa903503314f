using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql;
using Akka.Serialization;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Persistence;

namespace Orchestrator.Actors.Tests.Persistence;

/// <summary>
/// The journal tests start many persistent actors against SQLite files; run alone (not in parallel
/// with each other or other test classes) so thread-pool load from one does not time out another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteJournalCollection
{
    public const string Name = "sqlite-journal";
}

/// <summary>Which journal plugin a test system uses on a SQLite file (snapshots always go to Akka.Persistence.Sql).</summary>
public enum JournalKind
{
    GroupCommit,
    Sql,
}

/// <summary>Configurations, a temp database file and a persistent test actor for the journal tests.</summary>
internal static class JournalTestSupport
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), $"orch-journal-{Guid.NewGuid():N}.db");

    public static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            File.Delete(file);
    }

    public static string PluginId(JournalKind kind) => kind == JournalKind.GroupCommit ? GroupCommitSqliteJournal.PluginId : "akka.persistence.journal.sql";

    public static Config Configuration(JournalKind kind, string databasePath, string extra = "")
    {
        var connection = $"Data Source={databasePath}";
        return ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "{{PluginId(kind)}}"
            akka.persistence.journal.sqlite-group-commit.connection-string = "{{connection}}"
            akka.persistence.journal.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", parallelism = 1, auto-initialize = on }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", auto-initialize = on }
            akka.persistence.max-concurrent-recoveries = 100
            akka.actor.serializers.poison = "{{typeof(PoisonSerializer).FullName}}, {{typeof(PoisonSerializer).Assembly.GetName().Name}}"
            akka.actor.serialization-bindings { "{{typeof(Poison).FullName}}, {{typeof(Poison).Assembly.GetName().Name}}" = poison }
            {{extra}}
            """)
            .WithFallback(ConfigurationFactory.ParseString(GroupCommitSqliteJournal.DefaultConfig))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    public static ActorSystem Start(JournalKind kind, string databasePath, string extra = "") =>
        ActorSystem.Create($"journal-{kind}-{Guid.NewGuid():N}", Configuration(kind, databasePath, extra));

    public static IActorRef Recorder(ActorSystem system, string persistenceId) =>
        system.ActorOf(Props.Create(() => new Recorder(persistenceId)));

    public static Task<RecorderState> State(IActorRef recorder) => recorder.Ask<RecorderState>(GetRecorderState.Instance, AskTimeout);

    public static Task<GroupCommitJournalStats> Stats(ActorSystem system) =>
        global::Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(GroupCommitSqliteJournal.PluginId)
            .Ask<GroupCommitJournalStats>(GroupCommitSqliteJournal.GetStats.Instance, AskTimeout);

    /// <summary>Starts the recorders, waits until all recovered, then has each persist <paramref name="events"/> single events one after another; returns the time of the writing phase.</summary>
    public static async Task<(IActorRef[] Recorders, TimeSpan Elapsed)> PersistConcurrently(ActorSystem system, string prefix, int actors, int events,
        TimeSpan? timeout = null)
    {
        var recorders = Enumerable.Range(0, actors).Select(i => Recorder(system, $"{prefix}-{i}")).ToArray();
        await Task.WhenAll(recorders.Select(r => r.Ask<RecorderState>(GetRecorderState.Instance, timeout ?? AskTimeout)));
        var stopwatch = Stopwatch.StartNew();
        var done = await Task.WhenAll(recorders.Select(r => r.Ask<RunDone>(new RunEvents(events), timeout ?? AskTimeout)));
        stopwatch.Stop();
        Assert.All(done, d => Assert.Equal(events, d.LastSequenceNr));
        return (recorders, stopwatch.Elapsed);
    }

    /// <summary>(persistence_id, sequence_number, deleted) of every journal row, in order.</summary>
    public static List<(string PersistenceId, long SequenceNr, bool Deleted)> JournalRows(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number, deleted FROM journal ORDER BY persistence_id, sequence_number";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long, bool)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2) != 0));
        return rows;
    }

    public static List<(long OrderingId, string Tag, long SequenceNr, string PersistenceId)> TagRows(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.ordering_id, t.tag, t.sequence_nr, t.persistence_id FROM tags t
            JOIN journal j ON j.ordering = t.ordering_id AND j.persistence_id = t.persistence_id AND j.sequence_number = t.sequence_nr
            ORDER BY t.ordering_id, t.tag
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string, long, string)>();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
        return rows;
    }
}

public sealed record PersistEvent(object Event);

public sealed record Persisted(long SequenceNr);

public sealed record PersistRejected(string Reason, long SequenceNr);

public sealed record PersistFailed(string Reason, long SequenceNr);

public sealed record RunEvents(int Count);

public sealed record RunDone(long LastSequenceNr);

public sealed record DeleteEventsTo(long SequenceNr);

public sealed record EventsDeleted(long ToSequenceNr);

public sealed class GetRecorderState
{
    public static readonly GetRecorderState Instance = new();

    private GetRecorderState()
    {
    }
}

/// <summary>What a recorder recovered and persisted, in order, and its last sequence number.</summary>
public sealed record RecorderState(IReadOnlyList<object> Events, long LastSequenceNr);

/// <summary>A persistent actor that records its events: persists on request, one event at a time.</summary>
internal sealed class Recorder : UntypedPersistentActor
{
    private readonly List<object> _events = [];
    private IActorRef _requester = ActorRefs.Nobody;
    private int _remaining;

    public Recorder(string persistenceId) => PersistenceId = persistenceId;

    public override string PersistenceId { get; }

    protected override void OnRecover(object message)
    {
        if (message is not RecoveryCompleted)
            _events.Add(message);
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case PersistEvent persist:
                _requester = Sender;
                Persist(persist.Event, e =>
                {
                    _events.Add(e is Tagged tagged ? tagged.Payload : e);
                    _requester.Tell(new Persisted(LastSequenceNr));
                });
                break;
            case RunEvents run:
                _requester = Sender;
                _remaining = run.Count;
                PersistNext();
                break;
            case GetRecorderState:
                Sender.Tell(new RecorderState(_events.ToArray(), LastSequenceNr));
                break;
            case DeleteEventsTo delete:
                _requester = Sender;
                DeleteMessages(delete.SequenceNr);
                break;
            case DeleteMessagesSuccess deleted:
                _requester.Tell(new EventsDeleted(deleted.ToSequenceNr));
                break;
            case DeleteMessagesFailure failed:
                _requester.Tell(new Status.Failure(failed.Cause));
                break;
        }
    }

    // Single events, each persisted only once the previous one is acknowledged (like an entity).
    private void PersistNext() => Persist($"e{LastSequenceNr + 1}", e =>
    {
        _events.Add(e);
        if (--_remaining == 0)
            _requester.Tell(new RunDone(LastSequenceNr));
        else
            PersistNext();
    });

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        _requester.Tell(new PersistRejected(cause.Message, sequenceNr));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _requester.Tell(new PersistFailed(cause.GetBaseException().Message, sequenceNr));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}

/// <summary>An event whose serializer always fails.</summary>
public sealed record Poison(string Text);

public sealed class PoisonSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 917_001;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => throw new InvalidOperationException("poison does not serialize");

    public override object FromBinary(byte[] bytes, Type type) => throw new InvalidOperationException("poison does not deserialize");
}
