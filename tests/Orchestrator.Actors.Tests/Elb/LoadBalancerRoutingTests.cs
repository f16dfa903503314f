using Akka.Actor;
using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Tests.Elb;

/// <summary>
/// The whole loop in virtual time with every real entity: instances, a target group probing them,
/// a load balancer with its listener and rules, and its router sending requests (real ones through
/// ListenerTraffic, and a fluid flow) where health says they may go.
/// </summary>
public sealed class LoadBalancerRoutingTests : EntityTestKit
{
    private readonly Ec2Service _ec2;
    private readonly TargetGroupService _groups;
    private readonly LoadBalancerService _balancers;
    private readonly ListenerTraffic _traffic;
    private readonly string _vpcId;
    private readonly string[] _subnets;

    public LoadBalancerRoutingTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new TargetGroupService(Services, "000000000000");
        _balancers = new LoadBalancerService(Services, "us-east-1", "000000000000");
        _traffic = new ListenerTraffic(Services);
        _vpcId = _ec2.CreateVpc("10.80.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, _vpcId);
        _subnets = [.. new[] { "a", "b", "c" }.Select((zone, i) => _ec2.CreateSubnet(_vpcId, $"10.80.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
    }

    private sealed record Stack(string[] Instances, TargetGroup Group, LoadBalancerView Balancer, ListenerView Listener);

    /// <summary>An instance per zone a, b and c, all registered; the load balancer enables a and b only.</summary>
    private async Task<Stack> BuildStack()
    {
        var instances = new List<string>();
        foreach (var subnet in _subnets)
        {
            var launched = await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", SubnetId: subnet));
            Assert.False(launched.IsError, launched.Error?.ToString());
            instances.Add(Assert.Single(launched.Value.Instances).InstanceId);
            Touch(Ec2Kinds.Instance, instances[^1]);
        }
        Advance(InstanceTimings.Boot);
        var group = await _groups.Create("web", "HTTP", null, 80, _vpcId, null, null, new HealthCheckRequest(), null);
        Assert.False(group.IsError, group.Error?.ToString());
        Assert.False((await _groups.Register(group.Value.TargetGroupArn, [.. instances.Select(i => new TargetRegistration(i))])).IsError);
        var balancer = await _balancers.Create(new CreateLoadBalancerRequest("web", _subnets[..2], []));
        Assert.False(balancer.IsError, balancer.Error?.ToString());
        var listener = await _balancers.CreateListener(balancer.Value.LoadBalancerArn,
            new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(group.Value.TargetGroupArn)]), ImmutableDictionary<string, string>.Empty);
        Assert.False(listener.IsError, listener.Error?.ToString());
        return new Stack([.. instances], group.Value, balancer.Value, listener.Value);
    }

    /// <summary>Moves time a second at a time, letting each probe round that fell due finish before moving on.</summary>
    private async Task Step(Stack stack, TimeSpan by)
    {
        var gathering = PersistenceIds.For(TargetGroupKinds.TargetGroup, 1, stack.Group.TargetGroupId) + "/gather";
        for (var i = 0; i < (int)by.TotalSeconds; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            AwaitCondition(() => !Clock.AnyPending(gathering), TimeSpan.FromSeconds(15)); // generous: the machine may be busy
            await Router.Ask<object>(TargetGroupKinds.TargetGroup, stack.Group.TargetGroupId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
            await Router.Ask<object>(LoadBalancerKinds.LoadBalancer, stack.Balancer.LoadBalancerId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
        }
    }

    private async Task<string> HealthOf(Stack stack, string instanceId) =>
        Assert.Single((await _groups.Health(stack.Group.TargetGroupArn, [new TargetRegistration(instanceId)])).Value).Health.State;

    private Task<ListenerResponse> Get(Stack stack, string path = "/", string host = "web.example.com") =>
        _traffic.Handle(stack.Balancer.LoadBalancerId, 80, new ListenerRequest("GET", host, path, [], ImmutableDictionary<string, string>.Empty, "203.0.113.9", null), default);

    private async Task<List<ListenerResponse>> GetMany(Stack stack, int count)
    {
        var responses = new List<ListenerResponse>();
        for (var i = 0; i < count; i++)
            responses.Add(await Get(stack));
        return responses;
    }

    private static string? InstanceOf(ListenerResponse response) => response.Headers.GetValueOrDefault(ListenerTraffic.InstanceHeader);

    [Fact]
    public async Task Requests_go_to_healthy_targets_in_enabled_zones_and_leave_a_failing_one_once_it_is_unhealthy()
    {
        var stack = await BuildStack();
        var (a, b, c) = (stack.Instances[0], stack.Instances[1], stack.Instances[2]);
        Assert.Equal(503, (await Get(stack)).StatusCode); // still provisioning

        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        Assert.Equal(("healthy", "healthy", "unused"), (await HealthOf(stack, a), await HealthOf(stack, b), await HealthOf(stack, c)));
        var spread = await GetMany(stack, 10);
        Assert.All(spread, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(new[] { a, b }.Order(), spread.Select(InstanceOf).Distinct().Order());
        Assert.Equal(5, spread.Count(r => InstanceOf(r) == a));
        Assert.All(spread.Where(r => InstanceOf(r) == b), r => Assert.Equal("us-east-1b", r.Headers[ListenerTraffic.ZoneHeader]));

        Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, a, new InstanceCommands.SetApplicationHealth(a, ApplicationHealth.Failing), default)).IsError);
        var failedAt = Clock.Now;
        while (await HealthOf(stack, a) != "unhealthy")
        {
            Assert.True(Clock.Now - failedAt <= TimeSpan.FromSeconds(65), "the failing target is still not unhealthy 65 s after its failure");
            // Until then the load balancer keeps sending it requests, which it answers with 500.
            await Step(stack, TimeSpan.FromSeconds(1));
        }
        Assert.InRange(Clock.Now - failedAt, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(65));
        var afterwards = await GetMany(stack, 10);
        Assert.All(afterwards, r => Assert.Equal((200, b), (r.StatusCode, InstanceOf(r))));
    }

    [Fact]
    public async Task When_every_target_is_unhealthy_the_load_balancer_fails_open_and_the_targets_answer_themselves()
    {
        var stack = await BuildStack();
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        foreach (var id in stack.Instances[..2])
            Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, id, new InstanceCommands.SetApplicationHealth(id, ApplicationHealth.Failing), default)).IsError);
        await Step(stack, TimeSpan.FromSeconds(65));
        Assert.Equal("unhealthy", await HealthOf(stack, stack.Instances[0]));
        Assert.Equal("unhealthy", await HealthOf(stack, stack.Instances[1]));

        var responses = await GetMany(stack, 4);
        Assert.All(responses, r => Assert.Equal(500, r.StatusCode));
        Assert.Equal(stack.Instances[..2].Order(), responses.Select(InstanceOf).Distinct().Order());
    }

    [Fact]
    public async Task A_network_outage_times_out_its_zone_s_targets_and_traffic_moves_to_the_other_zone()
    {
        var stack = await BuildStack();
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        SetZone("us-east-1b", AzState.Unavailable, OutageMode.Network);
        await Step(stack, TimeSpan.FromSeconds(65));
        Assert.Equal("unhealthy", await HealthOf(stack, stack.Instances[1]));
        var target = Assert.Single((await _groups.Health(stack.Group.TargetGroupArn, [new TargetRegistration(stack.Instances[1])])).Value);
        Assert.Equal("Target.Timeout", target.Health.Reason);
        Assert.All(await GetMany(stack, 6), r => Assert.Equal((200, stack.Instances[0]), (r.StatusCode, InstanceOf(r))));
    }

    [Fact]
    public async Task Without_registered_targets_the_load_balancer_answers_503_and_rules_answer_fixed_responses_and_redirects()
    {
        var stack = await BuildStack();
        var empty = await _groups.Create("empty", "HTTP", null, 80, _vpcId, null, null, new HealthCheckRequest(), null);
        await _balancers.CreateRule(stack.Listener.ListenerArn, 5, [RuleCondition.Of(RuleCondition.PathPattern, "/empty/*")], [ElbAction.ForwardTo(empty.Value.TargetGroupArn)],
            ImmutableDictionary<string, string>.Empty);
        await _balancers.CreateRule(stack.Listener.ListenerArn, 10, [RuleCondition.Of(RuleCondition.HostHeader, "maintenance.example.com")],
            [new ElbAction(ElbAction.FixedResponseType, 1, [], FixedResponse: new FixedResponseConfig("503", "text/plain", "down for maintenance"))],
            ImmutableDictionary<string, string>.Empty);
        await _balancers.CreateRule(stack.Listener.ListenerArn, 20, [RuleCondition.Of(RuleCondition.PathPattern, "/old/*")],
            [new ElbAction(ElbAction.RedirectType, 1, [], Redirect: new RedirectConfig("HTTPS", "443", null, "/new/#{path}", null, "HTTP_301"))],
            ImmutableDictionary<string, string>.Empty);
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));

        Assert.Equal(503, (await Get(stack, "/empty/x")).StatusCode);
        var maintenance = await Get(stack, host: "maintenance.example.com");
        Assert.Equal((503, "down for maintenance"), (maintenance.StatusCode, maintenance.Body));
        var redirect = await Get(stack, "/old/page");
        Assert.Equal(301, redirect.StatusCode);
        Assert.Equal("https://web.example.com/new/old/page", redirect.Headers["location"]);
        Assert.Equal(200, (await Get(stack, "/anything")).StatusCode);
    }

    [Fact]
    public async Task A_fluid_flow_loads_the_healthy_instances_and_is_counted_in_the_load_balancer_metrics()
    {
        var stack = await BuildStack();
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        var offered = await _balancers.OfferLoad(stack.Balancer.LoadBalancerArn, 100);
        Assert.False(offered.IsError, offered.Error?.ToString());
        await Step(stack, TimeSpan.FromMinutes(6)); // basic monitoring: one CPU datapoint per five minutes

        var balancer = new Dictionary<string, string> { ["LoadBalancer"] = ApplicationElbMetrics.DimensionOf(stack.Balancer.LoadBalancerArn) };
        var requests = Metrics.Points(ApplicationElbMetrics.Namespace, "RequestCount", balancer);
        Assert.Equal(6000, requests[^1].Value, 3); // a whole minute at 100 requests per second
        Assert.Equal(6000, Metrics.Points(ApplicationElbMetrics.Namespace, "HTTPCode_Target_2XX_Count", balancer)[^1].Value, 3);
        var perGroup = new Dictionary<string, string>(balancer) { ["TargetGroup"] = ApplicationElbMetrics.DimensionOf(stack.Group.TargetGroupArn) };
        Assert.Equal(2, Metrics.Points(ApplicationElbMetrics.Namespace, "HealthyHostCount", perGroup)[^1].Value);
        // The minute's 6,000 requests over the 2 healthy targets, per group and per TargetGroup alone (what target tracking reads).
        Assert.Equal(3000, Metrics.Points(ApplicationElbMetrics.Namespace, "RequestCountPerTarget", perGroup)[^1].Value, 3);
        var targetGroupOnly = new Dictionary<string, string> { ["TargetGroup"] = perGroup["TargetGroup"] };
        Assert.Equal(3000, Metrics.Points(ApplicationElbMetrics.Namespace, "RequestCountPerTarget", targetGroupOnly)[^1].Value, 3);

        // Each of the two healthy t3.micro instances carries half the flow: a quarter of its capacity.
        var cpu = InstanceWorkload.CpuPercent("t3.micro", 50);
        foreach (var id in stack.Instances[..2])
            Assert.Equal(cpu, Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = id })[^1].Value, 6);
        Assert.Equal(InstanceWorkload.IdleCpuPercent, Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = stack.Instances[2] })[^1].Value, 6);
    }

    [Fact]
    public async Task A_power_outage_stops_its_zone_s_instances_their_targets_read_unused_and_traffic_stays_in_the_other_zone()
    {
        var stack = await BuildStack();
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        SetZone("us-east-1a", AzState.Unavailable, OutageMode.Power);
        await Step(stack, TimeSpan.FromSeconds(65));
        var target = Assert.Single((await _groups.Health(stack.Group.TargetGroupArn, [new TargetRegistration(stack.Instances[0])])).Value);
        Assert.Equal(("unused", "Target.InvalidState"), (target.Health.State, target.Health.Reason));
        Assert.All(await GetMany(stack, 6), r => Assert.Equal((200, stack.Instances[1]), (r.StatusCode, InstanceOf(r))));
    }

    [Fact]
    public async Task A_sticky_client_keeps_its_target_through_the_lb_cookie()
    {
        var stack = await BuildStack();
        var sticky = await _groups.ModifyAttributes(stack.Group.TargetGroupArn, ImmutableDictionary<string, string>.Empty.Add("stickiness.enabled", "true"));
        Assert.False(sticky.IsError, sticky.Error?.ToString());
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));

        var first = await Get(stack);
        var cookie = first.Headers["set-cookie"];
        Assert.StartsWith(ListenerTraffic.StickyCookie + "=", cookie);
        Assert.Contains("Max-Age=86400", cookie);
        var value = cookie.Split(';')[0][(ListenerTraffic.StickyCookie.Length + 1)..];
        for (var i = 0; i < 6; i++)
        {
            var again = await _traffic.Handle(stack.Balancer.LoadBalancerId, 80,
                new ListenerRequest("GET", "web.example.com", "/", [], ImmutableDictionary<string, string>.Empty, "203.0.113.9", value), default);
            Assert.Equal(InstanceOf(first), InstanceOf(again));
        }
    }

    [Fact]
    public async Task A_router_that_starts_over_rebuilds_its_view_and_its_flow_from_the_entities()
    {
        var stack = await BuildStack();
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        Assert.False((await _balancers.OfferLoad(stack.Balancer.LoadBalancerArn, 60)).IsError);
        await Step(stack, TimeSpan.FromSeconds(20));

        // A shard hand-off or a node's death: the router's view is gone, the published changes with it.
        // Stopped as a shard stops an entity it hands off: messages arriving meanwhile wait for the next incarnation.
        var router = await Sys.ActorSelection($"/user/local-{ElbKinds.Router}/{stack.Balancer.LoadBalancerId}").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(router);
        Sys.ActorSelection($"/user/local-{ElbKinds.Router}").Tell(new Akka.Cluster.Sharding.Passivate(PoisonPill.Instance), router);
        ExpectTerminated(router);

        Assert.All(await GetMany(stack, 4), r => Assert.Equal(200, r.StatusCode));
        await Step(stack, TimeSpan.FromMinutes(3)); // the last published minute then holds the flow alone, not those 4 requests
        var requests = Metrics.Points(ApplicationElbMetrics.Namespace, "RequestCount",
            new Dictionary<string, string> { ["LoadBalancer"] = ApplicationElbMetrics.DimensionOf(stack.Balancer.LoadBalancerArn) });
        Assert.Equal(3600, requests[^1].Value, 3); // the flow carried on at 60 per second
    }

    [Fact]
    public async Task An_ip_target_is_served_by_the_instance_holding_its_address()
    {
        var stack = await BuildStack();
        var address = Assert.Single((await _ec2.Describe([stack.Instances[1]])).Value).PrivateIpAddress!;
        var ips = await _groups.Create("by-ip", "HTTP", null, 8080, _vpcId, "ip", null, new HealthCheckRequest(), null);
        Assert.False(ips.IsError, ips.Error?.ToString());
        Assert.False((await _groups.Register(ips.Value.TargetGroupArn, [new TargetRegistration(address)])).IsError);
        await _balancers.CreateRule(stack.Listener.ListenerArn, 1, [RuleCondition.Of(RuleCondition.PathPattern, "/ip/*")], [ElbAction.ForwardTo(ips.Value.TargetGroupArn)],
            ImmutableDictionary<string, string>.Empty);
        var gathering = PersistenceIds.For(TargetGroupKinds.TargetGroup, 1, ips.Value.TargetGroupId) + "/gather";
        for (var second = 0; second < (ElbTimings.Provisioning + TimeSpan.FromSeconds(30)).TotalSeconds; second++)
        {
            await Step(stack, TimeSpan.FromSeconds(1));
            AwaitCondition(() => !Clock.AnyPending(gathering), TimeSpan.FromSeconds(15)); // generous: the machine may be busy
        }

        var response = await Get(stack, "/ip/x");
        Assert.Equal((200, stack.Instances[1]), (response.StatusCode, InstanceOf(response)));
    }

    [Fact]
    public async Task A_rebooting_target_resets_connections_502_and_a_stopped_one_times_out_504_until_health_checks_notice()
    {
        var stack = await BuildStack();
        await Step(stack, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        var (a, b) = (stack.Instances[0], stack.Instances[1]);
        Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, a, new InstanceCommands.Reboot(a), default)).IsError);
        var during = await GetMany(stack, 4);
        Assert.Equal([502, 502], during.Where(r => InstanceOf(r) == a).Select(r => r.StatusCode));
        Assert.All(during.Where(r => InstanceOf(r) == b), r => Assert.Equal(200, r.StatusCode));

        await Step(stack, InstanceTimings.Reboot + TimeSpan.FromSeconds(1));
        Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, b, new InstanceCommands.Stop(b, true), default)).IsError);
        var stopped = await GetMany(stack, 4);
        Assert.Equal([504, 504], stopped.Where(r => InstanceOf(r) == b).Select(r => r.StatusCode));
    }
}
