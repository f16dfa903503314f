using System.Collections.Immutable;

namespace Orchestrator.Domain.Ec2;

/// <summary>One instance as DescribeInstances returns it. A terminated instance has lost its network interface, so its addresses, DNS names, subnet and VPC read empty.</summary>
public sealed record InstanceView(
    string InstanceId,
    string ReservationId,
    string ImageId,
    InstanceStateView State,
    string InstanceType,
    DateTimeOffset LaunchTime,
    string AvailabilityZone,
    string Tenancy,
    string PrivateDnsName,
    string? PrivateIpAddress,
    string PublicDnsName,
    string? PublicIpAddress,
    string? SubnetId,
    string? VpcId,
    ImmutableArray<string> SecurityGroupIds,
    string? KeyName,
    string MonitoringState,
    string StateTransitionReason,
    StateReason? StateReason,
    string Architecture,
    string RootDeviceType,
    string RootDeviceName,
    string VirtualizationType,
    string? Platform,
    string PlatformDetails,
    string? IamInstanceProfile,
    string? ClientToken,
    LaunchTemplateReference? LaunchTemplate,
    bool DisableApiTermination,
    bool DisableApiStop,
    ImmutableDictionary<string, string> Tags,
    string NetworkInterfaceId = "",
    string InstanceInitiatedShutdownBehavior = ShutdownBehaviors.Stop,
    bool SourceDestCheck = true,
    bool EbsOptimized = false,
    string? CpuCredits = null,
    string? UserData = null)
{
    public static InstanceView From(Instance instance, string region)
    {
        var image = AmiCatalogue.Resolve(instance.ImageId, strict: false).Value;
        var terminated = instance.State == InstanceStateName.Terminated;
        var privateIp = terminated ? null : instance.PrivateIpAddress;
        var publicIp = terminated ? null : instance.PublicIpAddress;
        return new InstanceView(
            instance.InstanceId,
            instance.ReservationId,
            instance.ImageId,
            InstanceStateView.Of(instance.State),
            instance.InstanceType,
            instance.LaunchTime,
            instance.AvailabilityZone,
            "default",
            privateIp is null ? "" : PrivateDnsNameFor(privateIp, region),
            privateIp,
            publicIp is null ? "" : PublicDnsNameFor(publicIp, region),
            publicIp,
            terminated ? null : instance.SubnetId,
            terminated ? null : instance.VpcId,
            instance.SecurityGroupIds,
            instance.KeyName,
            instance.DetailedMonitoring ? "enabled" : "disabled",
            instance.StateTransitionReason,
            instance.StateReason,
            image.Architecture,
            image.RootDeviceType,
            image.RootDeviceName,
            image.VirtualizationType,
            image.Platform,
            image.PlatformDetails,
            instance.IamInstanceProfile,
            instance.ClientToken,
            instance.LaunchTemplate,
            instance.DisableApiTermination,
            instance.DisableApiStop,
            instance.Tags,
            instance.PrimaryNetworkInterfaceId(),
            instance.InstanceInitiatedShutdownBehavior,
            instance.SourceDestCheck,
            instance.EbsOptimized,
            instance.EffectiveCpuCredits(),
            instance.UserData);
    }

    /// <summary>us-east-1 kept its historic domains: ec2.internal and compute-1.</summary>
    public static string PrivateDnsNameFor(string privateIp, string region) =>
        region == "us-east-1" ? $"ip-{Dashed(privateIp)}.ec2.internal" : $"ip-{Dashed(privateIp)}.{region}.compute.internal";

    public static string PublicDnsNameFor(string publicIp, string region) =>
        region == "us-east-1" ? $"ec2-{Dashed(publicIp)}.compute-1.amazonaws.com" : $"ec2-{Dashed(publicIp)}.{region}.compute.amazonaws.com";

    private static string Dashed(string ip) => ip.Replace('.', '-');
}
