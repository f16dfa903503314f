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

    public Cidr Block() => Cidr.Parse(CidrBlock).Value;

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
