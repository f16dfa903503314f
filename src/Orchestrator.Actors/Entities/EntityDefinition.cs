using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Entities;

/// <summary>A message an entity sends to another entity after persisting an event (at most once, like AWS's own eventual effects).</summary>
public sealed record Outbound(string Kind, string EntityId, object Message);

/// <summary>
/// Everything the generic entity shell needs to host one kind: its pure behaviour, the rows it
/// keeps in the read model, the command (if any) a region change means for it, the messages its
/// events send to other entities, the metrics it publishes while alive, and the answers it gives
/// to queries of its own (a health probe) from state without persisting anything. An entity whose
/// state evolves to null is gone: its events are deleted, so an id reused later starts afresh.
/// Remember answers queries that also update what the entity keeps only while it lives (the load
/// offered to an instance): never persisted, read back by later answers and by metrics.
/// Gather turns a command that needs answers from other entities (a health-check round) into a
/// <see cref="Gathering{TCommand}"/> instead of a decision.
/// </summary>
public sealed record EntityDefinition<TState, TCommand, TEvent>(
    string Kind,
    IEntityBehavior<TState, TCommand, TEvent> Behavior,
    Func<TState, IReadOnlyList<IndexRow>> Project,
    Func<RegionState, TState, TCommand?>? FollowRegion = null,
    Func<TState?, TEvent, IEnumerable<Outbound>>? Effects = null,
    EntityMetrics<TState>? Metrics = null,
    Func<TState?, object, DecisionContext, object?>? Answer = null,
    Func<TState, TCommand, DecisionContext, Gathering<TCommand>?>? Gather = null,
    Func<TState?, object, DecisionContext, object?, Remembered?>? Remember = null)
    where TState : class
    where TCommand : class
    where TEvent : class;

/// <summary>
/// Questions a decider cannot ask itself (Decide does no I/O): the shell sends the requests, waits
/// for their replies until Timeout of simulated time, and tells the entity the command Complete
/// makes of them (one reply per request, in order; null where none came in time). That command
/// is decided and persisted like any other.
/// </summary>
public sealed record Gathering<TCommand>(IReadOnlyList<Outbound> Requests, TimeSpan Timeout, Func<IReadOnlyList<object?>, TCommand> Complete)
    where TCommand : class;

/// <summary>A query's reply and the entity's volatile memory after it.</summary>
public sealed record Remembered(object Reply, object? Memory);

/// <summary>Metrics an entity publishes every Interval of simulated time while its state asks for it (with its volatile memory, if any).</summary>
public sealed record EntityMetrics<TState>(
    Func<TState, TimeSpan?> Interval,
    Func<TState, DateTimeOffset, RegionState, object?, IEnumerable<MetricDatum>> Sample)
    where TState : class;
