using System.Collections.Immutable;

namespace Orchestrator.Domain.Ec2;

/// <summary>
/// One EC2 instance. Times are absolute sim timestamps: LaunchTime is the latest start, as AWS reports it;
/// TransitionCompletesAt is when the current pending, stopping or shutting-down phase ends.
/// </summary>
public sealed record Instance(
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
    string? KeyName,
    ImmutableDictionary<string, string> Tags,
    string? UserData,
    bool DetailedMonitoring,
    string? IamInstanceProfile,
    string? ClientToken,
    LaunchTemplateReference? LaunchTemplate,
    bool DisableApiTermination,
    bool DisableApiStop,
    InstanceStateName State,
    DateTimeOffset LaunchTime,
    string StateTransitionReason,
    StateReason? StateReason,
    DateTimeOffset? TransitionCompletesAt,
    DateTimeOffset? RunningSince,
    DateTimeOffset? RebootCompletesAt,
    DateTimeOffset? ExpiresAt,
    bool StoppedByPowerOutage,
    ApplicationHealth ApplicationHealth,
    TimeSpan SlowResponseLatency,
    BillingMeter Billing,
    string? NetworkInterfaceId = null,
    string InstanceInitiatedShutdownBehavior = ShutdownBehaviors.Stop,
    bool SourceDestCheck = true,
    bool EbsOptimized = false,
    string? CpuCredits = null,
    double ErrorRate = 0)
{
    public static Instance Launched(InstanceLaunchSpec spec, DateTimeOffset at, DateTimeOffset bootCompletesAt) =>
        new(spec.InstanceId, spec.ReservationId, spec.ImageId, spec.InstanceType, spec.VpcId, spec.SubnetId, spec.AvailabilityZone,
            spec.PrivateIpAddress, spec.PublicIpAddress, spec.SecurityGroupIds.IsDefault ? [] : spec.SecurityGroupIds, spec.KeyName,
            spec.Tags ?? ImmutableDictionary<string, string>.Empty, spec.UserData, spec.DetailedMonitoring, spec.IamInstanceProfile,
            spec.ClientToken, spec.LaunchTemplate, spec.DisableApiTermination, spec.DisableApiStop,
            InstanceStateName.Pending, at, "", StateReason.Pending, bootCompletesAt, RunningSince: null, RebootCompletesAt: null,
            ExpiresAt: null, StoppedByPowerOutage: false, ApplicationHealth.Healthy, InstanceTimings.SlowResponse, BillingMeter.Idle,
            spec.NetworkInterfaceId, spec.InstanceInitiatedShutdownBehavior ?? ShutdownBehaviors.Stop, SourceDestCheck: true, spec.EbsOptimized,
            spec.CpuCredits);

    /// <summary>Instances launched before interfaces were recorded get an id derived from their own, stable across recoveries.</summary>
    public string PrimaryNetworkInterfaceId() => NetworkInterfaceId ?? NetworkInterfaces.DerivedId(InstanceId);

    /// <summary>The credit option in force: the one set, else the family's default; null for types that do not burst.</summary>
    public string? EffectiveCpuCredits() => CpuCredits ?? CreditSpecifications.DefaultFor(InstanceType);

    public bool IsRebooting(DateTimeOffset now) => State == InstanceStateName.Running && RebootCompletesAt > now;

    public long BilledSeconds(DateTimeOffset now) => Billing.BilledSeconds(now);

    public decimal CostUsd(DateTimeOffset now) => Billing.CostUsd(now);
}

/// <summary>An item of StartInstances, StopInstances and TerminateInstances results.</summary>
public sealed record InstanceStateChange(string InstanceId, InstanceStateView CurrentState, InstanceStateView PreviousState)
{
    public static InstanceStateChange Between(Instance before, Instance after) =>
        new(after.InstanceId, InstanceStateView.Of(after.State), InstanceStateView.Of(before.State));
}
