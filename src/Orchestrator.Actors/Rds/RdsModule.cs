using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Rds;

/// <summary>RDS: DB subnet groups and DB instances with Multi-AZ failover.</summary>
public sealed class RdsModule : IOrchestratorModule
{
    public string Name => "rds";

    public void RegisterMessages() => RdsMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => RdsKinds.All(services);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) =>
        [new RdsPalette(new RdsService(context.Services, context.AccountId), () => context.Services.Region.Current.Status)];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
