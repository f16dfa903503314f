using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Cluster.Tests.Infrastructure;

/// <summary>Where things are: the repository, the node's dll, the dotnet host; and free ports.</summary>
public static class TestEnvironment
{
    /// <summary>The repository root: the first parent of the test assembly holding deploy/local/postgres.sh.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PostgresScript => Path.Combine(RepoRoot, "deploy", "local", "postgres.sh");

    /// <summary>
    /// Orchestrator.Node.dll as the test build copied it next to this assembly (with its runtimeconfig and
    /// hocon/), else the node project's own build output of the same configuration, else any configuration.
    /// </summary>
    public static string NodeDll { get; } = FindNodeDll();

    /// <summary>The dotnet host running the tests (so nodes run on the same runtime), else dotnet on PATH.</summary>
    public static string DotnetHost { get; } = FindDotnetHost();

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("ORCH_REPO_ROOT") is { Length: > 0 } fromEnvironment)
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "local", "postgres.sh")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no deploy/local/postgres.sh above {AppContext.BaseDirectory} (set ORCH_REPO_ROOT)");
    }

    private static bool IsRunnable(string dir) =>
        File.Exists(Path.Combine(dir, "Orchestrator.Node.dll"))
        && File.Exists(Path.Combine(dir, "Orchestrator.Node.runtimeconfig.json"))
        && File.Exists(Path.Combine(dir, "hocon", "orchestrator.conf"));

    private static string FindNodeDll()
    {
        var candidates = new List<string> { AppContext.BaseDirectory };
        // tests/Orchestrator.Cluster.Tests/bin/<Configuration>/net10.0/ -> the same configuration of the node.
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDir.Name;
        var configuration = baseDir.Parent?.Name;
        var nodeBin = Path.Combine(RepoRoot, "src", "Orchestrator.Node", "bin");
        if (configuration is not null)
            candidates.Add(Path.Combine(nodeBin, configuration, framework));
        candidates.Add(Path.Combine(nodeBin, "Release", "net10.0"));
        candidates.Add(Path.Combine(nodeBin, "Debug", "net10.0"));
        foreach (var dir in candidates)
        {
            if (IsRunnable(dir))
                return Path.Combine(dir, "Orchestrator.Node.dll");
        }
        throw new InvalidOperationException(
            "Orchestrator.Node.dll with its runtimeconfig.json and hocon/ not found in: " + string.Join(", ", candidates) + " (build src/Orchestrator.Node)");
    }

    private static string FindDotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        return "dotnet";
    }

    /// <summary>
    /// Distinct free loopback ports: all listeners are held open together so no two answers coincide,
    /// then released for the processes to bind.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
                listener.Stop();
        }
    }

    /// <summary>Runs a program to completion (bounded), returning its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }
}
