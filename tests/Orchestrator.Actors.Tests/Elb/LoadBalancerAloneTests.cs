using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Tests.Elb;

/// <summary>
/// A load balancer on a node that hosts neither target groups nor routers: the messages its effects
/// address to them are lost, and the load balancer carries on and answers.
/// </summary>
public sealed class LoadBalancerAloneTests : EntityTestKit
{
    /// <summary>Routes like the kit, except that the target group and router kinds are not hosted (as sharding says it).</summary>
    private sealed class WithoutNeighbours(IEntityRouter kit) : IEntityRouter
    {
        public IActorRef RefFor(string kind) => kind is TargetGroupKinds.TargetGroup or ElbKinds.Router
            ? throw new InvalidOperationException($"no shard region for entity kind '{kind}'")
            : kit.RefFor(kind);

        public object Envelope(string entityId, object message) => kit.Envelope(entityId, message);
    }

    [Fact]
    public async Task Effects_to_kinds_the_node_does_not_host_are_dropped_without_breaking_the_entity()
    {
        ((DeferredEntityRouter)Services.Router).Inner = new WithoutNeighbours(Router);
        var ec2 = new Ec2Service(Services);
        var vpc = (await ec2.CreateVpc("10.71.0.0/16", null, null)).Value.VpcId;
        var subnets = new[] { "a", "b" }.Select((zone, i) => ec2.CreateSubnet(vpc, $"10.71.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId).ToList();
        const string GroupId = "abcdefabcdefabcd";
        var group = ElbArn.ForTargetGroup("us-east-1", "000000000000", "alone", GroupId);
        await Index.ReplaceOwned("test-target-group", 1, Region.Current.Generation, [new IndexRow(TargetGroupKinds.TargetGroup, GroupId,
            new TargetGroupView(group, GroupId, "alone", "HTTP", "HTTP1", 80, vpc, "instance", "ipv4", true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, "200", null,
                [], ImmutableDictionary<string, string>.Empty))]);
        var service = new LoadBalancerService(Services, "us-east-1", "000000000000");

        var lb = (await service.Create(new CreateLoadBalancerRequest("alone", subnets, []))).Value;
        var listener = await service.CreateListener(lb.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(group)]), ImmutableDictionary<string, string>.Empty);
        Assert.False(listener.IsError, listener.Error?.ToString());
        Advance(ElbTimings.Provisioning);
        var reply = (EntityReplies.Accepted)await Router.Ask<object>(LoadBalancerKinds.LoadBalancer, lb.LoadBalancerId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
        var state = Assert.IsType<LoadBalancer>(reply.State);
        Assert.Equal(LoadBalancerStates.Active, state.State);
        Assert.Single(state.Listeners);
    }
}
