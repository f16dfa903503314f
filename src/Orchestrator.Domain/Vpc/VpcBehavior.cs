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
            ({ } vpc, ModifyVpcAttribute modify) => ModifyVpc(vpc, modify, context.Now),
            ({ } vpc, AllocatePrivateIp allocate) => Allocate(vpc, allocate, context.Now),
            ({ } vpc, ReleasePrivateIp release) => Release(vpc, release, context.Now),
            ({ } vpc, TagResource tag) => ChangeTags(vpc, tag.ResourceId, tags => Tags.Add(tags, tag.Tags), context.Now),
            ({ } vpc, UntagResource untag) => ChangeTags(vpc, untag.ResourceId, tags => Tags.Remove(tags, untag.Tags), context.Now),
            ({ } vpc, CreateRouteTable create) => VpcRouting.CreateTable(vpc, create, context.Now),
            ({ } vpc, DeleteRouteTable delete) => VpcRouting.DeleteTable(vpc, delete, context.Now),
            ({ } vpc, CreateRoute create) => VpcRouting.SetRoute(vpc, create.RouteTableId, create.DestinationCidrBlock, create.Target, replacing: false, context.Now),
            ({ } vpc, ReplaceRoute replace) => VpcRouting.SetRoute(vpc, replace.RouteTableId, replace.DestinationCidrBlock, replace.Target, replacing: true, context.Now),
            ({ } vpc, DeleteRoute delete) => VpcRouting.DeleteRoute(vpc, delete, context.Now),
            ({ } vpc, AssociateRouteTable associate) => VpcRouting.Associate(vpc, associate, context.Now),
            ({ } vpc, DisassociateRouteTable disassociate) => VpcRouting.Disassociate(vpc, disassociate, context.Now),
            ({ } vpc, ReplaceRouteTableAssociation replace) => VpcRouting.ReplaceAssociation(vpc, replace, context.Now),
            ({ } vpc, CreateNetworkAcl create) => VpcNetworkAcls.Create(vpc, create, context.Now),
            ({ } vpc, DeleteNetworkAcl delete) => VpcNetworkAcls.Delete(vpc, delete, context.Now),
            ({ } vpc, CreateNetworkAclEntry create) => VpcNetworkAcls.SetEntry(vpc, create.NetworkAclId, create.Entry, replacing: false, context.Now),
            ({ } vpc, ReplaceNetworkAclEntry replace) => VpcNetworkAcls.SetEntry(vpc, replace.NetworkAclId, replace.Entry, replacing: true, context.Now),
            ({ } vpc, DeleteNetworkAclEntry delete) => VpcNetworkAcls.DeleteEntry(vpc, delete, context.Now),
            ({ } vpc, ReplaceNetworkAclAssociation replace) => VpcNetworkAcls.ReplaceAssociation(vpc, replace, context.Now),
            ({ } vpc, DeleteVpc delete) => Delete(vpc, delete, context.Now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown VPC command"),
        };

    public VpcState? Evolve(VpcState? state, IVpcEvent @event) =>
        @event switch
        {
            VpcCreated e => new VpcState(e.VpcId, e.CidrBlock, e.IsDefault, e.InstanceTenancy, e.Tags, [], e.At) { EnableDnsHostnames = e.IsDefault },
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
            SubnetAttributeChanged e => WithSubnet(state, e.SubnetId, s => SubnetAttributes.With(s, e.Attribute, e.Value) ?? s),
            VpcAttributeChanged e => VpcAttributes.With(state, e.Attribute, e.Value),
            PrivateIpAllocated e => WithSubnet(state, e.SubnetId, s => s with { AllocatedAddresses = s.AllocatedAddresses.SetItem(e.PrivateIpAddress, e.OwnerId) }),
            PrivateIpReleased e => WithSubnet(state, e.SubnetId, s => s with { AllocatedAddresses = s.AllocatedAddresses.Remove(e.PrivateIpAddress) }),
            ResourceTagsChanged e => WithTags(state, e.ResourceId, e.Tags),
            RouteTableCreated or RouteTableDeleted or RouteSet or RouteDeleted or RouteTableAssociated or RouteTableDisassociated => VpcRouting.Evolve(state, @event),
            NetworkAclCreated or NetworkAclDeleted or NetworkAclEntrySet or NetworkAclEntryDeleted or NetworkAclAssociated or NetworkAclDisassociated => VpcNetworkAcls.Evolve(state, @event),
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
        if (Tags.Validate(create.Tags ?? Tags.None) is { } tagError)
            return tagError;
        // Every VPC comes with a main route table holding the local route, and a default network ACL allowing all traffic.
        var mainTableId = VpcRouting.MainRouteTableId(create.VpcId);
        return Decisions.Events<IVpcEvent>(
            new VpcCreated(create.VpcId, cidr.ToString(), create.IsDefault, create.InstanceTenancy, create.Tags ?? Tags.None, now),
            new RouteTableCreated(mainTableId, [new Route(cidr.ToString(), RouteTarget.LocalTarget, Route.OriginCreateRouteTable)], Tags.None, now),
            new RouteTableAssociated(mainTableId, new RouteTableAssociation(AwsIds.Derived("rtbassoc", mainTableId), null, Main: true), now),
            new NetworkAclCreated(VpcNetworkAcls.DefaultNetworkAclId(create.VpcId), IsDefault: true, NetworkAclRules.DefaultEntries(), Tags.None, now));
    }

    /// <summary>Subnets, custom route tables and custom network ACLs keep a VPC alive; the main table and default ACL go with it.</summary>
    private static Result<IReadOnlyList<IVpcEvent>> Delete(VpcState vpc, DeleteVpc delete, DateTimeOffset now) =>
        vpc.Subnets.IsEmpty && vpc.RouteTables.All(t => t.IsMain) && vpc.NetworkAcls.All(a => a.IsDefault)
            ? Decisions.Events<IVpcEvent>(new VpcDeleted(delete.VpcId, now))
            : VpcErrors.VpcHasDependencies(delete.VpcId);

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
        if (Tags.Validate(create.Tags ?? Tags.None) is { } tagError)
            return tagError;
        return ResolveZone(vpc, create, context.Region).Map<IReadOnlyList<IVpcEvent>>(zone =>
        {
            IVpcEvent created = new SubnetCreated(
                create.SubnetId, cidr.ToString(), zone.Name, zone.ZoneId, create.DefaultForAz, create.MapPublicIpOnLaunch,
                create.Tags ?? Tags.None, context.Now);
            // A new subnet follows the default network ACL until another is associated.
            return vpc.DefaultNetworkAcl() is { } acl
                ? [created, new NetworkAclAssociated(acl.NetworkAclId, new NetworkAclAssociation(AwsIds.Derived("aclassoc", create.SubnetId), create.SubnetId), context.Now)]
                : [created];
        });
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

    /// <summary>A subnet whose addresses are all free can go; its route table and ACL associations go with it.</summary>
    private static Result<IReadOnlyList<IVpcEvent>> RemoveSubnet(VpcState vpc, DeleteSubnet delete, DateTimeOffset now)
    {
        if (vpc.FindSubnet(delete.SubnetId) is not { } subnet)
            return VpcErrors.SubnetNotFound(delete.SubnetId);
        if (!subnet.AllocatedAddresses.IsEmpty)
            return VpcErrors.SubnetHasDependencies(delete.SubnetId);
        var events = new List<IVpcEvent>();
        foreach (var table in vpc.RouteTables)
            events.AddRange(table.Associations.Where(a => a.SubnetId == subnet.SubnetId).Select(a => new RouteTableDisassociated(table.RouteTableId, a.AssociationId, now)));
        foreach (var acl in vpc.NetworkAcls)
            events.AddRange(acl.Associations.Where(a => a.SubnetId == subnet.SubnetId).Select(a => new NetworkAclDisassociated(acl.NetworkAclId, a.AssociationId, now)));
        events.Add(new SubnetDeleted(delete.SubnetId, now));
        return Result<IReadOnlyList<IVpcEvent>>.Ok(events);
    }

    private static Result<IReadOnlyList<IVpcEvent>> ModifySubnet(VpcState vpc, ModifySubnetAttribute modify, DateTimeOffset now)
    {
        if (vpc.FindSubnet(modify.SubnetId) is not { } subnet)
            return VpcErrors.SubnetNotFound(modify.SubnetId);
        if (!SubnetAttributes.All.Contains(modify.Attribute))
            return AwsError.InvalidParameterValue($"Value ({modify.Attribute}) for parameter attribute is invalid. Unknown subnet attribute.");
        if (SubnetAttributes.With(subnet, modify.Attribute, modify.Value) is not { } changed)
            return AwsError.InvalidParameterValue($"Value ({modify.Value}) for parameter {modify.Attribute} is invalid.");
        if (modify.Attribute == SubnetAttributes.AssignIpv6AddressOnCreation && changed.AssignIpv6AddressOnCreation)
            return AwsError.InvalidParameterValue($"Subnet {subnet.SubnetId} has no IPv6 CIDR block, so it cannot assign IPv6 addresses on creation.");
        return changed == subnet
            ? Decisions.None<IVpcEvent>()
            : Decisions.Events<IVpcEvent>(new SubnetAttributeChanged(subnet.SubnetId, modify.Attribute, modify.Value.ToLowerInvariant(), now));
    }

    private static Result<IReadOnlyList<IVpcEvent>> ModifyVpc(VpcState vpc, ModifyVpcAttribute modify, DateTimeOffset now)
    {
        if (!VpcAttributes.All.Contains(modify.Attribute))
            return AwsError.InvalidParameterValue($"Value ({modify.Attribute}) for parameter attribute is invalid. Unknown VPC attribute.");
        // AWS resolves host names only where it resolves DNS at all.
        if (modify.Attribute == VpcAttributes.EnableDnsHostnames && modify.Value && !vpc.EnableDnsSupport)
            return AwsError.InvalidParameterValue("Cannot enable DNS hostnames on a VPC whose DNS support is disabled.");
        return VpcAttributes.ValueOf(vpc, modify.Attribute) == modify.Value
            ? Decisions.None<IVpcEvent>()
            : Decisions.Events<IVpcEvent>(new VpcAttributeChanged(modify.Attribute, modify.Value, now));
    }

    private static Result<IReadOnlyList<IVpcEvent>> ChangeTags(
        VpcState vpc, string resourceId, Func<ImmutableDictionary<string, string>, Result<ImmutableDictionary<string, string>>> change, DateTimeOffset now)
    {
        if (TagsOf(vpc, resourceId) is not { } current)
            return NotFound(resourceId);
        var next = change(current);
        if (next.IsError)
            return next.Error!;
        return next.Value.Count == current.Count && next.Value.All(t => current.TryGetValue(t.Key, out var v) && v == t.Value)
            ? Decisions.None<IVpcEvent>()
            : Decisions.Events<IVpcEvent>(new ResourceTagsChanged(resourceId, next.Value, now));
    }

    private static ImmutableDictionary<string, string>? TagsOf(VpcState vpc, string resourceId) =>
        resourceId == vpc.VpcId ? vpc.Tags
        : vpc.FindSubnet(resourceId)?.Tags ?? vpc.FindRouteTable(resourceId)?.Tags ?? vpc.FindNetworkAcl(resourceId)?.Tags;

    private static VpcState WithTags(VpcState vpc, string resourceId, ImmutableDictionary<string, string> tags) =>
        resourceId == vpc.VpcId ? vpc with { Tags = tags }
        : vpc.FindSubnet(resourceId) is not null ? WithSubnet(vpc, resourceId, s => s with { Tags = tags })
        : vpc.FindRouteTable(resourceId) is { } table ? vpc with { RouteTables = vpc.RouteTables.Replace(table, table with { Tags = tags }) }
        : vpc.FindNetworkAcl(resourceId) is { } acl ? vpc with { NetworkAcls = vpc.NetworkAcls.Replace(acl, acl with { Tags = tags }) }
        : vpc;

    private static AwsError NotFound(string resourceId) => resourceId.Split('-')[0] switch
    {
        "subnet" => VpcErrors.SubnetNotFound(resourceId),
        "rtb" => RouteRules.RouteTableNotFound(resourceId),
        "acl" => NetworkAclRules.NetworkAclNotFound(resourceId),
        _ => VpcErrors.VpcNotFound(resourceId),
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
