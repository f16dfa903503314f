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

namespace Orchestrator.Actors.Tests.Serialization;

/// <summary>
/// A SQLite journal and snapshot store written by an earlier build (Golden/journal-v1.db, by
/// Akka.Persistence.Sql) must recover into the same state forever, with either journal plugin the
/// node may use on SQLite (Akka.Persistence.Sql, or our group-commit journal over its schema). Set ORCH_WRITE_GOLDEN_JOURNAL=path to write a new fixture
/// (only when adding a new one beside it: never overwrite a fixture older builds wrote).
/// </summary>
public sealed class GoldenJournalTests
{
    private const string InstanceId = "i-00000000000000001";
    private const string VpcId = "vpc-00000000000000001";
    private const string SubnetId = "subnet-00000000000000001";
    private const string TemplateId = "lt-00000000000000001";
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    static GoldenJournalTests() => EntityTestKit.RegisterAllMessages();

    [Theory]
    [InlineData(SqlJournal)]
    [InlineData(GroupCommitSqliteJournal.PluginId)]
    public async Task Journal_and_snapshots_written_by_build_v1_recover(string journalPlugin)
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Golden", "journal-v1.db");
        var copy = Path.Combine(Path.GetTempPath(), $"orch-golden-{Guid.NewGuid():N}.db");
        File.Copy(fixture, copy);
        try
        {
            var (system, router, _) = Open(copy, snapshotEvery: 1000, journalPlugin);
            using (system)
            {
                var instance = (Instance)await State(router, Ec2Kinds.Instance, InstanceId);
                Assert.Equal(InstanceStateName.Stopped, instance.State);
                Assert.Equal("t3.small", instance.InstanceType);
                Assert.Equal("golden", instance.Tags["Name"]);
                Assert.Equal(SubnetId, instance.SubnetId);
                Assert.True(instance.DetailedMonitoring);
                Assert.Equal(60, instance.BilledSeconds(Start.AddHours(1)));
                // Written before interfaces and the later attributes existed: a derived, stable interface id and AWS's defaults.
                Assert.Null(instance.NetworkInterfaceId);
                Assert.Equal(NetworkInterfaces.DerivedId(InstanceId), instance.PrimaryNetworkInterfaceId());
                Assert.Matches("^eni-[0-9a-f]{17}$", instance.PrimaryNetworkInterfaceId());
                Assert.True(instance.SourceDestCheck);
                Assert.Equal(ShutdownBehaviors.Stop, instance.InstanceInitiatedShutdownBehavior);
                Assert.Equal(CreditSpecifications.Unlimited, instance.EffectiveCpuCredits());

                var vpc = (VpcState)await State(router, Ec2Kinds.Vpc, VpcId);
                Assert.Equal("10.20.0.0/16", vpc.CidrBlock);
                var subnet = Assert.Single(vpc.Subnets);
                Assert.Equal(InstanceId, subnet.AllocatedAddresses["10.20.1.4"]);

                var template = (LaunchTemplate)await State(router, Ec2Kinds.LaunchTemplate, TemplateId);
                Assert.Equal(2, template.LastVersionNumber);
                Assert.Equal("golden-template", template.LaunchTemplateName);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(copy);
        }
    }

