using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Serialization;
using Orchestrator.Domain.Elb;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Elb;

/// <summary>Elastic Load Balancing v2: target groups with their health-check loop, load balancers with listeners and rules, and their routers.</summary>
public sealed class ElbModule : IOrchestratorModule
{
    public string Name => "elbv2";

    public void RegisterMessages() => ElbMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => ElbKinds.All(services);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context)
    {
        var balancers = new LoadBalancerService(context.Services, context.Services.Region.Current.Region, context.AccountId);
        return [new ElbPalette(balancers, new TargetGroupService(context.Services, context.AccountId)), new LoadPalette(balancers)];
    }

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The entity kinds of ELBv2: each part contributes its own.</summary>
public static class ElbKinds
{
    /// <summary>A load balancer's router: the transient routing view, keyed by the load balancer's id.</summary>
    public const string Router = "lb-router";

    public static IEnumerable<EntityKind> All(EntityServices services) =>
        TargetGroupKinds.All(services).Concat(LoadBalancerKinds.All(services)).Append(
            // Routers are views rebuilt on demand: nothing to remember after a node dies.
            new EntityKind(Router, id => Props.Create(() => new LoadBalancerRouter(id, services)), RememberEntities: false));
}

/// <summary>The manifests of everything ELBv2 persists or sends between nodes.</summary>
public static class ElbMessages
{
    public static void Register()
    {
        TargetGroupMessages.Register();
        LoadBalancerMessages.Register();
        MessageRegistry.RegisterAll("elbv2.router", typeof(RouterRequests), typeof(RouteDecision), typeof(ListenerRequest));
    }
}
