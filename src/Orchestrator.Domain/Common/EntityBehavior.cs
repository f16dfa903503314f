using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Common;

/// <summary>
/// What a decider may read besides its own state: the simulated time now and the region's live
/// status. Everything else (ids, addresses) arrives in the command, so Decide stays pure.
/// </summary>
public sealed record DecisionContext(DateTimeOffset Now, RegionStatus Region);

/// <summary>
/// A command the entity must receive at a simulated time (a boot finishing, a record expiring).
/// With Every set it recurs without the state changing (a health-check round): it falls due at
/// At and every Every after, and the shell arms the first occurrence later than now.
/// </summary>
public sealed record Deadline<TCommand>(string Key, DateTimeOffset At, TCommand Command, TimeSpan? Every = null)
{
    /// <summary>When the deadline next falls due after <paramref name="now"/> (a one-off deadline: At, even if past).</summary>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        if (Every is not { } every || At > now)
            return At;
        var elapsed = (now - At).Ticks / every.Ticks + 1;
        return At + TimeSpan.FromTicks(every.Ticks * elapsed);
    }
}

/// <summary>
/// The functional core of one entity kind: decide events from a command, evolve state from an
/// event, and name the deadlines the current state is waiting for. Actors only persist and schedule.
/// </summary>
public interface IEntityBehavior<TState, TCommand, TEvent>
    where TState : class
{
    Result<IReadOnlyList<TEvent>> Decide(TState? state, TCommand command, DecisionContext context);

    TState? Evolve(TState? state, TEvent @event);

    IEnumerable<Deadline<TCommand>> Deadlines(TState? state);
}

public static class Decisions
{
    public static Result<IReadOnlyList<TEvent>> None<TEvent>() => Result<IReadOnlyList<TEvent>>.Ok([]);

    public static Result<IReadOnlyList<TEvent>> Events<TEvent>(params TEvent[] events) => Result<IReadOnlyList<TEvent>>.Ok(events);
}
