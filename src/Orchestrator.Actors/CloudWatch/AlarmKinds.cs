using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>Metric alarms: one entity per alarm name, its own read-model row (DescribeAlarms never wakes one).</summary>
public static class AlarmKinds
{
    public const string MetricAlarm = "metric-alarm";

    /// <summary>How long an evaluation waits (simulated time) for its series to answer; a series that does not answer counts as no data.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private static readonly MetricAlarmBehavior Behavior = new();

    public static EntityDefinition<MetricAlarm, IMetricAlarmCommand, IMetricAlarmEvent> Definition() => new(
        MetricAlarm,
        Behavior,
        state => [new IndexRow(MetricAlarm, state.Config.AlarmName, state)],
        Effects: (before, e) => [.. Actions(before, e), .. AlarmTransitions.OfMetricAlarm(before, e)],
        Gather: EvaluationRound);

    /// <summary>Alarms evaluate unasked, so they are remembered and restarted after a node dies.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(MetricAlarm,
            id => Props.Create(() => new EntityActor<MetricAlarm, IMetricAlarmCommand, IMetricAlarmEvent>(definition, id, services)), RememberEntities: true);
    }

    /// <summary>
    /// One evaluation: the series is asked for the last RangeFor(N) whole periods before now
    /// (aligned to the period), and each period's statistic becomes a slot; no answer, or no
    /// aggregate for a period, is a missing datapoint.
    /// </summary>
    public static Gathering<IMetricAlarmCommand>? EvaluationRound(MetricAlarm state, IMetricAlarmCommand command, DecisionContext context)
    {
        if (command is not MetricAlarmCommands.Tick)
            return null;
        var config = state.Config;
        if (config.Metrics is not null)
            return MetricMathRound.Gathering(config, context.Now);
        var seconds = context.Now.ToUnixTimeSeconds();
        var end = DateTimeOffset.FromUnixTimeSeconds(seconds - (seconds % config.Period));
        var slots = AlarmEvaluation.RangeFor(config.EvaluationPeriods);
        var start = end.AddSeconds(-(long)config.Period * slots);
        var statistic = Statistic.Parse(config.Statistic)!;
        return new Gathering<IMetricAlarmCommand>(
            [new Outbound(CloudWatchKinds.MetricSeries, config.Metric!.EntityId(), new MetricSeriesQueries.Statistics(start, end, config.Period, config.Unit))],
            QueryTimeout,
            replies =>
            {
                var periods = (replies[0] as PeriodAggregates)?.Periods ?? [];
                return new MetricAlarmCommands.Evaluate(config.AlarmName, context.Now, [.. Enumerable.Range(0, slots).Select(i =>
                {
                    var at = start.AddSeconds((long)config.Period * i);
                    return new AlarmSlot(at, periods.FirstOrDefault(p => p.Timestamp == at) is { } period ? statistic.Of(period.Aggregate) : null);
                })]);
            });
    }

    /// <summary>
    /// The actions a transition (or the Auto Scaling repeat) runs: EC2 actions reach the instance
    /// the alarm's InstanceId dimension names, policy ARNs their group's ExecutePolicy (with the
    /// breaching value, for step policies); anything else (SNS ...) is only recorded as delivered.
    /// </summary>
    public static IEnumerable<Outbound> Actions(MetricAlarm? before, IMetricAlarmEvent @event)
    {
        if (before is null)
            return [];
        var (actions, value) = @event switch
        {
            MetricAlarmEvents.StateChanged changed => (changed.Actions, changed.Value),
            MetricAlarmEvents.ActionsRepeated repeated => (repeated.Actions, repeated.Value),
            _ => (ImmutableArray<string>.Empty, (double?)null),
        };
        return actions.Select(arn => Action(before.Config, arn, value)).OfType<Outbound>().ToList();
    }

    private static Outbound? Action(MetricAlarmConfig config, string arn, double? value)
    {
        if (arn.StartsWith("arn:aws:automate:", StringComparison.Ordinal) && config.Metric is { } metric && metric.Dimensions.TryGetValue("InstanceId", out var instanceId))
        {
            IInstanceCommand? command = arn[(arn.LastIndexOf(':') + 1)..] switch
            {
                "stop" => new InstanceCommands.Stop(instanceId),
                "terminate" => new InstanceCommands.Terminate(instanceId),
                "reboot" => new InstanceCommands.Reboot(instanceId),
                // Recovery moves the instance to healthy hardware keeping its id, addresses and volumes: to the instance, a reboot.
                "recover" => new InstanceCommands.Reboot(instanceId),
                _ => null,
            };
            return command is null ? null : new Outbound(Ec2Kinds.Instance, instanceId, command);
        }
        return MetricAlarmBehavior.IsAutoScalingAction(arn) && PolicyOf(arn) is var (group, policy)
            ? new Outbound(AutoScalingKinds.Group, group, new AutoScalingCommands.ExecutePolicy(group, policy, true, value, config.Threshold))
            : null;
    }

    /// <summary>The group and policy names a scaling policy ARN ends with (…:autoScalingGroupName/g:policyName/p).</summary>
    public static (string Group, string Policy)? PolicyOf(string arn)
    {
        const string groupMarker = ":autoScalingGroupName/";
        const string policyMarker = ":policyName/";
        var g = arn.IndexOf(groupMarker, StringComparison.Ordinal);
        var p = arn.LastIndexOf(policyMarker, StringComparison.Ordinal);
        return g < 0 || p < g ? null : (arn[(g + groupMarker.Length)..p], arn[(p + policyMarker.Length)..]);
    }
}
