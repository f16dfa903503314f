using System.Collections.Immutable;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>
/// Route tables, network ACLs, attributes and tags inside VPCs: finds the VPC entity that owns a
/// named resource through the read model, resolves route targets (which VPC a gateway belongs
/// to), and sends the command to that VPC.
/// </summary>
public sealed class VpcNetworkService(EntityServices services) : ITaggableResources
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RegionState Region => services.Region.Current;

    public IReadOnlyCollection<string> IdPrefixes { get; } = ["vpc", "subnet", "rtb", "acl"];

    public Task<IReadOnlyList<T>> List<T>(string kind) => ListOf<T>(kind);

    public async Task<Result<VpcState>> Vpc(string vpcId, CancellationToken cancellationToken = default)
    {
        if (!AwsIds.IsWellFormed(vpcId, "vpc"))
            return VpcErrors.VpcIdMalformed(vpcId);
        var reply = await services.Router.Ask<object>(Ec2Kinds.Vpc, vpcId, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Accepted { State: VpcState vpc } ? vpc : VpcErrors.VpcNotFound(vpcId);
    }

    /// <summary>The VPC that holds a subnet, route table or network ACL, by id.</summary>
    public async Task<Result<string>> VpcOf(string resourceId)
    {
        var prefix = resourceId.Split('-')[0];
        var (kind, malformed, notFound) = prefix switch
        {
            "subnet" => (Ec2Kinds.Subnet, VpcErrors.SubnetIdMalformed(resourceId), VpcErrors.SubnetNotFound(resourceId)),
            "rtb" => (Ec2Kinds.RouteTable, RouteRules.RouteTableIdMalformed(resourceId), RouteRules.RouteTableNotFound(resourceId)),
            "acl" => (Ec2Kinds.NetworkAcl, NetworkAclRules.NetworkAclIdMalformed(resourceId), NetworkAclRules.NetworkAclNotFound(resourceId)),
            _ => (Ec2Kinds.Vpc, VpcErrors.VpcIdMalformed(resourceId), VpcErrors.VpcNotFound(resourceId)),
        };
        if (!AwsIds.IsWellFormed(resourceId, prefix))
            return malformed;
        return await services.Index.Get(kind, resourceId, Region.Generation).ConfigureAwait(false) switch
        {
            VpcView v => v.VpcId,
            SubnetView s => s.VpcId,
            RouteTableView t => t.VpcId,
            NetworkAclView a => a.VpcId,
            _ => notFound,
        };
    }

    /// <summary>Sends a command to the VPC owning the resource named by id.</summary>
    public async Task<Result<VpcState>> SendToOwner(string resourceId, Func<string, IVpcCommand> command, CancellationToken cancellationToken = default)
    {
        var vpcId = await VpcOf(resourceId).ConfigureAwait(false);
        return vpcId.IsError ? vpcId.Error! : await Send(command(vpcId.Value), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<VpcState>> Send(IVpcCommand command, CancellationToken cancellationToken = default)
    {
        var reply = await services.Router.Ask<object>(Ec2Kinds.Vpc, command.EntityId, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: VpcState state } => state,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from VPC {command.EntityId}: {reply}"),
        };
    }

    /// <summary>Route tables and network ACL associations are found by association id across VPCs.</summary>
    public async Task<Result<string>> VpcOfAssociation(string associationId)
    {
        if (associationId.StartsWith("aclassoc-", StringComparison.Ordinal))
        {
            var acls = await ListOf<NetworkAclView>(Ec2Kinds.NetworkAcl).ConfigureAwait(false);
            return acls.FirstOrDefault(a => a.Associations.Exists(x => x.AssociationId == associationId)) is { } acl
                ? acl.VpcId
                : RouteRules.AssociationNotFound(associationId);
        }
        var tables = await ListOf<RouteTableView>(Ec2Kinds.RouteTable).ConfigureAwait(false);
        return tables.FirstOrDefault(t => t.Associations.Exists(a => a.AssociationId == associationId)) is { } table
            ? table.VpcId
            : RouteRules.AssociationNotFound(associationId);
    }

    /// <summary>
    /// Exactly one target per route, looked up where it lives: an internet gateway belongs to the VPC
    /// it is attached to (a detached one to none, so the route is refused), a NAT gateway to its VPC.
    /// </summary>
    public async Task<Result<ResolvedRouteTarget>> ResolveTarget(IReadOnlyList<RouteTarget> named)
    {
        const string members = "gatewayId, egressOnlyInternetGatewayId, natGatewayId, instanceId, networkInterfaceId, vpcPeeringConnectionId, transitGatewayId, vpcEndpointId, carrierGatewayId, localGatewayId, coreNetworkArn";
        if (named.Count == 0)
            return AwsError.MissingParameter($"The request must contain exactly one of {members}");
        if (named.Count > 1)
            return AwsError.InvalidParameterCombination($"The request must contain exactly one of {members}");
        var target = named[0];
        var generation = Region.Generation;
        switch (target.Kind)
        {
            case RouteTarget.Gateway when target.Id == RouteTarget.Local:
                return new ResolvedRouteTarget(RouteTarget.LocalTarget, null);
            case RouteTarget.Gateway when target.Id.StartsWith("igw-", StringComparison.Ordinal):
                return await services.Index.Get(NetworkKinds.InternetGateway, target.Id, generation).ConfigureAwait(false) is InternetGatewayView igw
                    ? new ResolvedRouteTarget(target, igw.AttachedVpcId ?? "")
                    : new AwsError("InvalidGatewayID.NotFound", $"The gateway ID '{target.Id}' does not exist");
            case RouteTarget.Gateway:
                return new AwsError("InvalidGatewayID.NotFound", $"The gateway ID '{target.Id}' does not exist");
            case RouteTarget.NatGateway:
                return await services.Index.Get(NetworkKinds.NatGateway, target.Id, generation).ConfigureAwait(false) is NatGatewayView nat
                    ? new ResolvedRouteTarget(target, nat.VpcId)
                    : new AwsError("InvalidNatGatewayID.NotFound", $"The natGateway ID '{target.Id}' does not exist");
            case RouteTarget.Instance:
                return await services.Index.Get(Ec2Kinds.Instance, target.Id, generation).ConfigureAwait(false) is InstanceView instance
                    ? new ResolvedRouteTarget(target, instance.VpcId)
                    : Ec2Errors.InstanceNotFound(target.Id);
            default:
                return new ResolvedRouteTarget(target, null);
        }
    }

    /// <summary>The route's state as AWS reports it, from its target's current view.</summary>
    public async Task<string> RouteState(string vpcId, Route route)
    {
        var kind = route.Target.Kind switch
        {
            RouteTarget.Gateway when route.Target.Id.StartsWith("igw-", StringComparison.Ordinal) => NetworkKinds.InternetGateway,
            RouteTarget.NatGateway => NetworkKinds.NatGateway,
            RouteTarget.Instance => Ec2Kinds.Instance,
            _ => null,
        };
        var view = kind is null ? null : await services.Index.Get(kind, route.Target.Id, Region.Generation).ConfigureAwait(false);
        return RouteRules.State(route, vpcId, view);
    }

    public async Task<Result<TaggedResource>> AddTags(string resourceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var changed = await SendToOwner(resourceId, vpcId => new VpcCommands.TagResource(vpcId, resourceId, tags), cancellationToken).ConfigureAwait(false);
        return changed.Map(vpc => Tagged(vpc, resourceId));
    }

    public async Task<Result<TaggedResource>> RemoveTags(string resourceId, ImmutableArray<TagRemoval> tags, CancellationToken cancellationToken)
    {
        var changed = await SendToOwner(resourceId, vpcId => new VpcCommands.UntagResource(vpcId, resourceId, tags), cancellationToken).ConfigureAwait(false);
        return changed.Map(vpc => Tagged(vpc, resourceId));
    }

    public async Task<IReadOnlyList<TaggedResource>> List(CancellationToken cancellationToken) =>
    [
        .. (await ListOf<VpcView>(Ec2Kinds.Vpc).ConfigureAwait(false)).Select(v => new TaggedResource(v.VpcId, "vpc", v.Tags)),
        .. (await ListOf<SubnetView>(Ec2Kinds.Subnet).ConfigureAwait(false)).Select(s => new TaggedResource(s.SubnetId, "subnet", s.Tags)),
        .. (await ListOf<RouteTableView>(Ec2Kinds.RouteTable).ConfigureAwait(false)).Select(t => new TaggedResource(t.RouteTableId, "route-table", t.Tags)),
        .. (await ListOf<NetworkAclView>(Ec2Kinds.NetworkAcl).ConfigureAwait(false)).Select(a => new TaggedResource(a.NetworkAclId, "network-acl", a.Tags)),
    ];

    private static TaggedResource Tagged(VpcState vpc, string resourceId) => resourceId.Split('-')[0] switch
    {
        "subnet" => new TaggedResource(resourceId, "subnet", vpc.FindSubnet(resourceId)?.Tags ?? Tags.None),
        "rtb" => new TaggedResource(resourceId, "route-table", vpc.FindRouteTable(resourceId)?.Tags ?? Tags.None),
        "acl" => new TaggedResource(resourceId, "network-acl", vpc.FindNetworkAcl(resourceId)?.Tags ?? Tags.None),
        _ => new TaggedResource(resourceId, "vpc", vpc.Tags),
    };

    private async Task<IReadOnlyList<T>> ListOf<T>(string kind) =>
        [.. (await services.Index.List(kind, Region.Generation).ConfigureAwait(false)).Cast<T>()];
}
