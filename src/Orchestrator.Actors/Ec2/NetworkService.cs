using System.Collections.Immutable;
using System.Security.Cryptography;
using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>AssociateAddress as the service layer sees it: an instance or a network interface, by allocation id or public IP.</summary>
public sealed record AssociateAddressRequest(
    string? AllocationId = null,
    string? PublicIp = null,
    string? InstanceId = null,
    string? NetworkInterfaceId = null,
    string? PrivateIpAddress = null,
    bool AllowReassociation = false);

/// <summary>CreateNatGateway as the service layer sees it (zonal gateways).</summary>
public sealed record CreateNatGatewayRequest(
    string? SubnetId,
    string? AllocationId = null,
    string? ConnectivityType = null,
    string? PrivateIpAddress = null,
    string? ClientToken = null,
    ImmutableDictionary<string, string>? Tags = null);

/// <summary>
/// Internet gateways, Elastic IPs and NAT gateways: resolves what a request names through the read
/// model (VPCs, subnets, instances, the other gateways), passes those facts to the entities, and
/// allocates a NAT gateway's private address through its VPC entity.
/// </summary>
public sealed class NetworkService(EntityServices services) : ITaggableResources
{
    private readonly Ec2Service _ec2 = new(services);

    private RegionState Region => services.Region.Current;

    public IReadOnlyCollection<string> IdPrefixes { get; } = ["igw", "eipalloc", "nat"];

    // ---- Internet gateways

    public async Task<Result<InternetGatewayView>> CreateInternetGateway(ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        var id = AwsIds.New("igw");
        var created = await _ec2.Send<InternetGateway>(NetworkKinds.InternetGateway, id, new InternetGatewayCommands.Create(id, tags), cancellationToken).ConfigureAwait(false);
        return created.Map(InternetGatewayView.From);
    }

    public async Task<Result<InternetGatewayView>> AttachInternetGateway(string internetGatewayId, string vpcId, CancellationToken cancellationToken = default)
    {
        var found = await FindInternetGateway(internetGatewayId).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        if (!AwsIds.IsWellFormed(vpcId, "vpc"))
            return VpcErrors.VpcIdMalformed(vpcId);
        if (await services.Index.Get(Ec2Kinds.Vpc, vpcId, Region.Generation).ConfigureAwait(false) is null)
            return VpcErrors.VpcNotFound(vpcId);
        var onVpc = (await _ec2.List<InternetGatewayView>(NetworkKinds.InternetGateway).ConfigureAwait(false))
            .FirstOrDefault(g => g.AttachedVpcId == vpcId)?.InternetGatewayId;
        var attached = await _ec2.Send<InternetGateway>(NetworkKinds.InternetGateway, internetGatewayId,
            new InternetGatewayCommands.Attach(internetGatewayId, vpcId, onVpc), cancellationToken).ConfigureAwait(false);
        return attached.Map(InternetGatewayView.From);
    }

    public async Task<Result<InternetGatewayView>> DetachInternetGateway(string internetGatewayId, string vpcId, CancellationToken cancellationToken = default)
    {
        var found = await FindInternetGateway(internetGatewayId).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        if (!AwsIds.IsWellFormed(vpcId, "vpc"))
            return VpcErrors.VpcIdMalformed(vpcId);
        var detached = await _ec2.Send<InternetGateway>(NetworkKinds.InternetGateway, internetGatewayId,
            new InternetGatewayCommands.Detach(internetGatewayId, vpcId), cancellationToken).ConfigureAwait(false);
        return detached.Map(InternetGatewayView.From);
    }

