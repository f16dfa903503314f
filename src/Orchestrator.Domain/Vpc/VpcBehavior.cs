using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Vpc.VpcCommands;
using static Orchestrator.Domain.Vpc.VpcEvents;

namespace Orchestrator.Domain.Vpc;

/// <summary>The AWS rules of a VPC and its subnets: CIDR sizes and containment, zones, and private address allocation.</summary>
public sealed class VpcBehavior : IEntityBehavior<VpcState, IVpcCommand, IVpcEvent>
{
    /// <summary>Both VPC and subnet blocks must be between /16 and /28.</summary>
    public const int LargestPrefixLength = 16;
    public const int SmallestPrefixLength = 28;

    private static readonly Cidr LinkLocal = Cidr.Parse("169.254.0.0/16").Value;

    public Result<IReadOnlyList<IVpcEvent>> Decide(VpcState? state, IVpcCommand command, DecisionContext context) =>
        (state, command) switch
        {
            (null, CreateVpc create) => Create(create, context.Now),
            (not null, CreateVpc) => Decisions.None<IVpcEvent>(), // ids are generated once, so a repeat is a retry
            (null, _) => VpcErrors.VpcNotFound(command.EntityId),
            ({ } vpc, CreateSubnet create) => AddSubnet(vpc, create, context),
            ({ } vpc, DeleteSubnet delete) => RemoveSubnet(vpc, delete, context.Now),
            ({ } vpc, ModifySubnetAttribute modify) => ModifySubnet(vpc, modify, context.Now),
            ({ } vpc, AllocatePrivateIp allocate) => Allocate(vpc, allocate, context.Now),
            ({ } vpc, ReleasePrivateIp release) => Release(vpc, release, context.Now),
            ({ } vpc, DeleteVpc delete) => vpc.Subnets.IsEmpty
                ? Decisions.Events<IVpcEvent>(new VpcDeleted(delete.VpcId, context.Now))
                : VpcErrors.VpcHasDependencies(delete.VpcId),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown VPC command"),
        };

    public VpcState? Evolve(VpcState? state, IVpcEvent @event) =>
        @event switch
        {
            VpcCreated e => new VpcState(e.VpcId, e.CidrBlock, e.IsDefault, e.InstanceTenancy, e.Tags, [], e.At),
            VpcDeleted => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before VpcCreated"),
            SubnetCreated e => state with
            {
                Subnets = state.Subnets.Add(new Subnet(
                    e.SubnetId, e.CidrBlock, e.AvailabilityZone, e.AvailabilityZoneId, e.DefaultForAz, e.MapPublicIpOnLaunch, e.Tags,
                    ImmutableDictionary<string, string>.Empty, e.At)),
            },
            SubnetDeleted e => state with { Subnets = state.Subnets.RemoveAll(s => s.SubnetId == e.SubnetId) },
            SubnetAttributeModified e => WithSubnet(state, e.SubnetId, s => s with { MapPublicIpOnLaunch = e.MapPublicIpOnLaunch }),
            PrivateIpAllocated e => WithSubnet(state, e.SubnetId, s => s with { AllocatedAddresses = s.AllocatedAddresses.SetItem(e.PrivateIpAddress, e.OwnerId) }),
            PrivateIpReleased e => WithSubnet(state, e.SubnetId, s => s with { AllocatedAddresses = s.AllocatedAddresses.Remove(e.PrivateIpAddress) }),
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown VPC event"),
        };

    /// <summary>A VPC waits for nothing: every change is immediate.</summary>
    public IEnumerable<Deadline<IVpcCommand>> Deadlines(VpcState? state) => [];

    private static Result<IReadOnlyList<IVpcEvent>> Create(CreateVpc create, DateTimeOffset now)
    {
        if (!Cidr.TryParse(create.CidrBlock, out var cidr))
            return VpcErrors.InvalidCidrBlock(create.CidrBlock);
        if (!IsAllowedSize(cidr) || cidr.Overlaps(LinkLocal))
            return VpcErrors.VpcRange(cidr.ToString());
        if (create.InstanceTenancy is not (VpcState.DefaultTenancy or VpcState.DedicatedTenancy))
            return VpcErrors.InvalidInstanceTenancy(create.InstanceTenancy);
        return Decisions.Events<IVpcEvent>(new VpcCreated(
            create.VpcId, cidr.ToString(), create.IsDefault, create.InstanceTenancy, create.Tags ?? ImmutableDictionary<string, string>.Empty, now));
    }

    private static Result<IReadOnlyList<IVpcEvent>> AddSubnet(VpcState vpc, CreateSubnet create, DecisionContext context)
    {
        if (vpc.FindSubnet(create.SubnetId) is not null)
            return Decisions.None<IVpcEvent>();
        if (!Cidr.TryParse(create.CidrBlock, out var cidr))
            return VpcErrors.InvalidCidrBlock(create.CidrBlock);
        if (!IsAllowedSize(cidr) || !vpc.Block().Contains(cidr))
            return VpcErrors.SubnetRange(cidr.ToString());
        if (vpc.Subnets.Exists(s => s.Block().Overlaps(cidr)))
            return VpcErrors.SubnetConflict(cidr.ToString());
        return ResolveZone(vpc, create, context.Region).Map<IReadOnlyList<IVpcEvent>>(zone =>
        [
            new SubnetCreated(
                create.SubnetId, cidr.ToString(), zone.Name, zone.ZoneId, create.DefaultForAz, create.MapPublicIpOnLaunch,
                create.Tags ?? ImmutableDictionary<string, string>.Empty, context.Now),
        ]);
    }

