using Orchestrator.Actors.ReadModel;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Entities;

/// <summary>
/// Everything the generic entity shell needs to host one kind: its pure behaviour, the rows it
/// keeps in the read model, the command (if any) a region change means for it, and when it is
/// finished (then it passivates and is no longer remembered).
/// </summary>
public sealed record EntityDefinition<TState, TCommand, TEvent>(
    string Kind,
    IEntityBehavior<TState, TCommand, TEvent> Behavior,
    Func<TState, IReadOnlyList<IndexRow>> Project,
    Func<RegionState, TState, TCommand?>? FollowRegion = null,
    Func<TState, bool>? IsFinished = null)
    where TState : class
    where TCommand : class
    where TEvent : class;
