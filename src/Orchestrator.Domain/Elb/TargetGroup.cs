using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Domain.Elb;

/// <summary>A registration names a target by id (instance id, IP address, Lambda ARN) and port: one instance may be registered on several ports.</summary>
public sealed record TargetKey(string Id, int Port);

/// <summary>
/// One registered target. InstanceId is whom the probes go to: the instance itself, or for an IP
/// target the instance holding that address when it was registered (none: probes time out).
/// </summary>
public sealed record RegisteredTarget(
    string Id,
    int Port,
    string? AvailabilityZone,
    string? InstanceId,
    TargetHealthRecord Health,
    DateTimeOffset? DrainingUntil = null)
{
    public TargetKey Key => new(Id, Port);

    public bool IsDraining => DrainingUntil is not null;
}

/// <summary>
/// A target group: its settings, its targets with what the health checks have established, and
/// the load balancers that route to it (with their enabled zones). Attributes holds only what was
/// set; <see cref="TargetGroupAttributes"/> supplies the defaults.
/// </summary>
public sealed record TargetGroup(
    string TargetGroupId,
    string TargetGroupArn,
    string TargetGroupName,
    string? Protocol,
    string? ProtocolVersion,
    int? Port,
    string? VpcId,
    string TargetType,
    string IpAddressType,
    HealthCheckSettings HealthCheck,
    ImmutableDictionary<string, string> Attributes,
    ImmutableDictionary<string, string> Tags,
    ImmutableList<RegisteredTarget> Targets,
    ImmutableSortedDictionary<string, ImmutableArray<string>> LoadBalancers,
    DateTimeOffset CreatedAt)
{
    public const int MaxTargets = 1000;
    public const int MaxNameLength = 32;

    public RegisteredTarget? Find(TargetKey key) => Targets.Find(t => t.Id == key.Id && t.Port == key.Port);

    public string Attribute(string key) => TargetGroupAttributes.Value(Protocol, TargetType, Attributes, key);

    public TimeSpan DeregistrationDelay => TimeSpan.FromSeconds(int.Parse(Attribute(TargetGroupAttributes.DeregistrationDelay), CultureInfo.InvariantCulture));

    /// <summary>Targets the health checks go to: registered and not draining, while a load balancer uses the group.</summary>
    public IEnumerable<RegisteredTarget> Probed =>
        HealthCheck.Enabled && !LoadBalancers.IsEmpty ? Targets.Where(t => !t.IsDraining) : [];

    /// <summary>
    /// The TargetHealth of a target: draining wins, then whatever keeps it from receiving traffic
    /// (no load balancer, its zone not enabled, a stopped instance), then what the probes established.
    /// </summary>
    public TargetHealthView HealthOf(RegisteredTarget target)
    {
        if (target.IsDraining)
            return TargetHealthView.Draining;
        if (LoadBalancers.IsEmpty)
            return TargetHealthView.NotInUse;
        if (target.AvailabilityZone is { } zone && zone != "all" && !LoadBalancers.Values.Any(zones => zones.IsDefaultOrEmpty || zones.Contains(zone)))
            return TargetHealthView.ZoneNotEnabled;
        if (!HealthCheck.Enabled)
            return TargetHealthView.HealthCheckDisabled;
        var health = target.Health;
        if (health.InvalidState is { } state)
            return new(TargetHealthStates.Unused, TargetHealth.InvalidStateReason, $"Target is in the {state} state");
        return health.State switch
        {
            TargetProbeState.Healthy => TargetHealthView.Healthy,
            TargetProbeState.Unhealthy => new(TargetHealthStates.Unhealthy, health.Reason, health.Description),
            _ => new(TargetHealthStates.Initial, health.Reason ?? "Elb.RegistrationInProgress", health.Description ?? "Target registration is in progress"),
        };
    }

    /// <summary>What load balancers route by: every target's health and the routing attributes.</summary>
    public TargetGroupRouting Routing() => new(
        TargetGroupArn, TargetGroupId, Protocol ?? "", Attribute(TargetGroupAttributes.Algorithm) is { Length: > 0 } algorithm ? algorithm : "round_robin",
        int.TryParse(Attribute(TargetGroupAttributes.SlowStart), CultureInfo.InvariantCulture, out var slowStart) ? slowStart : 0,
        Attribute(TargetGroupAttributes.StickinessEnabled) == "true",
        Attribute(TargetGroupAttributes.StickinessType),
        int.TryParse(Attribute(Attribute(TargetGroupAttributes.StickinessType) == "app_cookie" ? TargetGroupAttributes.AppCookieDuration : TargetGroupAttributes.LbCookieDuration), CultureInfo.InvariantCulture, out var duration) ? duration : 0,
        Attribute(TargetGroupAttributes.CrossZone),
        [.. Targets.Select(t => new RoutableTarget(t.Id, t.Port, t.AvailabilityZone, HealthOf(t).State, t.Health.HealthySince, t.InstanceId))]);

    public TargetGroupView View() => new(
        TargetGroupArn, TargetGroupId, TargetGroupName, Protocol, ProtocolVersion, Port, VpcId, TargetType, IpAddressType,
        HealthCheck.Enabled, HealthCheck.Protocol, HealthCheck.Port, HealthCheck.Path, HealthCheck.IntervalSeconds, HealthCheck.TimeoutSeconds,
        HealthCheck.HealthyThresholdCount, HealthCheck.UnhealthyThresholdCount, HealthCheck.MatcherHttpCode, HealthCheck.MatcherGrpcCode,
        [.. LoadBalancers.Keys], Tags);
}
