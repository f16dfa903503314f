using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Management;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>
/// Real HTTP through a simulated ALB on a real node (time x600): a listener's port opens on
/// loopback at its port plus the offset, answers 503 until targets are registered, then routes to
/// healthy instances (the response names the instance and its zone) and away from one whose
/// application fails once its target turns unhealthy. The `elb` and `load` palettes drive the same.
/// </summary>
public sealed class ListenerPortTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly int _offset = FreePort() - 80;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private OrchestratorNode _node = null!;
    private ListenerPorts _ports = null!;

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { Persistence = PersistenceMode.Memory, NodePort = 0, TimeScale = 600, ListenerPortOffset = _offset };
        _node = await OrchestratorNode.Start(options, Modules.All(options), _ => { }, CancellationToken.None);
        _ports = new ListenerPorts(_node, _offset, "127.0.0.1", _ => { });
        _ports.Start();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _ports.DisposeAsync();
        await _node.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return port > 80 ? port : FreePort();
    }

    private async Task<CommandResponse> Run(string line) => await _node.Commands.Execute(CommandRequest.Parse(line), CancellationToken.None);

    private async Task<HttpResponseMessage?> Until(Func<HttpResponseMessage, bool> done)
    {
        var deadline = DateTime.UtcNow + Within;
        HttpResponseMessage? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await _http.GetAsync($"http://127.0.0.1:{_offset + 80}/");
                if (done(last))
                    return last;
            }
            catch (HttpRequestException)
            {
                // the port opens within a second of the listener's creation
            }
            await Task.Delay(100);
        }
        return last;
    }

    [Fact]
    public async Task A_listener_port_routes_real_requests_to_healthy_instances_and_away_from_a_failing_one()
    {
        var services = _node.Services;
        var ec2 = new Ec2Service(services);
        var vpc = (await ec2.CreateVpc("10.90.0.0/16", null, null)).Value.VpcId;
        var subnets = new[] { "a", "b" }.Select((zone, i) => ec2.CreateSubnet(vpc, $"10.90.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId).ToArray();
        var instances = new List<string>();
        foreach (var subnet in subnets)
            instances.Add(Assert.Single((await ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", SubnetId: subnet))).Value.Instances).InstanceId);
        var groups = new TargetGroupService(services, "000000000000");
        var balancers = new LoadBalancerService(services, "us-east-1", "000000000000");
        var group = (await groups.Create("web", "HTTP", null, 80, vpc, null, null, new HealthCheckRequest(), null)).Value;
        var balancer = (await balancers.Create(new CreateLoadBalancerRequest("web", subnets, []))).Value;
        var listener = await balancers.CreateListener(balancer.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(group.TargetGroupArn)]),
            ImmutableDictionary<string, string>.Empty);
        Assert.False(listener.IsError, listener.Error?.ToString());

        var empty = await Until(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty?.StatusCode);

        // Instances boot in 10 s simulated; registration needs them running.
        var deadline = DateTime.UtcNow + Within;
        while ((await groups.Register(group.TargetGroupArn, [.. instances.Select(i => new TargetRegistration(i))])).IsError && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var served = await Until(r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, served?.StatusCode);
        Assert.Contains(served!.Headers.GetValues(ListenerTraffic.InstanceHeader).Single(), instances);

        var targets = await Run("elb targets web");
        Assert.True(targets.Ok, targets.Text);
        Assert.Contains("healthy", targets.Text);
        var load = await Run("load start web --rps 50");
        Assert.True(load.Ok, load.Text);
        Assert.False((await Run("load start nowhere --rps 5")).Ok);

        Assert.True((await Run($"ec2 app-health {instances[0]} failing")).Ok);
        var moved = await Until(r => r.StatusCode == HttpStatusCode.OK && r.Headers.GetValues(ListenerTraffic.InstanceHeader).Single() == instances[1]
            && Enumerable.Range(0, 4).All(_ => _http.GetAsync($"http://127.0.0.1:{_offset + 80}/").Result.Headers.GetValues(ListenerTraffic.InstanceHeader).Single() == instances[1]));
        Assert.NotNull(moved);
        Assert.Equal("us-east-1b", moved!.Headers.GetValues(ListenerTraffic.ZoneHeader).Single());
    }
}
