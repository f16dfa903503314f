using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Actors.Elb;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Node.Hosting;

/// <summary>
/// Real traffic into simulated load balancers: every HTTP listener of the region gets a loopback
/// port (the listener's port plus the node's --listener-ports offset) whose requests flow through
/// the same router and instance model as the fluid load. Listeners are followed through the read
/// model; two load balancers listening on one port are told apart by the Host header (their DNS
/// name), as their DNS would on AWS, the oldest answering otherwise.
/// </summary>
public sealed class ListenerPorts(OrchestratorNode node, int offset, string host, Action<string> log) : IAsyncDisposable
{
    private static readonly TimeSpan ReconcileEvery = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<int, ImmutableArray<PortTenant>> _tenants = new();
    private readonly Dictionary<int, WebApplication> _open = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ListenerTraffic _traffic = new(node.Services);
    private Task? _loop;

    /// <summary>A load balancer answering on a port: its id, DNS name and listener port (the port its rules are keyed by).</summary>
    public sealed record PortTenant(string LoadBalancerId, string DnsName, int ListenerPort, DateTimeOffset CreatedTime);

    public int LocalPortOf(int listenerPort) => offset + listenerPort;

    public IReadOnlyCollection<int> OpenPorts
    {
        get
        {
            lock (_open)
                return [.. _open.Keys];
        }
    }

    public void Start() => _loop = Task.Run(Loop);

    private async Task Loop()
    {
        using var timer = new PeriodicTimer(ReconcileEvery);
        do
        {
            try
            {
                await Reconcile().ConfigureAwait(false);
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                log($"listener ports: {ex.Message}");
            }
        }
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false));
    }

    private async Task Reconcile()
    {
        var generation = node.Region.Snapshot.Current.Generation;
        var balancers = (await node.Index.List(LoadBalancerKinds.LoadBalancer, generation).ConfigureAwait(false)).Cast<LoadBalancerView>()
            .ToDictionary(b => b.LoadBalancerArn, StringComparer.Ordinal);
        var listeners = (await node.Index.List(LoadBalancerKinds.Listener, generation).ConfigureAwait(false)).Cast<ListenerView>()
            .Where(l => l.Protocol is "HTTP" or "HTTPS" && l.Port is not null && balancers.ContainsKey(l.LoadBalancerArn));
        var wanted = listeners
            .Select(l => (Port: LocalPortOf(l.Port!.Value), Tenant: Tenant(balancers[l.LoadBalancerArn], l.Port!.Value)))
            .Where(w => w.Port is > 0 and <= 65535)
            .GroupBy(w => w.Port)
            .ToDictionary(g => g.Key, g => g.Select(w => w.Tenant).OrderBy(t => t.CreatedTime).ToImmutableArray());
        foreach (var (port, tenants) in wanted)
            _tenants[port] = tenants;
        List<int> stale;
        lock (_open)
            stale = [.. _open.Keys.Where(p => !wanted.ContainsKey(p))];
        foreach (var port in stale)
            await Close(port).ConfigureAwait(false);
        foreach (var port in wanted.Keys)
        {
            bool isOpen;
            lock (_open)
                isOpen = _open.ContainsKey(port);
            if (!isOpen)
                await Open(port).ConfigureAwait(false);
        }
    }

    private static PortTenant Tenant(LoadBalancerView balancer, int listenerPort) =>
        new(balancer.LoadBalancerId, balancer.DnsName, listenerPort, balancer.CreatedTime);

    private async Task Open(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var app = builder.Build();
        app.Run(context => Serve(port, context));
        try
        {
            await app.StartAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            log($"listener port {port} could not open: {ex.Message}");
            await app.DisposeAsync().ConfigureAwait(false);
            _tenants.TryRemove(port, out _);
            return;
        }
        lock (_open)
            _open[port] = app;
        log($"listener port {port} open");
    }

    private async Task Close(int port)
    {
        WebApplication? app;
        lock (_open)
            _open.Remove(port, out app);
        _tenants.TryRemove(port, out _);
        if (app is null)
            return;
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        log($"listener port {port} closed");
    }

    private async Task Serve(int port, HttpContext context)
    {
        if (!_tenants.TryGetValue(port, out var tenants) || tenants.IsEmpty)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var hostName = context.Request.Host.Host;
        var tenant = tenants.FirstOrDefault(t => string.Equals(t.DnsName, hostName, StringComparison.OrdinalIgnoreCase)) ?? tenants[0];
        var request = context.Request;
        var response = await _traffic.Handle(tenant.LoadBalancerId, tenant.ListenerPort, new ListenerRequest(
            request.Method,
            request.Host.Host,
            request.Path.Value ?? "/",
            [.. request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? "")))],
            request.Headers.ToImmutableDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            request.Cookies.TryGetValue(ListenerTraffic.StickyCookie, out var sticky) ? sticky : null), context.RequestAborted).ConfigureAwait(false);
        if (response.WallDelay > TimeSpan.Zero)
            await Task.Delay(response.WallDelay, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
            context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        foreach (var port in OpenPorts)
            await Close(port).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
