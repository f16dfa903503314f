using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Actors.Clock;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Region;

namespace Orchestrator.Node.Hosting;

/// <summary>A startup failure the operator can fix: printed as one line, never a bare stack trace.</summary>
public sealed class NodeStartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One running node: the actor system in its cluster, the region singleton and this node's view
/// of it, the shard regions of every module's entity kinds, the read model and the command host.
/// </summary>
public sealed class OrchestratorNode : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private const int SqliteMinThreads = 48;

    private readonly IReadOnlyList<IOrchestratorModule> _modules;
    private readonly Action<string> _log;
    private readonly DeferredEntityRouter _router = new();
    private readonly SeriesMetricSink _metrics;
    private ModuleContext? _moduleContext;

    private OrchestratorNode(NodeOptions options, ActorSystem system, IReadOnlyList<IOrchestratorModule> modules, Action<string> log)
    {
        (Options, System, _modules, _log) = (options, system, modules, log);
        _metrics = new SeriesMetricSink(_router);
    }

    public NodeOptions Options { get; }
    public ActorSystem System { get; }
    public bool IsReady { get; private set; }
    public RegionClient Region { get; private set; } = null!;
    public SimClock Clock { get; private set; } = null!;
    public IResourceIndex Index { get; private set; } = null!;
    public ShardingEntityRouter Router { get; private set; } = null!;
    public CommandHost Commands { get; private set; } = null!;
    public EntityServices Services { get; private set; } = null!;

    public static async Task<OrchestratorNode> Start(NodeOptions options, IReadOnlyList<IOrchestratorModule> modules, Action<string> log, CancellationToken cancellationToken)
    {
        CoreMessages.Register();
        foreach (var module in modules)
            module.RegisterMessages();

        if (options.Persistence == PersistenceMode.Sqlite)
        {
            // Microsoft.Data.Sqlite's async calls run synchronously: each journal read, snapshot load
            // and read-model query holds a pool thread. Hundreds of entities recovering at once would
            // starve the pool (it grows by about one thread a second), stalling timers and writes.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, SqliteMinThreads), io);
        }
        var index = await OpenStorage(options).ConfigureAwait(false);
        log($"persistence {options.Persistence.ToString().ToLowerInvariant()} reachable{(options.Persistence == PersistenceMode.Sqlite ? $" at {NodeConfig.SqliteJournalPath(options)}" : "")}");

        ActorSystem system;
        try
        {
            system = ActorSystem.Create("orchestrator", NodeConfig.Build(options));
        }
        catch (Exception ex)
        {
            throw new NodeStartupException($"cannot start the node on {options.NodeHost}:{options.NodePort}: {ex.GetBaseException().Message}", ex);
        }
        var node = new OrchestratorNode(options, system, modules, log) { Index = index };
        try
        {
            await node.JoinCluster(cancellationToken).ConfigureAwait(false);
            await node.StartRegion(cancellationToken).ConfigureAwait(false);
            node.StartEntities();
            await node.OnRegionReady(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        node.IsReady = true;
        log("node ready");
        return node;
    }

    private static async Task<IResourceIndex> OpenStorage(NodeOptions options)
    {
        switch (options.Persistence)
        {
            case PersistenceMode.Sqlite:
                try
                {
                    Directory.CreateDirectory(Path.GetFullPath(options.DataDir));
                    await using (var connection = new SqliteConnection(NodeConfig.JournalConnectionString(options)))
                    {
                        await connection.OpenAsync().ConfigureAwait(false);
                        await using var wal = connection.CreateCommand();
                        // WAL persists in the file: readers stop blocking the single writer.
                        wal.CommandText = "PRAGMA journal_mode=WAL;";
                        await wal.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }
                    return await SqlResourceIndex.OpenSqlite(NodeConfig.SqliteIndexPath(options)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
                {
                    throw new NodeStartupException($"cannot open SQLite in data dir '{Path.GetFullPath(options.DataDir)}': {ex.Message}", ex);
                }
            case PersistenceMode.Postgres:
                try
                {
                    var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Timeout = 5 };
                    await using (var connection = new NpgsqlConnection(builder.ToString()))
                        await connection.OpenAsync().ConfigureAwait(false);
                    return await SqlResourceIndex.OpenPostgres(options.ConnectionString!).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException or global::System.Net.Sockets.SocketException)
                {
                    throw new NodeStartupException($"cannot reach PostgreSQL ({Describe(options.ConnectionString!)}): {ex.GetBaseException().Message}", ex);
                }
            default:
                return new InMemoryResourceIndex();
        }
    }

    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"host {builder.Host}:{builder.Port}, database {builder.Database}";
        }
        catch (ArgumentException)
        {
            return "malformed connection string";
        }
    }

    private async Task JoinCluster(CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(System);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (Options.Seeds.IsDefaultOrEmpty)
            cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(StartupTimeout, cancellationToken).ConfigureAwait(false);
        _log($"cluster up: {cluster.SelfAddress} is a member ({cluster.State.Members.Count} members, seeds: {(Options.Seeds.IsDefaultOrEmpty ? "self" : string.Join(", ", Options.Seeds))})");
    }

    private async Task StartRegion(CancellationToken cancellationToken)
    {
        System.ActorOf(ClusterSingletonManager.Props(
                Props.Create(() => new RegionController(TimeProvider.System)),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(System)),
            "region-controller");
        var proxy = System.ActorOf(ClusterSingletonProxy.Props("/user/region-controller", ClusterSingletonProxySettings.Create(System)), "region-controller-proxy");

        // The wall instant is taken per attempt: a first start sets the clock's epoch from it.
        var state = await AskUntilAnswered(proxy, () => new RegionCommands.Join(Options.Region, [.. Options.Azs], Options.TimeScale, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        var snapshot = new RegionSnapshot(state);
        Clock = new SimClock(state.Clock, TimeProvider.System);
        var scheduler = System.ActorOf(Props.Create(() => new SimSchedulerActor(Clock)), "sim-scheduler");
        var view = System.ActorOf(Props.Create(() => new RegionView(snapshot, Clock, scheduler)), "region-view");
        Region = new RegionClient(proxy, view, snapshot, TimeProvider.System);
        Services = new EntityServices(Clock, new ActorSimScheduler(scheduler), _router, snapshot, Index, _metrics,
            System.Settings.Config.GetInt("orchestrator.snapshot-every", 100));
        _log($"persistence ready: region {state.Region} generation {state.Generation}, sim time {Clock.Now:O} at x{state.Clock.Scale}{(state.Clock.Paused ? " (paused)" : "")}");
    }

    private static async Task<RegionState> AskUntilAnswered(IActorRef proxy, Func<RegionCommands.Join> join, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (true)
        {
            try
            {
                var reply = await proxy.Ask<object>(join(), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                return reply switch
                {
                    EntityReplies.Accepted { State: RegionState state } => state,
                    EntityReplies.Rejected rejected => throw new NodeStartupException($"region refused this node: {rejected.Error.Message}"),
                    _ => throw new NodeStartupException($"unexpected reply from the region controller: {reply}"),
                };
            }
            catch (AskTimeoutException) when (DateTime.UtcNow < deadline)
            {
                // The singleton is still starting or moving: ask again.
            }
            catch (AskTimeoutException ex)
            {
                throw new NodeStartupException("the region controller did not answer within 60 s (is persistence reachable?)", ex);
            }
        }
    }

    private void StartEntities()
    {
        var sharding = ClusterSharding.Get(System);
        var shardCount = System.Settings.Config.GetInt("akka.cluster.sharding.number-of-shards", 100);
        var regions = new Dictionary<string, IActorRef>(StringComparer.Ordinal);
        foreach (var kind in _modules.SelectMany(m => m.EntityKinds(Services)))
        {
            var settings = ClusterShardingSettings.Create(System).WithRememberEntities(kind.RememberEntities);
            regions[kind.Name] = sharding.Start(kind.Name, kind.PropsFor, settings, new EntityMessageExtractor(shardCount));
        }
        Router = new ShardingEntityRouter(regions);
        _router.Inner = Router;
        // Built-in datapoints reach their series about once a second of wall time, one batch per series.
        _metrics.Start(TimeSpan.FromSeconds(1));
        _moduleContext = new ModuleContext(System, Services, Region, Router, Options.AccountId);
        Commands = new CommandHost(_modules.SelectMany(m => m.Palettes(_moduleContext)));
        _log($"shard regions started: {string.Join(", ", regions.Keys)} ({shardCount} shards)");
    }

    private async Task OnRegionReady(CancellationToken cancellationToken)
    {
        foreach (var module in _modules)
            await module.OnRegionReady(_moduleContext!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wipes all state for test suites: a new generation (every entity starts over) and an empty read model.</summary>
    public async Task<RegionState> Reset(CancellationToken cancellationToken)
    {
        var result = await Region.Send(new RegionCommands.Reset(), cancellationToken).ConfigureAwait(false);
        var state = result.Value;
        await Index.Clear(state.Generation).ConfigureAwait(false);
        await OnRegionReady(cancellationToken).ConfigureAwait(false);
        _log($"state reset: generation {state.Generation}");
        return state;
    }

    /// <summary>Leaves the cluster gracefully (hands shards over) and stops the actor system.</summary>
    public async Task Stop()
    {
        IsReady = false;
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        if (!System.WhenTerminated.IsCompleted)
            await Stop().ConfigureAwait(false);
        if (Index is IAsyncDisposable disposable)
            await disposable.DisposeAsync().ConfigureAwait(false);
    }
}
