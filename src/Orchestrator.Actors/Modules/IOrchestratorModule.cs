using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Modules;

/// <summary>What a module is given once its node is up: AccountId owns the ARNs it mints. Sharding is null when entities live locally (tests).</summary>
public sealed record ModuleContext(ActorSystem System, EntityServices Services, RegionClient Region, ShardingEntityRouter? Sharding, string AccountId);

/// <summary>
/// One AWS service (or infrastructure concern) plugged into a node: the messages it persists or
/// sends, the entity kinds it hosts, the management palettes it owns, and what it does once the
/// region is ready (and again after a reset). The next service plugs in the same way.
/// </summary>
public interface IOrchestratorModule
{
    string Name { get; }

    void RegisterMessages();

    IEnumerable<EntityKind> EntityKinds(EntityServices services);

    IEnumerable<ICommandPalette> Palettes(ModuleContext context);

    Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken);
}
