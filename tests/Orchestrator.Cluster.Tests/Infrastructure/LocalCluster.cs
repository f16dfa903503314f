using System.Diagnostics;
using System.Text;

namespace Orchestrator.Cluster.Tests.Infrastructure;

/// <summary>
/// A throwaway cluster for one test: PostgreSQL (deploy/local/postgres.sh) and N real node processes on
/// free loopback ports, persistence postgres, node 1 the seed of all. Everything lives in one temporary
/// directory; disposing kills every process left, stops PostgreSQL and removes the directory.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly List<NodeProcess> _nodes = [];
    private readonly Action<string> _log;

    private LocalCluster(string directory, Action<string> log) => (Directory, _log) = (directory, log);

    public string Directory { get; }

    public PostgresServer? Postgres { get; private set; }

    public IReadOnlyList<NodeProcess> Nodes => _nodes;

    /// <summary>Starts PostgreSQL and the nodes and waits until every node is ready; cleans up after itself if that fails.</summary>
    public static async Task<LocalCluster> Start(int nodeCount, Action<string> log, params string[] extraNodeArguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("orch-cluster-test-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // As root PostgreSQL runs as user postgres: it must be able to reach <directory>/pg.
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        var cluster = new LocalCluster(directory, log);
        try
        {
            await cluster.StartAll(nodeCount, extraNodeArguments).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            log(cluster.Logs());
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartAll(int nodeCount, string[] extraNodeArguments)
    {
        var clock = Stopwatch.StartNew();
        var ports = TestEnvironment.FreePorts(1 + 3 * nodeCount);
        Postgres = await PostgresServer.Start(Path.Combine(Directory, "pg"), ports[0]).ConfigureAwait(false);
        _log($"postgres on 127.0.0.1:{Postgres.Port} after {clock.Elapsed.TotalSeconds:0.0} s; node dll {TestEnvironment.NodeDll}");

        var nodePorts = Enumerable.Range(0, nodeCount).Select(i => new NodePorts(ports[1 + 3 * i], ports[2 + 3 * i], ports[3 + 3 * i])).ToArray();
        var seed = $"127.0.0.1:{nodePorts[0].Node}";
        for (var i = 0; i < nodeCount; i++)
        {
            var name = $"node{i + 1}";
            var dataDir = Path.Combine(Directory, name);
            System.IO.Directory.CreateDirectory(dataDir);
            string[] arguments =
            [
                "--seed", seed,
                "--persistence", "postgres",
                "--connection-string", Postgres.ConnectionString,
                .. extraNodeArguments,
            ];
            _nodes.Add(NodeProcess.Start(name, nodePorts[i], dataDir, arguments, Path.Combine(Directory, $"{name}.log")));
        }
        await Task.WhenAll(_nodes.Select(n => n.WaitReady(ReadyTimeout))).ConfigureAwait(false);
        _log($"{nodeCount} nodes ready after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", _nodes.Select(n => $"{n.Name}={n.Address} (management {n.Ports.Management}, pid {n.Pid})"))}");
    }

    /// <summary>Every node's log and the end of PostgreSQL's, for a failed test's output.</summary>
    public string Logs(int linesPerNode = 300)
    {
        var text = new StringBuilder();
        foreach (var node in _nodes)
        {
            text.AppendLine($"===== {node.Name} ({node.Address}, pid {node.Pid}{(node.HasExited ? $", exited {node.ExitCode}" : "")}) {node.LogPath} (last {linesPerNode} lines)");
            text.AppendLine(node.Tail(linesPerNode));
        }
        if (Postgres is not null && File.Exists(Postgres.LogPath))
        {
            text.AppendLine($"===== postgres {Postgres.LogPath} (last 40 lines)");
            try
            {
                text.AppendLine(string.Join('\n', File.ReadLines(Postgres.LogPath).TakeLast(40)));
            }
            catch (IOException ex)
            {
                text.AppendLine(ex.Message);
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        var problems = new List<Exception>();
        foreach (var node in _nodes)
        {
            try
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                problems.Add(ex);
            }
        }
        if (Postgres is not null)
        {
            try
            {
                await Postgres.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                problems.Add(ex);
            }
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(ex);
        }
        if (problems.Count > 0)
            _log($"cleanup problems: {string.Join("; ", problems.Select(p => p.Message))}");
    }
}
