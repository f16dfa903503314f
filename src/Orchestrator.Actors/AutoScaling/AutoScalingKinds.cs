using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.AutoScaling.AutoScalingEvents;

namespace Orchestrator.Actors.AutoScaling;

/// <summary>
/// Auto Scaling groups: one entity per group (keyed by its name), remembered because it acts
/// unasked (its periodic health check), and a launcher per group that carries out its launches.
/// </summary>
public static class AutoScalingKinds
{
    public const string Group = "autoscaling-group";

    /// <summary>The group's launcher: a transient worker that calls EC2 and tells the group the outcome.</summary>
    public const string Launcher = "autoscaling-launcher";

    /// <summary>How long a sweep waits for its answers (simulated): an instance silent that long counts as gone.</summary>
    public static readonly TimeSpan SweepTimeout = TimeSpan.FromSeconds(5);

    private static readonly AutoScalingBehavior Behavior = new();

    public static EntityDefinition<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> Definition() => new(
        Group,
        Behavior,
        state => [new IndexRow(Group, state.Name, state)],
        Effects: Effects,
        Metrics: new EntityMetrics<AutoScalingGroup>(state => state.Collected.IsEmpty ? null : GroupMetrics.Period, SampleMetrics),
        Gather: SweepRound);

    /// <summary>The enabled group metrics, stamped with the start of the minute they describe.</summary>
    public static IEnumerable<MetricDatum> SampleMetrics(AutoScalingGroup state, DateTimeOffset now, RegionState region, object? memory)
    {
        var dimensions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("AutoScalingGroupName", state.Name)]);
        return state.Collected.Select(metric => new MetricDatum(GroupMetrics.Namespace, metric, dimensions, now - GroupMetrics.Period,
            GroupMetrics.Value(state, metric), "None", (int)GroupMetrics.Period.TotalSeconds));
    }

    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(Group, id => Props.Create(() => new EntityActor<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent>(definition, id, services)), RememberEntities: true);
        // A launcher holds nothing: a launch lost with it is asked again by the group's sweep, under the same instance id.
        yield return new EntityKind(Launcher, id => Props.Create(() => new GroupLauncher(services)), RememberEntities: false);
    }

    /// <summary>
    /// The periodic health check: each member's EC2 status (no answer: gone) and each target group's
    /// view of its targets (health for ELB checks, draining for terminations); the group decides on what came back.
    /// </summary>
    public static Gathering<IAutoScalingCommand>? SweepRound(AutoScalingGroup state, IAutoScalingCommand command, DecisionContext context)
    {
        if (command is not AutoScalingCommands.Sweep)
            return null;
        var instances = state.Instances.Where(i => i.LifecycleState != LifecycleStates.Standby).Select(i => i.InstanceId).ToList();
        // Target groups are asked for their health (ELB checks) and for the targets still draining.
        var groups = TargetGroupIds(state.TargetGroupArns).ToList();
        return new Gathering<IAutoScalingCommand>(
            [
                .. instances.Select(id => new Outbound(Ec2Kinds.Instance, id, new InstanceQueries.Status(id))),
                .. groups.Select(id => new Outbound(TargetGroupKinds.TargetGroup, id, new TargetGroupQueries.Routing(id))),
            ],
            SweepTimeout,
            replies =>
            {
                var seen = instances.Select((id, i) => Observe(id, replies[i])).ToImmutableArray();
                var members = instances.ToHashSet(StringComparer.Ordinal);
                var targets = replies.Skip(instances.Count).OfType<TargetGroupRouting>()
                    .SelectMany(r => r.Targets)
                    .Select(t => (Instance: t.InstanceId ?? t.Id, t.State))
                    .Where(t => members.Contains(t.Instance))
                    .Select(t => new TargetObservation(t.Instance, t.State))
                    .ToImmutableArray();
                return new AutoScalingCommands.RecordSweep(state.Name, seen, targets);
            });
    }

    private static InstanceObservation Observe(string instanceId, object? reply) => reply is InstanceStatusView status
        ? new InstanceObservation(instanceId, status.InstanceState.Name, Earliest(status.SystemStatus.ImpairedSince, status.InstanceStatus.ImpairedSince))
        : new InstanceObservation(instanceId, null);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>
    /// What the group's events ask of other entities: launches go to the launcher; an instance in
    /// service is registered with the group's target groups, one leaving service is deregistered and
    /// terminated once its targets have drained (the target groups' deregistration delay) and its
    /// terminate lifecycle hooks let it go.
    /// </summary>
    public static IEnumerable<Outbound> Effects(AutoScalingGroup? before, IAutoScalingEvent @event)
    {
        if (Behavior.Evolve(before, @event) is not { } after)
            return [];
        return @event switch
        {
            InstanceLaunching e => [Launch(after, e.Instance)],
            LaunchRetried e when after.Find(e.InstanceId) is { } instance => [Launch(after, instance)],
            InstanceInService e when !after.IsSuspended(ScalingProcesses.AddToLoadBalancer) => Targets(after.TargetGroupArns, after.Find(e.InstanceId)!, register: true),
            InstanceTerminating { Drain: true } e when after.Find(e.InstanceId) is { } instance => Targets(after.TargetGroupArns, instance, register: false),
            InstanceTerminating e when after.Find(e.InstanceId) is { } instance =>
                [.. Targets(after.TargetGroupArns, instance, register: false), Terminate(e.InstanceId)],
            InstanceDrained e => [Terminate(e.InstanceId)],
            TerminationRetried e => [Terminate(e.InstanceId)],
            LifecycleActionCompleted e when before?.Find(e.InstanceId) is { LifecycleState: LifecycleStates.TerminatingWait }
                && after.Find(e.InstanceId) is { LifecycleState: LifecycleStates.TerminatingProceed } => [Terminate(e.InstanceId)],
            InstanceStandby { InStandby: true } e when after.Find(e.InstanceId) is { } instance => Targets(after.TargetGroupArns, instance, register: false),
            TargetGroupsChanged e when before is not null => TargetGroupChanges(before, after),
            _ => [],
        };
    }

    private static Outbound Terminate(string instanceId) => new(Ec2Kinds.Instance, instanceId, new InstanceCommands.Terminate(instanceId));

    private static Outbound Launch(AutoScalingGroup group, GroupInstance instance) =>
        new(Launcher, group.Name, new LauncherMessages.Launch(group.Name, instance.InstanceId, instance.SubnetId,
            group.Settings.LaunchTemplate.LaunchTemplateId, group.Settings.LaunchTemplate.Version, group.LaunchTags()));

    private static IEnumerable<Outbound> TargetGroupChanges(AutoScalingGroup before, AutoScalingGroup after)
    {
        var inService = after.Instances.Where(i => i.LifecycleState == LifecycleStates.InService).ToList();
        var added = after.TargetGroupArns.Except(before.TargetGroupArns).ToList();
        var removed = before.TargetGroupArns.Except(after.TargetGroupArns).ToList();
        return inService.SelectMany(i => Targets(added, i, register: true).Concat(Targets(removed, i, register: false)));
    }

    private static IEnumerable<Outbound> Targets(IEnumerable<string> targetGroupArns, GroupInstance instance, bool register)
    {
        ImmutableArray<TargetRegistration> targets = [new TargetRegistration(instance.InstanceId, null, instance.AvailabilityZone, instance.InstanceId)];
        return TargetGroupIds(targetGroupArns).Select(id => new Outbound(TargetGroupKinds.TargetGroup, id, register
            ? new TargetGroupCommands.RegisterTargets(id, targets)
            : new TargetGroupCommands.DeregisterTargets(id, targets)));
    }

    private static IEnumerable<string> TargetGroupIds(IEnumerable<string> arns) =>
        arns.Select(arn => ElbArn.TryParse(arn, out var parsed) ? parsed.Id : null).OfType<string>();
}

