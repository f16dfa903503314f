using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Vpc;

/// <summary>
/// VPC reachability. The VPC entities themselves are EC2's (the EC2 API serves them); this module
/// reads them, for the `net` palette and for the health checks of target groups.
/// </summary>
public sealed class VpcModule : IOrchestratorModule
{
    public string Name => "vpc";

    public void RegisterMessages() => ReachabilityMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => ReachabilityKinds.All(services);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new NetPalette(new ReachabilityService(context.Services))];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
