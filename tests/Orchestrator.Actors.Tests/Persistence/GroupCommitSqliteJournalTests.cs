using Akka.Actor;
using Akka.Persistence.Journal;
using static Orchestrator.Actors.Tests.Persistence.JournalTestSupport;

namespace Orchestrator.Actors.Tests.Persistence;

/// <summary>
/// The group-commit SQLite journal through real persistent actors, on temp files, against
/// Akka.Persistence.Sql on the same tables. Every wait is an Ask with a timeout.
/// </summary>
[Collection(SqliteJournalCollection.Name)]
public sealed class GroupCommitSqliteJournalTests
{
    private static string[] Names(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => $"e{i}").ToArray();

    [Fact]
    public async Task Persisted_events_replay_exactly_and_in_order_after_a_restart()
    {
        var db = TempDatabase();
        try
        {
            using (var system = Start(JournalKind.GroupCommit, db))
            {
                var recorder = Recorder(system, "replay");
                Assert.Equal(25, (await recorder.Ask<RunDone>(new RunEvents(25), AskTimeout)).LastSequenceNr);
                await system.Terminate();
            }
            using (var system = Start(JournalKind.GroupCommit, db))
            {
                var state = await State(Recorder(system, "replay"));
                Assert.Equal(Names(1, 25), state.Events);
                Assert.Equal(25, state.LastSequenceNr);
                Assert.Empty((await State(Recorder(system, "other"))).Events);
                await system.Terminate();
            }
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    /// <summary>
    /// Same script on both plugins, same rows afterwards: rows up to the target are removed except
    /// the highest, which stays flagged deleted, so a new incarnation continues numbering and
    /// replays nothing deleted.
    /// </summary>
    [Theory]
    [InlineData(JournalKind.GroupCommit)]
    [InlineData(JournalKind.Sql)]
    public async Task DeleteMessagesTo_keeps_the_highest_sequence_number_and_replays_nothing_deleted(JournalKind kind)
    {
        var db = TempDatabase();
        try
        {
            using (var system = Start(kind, db))
            {
                var recorder = Recorder(system, "d");
                await recorder.Ask<RunDone>(new RunEvents(5), AskTimeout);
                await recorder.Ask<Persisted>(new PersistEvent(new Tagged("tagged", ["t1"])), AskTimeout);
                Assert.Equal(3, (await recorder.Ask<EventsDeleted>(new DeleteEventsTo(3), AskTimeout)).ToSequenceNr);
                await system.Terminate();
            }
            Assert.Equal([("d", 3, true), ("d", 4, false), ("d", 5, false), ("d", 6, false)], JournalRows(db));
            Assert.Single(TagRows(db));

            using (var system = Start(kind, db))
            {
                var recorder = Recorder(system, "d");
                var state = await State(recorder);
                Assert.Equal(["e4", "e5", "tagged"], state.Events);
                Assert.Equal(6, state.LastSequenceNr);
                await recorder.Ask<EventsDeleted>(new DeleteEventsTo(6), AskTimeout);
                await system.Terminate();
            }
            Assert.Equal([("d", 6, true)], JournalRows(db));
            // Akka.Persistence.Sql 1.5.73 deletes the tags below the kept row only.
            Assert.Equal([(6L, "t1")], TagRows(db).Select(t => (t.SequenceNr, t.Tag)).ToArray());

            using (var system = Start(kind, db))
            {
                var recorder = Recorder(system, "d");
                var state = await State(recorder);
                Assert.Empty(state.Events);
                Assert.Equal(6, state.LastSequenceNr);
                Assert.Equal(8, (await recorder.Ask<RunDone>(new RunEvents(2), AskTimeout)).LastSequenceNr);
                await system.Terminate();
            }
            Assert.Equal([("d", 6, true), ("d", 7, false), ("d", 8, false)], JournalRows(db));

            using (var system = Start(kind, db))
            {
                var state = await State(Recorder(system, "d"));
                Assert.Equal(["e7", "e8"], state.Events);
                Assert.Equal(8, state.LastSequenceNr);
                await system.Terminate();
            }
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    [Fact]
    public async Task A_thousand_concurrent_actors_are_acknowledged_in_far_fewer_transactions_and_replay_whole()
    {
        const int actors = 1000, events = 20;
        var db = TempDatabase();
        try
        {
            using (var system = Start(JournalKind.GroupCommit, db))
            {
                await PersistConcurrently(system, "many", actors, events);
                var stats = await Stats(system);
                Assert.Equal(actors * events, stats.CommittedEvents);
                Assert.Equal(0, stats.FailedTransactions);
                // One transaction per event is what Akka.Persistence.Sql does on SQLite.
                Assert.True(stats.CommittedTransactions * 4 < stats.CommittedEvents,
                    $"{stats.CommittedTransactions} transactions for {stats.CommittedEvents} events");
                await system.Terminate();
            }
            Assert.Equal(actors * events, JournalRows(db).Count);
            using (var system = Start(JournalKind.GroupCommit, db))
            {
                var states = await Task.WhenAll(Enumerable.Range(0, actors).Select(i => State(Recorder(system, $"many-{i}"))));
                var expected = Names(1, events);
                Assert.All(states, s => Assert.Equal(expected, s.Events));
                await system.Terminate();
            }
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    /// <summary>A journal written by one plugin is recovered and continued by the other, then read back by the first.</summary>
    [Theory]
    [InlineData(JournalKind.GroupCommit, JournalKind.Sql)]
    [InlineData(JournalKind.Sql, JournalKind.GroupCommit)]
    public async Task Either_plugin_reads_and_continues_what_the_other_wrote(JournalKind first, JournalKind second)
    {
        var db = TempDatabase();
        try
        {
            using (var system = Start(first, db))
            {
                var recorder = Recorder(system, "rt");
                await recorder.Ask<RunDone>(new RunEvents(10), AskTimeout);
                Assert.Equal(11, (await recorder.Ask<Persisted>(new PersistEvent(new Tagged("tagged-1", ["blue", "green"])), AskTimeout)).SequenceNr);
                await PersistConcurrently(system, $"rt-{first}", 20, 3);
                await system.Terminate();
            }
            using (var system = Start(second, db))
            {
                var recorder = Recorder(system, "rt");
                var state = await State(recorder);
                Assert.Equal([.. Names(1, 10), "tagged-1"], state.Events);
                Assert.Equal(11, state.LastSequenceNr);
                await recorder.Ask<RunDone>(new RunEvents(3), AskTimeout);
                Assert.Equal(15, (await recorder.Ask<Persisted>(new PersistEvent(new Tagged("tagged-2", ["blue"])), AskTimeout)).SequenceNr);
                var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => State(Recorder(system, $"rt-{first}-{i}"))));
                Assert.All(others, s => Assert.Equal(Names(1, 3), s.Events));
                await system.Terminate();
            }
            using (var system = Start(first, db))
            {
                var state = await State(Recorder(system, "rt"));
                Assert.Equal([.. Names(1, 10), "tagged-1", "e12", "e13", "e14", "tagged-2"], state.Events);
                Assert.Equal(15, state.LastSequenceNr);
                await system.Terminate();
            }
            Assert.Equal([("blue", 11L), ("green", 11L), ("blue", 15L)], TagRows(db).Select(t => (t.Tag, t.SequenceNr)).ToArray());
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    [Fact]
    public async Task A_payload_that_does_not_serialize_is_rejected_alone_and_the_actor_keeps_going()
    {
        var db = TempDatabase();
        try
        {
            using (var system = Start(JournalKind.GroupCommit, db))
            {
                var recorder = Recorder(system, "poison");
                Assert.Equal(1, (await recorder.Ask<Persisted>(new PersistEvent("before"), AskTimeout)).SequenceNr);
                var rejected = await recorder.Ask<PersistRejected>(new PersistEvent(new Poison("x")), AskTimeout);
                Assert.Contains("poison does not serialize", rejected.Reason);
                Assert.Equal(3, (await recorder.Ask<Persisted>(new PersistEvent("after"), AskTimeout)).SequenceNr);
                await system.Terminate();
            }
            using (var system = Start(JournalKind.GroupCommit, db))
            {
                var state = await State(Recorder(system, "poison"));
                Assert.Equal(["before", "after"], state.Events);
                Assert.Equal(3, state.LastSequenceNr);
                await system.Terminate();
            }
        }
        finally
        {
            DeleteDatabase(db);
        }
    }

    [Fact]
    public async Task A_storage_failure_fails_the_actor_that_wrote_it()
    {
        var db = TempDatabase();
        try
        {
            using var system = Start(JournalKind.GroupCommit, db);
            var recorder = Recorder(system, "clash");
            await State(recorder);
            // Another writer takes sequence number 1 behind the recovered actor's back.
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) VALUES (0, 0, 'clash', 1, x'00', '', 1, NULL)";
                command.ExecuteNonQuery();
            }
            var failed = await recorder.Ask<PersistFailed>(new PersistEvent("lost"), AskTimeout);
            Assert.Contains("UNIQUE", failed.Reason, StringComparison.OrdinalIgnoreCase);
            var other = Recorder(system, "fine");
            Assert.Equal(1, (await other.Ask<Persisted>(new PersistEvent("kept"), AskTimeout)).SequenceNr);
            await system.Terminate();
        }
        finally
        {
            DeleteDatabase(db);
        }
    }
}