/// <summary>What a group asks of its launcher.</summary>
public static class LauncherMessages
{
    /// <summary>Launch one instance under this id (a retry gets the same instance back).</summary>
    public sealed record Launch(string GroupName, string InstanceId, string SubnetId, string LaunchTemplateId, string LaunchTemplateVersion,
        ImmutableDictionary<string, string> Tags);
}

/// <summary>
/// Carries out a group's launches through EC2 without blocking the group: each outcome comes back
/// to the group as a command. Nothing is kept, so a crash loses at most a report the sweep recovers.
/// </summary>
internal sealed class GroupLauncher : ReceiveActor
{
    private sealed record Done(LauncherMessages.Launch Request, Result<LaunchResult> Result) : INoSerializationVerificationNeeded;

    public GroupLauncher(EntityServices services)
    {
        var ec2 = new Ec2Service(services);
        Receive<LauncherMessages.Launch>(launch =>
            ec2.Launch(new LaunchRequest(SubnetId: launch.SubnetId, LaunchTemplateId: launch.LaunchTemplateId, LaunchTemplateVersion: launch.LaunchTemplateVersion,
                    Tags: launch.Tags, InstanceId: launch.InstanceId))
                .PipeTo(Self, success: result => new Done(launch, result),
                    failure: error => new Done(launch, new AwsError("InternalFailure", error.GetBaseException().Message, 500))));
        Receive<Done>(done =>
        {
            var request = done.Request;
            IAutoScalingCommand report = done.Result is { IsError: false, Value.Instances: [var view, ..] }
                ? new AutoScalingCommands.LaunchSucceeded(request.GroupName, view.InstanceId, view.InstanceType,
                    view.Tags.GetValueOrDefault("aws:ec2launchtemplate:version") ?? request.LaunchTemplateVersion)
                : new AutoScalingCommands.LaunchFailed(request.GroupName, request.InstanceId, done.Result.Error?.Code ?? "InternalFailure",
                    done.Result.Error?.Message ?? "EC2 launched nothing");
            services.Router.Tell(AutoScalingKinds.Group, request.GroupName, report);
        });
    }
}
