using System.Collections.Immutable;

namespace Orchestrator.Domain.Elb;

/// <summary>A target as RegisterTargets names it, with what the service resolved: the zone and, for an IP, the instance holding it.</summary>
public sealed record TargetRegistration(string Id, int? Port = null, string? AvailabilityZone = null, string? InstanceId = null);

/// <summary>
/// Facts that span resources (the name is free, the VPC exists, the instances run in it) are
/// resolved by the service from the read model before a command is sent.
/// </summary>
public static partial class TargetGroupCommands
{
    public sealed record Create(
        string TargetGroupId,
        string TargetGroupArn,
        string Name,
        string? Protocol,
        string? ProtocolVersion,
        int? Port,
        string? VpcId,
        string TargetType,
        string IpAddressType,
        HealthCheckRequest HealthCheck,
        ImmutableDictionary<string, string>? Tags = null) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    public sealed record ModifyHealthCheck(string TargetGroupId, HealthCheckRequest HealthCheck) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    public sealed record ModifyAttributes(string TargetGroupId, ImmutableDictionary<string, string> Attributes) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    public sealed record RegisterTargets(string TargetGroupId, ImmutableArray<TargetRegistration> Targets) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    /// <summary>Targets named without a port are deregistered on every port they are registered on.</summary>
    public sealed record DeregisterTargets(string TargetGroupId, ImmutableArray<TargetRegistration> Targets) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    /// <summary>The health-check round, due every HealthCheckIntervalSeconds: the shell gathers the probes and answers with <see cref="RecordProbes"/>.</summary>
    public sealed record ProbeTargets(string TargetGroupId) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    /// <summary>The results of one round of probes.</summary>
    public sealed record RecordProbes(string TargetGroupId, ImmutableArray<TargetProbe> Probes) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    /// <summary>Due when the first draining target's deregistration delay ends.</summary>
    public sealed record FinishDraining(string TargetGroupId) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    public sealed record AddTags(string TargetGroupId, ImmutableDictionary<string, string> Tags) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    public sealed record RemoveTags(string TargetGroupId, ImmutableArray<string> Keys) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }

    public sealed record Delete(string TargetGroupId) : ITargetGroupCommand
    {
        public string EntityId => TargetGroupId;
    }
}

public static class TargetGroupEvents
{
    public sealed record Created(
        string TargetGroupId,
        string TargetGroupArn,
        string Name,
        string? Protocol,
        string? ProtocolVersion,
        int? Port,
        string? VpcId,
        string TargetType,
        string IpAddressType,
        HealthCheckSettings HealthCheck,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset At) : ITargetGroupEvent;

    public sealed record HealthCheckModified(HealthCheckSettings HealthCheck, DateTimeOffset At) : ITargetGroupEvent;

    /// <summary>The attributes set on the group after the change (defaults are not stored).</summary>
    public sealed record AttributesModified(ImmutableDictionary<string, string> Attributes, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record TargetsRegistered(ImmutableArray<RegisteredTarget> Targets, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record TargetsDeregistered(ImmutableArray<TargetKey> Targets, DateTimeOffset DrainingUntil, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record TargetsRemoved(ImmutableArray<TargetKey> Targets, DateTimeOffset At) : ITargetGroupEvent;

    /// <summary>Only the targets whose record changed: a round in which nothing changed records nothing.</summary>
    public sealed record ProbesRecorded(ImmutableArray<RegisteredTarget> Targets, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record LoadBalancerAttached(string LoadBalancerArn, ImmutableArray<string> EnabledZones, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record LoadBalancerReleased(string LoadBalancerArn, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : ITargetGroupEvent;

    public sealed record Deleted(DateTimeOffset At) : ITargetGroupEvent;
}
