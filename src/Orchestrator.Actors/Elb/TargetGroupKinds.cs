using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Vpc;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>Target groups: one entity per group (keyed by the 16-hex id of its ARN).</summary>
public static class TargetGroupKinds
{
    public const string TargetGroup = "target-group";

    private static readonly TargetGroupBehavior Behavior = new();

    public static EntityDefinition<TargetGroup, ITargetGroupCommand, ITargetGroupEvent> Definition() => new(
        TargetGroup,
        Behavior,
        state => [new IndexRow(TargetGroup, state.TargetGroupId, state.View())],
        Effects: (before, @event) => PublishRouting(before, @event).Concat(LogHealthChanges(before, @event)),
        Answer: (state, query, _) => query is TargetGroupQueries.Routing && state is not null ? state.Routing() : null,
        Gather: ProbeRound);

    /// <summary>Groups check their targets without being asked, so they are remembered and restarted after a node dies.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(TargetGroup, id => Props.Create(() => new EntityActor<TargetGroup, ITargetGroupCommand, ITargetGroupEvent>(definition, id, services)), RememberEntities: true);
    }

    /// <summary>
    /// One health-check round: a probe to each instance behind the targets checked now (once per
    /// instance, whatever ports it is registered on), answered within HealthCheckTimeoutSeconds of
    /// simulated time. An IP that no instance held at registration gets no probe and times out.
    /// Alongside, the VPC is asked whether the balancers' nodes reach each instance on its check port
    /// (security groups, network ACLs both ways): a probe the network drops times out, as in AWS.
    /// Without an answer in time the probe alone decides.
    /// </summary>
    public static Gathering<ITargetGroupCommand>? ProbeRound(TargetGroup state, ITargetGroupCommand command, DecisionContext context)
    {
        if (command is not TargetGroupCommands.ProbeTargets)
            return null;
        var targets = state.Probed.ToList();
        var instances = targets.Select(t => t.InstanceId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var settings = state.HealthCheck;
        ImmutableArray<ReachabilityQueries.InstancePort> paths = state.VpcId is null
            ? []
            : [.. targets.Where(t => t.InstanceId is not null && PortOf(settings, t.Port) > 0).Select(t => new ReachabilityQueries.InstancePort(t.InstanceId!, PortOf(settings, t.Port))).Distinct()];
        return new Gathering<ITargetGroupCommand>(
            [
                .. instances.Select(id => new Outbound(Ec2Kinds.Instance, id, new InstanceQueries.Probe(id))),
                .. paths.IsEmpty ? [] : new[] { new Outbound(ReachabilityKinds.Reachability, state.VpcId!, new ReachabilityQueries.HealthCheckPaths(state.VpcId!, [.. state.LoadBalancers.Keys], paths)) },
            ],
            settings.Timeout,
            replies =>
            {
                var answers = instances.Select((id, i) => (id, replies[i] as ProbeAnswer)).ToDictionary(a => a.id, a => a.Item2, StringComparer.Ordinal);
                var dropped = !paths.IsEmpty && replies[instances.Count] is ReachabilityQueries.PathVerdicts verdicts ? verdicts.Unreachable.ToHashSet() : [];
                return new TargetGroupCommands.RecordProbes(state.TargetGroupId,
                    [.. targets.Select(t => TargetHealth.Classify(t.Id, t.Port,
                        t.InstanceId is { } id ? Seen(answers[id], dropped.Contains(new ReachabilityQueries.InstancePort(id, PortOf(settings, t.Port)))) : null, settings))]);
            });
    }

    private static ProbeAnswer? Seen(ProbeAnswer? answer, bool dropped) => dropped ? TargetHealth.Unreachable(answer) : answer;

    private static int PortOf(HealthCheckSettings settings, int targetPort) =>
        int.TryParse(settings.PortFor(targetPort), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : -1;

    /// <summary>
    /// Every load balancer using the group hears of a change in what it routes by (a target's
    /// health, the routing attributes), and a load balancer that starts using it gets the whole view.
    /// </summary>
    public static IEnumerable<Outbound> PublishRouting(TargetGroup? before, ITargetGroupEvent @event)
    {
        if (Behavior.Evolve(before, @event) is not { } after || after.LoadBalancers.IsEmpty)
            return [];
        var routing = after.Routing();
        if (@event is not TargetGroupEvents.LoadBalancerAttached && before is not null && SameRouting(before.Routing(), routing))
            return [];
        return after.LoadBalancers.Keys
            .Select(arn => ElbArn.TryParse(arn, out var parsed) ? parsed.Id : null)
            .OfType<string>()
            .Select(id => new Outbound(ElbKinds.Router, id, new LoadBalancerRouterMessages.TargetGroupChanged(id, routing)));
    }

    /// <summary>Each change of a target's health state becomes a line in /orchestrator/elb, in a stream named after the group.</summary>
    public static IEnumerable<Outbound> LogHealthChanges(TargetGroup? before, ITargetGroupEvent @event)
    {
        if (@event is not TargetGroupEvents.ProbesRecorded || before is null || Behavior.Evolve(before, @event) is not { } after
            || !ElbArn.TryParse(after.TargetGroupArn, out var arn))
            return [];
        return after.Targets
            .Select(t => (t.Id, Was: before.Find(t.Key) is { } old ? before.HealthOf(old).State : null, Now: after.HealthOf(t).State))
            .Where(change => change.Was is not null && change.Was != change.Now)
            .Select(change => OrchestratorLogs.Line(arn.Region, arn.AccountId, OrchestratorLogs.Elb, after.TargetGroupName,
                $"{change.Id} in tg {after.TargetGroupName}: {change.Was} -> {change.Now}"))
            .ToList();
    }

    private static bool SameRouting(TargetGroupRouting a, TargetGroupRouting b) =>
        a with { Targets = [] } == b with { Targets = [] } && a.Targets.SequenceEqual(b.Targets);
}

public static class TargetGroupMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("elbv2.target-group.command", typeof(TargetGroupCommands));
        MessageRegistry.RegisterAll("elbv2.target-group.event", typeof(TargetGroupEvents));
        MessageRegistry.RegisterAll("elbv2.target-group.query", typeof(TargetGroupQueries));
        MessageRegistry.RegisterAll("elbv2.target-group", typeof(TargetGroupView), typeof(TargetGroupRouting), typeof(RoutableTarget),
            typeof(TargetGroup), typeof(HealthCheckSettings), typeof(HealthCheckRequest), typeof(TargetKey), typeof(RegisteredTarget),
            typeof(TargetHealthRecord), typeof(TargetProbe), typeof(TargetRegistration));
    }
}
