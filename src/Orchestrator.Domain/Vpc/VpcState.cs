using System.Collections.Immutable;

namespace Orchestrator.Domain.Vpc;

/// <summary>One VPC with its subnets. CIDRs are stored canonical, as strings, so the persisted JSON reads like the API.</summary>
public sealed record VpcState(
    string VpcId,
    string CidrBlock,
    bool IsDefault,
    string InstanceTenancy,
    ImmutableDictionary<string, string> Tags,
    ImmutableList<Subnet> Subnets,
    DateTimeOffset CreatedAt)
{
    public const string DefaultTenancy = "default";
    public const string DedicatedTenancy = "dedicated";

    /// <summary>Route tables and network ACLs were added after the first journals: VPCs recovered from those have none.</summary>
    public ImmutableList<RouteTable> RouteTables { get; init; } = [];

    public ImmutableList<NetworkAcl> NetworkAcls { get; init; } = [];

    public bool EnableDnsSupport { get; init; } = true;

    /// <summary>Off for a new VPC, on for the default VPC, as AWS creates them.</summary>
    public bool EnableDnsHostnames { get; init; }

    public bool EnableNetworkAddressUsageMetrics { get; init; }

    public Cidr Block() => Cidr.Parse(CidrBlock).Value;

    public RouteTable? FindRouteTable(string routeTableId) => RouteTables.Find(t => t.RouteTableId == routeTableId);

    public RouteTable? MainRouteTable() => RouteTables.Find(t => t.IsMain);

    public RouteTable? RouteTableWithAssociation(string associationId) => RouteTables.Find(t => t.Associations.Exists(a => a.AssociationId == associationId));

    /// <summary>The table a subnet uses: its explicit association, otherwise the main table.</summary>
    public RouteTable? RouteTableOf(string subnetId) =>
        RouteTables.Find(t => t.Associations.Exists(a => a.SubnetId == subnetId)) ?? MainRouteTable();

    public NetworkAcl? FindNetworkAcl(string networkAclId) => NetworkAcls.Find(a => a.NetworkAclId == networkAclId);

    public NetworkAcl? DefaultNetworkAcl() => NetworkAcls.Find(a => a.IsDefault);

    public NetworkAcl? NetworkAclWithAssociation(string associationId) => NetworkAcls.Find(a => a.Associations.Exists(x => x.AssociationId == associationId));

    public NetworkAcl? NetworkAclOf(string subnetId) => NetworkAcls.Find(a => a.Associations.Exists(x => x.SubnetId == subnetId));

    public Subnet? FindSubnet(string subnetId) => Subnets.Find(s => s.SubnetId == subnetId);

    /// <summary>Where RunInstances without a subnet lands in this zone (only the default VPC has such subnets).</summary>
    public Subnet? DefaultSubnetFor(string availabilityZone) =>
        Subnets.Find(s => s.DefaultForAz && s.AvailabilityZone == availabilityZone);
}

/// <summary>
/// A subnet and the private addresses handed out in it, keyed by address with the owner as value.
/// Addresses of stopped instances stay allocated, as in AWS.
/// </summary>
public sealed record Subnet(
    string SubnetId,
    string CidrBlock,
    string AvailabilityZone,
    string AvailabilityZoneId,
    bool DefaultForAz,
    bool MapPublicIpOnLaunch,
    ImmutableDictionary<string, string> Tags,
    ImmutableDictionary<string, string> AllocatedAddresses,
    DateTimeOffset CreatedAt)
{
    public bool AssignIpv6AddressOnCreation { get; init; }

    public bool MapCustomerOwnedIpOnLaunch { get; init; }

    public bool EnableDns64 { get; init; }

    /// <summary>ip-name or resource-name: how instances launched here are named.</summary>
    public string PrivateDnsHostnameTypeOnLaunch { get; init; } = SubnetAttributes.IpName;

    public bool EnableResourceNameDnsARecordOnLaunch { get; init; }

    public bool EnableResourceNameDnsAaaaRecordOnLaunch { get; init; }

    public Cidr Block() => Cidr.Parse(CidrBlock).Value;

    public long AvailableIpAddressCount() => Block().UsableAddressCount - AllocatedAddresses.Count;

    public string? AddressOf(string ownerId)
    {
        foreach (var (address, owner) in AllocatedAddresses)
            if (owner == ownerId)
                return address;
        return null;
    }
}

