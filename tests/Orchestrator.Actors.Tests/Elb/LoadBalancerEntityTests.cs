using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Tests.Elb;

/// <summary>
/// Load balancer entities in virtual time. Until target groups and routers exist, their kinds are
/// test probes: the tests see exactly what the load balancer tells them.
/// </summary>
public sealed class LoadBalancerEntityTests : EntityTestKit
{
    private readonly LoadBalancerService _service;
    private readonly TestProbe _targetGroups;
    private readonly TestProbe _routers;
    private readonly string _vpcId;
    private readonly string[] _subnets;

    public LoadBalancerEntityTests()
    {
        _targetGroups = CreateTestProbe();
        _routers = CreateTestProbe();
        ((DeferredEntityRouter)Services.Router).Inner = new ProbeRouter(Router, new Dictionary<string, IActorRef>
        {
            [TargetGroupKinds.TargetGroup] = _targetGroups.Ref,
            [ElbKinds.Router] = _routers.Ref,
        });
        var ec2 = new Ec2Service(Services);
        _vpcId = ec2.CreateVpc("10.70.0.0/16", null, null).Result.Value.VpcId;
        _subnets = [.. new[] { "a", "b", "c" }.Select((zone, i) => ec2.CreateSubnet(_vpcId, $"10.70.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        _service = new LoadBalancerService(Services, "us-east-1", "000000000000");
    }

    /// <summary>Routes the probe kinds to probes and everything else to the local entities.</summary>
    private sealed class ProbeRouter(IEntityRouter inner, IReadOnlyDictionary<string, IActorRef> probes) : IEntityRouter
    {
        public IActorRef RefFor(string kind) => probes.TryGetValue(kind, out var probe) ? probe : inner.RefFor(kind);

        public object Envelope(string entityId, object message) => inner.Envelope(entityId, message);
    }

    private string TargetGroup(string id, string protocol = "HTTP")
    {
        var arn = ElbArn.ForTargetGroup("us-east-1", "000000000000", "tg-" + id[..4], id);
        var view = new TargetGroupView(arn, id, "tg-" + id[..4], protocol, "HTTP1", 80, _vpcId, "instance", "ipv4", true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, "200", null,
            [], ImmutableDictionary<string, string>.Empty);
        Index.ReplaceOwned("test-target-group-" + id, 1, Region.Current.Generation, [new IndexRow(TargetGroupKinds.TargetGroup, id, view)]).Wait();
        return arn;
    }

    private async Task<LoadBalancerView> CreateLoadBalancer(string name = "web")
    {
        var created = await _service.Create(new CreateLoadBalancerRequest(name, _subnets[..2], []));
        Assert.False(created.IsError, created.Error?.ToString());
        ExpectChanged(created.Value.LoadBalancerId);
        return created.Value;
    }

    private LoadBalancer StateOf(string id) =>
        (LoadBalancer)((EntityReplies.Accepted)Router.Ask<object>(LoadBalancerKinds.LoadBalancer, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(5)).Result).State!;

    private void ExpectChanged(string loadBalancerId) =>
        Assert.Equal(new LoadBalancerRouterMessages.LoadBalancerChanged(loadBalancerId), _routers.ExpectMsg<ShardingEnvelope>().Message);

    private T ExpectTargetGroupMessage<T>(string targetGroupId)
    {
        var envelope = _targetGroups.ExpectMsg<ShardingEnvelope>();
        Assert.Equal(targetGroupId, envelope.EntityId);
        return Assert.IsType<T>(envelope.Message);
    }

    [Fact]
    public async Task A_load_balancer_provisions_then_becomes_active_in_simulated_time_and_tells_its_router()
    {
        var lb = await CreateLoadBalancer();
        Assert.Equal(LoadBalancerStates.Provisioning, lb.State);
        var defaultGroup = (await new SecurityGroupService(Services).List()).Single(g => g.VpcId == _vpcId && g.GroupName == "default");
        Assert.Equal<string>([defaultGroup.GroupId], lb.SecurityGroups);

        Advance(ElbTimings.Provisioning - TimeSpan.FromSeconds(1));
        Assert.Equal(LoadBalancerStates.Provisioning, StateOf(lb.LoadBalancerId).State);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LoadBalancerStates.Active, StateOf(lb.LoadBalancerId).State);
        ExpectChanged(lb.LoadBalancerId);
        Assert.Equal(LoadBalancerStates.Active, Assert.Single((await _service.Describe([lb.LoadBalancerArn], [])).Value).State);
    }

    [Fact]
    public async Task Target_groups_are_told_when_listeners_and_rules_start_or_stop_forwarding_to_them_and_when_zones_change()
    {
        var lb = await CreateLoadBalancer();
        var (web, api) = (TargetGroup("aaaaaaaaaaaaaaaa"), TargetGroup("bbbbbbbbbbbbbbbb"));

        var listener = await _service.CreateListener(lb.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(web)]), ImmutableDictionary<string, string>.Empty);
        Assert.False(listener.IsError, listener.Error?.ToString());
        var use = ExpectTargetGroupMessage<TargetGroupCommands.UseByLoadBalancer>("aaaaaaaaaaaaaaaa");
        Assert.Equal(lb.LoadBalancerArn, use.LoadBalancerArn);
        Assert.Equal<string>(["us-east-1a", "us-east-1b"], use.EnabledZones);
        ExpectChanged(lb.LoadBalancerId);

        var rule = await _service.CreateRule(listener.Value.ListenerArn, 10, [RuleCondition.Of(RuleCondition.PathPattern, "/api/*")], [ElbAction.ForwardTo(api)],
            ImmutableDictionary<string, string>.Empty);
        Assert.False(rule.IsError, rule.Error?.ToString());
        ExpectTargetGroupMessage<TargetGroupCommands.UseByLoadBalancer>("bbbbbbbbbbbbbbbb");
        ExpectChanged(lb.LoadBalancerId);

        Assert.False((await _service.SetSubnets(lb.LoadBalancerArn, [_subnets[0], _subnets[2]])).IsError);
        var again = new[] { ExpectTargetGroupMessage<TargetGroupCommands.UseByLoadBalancer>("aaaaaaaaaaaaaaaa"), ExpectTargetGroupMessage<TargetGroupCommands.UseByLoadBalancer>("bbbbbbbbbbbbbbbb") };
        Assert.All(again, u => Assert.Equal<string>(["us-east-1a", "us-east-1c"], u.EnabledZones));
        ExpectChanged(lb.LoadBalancerId);

        Assert.False((await _service.DeleteRule(rule.Value.RuleArn)).IsError);
        Assert.Equal(lb.LoadBalancerArn, ExpectTargetGroupMessage<TargetGroupCommands.ReleaseByLoadBalancer>("bbbbbbbbbbbbbbbb").LoadBalancerArn);
        ExpectChanged(lb.LoadBalancerId);

        Assert.False((await _service.ModifyListener(listener.Value.ListenerArn, new ListenerSettings(null, null, null, null, [ElbAction.Fixed("503")]))).IsError);
        ExpectTargetGroupMessage<TargetGroupCommands.ReleaseByLoadBalancer>("aaaaaaaaaaaaaaaa");
        ExpectChanged(lb.LoadBalancerId);
    }

