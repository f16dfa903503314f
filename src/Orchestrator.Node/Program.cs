using System.Collections;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Node.Hosting;
using Orchestrator.Node.Management;

namespace Orchestrator.Node;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var (options, error) = NodeOptions.Parse(args, environment);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"orchestrator: {error}").ConfigureAwait(false);
            return 2;
        }
        try
        {
            return await Run(options).ConfigureAwait(false);
        }
        catch (NodeStartupException ex)
        {
            await Console.Error.WriteLineAsync($"orchestrator: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static void Log(string line) => Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} orchestrator: {line}");

    private static async Task<int> Run(NodeOptions options)
    {
        EnsurePortFree("--management-port", options.ManagementHost, options.ManagementPort);
        EnsurePortFree("--node-port", options.NodeHost, options.NodePort);
        EnsurePortFree("--api-port", options.ApiHost, options.ApiPort);

        // Ready (to management clients and probes) once the AWS API listens, not merely once the cluster is up.
        OrchestratorNode? serving = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{options.ManagementHost}:{options.ManagementPort}");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(20));
        var app = builder.Build();
        ManagementEndpoints.Map(app, () => serving, options);
        await app.StartAsync().ConfigureAwait(false);
        Log($"management listening on http://{options.ManagementHost}:{options.ManagementPort}");

        using var startup = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        OrchestratorNode node;
        try
        {
            node = await OrchestratorNode.Start(options, Modules.All(options), Log, startup.Token).ConfigureAwait(false);
        }
        catch (Exception) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await app.StopAsync().ConfigureAwait(false);
            return 0;
        }
        catch (NodeStartupException)
        {
            await app.StopAsync().ConfigureAwait(false);
            throw;
        }

        WebApplication api;
        try
        {
            api = await ApiServer.Start(options, node, startup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // SIGTERM while the API was binding: leave as gracefully as after it.
            Log("shutting down: leaving the cluster");
            await node.DisposeAsync().ConfigureAwait(false);
            await app.StopAsync().ConfigureAwait(false);
            Log("stopped");
            return 0;
        }
        Log($"AWS API listening on http://{options.ApiHost}:{options.ApiPort}");
        await using var listenerPorts = options.ListenerPortOffset is { } offset ? new ListenerPorts(node, offset, options.ApiHost, Log) : null;
        if (listenerPorts is not null)
        {
            listenerPorts.Start();
            Log($"HTTP listeners served on {options.ApiHost} at their port + {options.ListenerPortOffset}");
        }

        serving = node;

        // The system can also end without us: a split-brain resolver decision downs this node.
        var downed = node.System.WhenTerminated.ContinueWith(_ => app.Lifetime.StopApplication(), TaskScheduler.Default);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        var leftOnItsOwn = node.System.WhenTerminated.IsCompleted;
        Log(leftOnItsOwn ? "actor system terminated (downed by the cluster); exiting" : "shutting down: leaving the cluster");
        await api.StopAsync().ConfigureAwait(false);
        await api.DisposeAsync().ConfigureAwait(false);
        await node.DisposeAsync().ConfigureAwait(false);
        await downed.ConfigureAwait(false);
        Log("stopped");
        return leftOnItsOwn ? 3 : 0;
    }

    private static void EnsurePortFree(string option, string host, int port)
    {
        if (port == 0)
            return;
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Loopback;
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException ex)
        {
            throw new NodeStartupException($"{option} {port} on {host} is not available: {ex.Message}");
        }
    }
}
