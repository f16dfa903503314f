using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Elb;
using LoadBalancerState = Orchestrator.Domain.Elb.LoadBalancer;

namespace Orchestrator.Actors.Elb;

/// <summary>Load balancers: one entity per load balancer (keyed by the 16-hex id of its ARN), holding its listeners and rules.</summary>
public static class LoadBalancerKinds
{
    public const string LoadBalancer = "load-balancer";
    public const string Listener = "listener";
    public const string ListenerRule = "listener-rule";

    private static readonly LoadBalancerBehavior Behavior = new();

    /// <summary>One row per load balancer, per listener and per rule (default rules included), so each Describe reads its own kind.</summary>
    public static EntityDefinition<LoadBalancerState, ILoadBalancerCommand, ILoadBalancerEvent> Definition() => new(
        LoadBalancer,
        Behavior,
        state =>
        [
            new IndexRow(LoadBalancer, state.LoadBalancerId, LoadBalancerView.From(state)),
            .. ListenerView.AllOf(state).Select(l => new IndexRow(Listener, l.ListenerId, l)),
            .. RuleView.AllOf(state).Select(r => new IndexRow(ListenerRule, r.RuleId, r)),
        ],
        Effects: Effects);

    /// <summary>A provisioning load balancer waits on a deadline: it is remembered, so a node's death does not leave it provisioning.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(LoadBalancer,
            id => Props.Create(() => new EntityActor<LoadBalancerState, ILoadBalancerCommand, ILoadBalancerEvent>(definition, id, services)), RememberEntities: true);
    }

    /// <summary>
    /// After each persisted change: target groups newly forwarded to are told they are used (with the
    /// enabled zones, again to all of them when the zones change), groups no longer forwarded to are
    /// released, and the router reads the load balancer again.
    /// </summary>
    public static IEnumerable<Outbound> Effects(LoadBalancerState? before, ILoadBalancerEvent @event)
    {
        var after = Behavior.Evolve(before, @event);
        var lb = (before ?? after)!;
        var used = after?.ForwardedTargetGroupArns() ?? ImmutableSortedSet<string>.Empty;
        var wasUsed = before?.ForwardedTargetGroupArns() ?? ImmutableSortedSet<string>.Empty;
        var zonesChanged = before is not null && after is not null && !before.Zones.SequenceEqual(after.Zones);
        foreach (var arn in wasUsed.Except(used))
            if (TargetGroupId(arn) is { } id)
                yield return new Outbound(TargetGroupKinds.TargetGroup, id, new TargetGroupCommands.ReleaseByLoadBalancer(id, lb.LoadBalancerArn));
        foreach (var arn in zonesChanged ? used : used.Except(wasUsed))
            if (TargetGroupId(arn) is { } id)
                yield return new Outbound(TargetGroupKinds.TargetGroup, id, new TargetGroupCommands.UseByLoadBalancer(id, lb.LoadBalancerArn, after!.ZoneNames()));
        yield return new Outbound(ElbKinds.Router, lb.LoadBalancerId, new LoadBalancerRouterMessages.LoadBalancerChanged(lb.LoadBalancerId));
    }

    private static string? TargetGroupId(string arn) => ElbArn.TryParse(arn, out var parsed) ? parsed.Id : null;
}

public static class LoadBalancerMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("elbv2.load-balancer.router", typeof(LoadBalancerRouterMessages));
        MessageRegistry.RegisterAll("elbv2.load-balancer.command", typeof(LoadBalancerCommands));
        MessageRegistry.RegisterAll("elbv2.load-balancer.event", typeof(LoadBalancerEvents));
        MessageRegistry.RegisterAll("elbv2.load-balancer",
            typeof(LoadBalancerState), typeof(LoadBalancerZone), typeof(Listener), typeof(ListenerRule), typeof(ElbAction), typeof(WeightedTargetGroup),
            typeof(RedirectConfig), typeof(FixedResponseConfig), typeof(RuleCondition), typeof(QueryStringPair), typeof(RulePriorityChange),
            typeof(LoadBalancerView), typeof(ListenerView), typeof(RuleView));
    }
}
