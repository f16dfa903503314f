using System.Text.Json.Nodes;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Compat.Tests;

/// <summary>
/// One node process (memory persistence, time x20 so a boot takes half a second) that real
/// clients talk to on its API port, as they would to AWS or LocalStack.
/// </summary>
public class NodeFixture : IAsyncLifetime
{
    private readonly string[] _extraArgs;

    public NodeFixture() : this([])
    {
    }

    protected NodeFixture(string[] extraArgs) => _extraArgs = extraArgs;

    private readonly StringBuilder _output = new();
    private Process? _node;

    public int ApiPort { get; } = FreePort();
    public int ManagementPort { get; } = FreePort();
    public string Endpoint => $"http://127.0.0.1:{ApiPort}";
    public string Output { get { lock (_output) return _output.ToString(); } }

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args = [Path.Combine(AppContext.BaseDirectory, "Orchestrator.Node.dll"), "--persistence", "memory", "--time-scale", "20",
            "--api-port", ApiPort.ToString(), "--management-port", ManagementPort.ToString(), "--node-port", FreePort().ToString(), .. _extraArgs];
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        _node = new Process { StartInfo = info };
        _node.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _node.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _node.Start();
        _node.BeginOutputReadLine();
        _node.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !_node.HasExited)
        {
            try
            {
                if ((await http.GetAsync($"{Endpoint}/_orchestrator/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // the API port opens once the node is ready
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node API not up; output:\n{Output}");
    }

    public async Task DisposeAsync()
    {
        if (_node is { HasExited: false })
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        _node?.Dispose();
    }

    /// <summary>Runs a real client (aws, python3) against the node with test credentials.</summary>
    /// <summary>An AWS CLI call that must succeed: its JSON output (the node's log in the failure message).</summary>
    public async Task<JsonNode> AwsOk(params string[] args)
    {
        var (code, stdout, stderr) = await Aws(args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} failed: {stderr}\nnode output:\n{Output}");
        return JsonNode.Parse(stdout.Length == 0 ? "{}" : stdout)!;
    }

    /// <summary>An AWS CLI call that must fail: its stderr, which names the error code.</summary>
    public async Task<string> AwsFails(params string[] args)
    {
        var (code, _, stderr) = await Aws(args);
        Assert.NotEqual(0, code);
        return stderr;
    }

    public async Task<(int Code, string Stdout, string Stderr)> Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_PAGER"] = "";
        info.Environment["ENDPOINT"] = Endpoint;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public Task<(int Code, string Stdout, string Stderr)> Aws(params string[] args) =>
        Run("aws", ["--endpoint-url", Endpoint, "--output", "json", .. args]);

    /// <summary>The AWS CLI with another secret key than the node expects.</summary>
    public Task<(int Code, string Stdout, string Stderr)> AwsWithSecret(string secret, params string[] args) =>
        Run("env", [$"AWS_SECRET_ACCESS_KEY={secret}", "aws", "--endpoint-url", Endpoint, "--output", "json", .. args]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A node that verifies SigV4 signatures and names its own account.</summary>
public sealed class VerifyingNodeFixture() : NodeFixture(["--verify-signatures", "true", "--account-id", "123456789012"]);
