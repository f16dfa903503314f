using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Node.Tests;

/// <summary>The node as a user runs it: a process that becomes ready, obeys SIGTERM, and refuses bad configuration in one line.</summary>
public sealed class NodeProcessTests
{
    private static readonly string NodeDll = Path.Combine(AppContext.BaseDirectory, "Orchestrator.Node.dll");

    /// <summary>SIGTERM, as systemd or Kubernetes stop a service.</summary>
    internal static int Terminate(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
        kill.WaitForExit();
        return kill.ExitCode;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static (Process Process, StringBuilder Output) StartNode(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(NodeDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    internal static async Task<int> ExitCode(Process process, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node did not exit within {within}");
        }
        return process.ExitCode;
    }

    [Fact]
    public async Task Node_becomes_ready_then_leaves_gracefully_on_sigterm_and_keeps_its_state()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-node-{Guid.NewGuid():N}");
        var management = FreePort();
        var apiPort = FreePort();
        string[] args = ["--data-dir", dataDir, "--management-port", management.ToString(), "--node-port", FreePort().ToString(), "--api-port", apiPort.ToString(), "--time-scale", "50"];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var (node, output) = StartNode(args);
            using (node)
            {
                await WaitReady(http, node, output);
                var launched = await http.PostAsJsonAsync("/_orchestrator/commands", new { line = "ec2 launch --image ami-0c02fb55956c7d316 --type t3.micro" });
                Assert.Equal(HttpStatusCode.OK, launched.StatusCode);
                Assert.True(launched.Headers.Contains("X-Orchestrator-Sim-Time"));

                using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(5) };
                var health = await api.GetAsync("/_orchestrator/health");
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Contains("\"sts\":\"running\"", await health.Content.ReadAsStringAsync());
                Assert.True(health.Headers.Contains("X-Orchestrator-Sim-Time"));

                Assert.Equal(0, Terminate(node));
                AssertExitedCleanly(await ExitCode(node, TimeSpan.FromSeconds(30)), output);
                Assert.Contains("leaving the cluster", output.ToString());
            }
            Assert.True(File.Exists(Path.Combine(dataDir, "orchestrator.db")));

            var (again, output2) = StartNode(args);
            using (again)
            {
                await WaitReady(http, again, output2);
                var described = await http.PostAsJsonAsync("/_orchestrator/commands", new { line = "ec2 describe" });
                Assert.Contains("\"instanceId\":\"i-", await described.Content.ReadAsStringAsync());
                Terminate(again);
                AssertExitedCleanly(await ExitCode(again, TimeSpan.FromSeconds(30)), output2);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("management listening")]
    [InlineData("persistence ready")]
    [InlineData("node ready")]
    public async Task Sigterm_during_startup_exits_cleanly(string startupLine)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-node-{Guid.NewGuid():N}");
        var (node, output) = StartNode("--data-dir", dataDir, "--management-port", FreePort().ToString(), "--node-port", FreePort().ToString(), "--api-port", FreePort().ToString());
        try
        {
            using (node)
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (!Contains(output, startupLine) && !node.HasExited && DateTime.UtcNow < deadline)
                    await Task.Delay(5);
                Assert.True(Contains(output, startupLine), $"never logged '{startupLine}'; output:\n{output}");
                Assert.Equal(0, Terminate(node));
                AssertExitedCleanly(await ExitCode(node, TimeSpan.FromSeconds(30)), output);
            }
        }
        finally
        {
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    private static bool Contains(StringBuilder output, string text)
    {
        lock (output)
            return output.ToString().Contains(text, StringComparison.Ordinal);
    }

    internal static void AssertExitedCleanly(int exitCode, StringBuilder output)
    {
        if (exitCode != 0)
            Assert.Fail($"node exited with {exitCode}; output:\n{output}");
    }

    internal static async Task WaitReady(HttpClient http, Process node, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !node.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node not ready; output:\n{output}");
    }

    [Theory]
    [InlineData(2, "unknown persistence 'mongo'", "--persistence", "mongo")]
    [InlineData(2, "malformed seed", "--seed", "not a seed")]
    [InlineData(1, "cannot reach PostgreSQL", "--persistence", "postgres", "--connection-string", "Host=127.0.0.1;Port=1;Database=none;Timeout=2")]
    public async Task Bad_configuration_exits_non_zero_with_one_clear_line(int expectedExit, string expected, params string[] args)
    {
        var (node, output) = StartNode([.. args, "--management-port", FreePort().ToString(), "--node-port", FreePort().ToString(), "--api-port", FreePort().ToString(), "--data-dir", Path.GetTempPath()]);
        using (node)
        {
            Assert.Equal(expectedExit, await ExitCode(node, TimeSpan.FromSeconds(60)));
            var line = output.ToString().Split('\n').Single(l => l.StartsWith("orchestrator: ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", output.ToString());
            Assert.NotEmpty(line);
        }
    }

    [Fact]
    public async Task Port_in_use_is_named()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var (node, output) = StartNode("--management-port", port.ToString(), "--node-port", FreePort().ToString(), "--api-port", FreePort().ToString(), "--persistence", "memory");
        using (node)
        {
            Assert.Equal(1, await ExitCode(node, TimeSpan.FromSeconds(60)));
            Assert.Contains($"--management-port {port} on 127.0.0.1 is not available", output.ToString());
        }
    }
}