    private static Result<AvailabilityZoneStatus> ResolveZone(VpcState vpc, CreateSubnet create, RegionStatus region)
    {
        if (create.AvailabilityZone is { } name)
        {
            if (region.Zone(name) is not { } zone)
                return VpcErrors.InvalidAvailabilityZone(name, region.Zones.Select(z => z.Name));
            if (create.AvailabilityZoneId is { } id && id != zone.ZoneId)
                return VpcErrors.ZoneAndZoneIdDisagree(name, id);
            return zone;
        }
        if (create.AvailabilityZoneId is { } zoneId)
        {
            foreach (var zone in region.Zones)
                if (zone.ZoneId == zoneId)
                    return zone;
            return VpcErrors.InvalidAvailabilityZoneId(zoneId, region.Zones.Select(z => z.ZoneId));
        }
        if (region.Zones.IsEmpty)
            throw new InvalidOperationException($"region {region.Region} has no availability zones");
        return region.Zones.MinBy(zone => vpc.Subnets.Count(s => s.AvailabilityZone == zone.Name))!;
    }

    private static Result<IReadOnlyList<IVpcEvent>> RemoveSubnet(VpcState vpc, DeleteSubnet delete, DateTimeOffset now) =>
        vpc.FindSubnet(delete.SubnetId) switch
        {
            null => VpcErrors.SubnetNotFound(delete.SubnetId),
            { AllocatedAddresses.IsEmpty: false } => VpcErrors.SubnetHasDependencies(delete.SubnetId),
            _ => Decisions.Events<IVpcEvent>(new SubnetDeleted(delete.SubnetId, now)),
        };

    private static Result<IReadOnlyList<IVpcEvent>> ModifySubnet(VpcState vpc, ModifySubnetAttribute modify, DateTimeOffset now) =>
        vpc.FindSubnet(modify.SubnetId) switch
        {
            null => VpcErrors.SubnetNotFound(modify.SubnetId),
            { } subnet when subnet.MapPublicIpOnLaunch == modify.MapPublicIpOnLaunch => Decisions.None<IVpcEvent>(),
            _ => Decisions.Events<IVpcEvent>(new SubnetAttributeModified(modify.SubnetId, modify.MapPublicIpOnLaunch, now)),
        };

    private static Result<IReadOnlyList<IVpcEvent>> Allocate(VpcState vpc, AllocatePrivateIp allocate, DateTimeOffset now)
    {
        if (vpc.FindSubnet(allocate.SubnetId) is not { } subnet)
            return VpcErrors.SubnetNotFound(allocate.SubnetId);
        if (subnet.AddressOf(allocate.OwnerId) is { } held)
            return allocate.RequestedIp is null || allocate.RequestedIp == held
                ? Decisions.None<IVpcEvent>()
                : VpcErrors.AddressInUse(held);
        return ChooseAddress(subnet, allocate.RequestedIp).Map<IReadOnlyList<IVpcEvent>>(address =>
            [new PrivateIpAllocated(subnet.SubnetId, allocate.OwnerId, address, now)]);
    }

    private static Result<string> ChooseAddress(Subnet subnet, string? requested)
    {
        var cidr = subnet.Block();
        if (requested is not null)
        {
            if (!Ipv4.TryParse(requested, out var address))
                return VpcErrors.InvalidPrivateIpAddress(requested);
            var canonical = Ipv4.Format(address);
            if (!cidr.Contains(address))
                return VpcErrors.AddressOutsideSubnet(canonical);
            if (cidr.IsReservedInSubnet(address))
                return VpcErrors.AddressReserved(canonical);
            return subnet.AllocatedAddresses.ContainsKey(canonical) ? VpcErrors.AddressInUse(canonical) : canonical;
        }
        if (subnet.AllocatedAddresses.Count < cidr.UsableAddressCount)
        {
            for (var address = cidr.FirstUsable; address <= cidr.LastUsable; address++)
            {
                var candidate = Ipv4.Format(address);
                if (!subnet.AllocatedAddresses.ContainsKey(candidate))
                    return candidate;
            }
        }
        return VpcErrors.InsufficientFreeAddresses(subnet.SubnetId);
    }

    private static Result<IReadOnlyList<IVpcEvent>> Release(VpcState vpc, ReleasePrivateIp release, DateTimeOffset now)
    {
        if (vpc.FindSubnet(release.SubnetId) is not { } subnet)
            return VpcErrors.SubnetNotFound(release.SubnetId);
        return subnet.AddressOf(release.OwnerId) is { } address
            ? Decisions.Events<IVpcEvent>(new PrivateIpReleased(subnet.SubnetId, release.OwnerId, address, now))
            : Decisions.None<IVpcEvent>();
    }

    private static bool IsAllowedSize(Cidr cidr) => cidr.PrefixLength is >= LargestPrefixLength and <= SmallestPrefixLength;

    private static VpcState WithSubnet(VpcState state, string subnetId, Func<Subnet, Subnet> change) =>
        state.FindSubnet(subnetId) is { } subnet ? state with { Subnets = state.Subnets.Replace(subnet, change(subnet)) } : state;
}
