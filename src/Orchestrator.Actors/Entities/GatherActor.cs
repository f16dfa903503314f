using Akka.Actor;
using Orchestrator.Actors.Clock;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Entities;

/// <summary>
/// A short-lived child of an entity that carries out one <see cref="Gathering{TCommand}"/>: it asks
/// every request, collects the replies until all are in or its simulated-time deadline fires, then
/// tells the entity the completed command and stops. Replies that come later are dropped.
/// </summary>
internal sealed class GatherActor<TCommand> : ReceiveActor
    where TCommand : class
{
    /// <summary>The reply to request Index (null: the ask failed). Local only: never crosses a node.</summary>
    private sealed record Replied(int Index, object? Reply) : INoSerializationVerificationNeeded;

    /// <summary>Told by the simulated scheduler when the gathering's timeout falls due.</summary>
    public sealed record TimedOut : INoSerializationVerificationNeeded;

    private readonly Gathering<TCommand> _gathering;
    private readonly IEntityRouter _router;
    private readonly ISimScheduler _scheduler;
    private readonly string _owner;
    private readonly IActorRef _entity;
    private readonly object?[] _replies;
    private readonly CancellationTokenSource _pending = new();
    private int _outstanding;

    public GatherActor(Gathering<TCommand> gathering, IEntityRouter router, ISimScheduler scheduler, string owner, IActorRef entity)
    {
        (_gathering, _router, _scheduler, _owner, _entity) = (gathering, router, scheduler, owner, entity);
        _replies = new object?[gathering.Requests.Count];
        _outstanding = gathering.Requests.Count;
        Receive<Replied>(replied =>
        {
            _replies[replied.Index] = replied.Reply;
            if (--_outstanding == 0)
                Complete();
        });
        Receive<TimedOut>(_ => Complete());
    }

    /// <summary>The simulated-time key the parent arms the timeout under, before this actor even starts.</summary>
    public const string TimeoutKey = "timeout";

    protected override void PreStart()
    {
        if (_outstanding == 0)
        {
            Complete();
            return;
        }
        var self = Self;
        for (var i = 0; i < _gathering.Requests.Count; i++)
        {
            var index = i;
            var request = _gathering.Requests[i];
            // No wall-clock timeout: the simulated deadline ends the gathering, and cancels the asks still pending.
            _router.RefFor(request.Kind).Ask<object>(_router.Envelope(request.EntityId, request.Message), _pending.Token)
                .ContinueWith(
                    asked =>
                    {
                        if (!asked.IsCanceled) // cancelled once the gathering is over: nobody is listening
                            self.Tell(new Replied(index, asked.IsCompletedSuccessfully ? asked.Result : null));
                    },
                    TaskScheduler.Default);
        }
    }

    private void Complete()
    {
        _entity.Tell(_gathering.Complete(_replies), ActorRefs.NoSender);
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _scheduler.Cancel(_owner, TimeoutKey);
        _pending.Cancel();
        _pending.Dispose();
        base.PostStop();
    }
}
