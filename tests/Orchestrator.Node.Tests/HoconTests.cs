using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Modules;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>The HOCON shipped in hocon/ parses and composes into what the node relies on.</summary>
public sealed class HoconTests
{
    [Theory]
    [InlineData("orchestrator.conf")]
    [InlineData("persistence.sqlite.conf")]
    [InlineData("persistence.postgres.conf")]
    [InlineData("persistence.memory.conf")]
    public void Each_file_parses(string file) => Assert.False(NodeConfig.Load(file).IsEmpty);

    [Fact]
    public void Sqlite_node_config_composes_with_documented_tuning()
    {
        CoreMessages.Register();
        Ec2Messages.Register();
        var config = NodeConfig.Build(new NodeOptions { DataDir = "/tmp/orch-hocon-test", NodePort = 4999 });
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal(4999, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("ddata", config.GetString("akka.cluster.sharding.state-store-mode"));
        Assert.Equal("eventsourced", config.GetString("akka.cluster.sharding.remember-entities-store"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(1.5), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(100, config.GetInt("akka.cluster.sharding.number-of-shards"));
        Assert.Equal("akka.persistence.journal.sqlite-group-commit", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.journal.sqlite-group-commit", config.GetString("akka.cluster.sharding.journal-plugin-id"));
        Assert.Contains("/tmp/orch-hocon-test/orchestrator.db", config.GetString("akka.persistence.journal.sqlite-group-commit.connection-string"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.Empty(config.GetStringList("akka.cluster.sharding.distributed-data.durable.keys"));
        Assert.Equal("orchestrator", config.GetString("akka.actor.serialization-bindings.\"Orchestrator.Domain.Ec2.InstanceEvents+Launched, Orchestrator.Domain\""));
    }

    [Fact]
    public void Postgres_config_names_the_provider_and_connection()
    {
        var config = NodeConfig.Build(new NodeOptions { Persistence = PersistenceMode.Postgres, ConnectionString = "Host=127.0.0.1;Database=o" });
        Assert.Equal("PostgreSQL15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("Host=127.0.0.1;Database=o", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }
}
