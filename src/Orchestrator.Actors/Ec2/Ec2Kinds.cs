using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>The entity kinds of EC2 and VPC, and the read-model kinds they project.</summary>
public static class Ec2Kinds
{
    public const string Instance = "instance";
    public const string Vpc = "vpc";
    public const string Subnet = "subnet";
    public const string RouteTable = "route-table";
    public const string NetworkAcl = "network-acl";
    public const string LaunchTemplate = "launch-template";

    public static EntityDefinition<Instance, IInstanceCommand, IInstanceEvent> InstanceDefinition(string region) => new(
        Instance,
        new InstanceBehavior(),
        state => [new IndexRow(Instance, state.InstanceId, InstanceView.From(state, region))],
        FollowRegion: (regionState, state) => regionState.Status.Zone(state.AvailabilityZone) is { } zone
            ? new InstanceCommands.ObserveZone(state.InstanceId, zone)
            : null,
        Effects: ReleaseAddressWhenTerminated,
        Metrics: new EntityMetrics<Instance>(InstanceMetrics.Interval, InstanceMetrics.Sample),
        Answer: InstanceQueries.Answer,
        Remember: InstanceQueries.Remember);

    public static EntityDefinition<VpcState, IVpcCommand, IVpcEvent> VpcDefinition() => new(
        Vpc,
        new VpcBehavior(),
        state =>
        [
            new IndexRow(Vpc, state.VpcId, VpcView.From(state)),
            .. SubnetView.AllOf(state).Select(s => new IndexRow(Subnet, s.SubnetId, s)),
            .. RouteTableView.AllOf(state).Select(t => new IndexRow(RouteTable, t.RouteTableId, t)),
            .. NetworkAclView.AllOf(state).Select(a => new IndexRow(NetworkAcl, a.NetworkAclId, a)),
        ]);

    public static EntityDefinition<LaunchTemplate, ILaunchTemplateCommand, ILaunchTemplateEvent> LaunchTemplateDefinition() => new(
        LaunchTemplate,
        new LaunchTemplateBehavior(),
        state => [new IndexRow(LaunchTemplate, state.LaunchTemplateId, LaunchTemplateView.From(state))]);

    public static IEnumerable<EntityKind> All(EntityServices services, string region)
    {
        var instance = InstanceDefinition(region);
        var vpc = VpcDefinition();
        var template = LaunchTemplateDefinition();
        // Instances are the simulated machines: they run (boot, publish metrics, follow their zone)
        // without being asked, so they are remembered and restarted after a node dies.
        yield return new EntityKind(Instance, id => Props.Create(() => new EntityActor<Instance, IInstanceCommand, IInstanceEvent>(instance, id, services)), RememberEntities: true);
        yield return new EntityKind(Vpc, id => Props.Create(() => new EntityActor<VpcState, IVpcCommand, IVpcEvent>(vpc, id, services)), RememberEntities: false);
        yield return new EntityKind(LaunchTemplate, id => Props.Create(() => new EntityActor<LaunchTemplate, ILaunchTemplateCommand, ILaunchTemplateEvent>(template, id, services)), RememberEntities: false);
        foreach (var kind in NetworkKinds.All(services).Concat(SecurityGroupKinds.All(services)))
            yield return kind;
    }

    /// <summary>A terminated instance gives its private address back to its subnet, as AWS does.</summary>
    private static IEnumerable<Outbound> ReleaseAddressWhenTerminated(Instance? before, IInstanceEvent @event) =>
        @event is InstanceEvents.TerminationCompleted && before is not null
            ? [new Outbound(Vpc, before.VpcId, new VpcCommands.ReleasePrivateIp(before.VpcId, before.SubnetId, before.InstanceId))]
            : [];
}

/// <summary>
/// AWS/EC2 metrics of one instance, on the cadence of <see cref="InstanceMonitoring"/>: CPU from the
/// load its load balancers offer it (idle without), network from those requests (about 1 kB in and
/// 10 kB out each: our choice). Sampled at the end of each period and stamped with its start, as
/// AWS stamps a period. An instance of an Auto Scaling group (its aws:autoscaling:groupName tag)
/// also publishes CPU and network under the group's AutoScalingGroupName dimension: CloudWatch
/// aggregates those points, so the group's series holds the average over its running instances.
/// </summary>
public static class InstanceMetrics
{
    private const double BytesInPerRequest = 1_000;
    private const double BytesOutPerRequest = 10_000;
    private const string GroupTag = "aws:autoscaling:groupName";

    public static TimeSpan? Interval(Instance state) => InstanceMonitoring.PublishingPeriod(state);

    public static IEnumerable<MetricDatum> Sample(Instance state, DateTimeOffset now, RegionState region, object? memory)
    {
        var offered = state.State == InstanceStateName.Running ? (memory as OfferedLoad)?.PerSecond(now) ?? 0 : 0;
        var period = InstanceMonitoring.Period(state).TotalSeconds;
        var dimensions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("InstanceId", state.InstanceId)]);
        var resolution = (int)InstanceMonitoring.Period(state).TotalSeconds;
        var statusFailed = InstanceStatusChecks.Summarize(state, region.Status.Zone(state.AvailabilityZone), now).InstanceStatus.Status == "impaired" ? 1 : 0;
        var stamp = now.AddSeconds(-period);
        MetricDatum Datum(string name, double value, string unit) => new("AWS/EC2", name, dimensions, stamp, value, unit, resolution);
        var usage = new[]
        {
            Datum("CPUUtilization", InstanceWorkload.CpuPercent(state.InstanceType, offered), "Percent"),
            Datum("NetworkIn", offered * period * BytesInPerRequest, "Bytes"),
            Datum("NetworkOut", offered * period * BytesOutPerRequest, "Bytes"),
        };
        foreach (var datum in usage)
            yield return datum;
        if (state.Tags.TryGetValue(GroupTag, out var group))
        {
            var byGroup = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("AutoScalingGroupName", group)]);
            foreach (var datum in usage)
                yield return datum with { Dimensions = byGroup };
        }
        yield return Datum("StatusCheckFailed", statusFailed, "Count");
        yield return Datum("StatusCheckFailed_Instance", statusFailed, "Count");
        yield return Datum("StatusCheckFailed_System", 0, "Count");
    }
}
