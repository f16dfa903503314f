using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Node.Management;

/// <summary>pbm's `cluster-sharding` palette: where entities live. Queries go to this node's real regions.</summary>
public sealed class ShardingPalette(ActorSystem system, ShardingEntityRouter router) : ICommandPalette
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public sealed record EntityLocationReport(string Kind, string EntityId, string ShardId, string? Address);

    public sealed record RegionStatsReport(string Kind, ImmutableDictionary<string, int> EntitiesPerShard, int Entities);

    public string Name => "cluster-sharding";

    public string Description => "shard regions and where entities live";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("regions", "cluster-sharding regions", "entity kinds with a shard region on this node", []),
        new("region-stats", "cluster-sharding region-stats -r <kind>", "entities per shard on this node", ["r"]),
        new("entity-location", "cluster-sharding entity-location -r <kind> -e <entity-id>", "the node hosting an entity", ["r", "e"]),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        switch (request.Command)
        {
            case "regions":
                var kinds = router.Regions.Select(r => r.Key).Order(StringComparer.Ordinal).ToImmutableArray();
                return CommandResponse.Success(new { regions = kinds }, string.Join('\n', kinds));
            case "region-stats":
            {
                var kind = Required(request, "r", "kind");
                var stats = await router.RefFor(kind).Ask<ShardRegionStats>(GetShardRegionStats.Instance, Timeout, cancellationToken).ConfigureAwait(false);
                var report = new RegionStatsReport(kind, stats.Stats.ToImmutableDictionary(), stats.Stats.Values.Sum());
                return CommandResponse.Success(report, $"{kind}: {report.Entities} entities in {report.EntitiesPerShard.Count} shards on this node");
            }
            default:
            {
                var kind = Required(request, "r", "kind");
                var entityId = Required(request, "e", "entity-id");
                var location = await router.RefFor(kind).Ask<EntityLocation>(new GetEntityLocation(entityId, Timeout), Timeout, cancellationToken).ConfigureAwait(false);
                // A region on this node reports the local address (no host): name the node as the cluster knows it.
                var address = location.ShardRegion is { Host: null } ? Akka.Cluster.Cluster.Get(system).SelfAddress.ToString() : location.ShardRegion?.ToString();
                var hosted = location.EntityRef.HasValue ? address : null;
                var report = new EntityLocationReport(kind, entityId, location.ShardId, hosted);
                return CommandResponse.Success(report, $"{kind} {entityId}: shard {location.ShardId} on {hosted ?? "(not started)"}");
            }
        }
    }

    private static string Required(CommandRequest request, string name, string meaning) =>
        request.Switch(name) ?? throw new CommandUsageException($"missing -{name} <{meaning}>");
}
