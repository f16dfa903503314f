using System.Diagnostics;

namespace Orchestrator.Cluster.Tests.Infrastructure;

/// <summary>The ports one node binds.</summary>
public sealed record NodePorts(int Node, int Management, int Api);

/// <summary>
/// One real node: `dotnet Orchestrator.Node.dll ...` as a child process (so a SIGKILL reaches the node
/// itself, not a wrapper), its stdout and stderr captured to a log file.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();

    private NodeProcess(string name, NodePorts ports, Process process, StreamWriter log, string logPath)
    {
        (Name, Ports, _process, _log, LogPath) = (name, ports, process, log, logPath);
        Client = new ManagementClient(ports.Management);
    }

    public string Name { get; }

    public NodePorts Ports { get; }

    public string LogPath { get; }

    public ManagementClient Client { get; }

    public int Pid => _process.Id;

    /// <summary>The node's cluster address, as `cluster show` and entity-location print it.</summary>
    public string Address => $"akka.tcp://orchestrator@127.0.0.1:{Ports.Node}";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static NodeProcess Start(string name, NodePorts ports, string dataDir, IEnumerable<string> extraArguments, string logPath)
    {
        var info = new ProcessStartInfo(TestEnvironment.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        // Only our flags configure the node: drop ORCH_* variables the test run may have inherited.
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => (string)k).Where(k => k.StartsWith("ORCH_", StringComparison.Ordinal)))
            info.Environment.Remove(key);
        string[] arguments =
        [
            TestEnvironment.NodeDll,
            "--data-dir", dataDir,
            "--node-host", "127.0.0.1", "--node-port", ports.Node.ToString(),
            "--management-port", ports.Management.ToString(),
            "--api-port", ports.Api.ToString(),
            .. extraArguments,
        ];
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        log.WriteLine($"# {info.FileName} {string.Join(' ', info.ArgumentList)}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(name, ports, process, log, logPath);
        process.OutputDataReceived += (_, e) => node.Append(e.Data, "");
        process.ErrorDataReceived += (_, e) => node.Append(e.Data, "[stderr] ");
        process.Exited += (_, _) => node.Append($"# process exited", "");
        if (!process.Start())
            throw new InvalidOperationException($"cannot start {name}");
        Children.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Append(string? line, string prefix)
    {
        if (line is null)
            return;
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(prefix + line);
            }
            catch (ObjectDisposedException)
            {
                // Output racing the end of the test.
            }
        }
    }

    /// <summary>Waits for GET /health/ready to answer 200; fails early, with the log, if the process exits.</summary>
    public async Task WaitReady(TimeSpan timeout)
    {
        await Poll.Until(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready:\n{Tail(60)}");
            return await Client.IsReady().ConfigureAwait(false);
        }, timeout, $"{Name} ready on management port {Ports.Management}", () => Tail(30)).ConfigureAwait(false);
    }

    /// <summary>SIGKILL: the node gets no chance to leave the cluster.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        Append("# test: SIGKILL sent", "");
    }

    /// <summary>SIGTERM: the node leaves the cluster and exits on its own.</summary>
    public async Task Terminate()
    {
        Append("# test: SIGTERM sent", "");
        var (exitCode, output) = await TestEnvironment.Run("kill", ["-TERM", _process.Id.ToString()], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (exitCode != 0)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: {output}");
    }

    /// <summary>Waits until the process has exited; false when the deadline passed first.</summary>
    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last lines of the node's log.</summary>
    public string Tail(int lines)
    {
        try
        {
            lock (_logLock)
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
        }
        catch (IOException ex)
        {
            return $"(cannot read {LogPath}: {ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExit(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            }
            else
            {
                // Drain the redirected output into the log.
                await WaitForExit(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            Children.Remove(_process);
            Client.Dispose();
            lock (_logLock)
                _log.Dispose();
            _process.Dispose();
        }
    }

    /// <summary>Node processes still alive, killed if the test host itself goes away without disposing them.</summary>
    private static readonly ChildSet Children = new();

    private sealed class ChildSet
    {
        private readonly HashSet<Process> _processes = [];

        public ChildSet() =>
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                lock (_processes)
                {
                    foreach (var process in _processes)
                    {
                        try
                        {
                            process.Kill(entireProcessTree: true);
                        }
                        catch (InvalidOperationException)
                        {
                        }
                    }
                }
            };

        public void Add(Process process)
        {
            lock (_processes)
                _processes.Add(process);
        }

        public void Remove(Process process)
        {
            lock (_processes)
                _processes.Remove(process);
        }
    }
}