    public async Task<Result<bool>> DeleteInternetGateway(string internetGatewayId, CancellationToken cancellationToken = default)
    {
        var found = await FindInternetGateway(internetGatewayId).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        return await _ec2.Delete(NetworkKinds.InternetGateway, internetGatewayId, new InternetGatewayCommands.Delete(internetGatewayId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every gateway, or the named ones (each must exist).</summary>
    public async Task<Result<IReadOnlyList<InternetGatewayView>>> DescribeInternetGateways(IReadOnlyCollection<string> ids)
    {
        var all = await _ec2.List<InternetGatewayView>(NetworkKinds.InternetGateway).ConfigureAwait(false);
        return Select(all, ids, g => g.InternetGatewayId, id => AwsIds.IsWellFormed(id, "igw") ? null : GatewayErrors.InternetGatewayIdMalformed(id),
            GatewayErrors.InternetGatewayNotFound);
    }

    private async Task<Result<InternetGatewayView>> FindInternetGateway(string id)
    {
        if (!AwsIds.IsWellFormed(id, "igw"))
            return GatewayErrors.InternetGatewayIdMalformed(id);
        return await services.Index.Get(NetworkKinds.InternetGateway, id, Region.Generation).ConfigureAwait(false) is InternetGatewayView view
            ? view
            : GatewayErrors.InternetGatewayNotFound(id);
    }

    // ---- Elastic IPs

    public async Task<Result<ElasticAddressView>> AllocateAddress(string? domain, string? networkBorderGroup, ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        if (domain is not (null or ElasticAddress.VpcDomain))
            return AwsError.InvalidParameterValue($"Value ({domain}) for parameter domain is invalid. Valid values are: vpc");
        if (networkBorderGroup is not null && networkBorderGroup != Region.Region)
            return AwsError.InvalidParameterValue($"Value ({networkBorderGroup}) for parameter networkBorderGroup is invalid.");
        var live = await _ec2.List<ElasticAddressView>(NetworkKinds.Address).ConfigureAwait(false);
        if (live.Count >= ElasticAddress.RegionLimit)
            return GatewayErrors.AddressLimitExceeded();
        var taken = live.Select(a => a.PublicIp).ToHashSet(StringComparer.Ordinal);
        var publicIp = RandomPoolAddress();
        while (taken.Contains(publicIp))
            publicIp = RandomPoolAddress();
        var id = AwsIds.New("eipalloc");
        var allocated = await _ec2.Send<ElasticAddress>(NetworkKinds.Address, id, new ElasticAddressCommands.Allocate(id, publicIp, Region.Region, tags), cancellationToken).ConfigureAwait(false);
        return allocated.Map(ElasticAddressView.From);
    }

    /// <summary>Answers the association id the address holds afterwards (the existing one when the request repeats it).</summary>
    public async Task<Result<string>> AssociateAddress(AssociateAddressRequest request, CancellationToken cancellationToken = default)
    {
        var found = await FindAddress(request.AllocationId, request.PublicIp).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        AssociationTarget target;
        if (request.InstanceId is { } instanceId)
        {
            if (!AwsIds.IsWellFormed(instanceId, "i"))
                return Ec2Errors.InstanceIdMalformed(instanceId);
            if (await services.Index.Get(Ec2Kinds.Instance, instanceId, Region.Generation).ConfigureAwait(false) is not InstanceView instance)
                return Ec2Errors.InstanceNotFound(instanceId);
            target = new AssociationTarget(instanceId, instance.State.Name, null, request.PrivateIpAddress ?? instance.PrivateIpAddress);
        }
        else if (request.NetworkInterfaceId is { } interfaceId)
        {
            if (!AwsIds.IsWellFormed(interfaceId, "eni"))
                return GatewayErrors.NetworkInterfaceIdMalformed(interfaceId);
            target = new AssociationTarget(null, null, interfaceId, request.PrivateIpAddress);
        }
        else
            return AwsError.MissingParameter("Either an instance ID or a network interface ID must be specified.");
        var allocationId = found.Value.AllocationId;
        var associated = await _ec2.Send<ElasticAddress>(NetworkKinds.Address, allocationId,
            new ElasticAddressCommands.Associate(allocationId, AwsIds.New("eipassoc"), target, request.AllowReassociation), cancellationToken).ConfigureAwait(false);
        return associated.Map(a => a.Association!.AssociationId);
    }

    public async Task<Result<bool>> DisassociateAddress(string? associationId, string? publicIp, CancellationToken cancellationToken = default)
    {
        ElasticAddressView? address;
        if (associationId is not null)
        {
            if (!AwsIds.IsWellFormed(associationId, "eipassoc"))
                return GatewayErrors.AssociationIdMalformed(associationId);
            address = (await _ec2.List<ElasticAddressView>(NetworkKinds.Address).ConfigureAwait(false)).FirstOrDefault(a => a.AssociationId == associationId);
            if (address is null)
                return GatewayErrors.AssociationNotFound(associationId);
        }
        else if (publicIp is not null)
        {
            var found = await FindAddress(null, publicIp).ConfigureAwait(false);
            if (found.IsError)
                return found.Error!;
            address = found.Value;
        }
        else
            return AwsError.MissingParameter("The request must contain the parameter AssociationId");
        var disassociated = await _ec2.Send<ElasticAddress>(NetworkKinds.Address, address.AllocationId,
            new ElasticAddressCommands.Disassociate(address.AllocationId, associationId ?? address.AssociationId), cancellationToken).ConfigureAwait(false);
        return disassociated.Map(_ => true);
    }

    public async Task<Result<bool>> ReleaseAddress(string? allocationId, string? publicIp, CancellationToken cancellationToken = default)
    {
        var found = await FindAddress(allocationId, publicIp).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var id = found.Value.AllocationId;
        return await _ec2.Delete(NetworkKinds.Address, id, new ElasticAddressCommands.Release(id), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<IReadOnlyList<ElasticAddressView>>> DescribeAddresses(IReadOnlyCollection<string> allocationIds, IReadOnlyCollection<string> publicIps)
    {
        var all = await _ec2.List<ElasticAddressView>(NetworkKinds.Address).ConfigureAwait(false);
        var byId = Select(all, allocationIds, a => a.AllocationId,
            id => AwsIds.IsWellFormed(id, "eipalloc") ? null : GatewayErrors.AllocationIdMalformed(id), GatewayErrors.AllocationNotFound);
        if (byId.IsError)
            return byId;
        return Select(byId.Value, publicIps, a => a.PublicIp, _ => null, GatewayErrors.PublicIpNotFound);
    }

    /// <summary>An address named by allocation id or, failing that, by public IP.</summary>
    private async Task<Result<ElasticAddressView>> FindAddress(string? allocationId, string? publicIp)
    {
        if (allocationId is not null)
        {
            if (!AwsIds.IsWellFormed(allocationId, "eipalloc"))
                return GatewayErrors.AllocationIdMalformed(allocationId);
            return await services.Index.Get(NetworkKinds.Address, allocationId, Region.Generation).ConfigureAwait(false) is ElasticAddressView view
                ? view
                : GatewayErrors.AllocationNotFound(allocationId);
        }
        if (publicIp is null)
            return AwsError.MissingParameter("The request must contain the parameter AllocationId");
        return (await _ec2.List<ElasticAddressView>(NetworkKinds.Address).ConfigureAwait(false)).FirstOrDefault(a => a.PublicIp == publicIp) is { } byIp
            ? byIp
            : GatewayErrors.PublicIpNotFound(publicIp);
    }

    /// <summary>Elastic IPs come from one of Amazon's us-east-1 ranges (44.192.0.0/11), apart from the instances' auto-assigned 54.x addresses.</summary>
    private static string RandomPoolAddress() =>
        $"44.{RandomNumberGenerator.GetInt32(192, 224)}.{RandomNumberGenerator.GetInt32(0, 256)}.{RandomNumberGenerator.GetInt32(1, 255)}";

    // ---- NAT gateways

    public async Task<Result<NatGatewayView>> CreateNatGateway(CreateNatGatewayRequest request, CancellationToken cancellationToken = default)
    {
        var gateways = await _ec2.List<NatGatewayView>(NetworkKinds.NatGateway).ConfigureAwait(false);
        if (request.ClientToken is { } token && gateways.FirstOrDefault(g => g.ClientToken == token) is { } earlier)
            return earlier;
        if (request.SubnetId is not { } subnetId)
            return AwsError.MissingParameter("The request must contain the parameter SubnetId");
        if (!AwsIds.IsWellFormed(subnetId, "subnet"))
            return VpcErrors.SubnetIdMalformed(subnetId);
        if (await services.Index.Get(Ec2Kinds.Subnet, subnetId, Region.Generation).ConfigureAwait(false) is not SubnetView subnet)
            return VpcErrors.SubnetNotFound(subnetId);
        var connectivity = request.ConnectivityType ?? NatGateway.Public;
        if (connectivity is not (NatGateway.Public or NatGateway.Private))
            return GatewayErrors.InvalidConnectivityType(connectivity);
        if (Tags.Validate(request.Tags ?? Tags.None) is { } tagError)
            return tagError;
        ElasticAddressView? address = null;
        if (connectivity == NatGateway.Public)
        {
            if (request.AllocationId is null)
                return GatewayErrors.PublicNatGatewayNeedsAddress();
            var found = await FindAddress(request.AllocationId, null).ConfigureAwait(false);
            if (found.IsError)
                return found.Error!;
            if (found.Value.AssociationId is { } associationId)
                return GatewayErrors.AddressAlreadyAssociated(found.Value.AllocationId, associationId);
            address = found.Value;
        }
        else if (request.AllocationId is not null)
            return GatewayErrors.PrivateNatGatewayWithAddress();

        var natId = AwsIds.New("nat");
        var interfaceId = AwsIds.New("eni");
        var privateIp = await AllocatePrivateIp(subnet, interfaceId, request.PrivateIpAddress, cancellationToken).ConfigureAwait(false);
        if (privateIp.IsError)
            return privateIp.Error!;
        string? addressAssociation = null;
        if (address is not null)
        {
            var associated = await _ec2.Send<ElasticAddress>(NetworkKinds.Address, address.AllocationId, new ElasticAddressCommands.Associate(
                address.AllocationId, AwsIds.New("eipassoc"), new AssociationTarget(null, null, interfaceId, privateIp.Value)), cancellationToken).ConfigureAwait(false);
            if (associated.IsError)
            {
                await _ec2.Send<VpcState>(Ec2Kinds.Vpc, subnet.VpcId, new VpcCommands.ReleasePrivateIp(subnet.VpcId, subnet.SubnetId, interfaceId), cancellationToken).ConfigureAwait(false);
                return associated.Error!;
            }
            addressAssociation = associated.Value.Association!.AssociationId;
        }
        var hasInternetGateway = (await _ec2.List<InternetGatewayView>(NetworkKinds.InternetGateway).ConfigureAwait(false)).Any(g => g.AttachedVpcId == subnet.VpcId);
        var placement = new NatGatewayPlacement(subnet.VpcId, subnet.SubnetId, subnet.AvailabilityZone, hasInternetGateway);
        var natAddress = new NatGatewayAddress(interfaceId, privateIp.Value, address?.AllocationId, address?.PublicIp, addressAssociation);
        var created = await _ec2.Send<NatGateway>(NetworkKinds.NatGateway, natId,
            new NatGatewayCommands.Create(natId, placement, connectivity, natAddress, request.ClientToken, request.Tags), cancellationToken).ConfigureAwait(false);
        return created.Map(NatGatewayView.From);
    }

    public async Task<Result<string>> DeleteNatGateway(string natGatewayId, CancellationToken cancellationToken = default)
    {
        if (!AwsIds.IsWellFormed(natGatewayId, "nat"))
            return GatewayErrors.NatGatewayIdMalformed(natGatewayId);
        if (await services.Index.Get(NetworkKinds.NatGateway, natGatewayId, Region.Generation).ConfigureAwait(false) is null)
            return GatewayErrors.NatGatewayNotFound(natGatewayId);
        var deleted = await _ec2.Send<NatGateway>(NetworkKinds.NatGateway, natGatewayId, new NatGatewayCommands.Delete(natGatewayId), cancellationToken).ConfigureAwait(false);
        return deleted.Map(g => g.NatGatewayId);
    }

    public async Task<Result<IReadOnlyList<NatGatewayView>>> DescribeNatGateways(IReadOnlyCollection<string> ids)
    {
        var all = await _ec2.List<NatGatewayView>(NetworkKinds.NatGateway).ConfigureAwait(false);
        return Select(all, ids, g => g.NatGatewayId, id => AwsIds.IsWellFormed(id, "nat") ? null : GatewayErrors.NatGatewayIdMalformed(id), GatewayErrors.NatGatewayNotFound);
    }

    private async Task<Result<string>> AllocatePrivateIp(SubnetView subnet, string ownerId, string? requestedIp, CancellationToken cancellationToken)
    {
        var reply = await _ec2.Send<VpcState>(Ec2Kinds.Vpc, subnet.VpcId, new VpcCommands.AllocatePrivateIp(subnet.VpcId, subnet.SubnetId, ownerId, requestedIp), cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
            return reply.Error!;
        return reply.Value.FindSubnet(subnet.SubnetId)?.AddressOf(ownerId)
            ?? throw new InvalidOperationException($"subnet {subnet.SubnetId} acknowledged no address for {ownerId}");
    }

    // ---- Tags

    public Task<Result<TaggedResource>> AddTags(string resourceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken) =>
        ChangeTags(resourceId, id => Prefix(id) switch
        {
            "igw" => new InternetGatewayCommands.AddTags(id, tags),
            "eipalloc" => new ElasticAddressCommands.AddTags(id, tags),
            _ => new NatGatewayCommands.AddTags(id, tags),
        }, cancellationToken);

    public Task<Result<TaggedResource>> RemoveTags(string resourceId, ImmutableArray<TagRemoval> tags, CancellationToken cancellationToken) =>
        ChangeTags(resourceId, id => Prefix(id) switch
        {
            "igw" => new InternetGatewayCommands.RemoveTags(id, tags),
            "eipalloc" => new ElasticAddressCommands.RemoveTags(id, tags),
            _ => new NatGatewayCommands.RemoveTags(id, tags),
        }, cancellationToken);

    public async Task<IReadOnlyList<TaggedResource>> List(CancellationToken cancellationToken) =>
    [
        .. (await _ec2.List<InternetGatewayView>(NetworkKinds.InternetGateway).ConfigureAwait(false)).Select(g => new TaggedResource(g.InternetGatewayId, "internet-gateway", g.Tags)),
        .. (await _ec2.List<ElasticAddressView>(NetworkKinds.Address).ConfigureAwait(false)).Select(a => new TaggedResource(a.AllocationId, "elastic-ip", a.Tags)),
        .. (await _ec2.List<NatGatewayView>(NetworkKinds.NatGateway).ConfigureAwait(false)).Select(g => new TaggedResource(g.NatGatewayId, "natgateway", g.Tags)),
    ];

    private async Task<Result<TaggedResource>> ChangeTags(string resourceId, Func<string, object> command, CancellationToken cancellationToken)
    {
        var (kind, notFound) = Prefix(resourceId) switch
        {
            "igw" => (NetworkKinds.InternetGateway, GatewayErrors.InternetGatewayNotFound(resourceId)),
            "eipalloc" => (NetworkKinds.Address, GatewayErrors.AllocationNotFound(resourceId)),
            "nat" => (NetworkKinds.NatGateway, GatewayErrors.NatGatewayNotFound(resourceId)),
            _ => throw new ArgumentException($"{resourceId} is not a gateway or address id", nameof(resourceId)),
        };
        // Tagging must not create an entity: an unknown id is refused before it is routed.
        if (await services.Index.Get(kind, resourceId, Region.Generation).ConfigureAwait(false) is null)
            return notFound;
        var reply = await _ec2.Send<object>(kind, resourceId, command(resourceId), cancellationToken).ConfigureAwait(false);
        return reply.Map(state => state switch
        {
            InternetGateway g => new TaggedResource(g.InternetGatewayId, "internet-gateway", g.Tags),
            ElasticAddress a => new TaggedResource(a.AllocationId, "elastic-ip", a.Tags),
            NatGateway g => new TaggedResource(g.NatGatewayId, "natgateway", g.Tags),
            _ => throw new InvalidOperationException($"unexpected state of {resourceId}: {state}"),
        });
    }

    private static string Prefix(string id) => id.Split('-', 2)[0];

    /// <summary>All resources, or the named ones in the order asked: a malformed or unknown id fails the whole request, as EC2 does.</summary>
    private static Result<IReadOnlyList<T>> Select<T>(IReadOnlyList<T> all, IReadOnlyCollection<string> ids, Func<T, string> idOf,
        Func<string, AwsError?> malformed, Func<string, AwsError> notFound)
    {
        if (ids.Count == 0)
            return Result<IReadOnlyList<T>>.Ok(all);
        var known = all.ToDictionary(idOf, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (malformed(id) is { } error)
                return error;
            if (!known.ContainsKey(id))
                return notFound(id);
        }
        return Result<IReadOnlyList<T>>.Ok([.. ids.Distinct().Select(id => known[id])]);
    }
}
