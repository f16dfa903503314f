using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Ec2;

public interface IInstanceCommand
{
    string EntityId { get; }
}

public interface IInstanceEvent
{
    DateTimeOffset At { get; }
}

/// <summary>The launch template a launch came from, with the version number it resolved to.</summary>
public sealed record LaunchTemplateReference(string LaunchTemplateId, string Version);

/// <summary>
/// Everything RunInstances decided before the instance exists: ids, placement, the private address the
/// subnet allocated and the public one if the subnet maps public addresses.
/// </summary>
public sealed record InstanceLaunchSpec(
    string InstanceId,
    string ReservationId,
    string ImageId,
    string InstanceType,
    string VpcId,
    string SubnetId,
    string AvailabilityZone,
    string PrivateIpAddress,
    string? PublicIpAddress,
    ImmutableArray<string> SecurityGroupIds,
    string? KeyName = null,
    ImmutableDictionary<string, string>? Tags = null,
    string? UserData = null,
    bool DetailedMonitoring = false,
    string? IamInstanceProfile = null,
    string? ClientToken = null,
    LaunchTemplateReference? LaunchTemplate = null,
    bool DisableApiTermination = false,
    bool DisableApiStop = false,
    string? NetworkInterfaceId = null,
    string? InstanceInitiatedShutdownBehavior = null,
    bool EbsOptimized = false,
    string? CpuCredits = null);

public static class InstanceCommands
{
    public sealed record Launch(InstanceLaunchSpec Spec) : IInstanceCommand
    {
        public string EntityId => Spec.InstanceId;
    }

    /// <summary>The public address is the new auto-assigned one, if the subnet maps public addresses: a stop loses the old one.</summary>
    public sealed record Start(string InstanceId, string? PublicIpAddress = null) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    public sealed record Stop(string InstanceId, bool Force = false) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    public sealed record Reboot(string InstanceId) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    public sealed record Terminate(string InstanceId) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>ModifyInstanceAttribute: the attributes given are changed, the others left alone.</summary>
    public sealed record ModifyAttribute(
        string InstanceId,
        string? InstanceType = null,
        bool? DisableApiTermination = null,
        bool? DisableApiStop = null,
        string? InstanceInitiatedShutdownBehavior = null,
        string? UserData = null,
        ImmutableArray<string>? SecurityGroupIds = null,
        bool? SourceDestCheck = null,
        bool? EbsOptimized = null) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>MonitorInstances (true) and UnmonitorInstances (false).</summary>
    public sealed record SetMonitoring(string InstanceId, bool Detailed) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>CreateTags and DeleteTags on this instance.</summary>
    public sealed record ChangeTags(
        string InstanceId,
        ImmutableDictionary<string, string> Set,
        ImmutableArray<string> Remove) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>ModifyInstanceCreditSpecification: standard or unlimited, for burstable types only.</summary>
    public sealed record SetCreditSpecification(string InstanceId, string CpuCredits) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>CreateTags on this instance: the shared tag rules (limits, aws: prefix) decide.</summary>
    public sealed record AddTags(string InstanceId, ImmutableDictionary<string, string> Tags) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>DeleteTags on this instance; a removal with a value only removes a tag holding that value.</summary>
    public sealed record RemoveTags(string InstanceId, ImmutableArray<TagRemoval> Tags) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>A fault injected into the application: how it answers health checks from now on.</summary>
    /// <remarks>ErrorRate (0..1) is the share of requests and health checks a Healthy or Slow application answers with 500.</remarks>
    public sealed record SetApplicationHealth(string InstanceId, ApplicationHealth Health, TimeSpan? SlowResponseLatency = null, double ErrorRate = 0) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>The status of a zone changed; the instance reacts only to its own zone.</summary>
    public sealed record ObserveZone(string InstanceId, AvailabilityZoneStatus Zone) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>Sent by the instance's own deadline when pending should become running.</summary>
    public sealed record CompleteBoot(string InstanceId) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>Sent by the instance's own deadline when stopping should become stopped.</summary>
    public sealed record CompleteStop(string InstanceId) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>Sent by the instance's own deadline when shutting-down should become terminated.</summary>
    public sealed record CompleteTermination(string InstanceId) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }

    /// <summary>Sent by the instance's own deadline when a terminated instance drops out of DescribeInstances.</summary>
    public sealed record Expire(string InstanceId) : IInstanceCommand
    {
        public string EntityId => InstanceId;
    }
}

public static class InstanceEvents
{
    public sealed record Launched(InstanceLaunchSpec Spec, DateTimeOffset At, DateTimeOffset BootCompletesAt) : IInstanceEvent;

    /// <summary>A stopped instance went back to pending; AfterPowerOutage marks the zone restarting it rather than a user.</summary>
    public sealed record Started(DateTimeOffset At, DateTimeOffset BootCompletesAt, string? PublicIpAddress, bool AfterPowerOutage) : IInstanceEvent;

    public sealed record BootCompleted(DateTimeOffset At) : IInstanceEvent;

    public sealed record StopInitiated(
        DateTimeOffset At,
        DateTimeOffset CompletesAt,
        StateReason Reason,
        string TransitionReason,
        bool ByPowerOutage) : IInstanceEvent;

    /// <summary>PublicIpReleased is false only for a power interruption, which the simulator treats as the host losing power, not a user stop.</summary>
    public sealed record StopCompleted(DateTimeOffset At, bool PublicIpReleased) : IInstanceEvent;

    public sealed record TerminationInitiated(DateTimeOffset At, DateTimeOffset CompletesAt, StateReason Reason, string TransitionReason) : IInstanceEvent;

    public sealed record TerminationCompleted(DateTimeOffset At, DateTimeOffset ExpiresAt) : IInstanceEvent;

    public sealed record Expired(DateTimeOffset At) : IInstanceEvent;

    public sealed record Rebooted(DateTimeOffset At, DateTimeOffset CompletesAt) : IInstanceEvent;

    /// <summary>Only the attributes that changed are set; the members after DisableApiStop came later, so older events lack them.</summary>
    public sealed record AttributesModified(
        DateTimeOffset At,
        string? InstanceType,
        bool? DisableApiTermination,
        bool? DisableApiStop,
        string? InstanceInitiatedShutdownBehavior = null,
        string? UserData = null,
        ImmutableArray<string>? SecurityGroupIds = null,
        bool? SourceDestCheck = null,
        bool? EbsOptimized = null) : IInstanceEvent;

    public sealed record CreditSpecificationChanged(DateTimeOffset At, string CpuCredits) : IInstanceEvent;

    public sealed record MonitoringChanged(DateTimeOffset At, bool Detailed) : IInstanceEvent;

    public sealed record TagsChanged(DateTimeOffset At, ImmutableDictionary<string, string> Set, ImmutableArray<string> Removed) : IInstanceEvent;

    public sealed record ApplicationHealthChanged(DateTimeOffset At, ApplicationHealth Health, TimeSpan SlowResponseLatency, double ErrorRate = 0) : IInstanceEvent;
}
