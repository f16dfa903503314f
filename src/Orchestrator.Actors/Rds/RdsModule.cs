using Akka.Configuration;
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
        [new RdsPalette(new RdsService(context.Services, context.AccountId, FailoverTime(context.System.Settings.Config)), () => context.Services.Region.Current.Status)];

    /// <summary>orchestrator.rds.failover-time: how long a Multi-AZ failover takes in simulated time (default 90 s).</summary>
    public static TimeSpan? FailoverTime(Config config) => config.HasPath("orchestrator.rds.failover-time") ? config.GetTimeSpan("orchestrator.rds.failover-time") : null;

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
