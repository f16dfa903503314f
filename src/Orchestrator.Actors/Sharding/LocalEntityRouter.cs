using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Orchestrator.Actors.Sharding;

/// <summary>
/// Test routing: each kind is a local parent that creates its entities as children on first
/// message and honours their Passivate as a shard would, buffering messages while one stops.
/// </summary>
public sealed class LocalEntityRouter : IEntityRouter
{
    private readonly Dictionary<string, IActorRef> _parents = [];

    public LocalEntityRouter(ActorSystem system, IEnumerable<EntityKind> kinds)
    {
        foreach (var kind in kinds)
            _parents[kind.Name] = system.ActorOf(Props.Create(() => new LocalShard(kind)), $"local-{kind.Name}");
    }

    public IActorRef RefFor(string kind) =>
        _parents.TryGetValue(kind, out var parent) ? parent : throw new InvalidOperationException($"no local entities of kind '{kind}'");

    public object Envelope(string entityId, object message) => new ShardingEnvelope(entityId, message);

    private sealed class LocalShard : ReceiveActor
    {
        private readonly EntityKind _kind;
        private readonly Dictionary<string, IActorRef> _live = [];
        private readonly Dictionary<IActorRef, string> _ids = [];
        private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _stopping = [];

        public LocalShard(EntityKind kind)
        {
            _kind = kind;
            Receive<ShardingEnvelope>(envelope => Deliver(envelope.EntityId, envelope.Message, Sender));
            Receive<Passivate>(passivate =>
            {
                if (!_ids.TryGetValue(Sender, out var id) || _stopping.ContainsKey(id))
                    return;
                _stopping[id] = [];
                Sender.Tell(passivate.StopMessage);
            });
            Receive<Terminated>(terminated =>
            {
                if (!_ids.Remove(terminated.ActorRef, out var id))
                    return;
                _live.Remove(id);
                if (_stopping.Remove(id, out var buffered))
                    foreach (var (message, sender) in buffered)
                        Deliver(id, message, sender);
            });
        }

        private void Deliver(string id, object message, IActorRef sender)
        {
            if (_stopping.TryGetValue(id, out var buffer))
            {
                buffer.Add((message, sender));
                return;
            }
            if (!_live.TryGetValue(id, out var entity))
            {
                entity = Context.ActorOf(_kind.PropsFor(id), Uri.EscapeDataString(id));
                Context.Watch(entity);
                _live[id] = entity;
                _ids[entity] = id;
            }
            entity.Tell(message, sender);
        }
    }
}
