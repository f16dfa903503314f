using System.Collections.Immutable;

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

    public sealed record ModifySubnetAttribute(string VpcId, string SubnetId, bool MapPublicIpOnLaunch) : IVpcCommand
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

    public sealed record SubnetAttributeModified(string SubnetId, bool MapPublicIpOnLaunch, DateTimeOffset At) : IVpcEvent;

    public sealed record PrivateIpAllocated(string SubnetId, string OwnerId, string PrivateIpAddress, DateTimeOffset At) : IVpcEvent;

    public sealed record PrivateIpReleased(string SubnetId, string OwnerId, string PrivateIpAddress, DateTimeOffset At) : IVpcEvent;

    public sealed record VpcDeleted(string VpcId, DateTimeOffset At) : IVpcEvent;
}
