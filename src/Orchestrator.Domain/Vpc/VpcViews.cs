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

/// <summary>What DescribeRouteTables returns for one table (route states are worked out when described, from the targets' state).</summary>
public sealed record RouteTableView(
    string RouteTableId,
    string VpcId,
    ImmutableList<Route> Routes,
    ImmutableList<RouteTableAssociation> Associations,
    ImmutableDictionary<string, string> Tags)
{
    public static ImmutableArray<RouteTableView> AllOf(VpcState vpc) =>
        [.. vpc.RouteTables.Select(t => new RouteTableView(t.RouteTableId, vpc.VpcId, t.Routes, t.Associations, t.Tags))];
}

/// <summary>What DescribeNetworkAcls returns for one ACL.</summary>
public sealed record NetworkAclView(
    string NetworkAclId,
    string VpcId,
    bool IsDefault,
    ImmutableList<NetworkAclEntry> Entries,
    ImmutableList<NetworkAclAssociation> Associations,
    ImmutableDictionary<string, string> Tags)
{
    public static ImmutableArray<NetworkAclView> AllOf(VpcState vpc) =>
        [.. vpc.NetworkAcls.Select(a => new NetworkAclView(a.NetworkAclId, vpc.VpcId, a.IsDefault, a.Entries, a.Associations, a.Tags))];
}
