using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Vpc;

/// <summary>
/// VPC reachability. The VPC entities themselves are EC2's (the EC2 API serves them); this module
/// only reads them, so it registers no messages and hosts no entities.
/// </summary>
public sealed class VpcModule : IOrchestratorModule
{
    public string Name => "vpc";

    public void RegisterMessages()
    {
    }

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => [];

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new NetPalette(new ReachabilityService(context.Services))];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
