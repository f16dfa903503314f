using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;
using Orchestrator.Node.Management;

namespace Orchestrator.Node.Hosting;

/// <summary>The node's own palettes: cluster membership and sharding.</summary>
public sealed class NodeModule : IOrchestratorModule
{
    public string Name => "node";

    public void RegisterMessages()
    {
    }

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => [];

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new ClusterPalette(context.System), new ShardingPalette(context.System, context.Sharding ?? throw new InvalidOperationException("the node palettes need shard regions"))];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