    [Fact]
    public async Task Deleting_a_load_balancer_releases_its_target_groups_tells_its_router_and_frees_its_name()
    {
        var lb = await CreateLoadBalancer();
        var web = TargetGroup("cccccccccccccccc");
        Assert.False((await _service.CreateListener(lb.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(web)]), ImmutableDictionary<string, string>.Empty)).IsError);
        ExpectTargetGroupMessage<TargetGroupCommands.UseByLoadBalancer>("cccccccccccccccc");
        ExpectChanged(lb.LoadBalancerId);
        Assert.Equal(lb.LoadBalancerArn, (await _service.Create(new CreateLoadBalancerRequest("web", _subnets[..2], []))).Value.LoadBalancerArn); // idempotent
        Assert.Equal("DuplicateLoadBalancerName", (await _service.Create(new CreateLoadBalancerRequest("web", _subnets[1..], []))).Error!.Code);

        Assert.True((await _service.Delete(lb.LoadBalancerArn)).Value);
        ExpectTargetGroupMessage<TargetGroupCommands.ReleaseByLoadBalancer>("cccccccccccccccc");
        ExpectChanged(lb.LoadBalancerId);
        Assert.Empty((await _service.Describe([], [])).Value);
        Assert.True((await _service.Delete(lb.LoadBalancerArn)).Value); // unknown: still fine, as AWS answers
        await CreateLoadBalancer();
    }

    [Fact]
    public async Task Forward_actions_are_checked_against_the_target_groups_in_the_read_model()
    {
        var lb = await CreateLoadBalancer();
        var missing = ElbArn.ForTargetGroup("us-east-1", "000000000000", "nope", "dddddddddddddddd");
        var tcp = TargetGroup("eeeeeeeeeeeeeeee", "TCP");
        Task<string?> Code(string arn) => _service.CreateListener(lb.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(arn)]), ImmutableDictionary<string, string>.Empty)
            .ContinueWith(t => t.Result.Error?.Code);
        Assert.Equal("TargetGroupNotFound", await Code(missing));
        Assert.Equal("IncompatibleProtocols", await Code(tcp));
    }
}
