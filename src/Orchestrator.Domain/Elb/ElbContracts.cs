using System.Collections.Immutable;

namespace Orchestrator.Domain.Elb;

public interface ITargetGroupCommand
{
    string EntityId { get; }
}

public interface ITargetGroupEvent;

public interface ILoadBalancerCommand
{
    string EntityId { get; }
}

public interface ILoadBalancerEvent;

/// <summary>What a load balancer tells the target groups its listeners and rules forward to.</summary>
public static partial class TargetGroupCommands
{
    /// <summary>
    /// The load balancer routes to this group (a default action or a rule forwards to it), with these
    /// zones enabled: targets elsewhere read unused (Target.NotInUse). Sent again when its zones change.
    /// </summary>
    public sealed record UseByLoadBalancer(string TargetGroupId, string LoadBalancerArn, ImmutableArray<string> EnabledZones) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    /// <summary>No listener or rule of the load balancer forwards to this group any more.</summary>
    public sealed record ReleaseByLoadBalancer(string TargetGroupId, string LoadBalancerArn) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }
}

/// <summary>
/// One registered target as routing sees it. State is the TargetHealth state (healthy, unhealthy, initial, draining, unused);
/// InstanceId is the instance that serves it (an IP target's owner; null for an IP no instance holds).
/// </summary>
public sealed record RoutableTarget(string Id, int Port, string? AvailabilityZone, string State, DateTimeOffset? HealthySince, string? InstanceId = null);

/// <summary>
/// Everything a load balancer needs to route to one target group: its targets with their health and
/// the group's routing attributes. Published by the group when a target's health changes, and
/// answered on request so a router that starts or moves can resynchronise.
/// </summary>
public sealed record TargetGroupRouting(
    string TargetGroupArn,
    string TargetGroupId,
    string Protocol,
    string Algorithm,
    int SlowStartSeconds,
    bool StickinessEnabled,
    string StickinessType,
    int StickinessDurationSeconds,
    string CrossZone,
    ImmutableArray<RoutableTarget> Targets);

/// <summary>Messages to a load balancer's router (the transient routing view, keyed by the load balancer id).</summary>
public static class LoadBalancerRouterMessages
{
    /// <summary>A target group's health or routing attributes changed.</summary>
    public sealed record TargetGroupChanged(string LoadBalancerId, TargetGroupRouting Routing);

    /// <summary>The load balancer's configuration (listeners, rules, zones, state) changed or it was deleted: read it again.</summary>
    public sealed record LoadBalancerChanged(string LoadBalancerId);
}

/// <summary>Questions a target group answers from its state without persisting anything.</summary>
public static class TargetGroupQueries
{
    /// <summary>Answered with a <see cref="TargetGroupRouting"/>, or nothing when the group does not exist.</summary>
    public sealed record Routing(string TargetGroupId);
}
