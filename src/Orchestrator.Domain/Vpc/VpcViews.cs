using System.Collections.Immutable;

namespace Orchestrator.Domain.Vpc;

/// <summary>What DescribeVpcs returns for one VPC. The simulator creates VPCs ready, so the state is always "available".</summary>
public sealed record VpcView(
    string VpcId,
    string CidrBlock,
    string State,
    bool IsDefault,
    string InstanceTenancy,
    ImmutableDictionary<string, string> Tags)
{
    public const string Available = "available";

    public static VpcView From(VpcState vpc) => new(vpc.VpcId, vpc.CidrBlock, Available, vpc.IsDefault, vpc.InstanceTenancy, vpc.Tags);
}

/// <summary>What DescribeSubnets returns for one subnet.</summary>
public sealed record SubnetView(
    string SubnetId,
    string VpcId,
    string CidrBlock,
    string State,
    string AvailabilityZone,
    string AvailabilityZoneId,
    long AvailableIpAddressCount,
    bool DefaultForAz,
    bool MapPublicIpOnLaunch,
    ImmutableDictionary<string, string> Tags)
{
    public static SubnetView From(VpcState vpc, Subnet subnet) =>
        new(subnet.SubnetId, vpc.VpcId, subnet.CidrBlock, VpcView.Available, subnet.AvailabilityZone, subnet.AvailabilityZoneId,
            subnet.AvailableIpAddressCount(), subnet.DefaultForAz, subnet.MapPublicIpOnLaunch, subnet.Tags);

    public static ImmutableArray<SubnetView> AllOf(VpcState vpc) => [.. vpc.Subnets.Select(subnet => From(vpc, subnet))];
}
