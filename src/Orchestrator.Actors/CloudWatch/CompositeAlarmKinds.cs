using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>
/// Composite alarms: one entity per name, its own read-model row. A composite follows its
/// children by reading their states itself, right after it is put and then every ten seconds of
/// simulated time: nothing to subscribe to that a restart or a shard hand-off could lose.
/// </summary>
public static class CompositeAlarmKinds
{
    public const string CompositeAlarm = "composite-alarm";

    private static readonly CompositeAlarmBehavior Behavior = new();

    public static EntityDefinition<CompositeAlarm, ICompositeAlarmCommand, ICompositeAlarmEvent> Definition() => new(
        CompositeAlarm,
        Behavior,
        state => [new IndexRow(CompositeAlarm, state.Config.AlarmName, state)],
        Effects: AlarmTransitions.OfCompositeAlarm,
        Gather: ReadChildren);

    /// <summary>Composites evaluate unasked, so they are remembered and restarted after a node dies.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(CompositeAlarm,
            id => Props.Create(() => new EntityActor<CompositeAlarm, ICompositeAlarmCommand, ICompositeAlarmEvent>(definition, id, services)), RememberEntities: true);
    }

    /// <summary>Each child entity is asked for its state; one that does not answer (or no longer exists) is left out.</summary>
    public static Gathering<ICompositeAlarmCommand>? ReadChildren(CompositeAlarm state, ICompositeAlarmCommand command, DecisionContext context)
    {
        if (command is not CompositeAlarmCommands.Tick)
            return null;
        var children = state.Config.Children;
        return new Gathering<ICompositeAlarmCommand>(
            [.. children.Select(c => new Outbound(c.IsComposite ? CompositeAlarm : AlarmKinds.MetricAlarm, c.Name, new EntityQueries.GetState()))],
            AlarmKinds.QueryTimeout,
            replies => new CompositeAlarmCommands.Evaluate(state.Config.AlarmName, context.Now, [.. replies.Select(r => (r as EntityReplies.Accepted)?.State switch
            {
                MetricAlarm m => new ChildState(m.Config.AlarmName, m.AlarmArn, m.StateValue, m.StateUpdatedTimestamp),
                Domain.CloudWatch.CompositeAlarm c => new ChildState(c.Config.AlarmName, c.AlarmArn, c.StateValue, c.StateUpdatedTimestamp),
                _ => null,
            }).OfType<ChildState>()]));
    }
}
