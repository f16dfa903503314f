using Akka.Actor;

namespace Orchestrator.Actors.Clock;

/// <summary>
/// Deadlines in simulated time. A deadline is identified by its owner and a key: scheduling the
/// same key again replaces it. When due, the message is told to the target (for entities, their
/// shard region, so a due deadline wakes the entity wherever it lives).
/// </summary>
public interface ISimScheduler
{
    void Schedule(string owner, string key, DateTimeOffset at, IActorRef target, object message);

    void Cancel(string owner, string key);

    void CancelAll(string owner);
}