    /// <summary>Writes the fixture (run with ORCH_WRITE_GOLDEN_JOURNAL set); otherwise proves the writer still works on a scratch file.</summary>
    [Fact]
    public async Task Fixture_writer_produces_the_recoverable_history()
    {
        var target = Environment.GetEnvironmentVariable("ORCH_WRITE_GOLDEN_JOURNAL") is { Length: > 0 } path
            ? path
            : Path.Combine(Path.GetTempPath(), $"orch-golden-write-{Guid.NewGuid():N}.db");
        try
        {
            var (system, router, clock) = Open(target, snapshotEvery: 3, SqlJournal);
            using (system)
            {
                var ec2 = new Ec2Service(new EntityServices(clock, clock, router, new RegionSnapshot(Region()), new InMemoryResourceIndex(), new RecordingMetricSink(), 3));
                await Must<VpcState>(ec2, Ec2Kinds.Vpc, VpcId, new VpcCommands.CreateVpc(VpcId, "10.20.0.0/16"));
                await Must<VpcState>(ec2, Ec2Kinds.Vpc, VpcId, new VpcCommands.CreateSubnet(VpcId, SubnetId, "10.20.1.0/24", "us-east-1a", "use1-az1"));
                await Must<VpcState>(ec2, Ec2Kinds.Vpc, VpcId, new VpcCommands.AllocatePrivateIp(VpcId, SubnetId, InstanceId));
                await Must<LaunchTemplate>(ec2, Ec2Kinds.LaunchTemplate, TemplateId, new LaunchTemplateCommands.Create(TemplateId, "golden-template", new LaunchTemplateData(ImageId: "ami-0c02fb55956c7d316", InstanceType: "t3.micro")));
                await Must<LaunchTemplate>(ec2, Ec2Kinds.LaunchTemplate, TemplateId, new LaunchTemplateCommands.CreateVersion(TemplateId, new LaunchTemplateData(InstanceType: "t3.small"), SourceVersion: "1"));
                var spec = new InstanceLaunchSpec(InstanceId, "r-00000000000000001", "ami-0c02fb55956c7d316", "t3.small", VpcId, SubnetId, "us-east-1a",
                    "10.20.1.4", null, [], Tags: System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("Name", "golden"), DetailedMonitoring: true,
                    LaunchTemplate: new LaunchTemplateReference(TemplateId, "2"));
                await Must<Instance>(ec2, Ec2Kinds.Instance, InstanceId, new InstanceCommands.Launch(spec));
                clock.Advance(InstanceTimings.Boot);
                await Must<Instance>(ec2, Ec2Kinds.Instance, InstanceId, new InstanceCommands.CompleteBoot(InstanceId));
                clock.Advance(TimeSpan.FromSeconds(20));
                await Must<Instance>(ec2, Ec2Kinds.Instance, InstanceId, new InstanceCommands.Stop(InstanceId));
                clock.Advance(InstanceTimings.Stop);
                var stopped = await Must<Instance>(ec2, Ec2Kinds.Instance, InstanceId, new InstanceCommands.CompleteStop(InstanceId));
                Assert.Equal(InstanceStateName.Stopped, stopped.State);
                await system.Terminate();
            }
            var (reopened, router2, _) = Open(target, snapshotEvery: 1000, SqlJournal);
            using (reopened)
                Assert.Equal(InstanceStateName.Stopped, ((Instance)await State(router2, Ec2Kinds.Instance, InstanceId)).State);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Environment.GetEnvironmentVariable("ORCH_WRITE_GOLDEN_JOURNAL") is not { Length: > 0 })
                File.Delete(target);
        }
    }

    private static RegionState Region() =>
        new(1, RegionStatus.AllAvailable("us-east-1", ["us-east-1a", "us-east-1b"], Start), SimClockParameters.StartingAt(Start, 1), 1, null);

    private const string SqlJournal = "akka.persistence.journal.sql";

    private static (ActorSystem System, LocalEntityRouter Router, VirtualClock Clock) Open(string databasePath, int snapshotEvery, string journalPlugin)
    {
        var connection = $"Data Source={databasePath}";
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "{{journalPlugin}}"
            akka.persistence.journal.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", parallelism = 1, auto-initialize = on }
            {{GroupCommitSqliteJournal.PluginId}}.connection-string = "{{connection}}"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql { connection-string = "{{connection}}", provider-name = "SQLite.MS", auto-initialize = on }
            """)
            .WithFallback(ConfigurationFactory.ParseString(OrchestratorSerializer.BindingsHocon()))
            .WithFallback(ConfigurationFactory.ParseString(GroupCommitSqliteJournal.DefaultConfig))
            .WithFallback(SqlPersistence.DefaultConfiguration);
        var system = ActorSystem.Create("golden", config);
        var clock = new VirtualClock(Start);
        var deferred = new DeferredEntityRouter();
        var services = new EntityServices(clock, clock, deferred, new RegionSnapshot(Region()), new InMemoryResourceIndex(), new RecordingMetricSink(), snapshotEvery);
        var router = new LocalEntityRouter(system, Ec2Kinds.All(services, "us-east-1"));
        deferred.Inner = router;
        return (system, router, clock);
    }

    private static async Task<object> State(LocalEntityRouter router, string kind, string id) =>
        ((EntityReplies.Accepted)await router.Ask<object>(kind, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(10))).State!;

    private static async Task<T> Must<T>(Ec2Service ec2, string kind, string id, object command) where T : class
    {
        var result = await ec2.Send<T>(kind, id, command, default);
        Assert.False(result.IsError, result.Error?.ToString());
        return result.Value;
    }
}
