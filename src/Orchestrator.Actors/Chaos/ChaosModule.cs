using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Chaos;

/// <summary>Chaos (faults in the region, FIS-style) and drills (scenarios as code with expectations), with their palettes.</summary>
public sealed class ChaosModule : IOrchestratorModule
{
    private readonly DeferredChaosPort _port = new();

    public string Name => "chaos";

    public void RegisterMessages() => ChaosMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => ChaosKinds.All(services, _port);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) =>
    [
        new ChaosPalette(context.Services),
        new DrillPalette(context.Services, host => _port.Attach(new NodeChaosPort(context.Region, host, context.Services, context.AccountId))),
    ];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
