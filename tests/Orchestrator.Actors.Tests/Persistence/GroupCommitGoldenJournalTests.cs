using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Orchestrator.Actors.Clock;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.Persistence;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Time;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Persistence;

/// <summary>
/// The golden journal (written by Akka.Persistence.Sql, Golden/journal-v1.db) recovers into the
/// same state with the group-commit journal as the journal plugin and Akka.Persistence.Sql's
/// snapshot store, as in <c>GoldenJournalTests</c>.
/// </summary>
[Collection(SqliteJournalCollection.Name)]
public sealed class GroupCommitGoldenJournalTests
{
    private const string InstanceId = "i-00000000000000001";
    private const string VpcId = "vpc-00000000000000001";
    private const string TemplateId = "lt-00000000000000001";
    private const string SubnetId = "subnet-00000000000000001";
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    static GroupCommitGoldenJournalTests() => EntityTestKit.RegisterAllMessages();

    [Fact]
    public async Task Journal_written_by_akka_persistence_sql_v1_recovers_with_the_group_commit_journal()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Golden", "journal-v1.db");
        var copy = JournalTestSupport.TempDatabase();
        File.Copy(fixture, copy);
        try
        {
            var (system, router) = Open(copy, snapshotEvery: 1000);
            using (system)
            {
                var instance = (Instance)await State(router, Ec2Kinds.Instance, InstanceId);
                Assert.Equal(InstanceStateName.Stopped, instance.State);
                Assert.Equal("t3.small", instance.InstanceType);
                Assert.Equal("golden", instance.Tags["Name"]);
                Assert.Equal(SubnetId, instance.SubnetId);
                Assert.True(instance.DetailedMonitoring);
                Assert.Equal(60, instance.BilledSeconds(Start.AddHours(1)));

                var vpc = (VpcState)await State(router, Ec2Kinds.Vpc, VpcId);
                Assert.Equal("10.20.0.0/16", vpc.CidrBlock);
                var subnet = Assert.Single(vpc.Subnets);
                Assert.Equal(InstanceId, subnet.AllocatedAddresses["10.20.1.4"]);

                var template = (LaunchTemplate)await State(router, Ec2Kinds.LaunchTemplate, TemplateId);
                Assert.Equal(2, template.LastVersionNumber);
                Assert.Equal("golden-template", template.LaunchTemplateName);
                await system.Terminate();
            }
        }
        finally
        {
            JournalTestSupport.DeleteDatabase(copy);
        }
    }

    private static RegionState Region() =>
        new(1, RegionStatus.AllAvailable("us-east-1", ["us-east-1a", "us-east-1b"], Start), SimClockParameters.StartingAt(Start, 1), 1, null);

    private static (ActorSystem System, LocalEntityRouter Router) Open(string databasePath, int snapshotEvery)
    {
        var connection = $"Data Source={databasePath}";
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "{{GroupCommitSqliteJournal.PluginId}}"
            {{GroupCommitSqliteJournal.PluginId}}.connection-string = "{{connection}}"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", auto-initialize = on }
            """)
            .WithFallback(ConfigurationFactory.ParseString(OrchestratorSerializer.BindingsHocon()))
            .WithFallback(ConfigurationFactory.ParseString(GroupCommitSqliteJournal.DefaultConfig))
            .WithFallback(SqlPersistence.DefaultConfiguration);
        var system = ActorSystem.Create("golden-group-commit", config);
        var clock = new VirtualClock(Start);
        var deferred = new Deferred();
        var services = new EntityServices(clock, clock, deferred, new RegionSnapshot(Region()), new InMemoryResourceIndex(), new RecordingMetricSink(), snapshotEvery);
        var router = new LocalEntityRouter(system, Ec2Kinds.All(services, "us-east-1"));
        deferred.Inner = router;
        return (system, router);
    }

    private static async Task<object> State(LocalEntityRouter router, string kind, string id) =>
        ((EntityReplies.Accepted)await router.Ask<object>(kind, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(10))).State!;

    private sealed class Deferred : IEntityRouter
    {
        public IEntityRouter? Inner { get; set; }

        public IActorRef RefFor(string kind) => Inner!.RefFor(kind);

        public object Envelope(string entityId, object message) => Inner!.Envelope(entityId, message);
    }
}
