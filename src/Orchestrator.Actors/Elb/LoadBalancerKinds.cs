using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>Load balancers: one entity per load balancer (keyed by the 16-hex id of its ARN), holding its listeners and rules.</summary>
public static class LoadBalancerKinds
{
    public const string LoadBalancer = "load-balancer";
    public const string Listener = "listener";
    public const string ListenerRule = "listener-rule";

    public static IEnumerable<EntityKind> All(EntityServices services) => [];
}

public static class LoadBalancerMessages
{
    public static void Register() =>
        MessageRegistry.RegisterAll("elbv2.load-balancer.router", typeof(LoadBalancerRouterMessages));
}
