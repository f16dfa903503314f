using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Logs;

namespace Orchestrator.Actors.Logs;

/// <summary>
/// CloudWatch Logs: one entity per log group (keyed by its name) holding its streams and events.
/// The read model keeps a row per group and per stream (keyed group:stream) for the Describe calls;
/// event reads are answered by the one entity concerned, from state, at the simulated time of the read.
/// </summary>
public static class LogsKinds
{
    public const string LogGroup = "log-group";
    public const string LogStream = "log-stream";

    private static readonly LogGroupBehavior Behavior = new();

    public static EntityDefinition<LogGroup, ILogGroupCommand, ILogGroupEvent> Definition() => new(
        LogGroup,
        Behavior,
        state => [new IndexRow(LogGroup, state.Name, state.View()), .. state.Streams.Values.Select(s => new IndexRow(LogStream, StreamRowId(state.Name, s.Name), state.View(s)))],
        Answer: Read);

    public static string StreamRowId(string group, string stream) => $"{group}:{stream}";

    /// <summary>Groups keep no timers (retention is applied lazily), so nothing needs restarting after a node dies.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(LogGroup, id => Props.Create(() => new EntityActor<LogGroup, ILogGroupCommand, ILogGroupEvent>(definition, id, services)), RememberEntities: false);
    }

    private static object? Read(LogGroup? state, object query, DecisionContext context) => query switch
    {
        LogGroupQueries.GetEvents get => Reply(state is null ? LogsErrors.GroupNotFound() : LogReads.Get(state, get, context.Now)),
        LogGroupQueries.FilterEvents filter => Reply(state is null ? LogsErrors.GroupNotFound() : LogReads.Filter(state, filter, context.Now)),
        _ => null,
    };

    private static object Reply<T>(Result<T> result) => result.IsError ? new EntityReplies.Rejected(result.Error!) : result.Value!;
}

/// <summary>The manifests of everything CloudWatch Logs persists or sends between nodes.</summary>
public static class LogsMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("logs.group.command", typeof(LogGroupCommands));
        MessageRegistry.RegisterAll("logs.group.event", typeof(LogGroupEvents));
        MessageRegistry.RegisterAll("logs.group.query", typeof(LogGroupQueries));
        MessageRegistry.RegisterAll("logs.group", typeof(LogGroup), typeof(LogStream), typeof(LogEvent), typeof(RejectedEvents), typeof(InputLogEvent),
            typeof(LogGroupView), typeof(LogStreamView), typeof(EventsPage), typeof(OutputLogEvent), typeof(FilteredPage), typeof(FilteredLogEvent));
    }
}
