using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Orchestrator.Actors.Sharding;

/// <summary>One kind of persistent entity: its name (the shard region's type name) and how to make one.</summary>
public sealed record EntityKind(string Name, Func<string, Props> PropsFor, bool RememberEntities);

/// <summary>
/// The seam between entities and where they live: sharding in production, local children in
/// tests. Everything that talks to an entity goes through it, never through a region directly.
/// </summary>
public interface IEntityRouter
{
    /// <summary>Where a message for an entity of this kind goes (used as the target of deadlines).</summary>
    IActorRef RefFor(string kind);

    /// <summary>Wraps a message so the kind's ref delivers it to one entity.</summary>
    object Envelope(string entityId, object message);
}

public static class EntityRouterExtensions
{
    public static void Tell(this IEntityRouter router, string kind, string entityId, object message, IActorRef? sender = null) =>
        router.RefFor(kind).Tell(router.Envelope(entityId, message), sender ?? ActorRefs.NoSender);

    public static Task<T> Ask<T>(this IEntityRouter router, string kind, string entityId, object message, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        router.RefFor(kind).Ask<T>(router.Envelope(entityId, message), timeout, cancellationToken);
}

/// <summary>Production routing: one shard region per kind, messages in ShardingEnvelopes.</summary>
public sealed class ShardingEntityRouter(IReadOnlyDictionary<string, IActorRef> regions) : IEntityRouter
{
    public IActorRef RefFor(string kind) =>
        regions.TryGetValue(kind, out var region) ? region : throw new InvalidOperationException($"no shard region for entity kind '{kind}'");

    public object Envelope(string entityId, object message) => new ShardingEnvelope(entityId, message);

    public IEnumerable<KeyValuePair<string, IActorRef>> Regions => regions;
}

/// <summary>
/// Shards by hash over a count fixed for the cluster's life. Every message travels in a
/// ShardingEnvelope, which the base class unwraps itself; nothing else is routable.
/// </summary>
public sealed class EntityMessageExtractor(int shardCount) : HashCodeMessageExtractor(shardCount)
{
    public override string? EntityId(object message) => null;
}

/// <summary>
/// Entities are given their services before the shard regions (or local parents) that route to
/// them exist: this router forwards to the real one once it is set.
/// </summary>
public sealed class DeferredEntityRouter : IEntityRouter
{
    public IEntityRouter? Inner { get; set; }

    public IActorRef RefFor(string kind) => Routed.RefFor(kind);

    public object Envelope(string entityId, object message) => Routed.Envelope(entityId, message);

    private IEntityRouter Routed => Inner ?? throw new InvalidOperationException("entity routing is not started yet");
}
