using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

/// <summary>A command for one VPC entity; subnets live inside their VPC, so subnet commands name the VPC too.</summary>
public interface IVpcCommand
{
    string EntityId { get; }
}

public interface IVpcEvent
{
    DateTimeOffset At { get; }
}

public static class VpcCommands
{
    public sealed record CreateVpc(
        string VpcId,
        string CidrBlock,
        bool IsDefault = false,
        string InstanceTenancy = VpcState.DefaultTenancy,
        ImmutableDictionary<string, string>? Tags = null) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>Either zone field may be given; with neither, the zone holding the fewest of this VPC's subnets is taken, as AWS picks one.</summary>
    public sealed record CreateSubnet(
        string VpcId,
        string SubnetId,
        string CidrBlock,
        string? AvailabilityZone = null,
        string? AvailabilityZoneId = null,
        bool DefaultForAz = false,
        bool MapPublicIpOnLaunch = false,
        ImmutableDictionary<string, string>? Tags = null) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DeleteSubnet(string VpcId, string SubnetId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>One subnet attribute by its ModifySubnetAttribute member name (see <see cref="SubnetAttributes"/>), with its value as text.</summary>
    public sealed record ModifySubnetAttribute(string VpcId, string SubnetId, string Attribute, string Value) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>One VPC attribute by its DescribeVpcAttribute name (see <see cref="VpcAttributes"/>).</summary>
    public sealed record ModifyVpcAttribute(string VpcId, string Attribute, bool Value) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>CreateTags on the VPC or anything inside it (subnet, route table, network ACL).</summary>
    public sealed record TagResource(string VpcId, string ResourceId, ImmutableDictionary<string, string> Tags) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record UntagResource(string VpcId, string ResourceId, ImmutableArray<TagRemoval> Tags) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record CreateRouteTable(string VpcId, string RouteTableId, ImmutableDictionary<string, string>? Tags = null) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DeleteRouteTable(string VpcId, string RouteTableId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>The target comes resolved by the service layer, which knows which VPC a gateway belongs to.</summary>
    public sealed record CreateRoute(string VpcId, string RouteTableId, string DestinationCidrBlock, ResolvedRouteTarget Target) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record ReplaceRoute(string VpcId, string RouteTableId, string DestinationCidrBlock, ResolvedRouteTarget Target) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DeleteRoute(string VpcId, string RouteTableId, string DestinationCidrBlock) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record AssociateRouteTable(string VpcId, string RouteTableId, string SubnetId, string AssociationId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DisassociateRouteTable(string VpcId, string AssociationId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>Moves an association (a subnet's, or the main one) to another table under a new association id.</summary>
    public sealed record ReplaceRouteTableAssociation(string VpcId, string AssociationId, string RouteTableId, string NewAssociationId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record CreateNetworkAcl(string VpcId, string NetworkAclId, ImmutableDictionary<string, string>? Tags = null) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DeleteNetworkAcl(string VpcId, string NetworkAclId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record CreateNetworkAclEntry(string VpcId, string NetworkAclId, NetworkAclEntryRequest Entry) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record ReplaceNetworkAclEntry(string VpcId, string NetworkAclId, NetworkAclEntryRequest Entry) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DeleteNetworkAclEntry(string VpcId, string NetworkAclId, int RuleNumber, bool Egress) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>Moves a subnet's ACL association to another ACL under a new association id.</summary>
    public sealed record ReplaceNetworkAclAssociation(string VpcId, string AssociationId, string NetworkAclId, string NewAssociationId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>
    /// Gives the owner (an instance or network interface id) one private address: the requested one,
    /// or the lowest free usable one. Idempotent per owner, so a retried launch gets the same address.
    /// </summary>
    public sealed record AllocatePrivateIp(string VpcId, string SubnetId, string OwnerId, string? RequestedIp = null) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    /// <summary>Releasing an address the owner does not hold is a no-op, so cleanup after a terminate can be retried.</summary>
    public sealed record ReleasePrivateIp(string VpcId, string SubnetId, string OwnerId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }

    public sealed record DeleteVpc(string VpcId) : IVpcCommand
    {
        public string EntityId => VpcId;
    }
}

public static class VpcEvents
{
    public sealed record VpcCreated(
        string VpcId,
        string CidrBlock,
        bool IsDefault,
        string InstanceTenancy,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset At) : IVpcEvent;

    public sealed record SubnetCreated(
        string SubnetId,
        string CidrBlock,
        string AvailabilityZone,
        string AvailabilityZoneId,
        bool DefaultForAz,
        bool MapPublicIpOnLaunch,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset At) : IVpcEvent;

    public sealed record SubnetDeleted(string SubnetId, DateTimeOffset At) : IVpcEvent;

    /// <summary>Written by builds before SubnetAttributeChanged; kept so their journals replay.</summary>
    public sealed record SubnetAttributeModified(string SubnetId, bool MapPublicIpOnLaunch, DateTimeOffset At) : IVpcEvent;

    public sealed record SubnetAttributeChanged(string SubnetId, string Attribute, string Value, DateTimeOffset At) : IVpcEvent;

    public sealed record VpcAttributeChanged(string Attribute, bool Value, DateTimeOffset At) : IVpcEvent;

    /// <summary>The whole tag set of one resource after CreateTags or DeleteTags.</summary>
    public sealed record ResourceTagsChanged(string ResourceId, ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IVpcEvent;

    public sealed record RouteTableCreated(string RouteTableId, ImmutableList<Route> Routes, ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IVpcEvent;

    public sealed record RouteTableDeleted(string RouteTableId, DateTimeOffset At) : IVpcEvent;

    /// <summary>A new route, or a replaced one (same destination, new target).</summary>
    public sealed record RouteSet(string RouteTableId, Route Route, DateTimeOffset At) : IVpcEvent;

    public sealed record RouteDeleted(string RouteTableId, string DestinationCidrBlock, DateTimeOffset At) : IVpcEvent;

    public sealed record RouteTableAssociated(string RouteTableId, RouteTableAssociation Association, DateTimeOffset At) : IVpcEvent;

    public sealed record RouteTableDisassociated(string RouteTableId, string AssociationId, DateTimeOffset At) : IVpcEvent;

    public sealed record NetworkAclCreated(string NetworkAclId, bool IsDefault, ImmutableList<NetworkAclEntry> Entries, ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IVpcEvent;

    public sealed record NetworkAclDeleted(string NetworkAclId, DateTimeOffset At) : IVpcEvent;

    /// <summary>A new entry, or a replaced one (same number and direction).</summary>
    public sealed record NetworkAclEntrySet(string NetworkAclId, NetworkAclEntry Entry, DateTimeOffset At) : IVpcEvent;

    public sealed record NetworkAclEntryDeleted(string NetworkAclId, int RuleNumber, bool Egress, DateTimeOffset At) : IVpcEvent;

    public sealed record NetworkAclAssociated(string NetworkAclId, NetworkAclAssociation Association, DateTimeOffset At) : IVpcEvent;

    public sealed record NetworkAclDisassociated(string NetworkAclId, string AssociationId, DateTimeOffset At) : IVpcEvent;

    public sealed record PrivateIpAllocated(string SubnetId, string OwnerId, string PrivateIpAddress, DateTimeOffset At) : IVpcEvent;

    public sealed record PrivateIpReleased(string SubnetId, string OwnerId, string PrivateIpAddress, DateTimeOffset At) : IVpcEvent;

    public sealed record VpcDeleted(string VpcId, DateTimeOffset At) : IVpcEvent;
}
