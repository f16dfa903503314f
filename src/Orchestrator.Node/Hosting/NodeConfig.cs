using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.DistributedData;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Persistence;
using Orchestrator.Actors.Serialization;

namespace Orchestrator.Node.Hosting;

/// <summary>Composes the node's HOCON: options over persistence.&lt;mode&gt;.conf over orchestrator.conf over plugin defaults.</summary>
public static class NodeConfig
{
    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    public static string SqliteJournalPath(NodeOptions options) => Path.Combine(Path.GetFullPath(options.DataDir), "orchestrator.db");

    public static string SqliteIndexPath(NodeOptions options) => Path.Combine(Path.GetFullPath(options.DataDir), "orchestrator-index.db");

    public static string JournalConnectionString(NodeOptions options) => options.Persistence switch
    {
        PersistenceMode.Sqlite => options.ConnectionString
                                  ?? new SqliteConnectionStringBuilder { DataSource = SqliteJournalPath(options), Pooling = true }.ToString(),
        PersistenceMode.Postgres => options.ConnectionString!,
        _ => "",
    };

    public static Config Build(NodeOptions options)
    {
        // Without seeds the node joins itself once it knows its bound address (port 0 picks one).
        var seeds = options.Seeds;
        var persistence = options.Persistence.ToString().ToLowerInvariant();
        var connection = Quote(JournalConnectionString(options));
        var overrides = $$"""
            akka.remote.dot-netty.tcp.hostname = {{Quote(options.NodeHost)}}
            akka.remote.dot-netty.tcp.port = {{options.NodePort}}
            akka.cluster.seed-nodes = [{{string.Join(", ", seeds.Select(Quote))}}]
            akka.persistence.journal.sql.connection-string = {{connection}}
            akka.persistence.snapshot-store.sql.connection-string = {{connection}}
            akka.persistence.query.journal.sql.connection-string = {{connection}}
            akka.persistence.journal.sqlite-group-commit.connection-string = {{connection}}
            """;
        return ConfigurationFactory.ParseString(overrides)
            .WithFallback(ConfigurationFactory.ParseString(OrchestratorSerializer.BindingsHocon()))
            .WithFallback(Load($"persistence.{persistence}.conf"))
            .WithFallback(Load("orchestrator.conf"))
            .WithFallback(ConfigurationFactory.ParseString(GroupCommitSqliteJournal.DefaultConfig))
            .WithFallback(SqlPersistence.DefaultConfiguration)
            // Loaded up front so the first distributed-data and sharding messages from other nodes can be deserialized.
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(ClusterSingleton.DefaultConfig())
            .WithFallback(DistributedData.DefaultConfig());
    }

    public static Config Load(string fileName)
    {
        var path = Path.Combine(HoconDirectory, fileName);
        return File.Exists(path)
            ? ConfigurationFactory.ParseString(File.ReadAllText(path))
            : throw new FileNotFoundException($"HOCON file {path} is missing from the build output");
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
