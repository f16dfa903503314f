using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>
/// What every alarm does besides its actions: it evaluates as soon as it is put (AWS evaluates a
/// new or updated alarm right away rather than a period later) by telling itself its tick, and
/// writes each state transition, with its reason, to /orchestrator/alarms in a stream named after it.
/// </summary>
public static class AlarmTransitions
{
    public static IEnumerable<Outbound> OfMetricAlarm(MetricAlarm? before, IMetricAlarmEvent @event) => @event switch
    {
        MetricAlarmEvents.Put put => [new Outbound(AlarmKinds.MetricAlarm, put.Config.AlarmName, new MetricAlarmCommands.Tick(put.Config.AlarmName))],
        MetricAlarmEvents.StateChanged changed when before is not null => [Line(before.AlarmArn, before.Config.AlarmName, changed.From, changed.To, changed.Reason)],
        _ => [],
    };

    public static IEnumerable<Outbound> OfCompositeAlarm(CompositeAlarm? before, ICompositeAlarmEvent @event) => @event switch
    {
        CompositeAlarmEvents.Put put => [new Outbound(CompositeAlarmKinds.CompositeAlarm, put.Config.AlarmName, new CompositeAlarmCommands.Tick(put.Config.AlarmName))],
        CompositeAlarmEvents.StateChanged changed when before is not null => [Line(before.AlarmArn, before.Config.AlarmName, changed.From, changed.To, changed.Reason)],
        _ => [],
    };

    /// <summary>The region and account come from the alarm's ARN (arn:aws:cloudwatch:region:account:alarm:name); streams may not hold ':' or '*'.</summary>
    private static Outbound Line(string alarmArn, string name, string from, string to, string reason)
    {
        var parts = alarmArn.Split(':', 6);
        var stream = name.Replace(':', '_').Replace('*', '_');
        return OrchestratorLogs.Line(parts[3], parts[4], OrchestratorLogs.Alarms, stream, $"{name}: {from} -> {to}: {reason}");
    }
}