/// <summary>The VPC attributes of ModifyVpcAttribute and DescribeVpcAttribute, by their DescribeVpcAttribute names.</summary>
public static class VpcAttributes
{
    public const string EnableDnsSupport = "enableDnsSupport";
    public const string EnableDnsHostnames = "enableDnsHostnames";
    public const string EnableNetworkAddressUsageMetrics = "enableNetworkAddressUsageMetrics";

    public static readonly IReadOnlyList<string> All = [EnableDnsSupport, EnableDnsHostnames, EnableNetworkAddressUsageMetrics];

    public static bool ValueOf(VpcState vpc, string attribute) => attribute switch
    {
        EnableDnsSupport => vpc.EnableDnsSupport,
        EnableDnsHostnames => vpc.EnableDnsHostnames,
        EnableNetworkAddressUsageMetrics => vpc.EnableNetworkAddressUsageMetrics,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "unknown VPC attribute"),
    };

    public static VpcState With(VpcState vpc, string attribute, bool value) => attribute switch
    {
        EnableDnsSupport => vpc with { EnableDnsSupport = value },
        EnableDnsHostnames => vpc with { EnableDnsHostnames = value },
        EnableNetworkAddressUsageMetrics => vpc with { EnableNetworkAddressUsageMetrics = value },
        _ => vpc,
    };
}

/// <summary>The subnet attributes of ModifySubnetAttribute, by their request member names.</summary>
public static class SubnetAttributes
{
    public const string MapPublicIpOnLaunch = "MapPublicIpOnLaunch";
    public const string AssignIpv6AddressOnCreation = "AssignIpv6AddressOnCreation";
    public const string MapCustomerOwnedIpOnLaunch = "MapCustomerOwnedIpOnLaunch";
    public const string EnableDns64 = "EnableDns64";
    public const string PrivateDnsHostnameTypeOnLaunch = "PrivateDnsHostnameTypeOnLaunch";
    public const string EnableResourceNameDnsARecordOnLaunch = "EnableResourceNameDnsARecordOnLaunch";
    public const string EnableResourceNameDnsAaaaRecordOnLaunch = "EnableResourceNameDnsAAAARecordOnLaunch";

    public const string IpName = "ip-name";
    public const string ResourceName = "resource-name";

    public static readonly IReadOnlyList<string> All =
    [
        MapPublicIpOnLaunch, AssignIpv6AddressOnCreation, MapCustomerOwnedIpOnLaunch, EnableDns64, PrivateDnsHostnameTypeOnLaunch,
        EnableResourceNameDnsARecordOnLaunch, EnableResourceNameDnsAaaaRecordOnLaunch,
    ];

    /// <summary>The subnet with the attribute set, or null when the value is not one the attribute takes.</summary>
    public static Subnet? With(Subnet subnet, string attribute, string value)
    {
        if (attribute == PrivateDnsHostnameTypeOnLaunch)
            return value is IpName or ResourceName ? subnet with { PrivateDnsHostnameTypeOnLaunch = value } : null;
        if (!bool.TryParse(value, out var flag))
            return null;
        return attribute switch
        {
            MapPublicIpOnLaunch => subnet with { MapPublicIpOnLaunch = flag },
            AssignIpv6AddressOnCreation => subnet with { AssignIpv6AddressOnCreation = flag },
            MapCustomerOwnedIpOnLaunch => subnet with { MapCustomerOwnedIpOnLaunch = flag },
            EnableDns64 => subnet with { EnableDns64 = flag },
            EnableResourceNameDnsARecordOnLaunch => subnet with { EnableResourceNameDnsARecordOnLaunch = flag },
            EnableResourceNameDnsAaaaRecordOnLaunch => subnet with { EnableResourceNameDnsAaaaRecordOnLaunch = flag },
            _ => null,
        };
    }
}
