using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Vpc.VpcCommands;
using static Orchestrator.Domain.Vpc.VpcEvents;

namespace Orchestrator.Domain.Vpc;

/// <summary>The route tables of one VPC: tables, routes and the association of every subnet with exactly one table.</summary>
public static class VpcRouting
{
    public static string MainRouteTableId(string vpcId) => AwsIds.Derived("rtb", vpcId + "/main");

    public static Result<IReadOnlyList<IVpcEvent>> CreateTable(VpcState vpc, CreateRouteTable create, DateTimeOffset now)
    {
        if (vpc.FindRouteTable(create.RouteTableId) is not null)
            return Decisions.None<IVpcEvent>();
        if (vpc.RouteTables.Count >= RouteRules.MaxRouteTablesPerVpc)
            return new AwsError("RouteTableLimitExceeded", $"The maximum number of route tables has been reached for {vpc.VpcId}.");
        if (Tags.Validate(create.Tags ?? Tags.None) is { } tagError)
            return tagError;
        return Decisions.Events<IVpcEvent>(new RouteTableCreated(
            create.RouteTableId, [new Route(vpc.CidrBlock, RouteTarget.LocalTarget, Route.OriginCreateRouteTable)], create.Tags ?? Tags.None, now));
    }

    public static Result<IReadOnlyList<IVpcEvent>> DeleteTable(VpcState vpc, DeleteRouteTable delete, DateTimeOffset now) =>
        vpc.FindRouteTable(delete.RouteTableId) switch
        {
            null => RouteRules.RouteTableNotFound(delete.RouteTableId),
            { Associations.IsEmpty: false } => RouteRules.RouteTableHasDependencies(delete.RouteTableId),
            _ => Decisions.Events<IVpcEvent>(new RouteTableDeleted(delete.RouteTableId, now)),
        };

    public static Result<IReadOnlyList<IVpcEvent>> SetRoute(
        VpcState vpc, string routeTableId, string destination, ResolvedRouteTarget target, bool replacing, DateTimeOffset now)
    {
        if (vpc.FindRouteTable(routeTableId) is not { } table)
            return RouteRules.RouteTableNotFound(routeTableId);
        var route = RouteRules.Validate(vpc, table, destination, target, replacing);
        if (route.IsError)
            return route.Error!;
        return table.FindRoute(route.Value.DestinationCidrBlock) == route.Value
            ? Decisions.None<IVpcEvent>()
            : Decisions.Events<IVpcEvent>(new RouteSet(routeTableId, route.Value, now));
    }

    public static Result<IReadOnlyList<IVpcEvent>> DeleteRoute(VpcState vpc, VpcCommands.DeleteRoute delete, DateTimeOffset now)
    {
        if (vpc.FindRouteTable(delete.RouteTableId) is not { } table)
            return RouteRules.RouteTableNotFound(delete.RouteTableId);
        var destination = Cidr.TryParse(delete.DestinationCidrBlock, out var cidr) ? cidr.ToString() : delete.DestinationCidrBlock;
        return table.FindRoute(destination) switch
        {
            null => RouteRules.RouteNotFound(table.RouteTableId, destination),
            { Target.Kind: RouteTarget.Local } => AwsError.InvalidParameterValue($"cannot remove local route {destination} in route table {table.RouteTableId}"),
            _ => Decisions.Events<IVpcEvent>(new VpcEvents.RouteDeleted(table.RouteTableId, destination, now)),
        };
    }

    /// <summary>A subnet has one explicit association at most: moving it takes ReplaceRouteTableAssociation, as in AWS.</summary>
    public static Result<IReadOnlyList<IVpcEvent>> Associate(VpcState vpc, AssociateRouteTable associate, DateTimeOffset now)
    {
        if (vpc.FindRouteTable(associate.RouteTableId) is not { } table)
            return RouteRules.RouteTableNotFound(associate.RouteTableId);
        if (vpc.FindSubnet(associate.SubnetId) is null)
            return AwsError.InvalidParameterValue($"route table {associate.RouteTableId} and subnet {associate.SubnetId} belong to different networks");
        if (table.Associations.Find(a => a.SubnetId == associate.SubnetId) is { } existing)
            return existing.AssociationId == associate.AssociationId
                ? Decisions.None<IVpcEvent>()
                : new AwsError("Resource.AlreadyAssociated", $"the specified association for route table {table.RouteTableId} conflicts with an existing association");
        if (vpc.RouteTables.Exists(t => t.Associations.Exists(a => a.SubnetId == associate.SubnetId)))
            return new AwsError("Resource.AlreadyAssociated", $"the specified association for route table {table.RouteTableId} conflicts with an existing association");
        return Decisions.Events<IVpcEvent>(new RouteTableAssociated(table.RouteTableId, new RouteTableAssociation(associate.AssociationId, associate.SubnetId, Main: false), now));
    }

    public static Result<IReadOnlyList<IVpcEvent>> Disassociate(VpcState vpc, DisassociateRouteTable disassociate, DateTimeOffset now)
    {
        if (vpc.RouteTableWithAssociation(disassociate.AssociationId) is not { } table)
            return RouteRules.AssociationNotFound(disassociate.AssociationId);
        return table.Associations.Find(a => a.AssociationId == disassociate.AssociationId)!.Main
            ? AwsError.InvalidParameterValue($"cannot disassociate the main route table association {disassociate.AssociationId}")
            : Decisions.Events<IVpcEvent>(new RouteTableDisassociated(table.RouteTableId, disassociate.AssociationId, now));
    }

    /// <summary>Replacing the main association makes the other table main; replacing a subnet's moves the subnet.</summary>
    public static Result<IReadOnlyList<IVpcEvent>> ReplaceAssociation(VpcState vpc, ReplaceRouteTableAssociation replace, DateTimeOffset now)
    {
        if (vpc.RouteTableWithAssociation(replace.AssociationId) is not { } from)
            return RouteRules.AssociationNotFound(replace.AssociationId);
        if (vpc.FindRouteTable(replace.RouteTableId) is not { } to)
            return RouteRules.RouteTableNotFound(replace.RouteTableId);
        var association = from.Associations.Find(a => a.AssociationId == replace.AssociationId)!;
        return Decisions.Events<IVpcEvent>(
            new RouteTableDisassociated(from.RouteTableId, association.AssociationId, now),
            new RouteTableAssociated(to.RouteTableId, association with { AssociationId = replace.NewAssociationId }, now));
    }

    public static VpcState Evolve(VpcState vpc, IVpcEvent @event) => @event switch
    {
        RouteTableCreated e => vpc with { RouteTables = vpc.RouteTables.Add(new RouteTable(e.RouteTableId, e.Routes, [], e.Tags)) },
        RouteTableDeleted e => vpc with { RouteTables = vpc.RouteTables.RemoveAll(t => t.RouteTableId == e.RouteTableId) },
        RouteSet e => WithTable(vpc, e.RouteTableId, t => t with
        {
            Routes = t.FindRoute(e.Route.DestinationCidrBlock) is { } old ? t.Routes.Replace(old, e.Route) : t.Routes.Add(e.Route),
        }),
        VpcEvents.RouteDeleted e => WithTable(vpc, e.RouteTableId, t => t with { Routes = t.Routes.RemoveAll(r => r.DestinationCidrBlock == e.DestinationCidrBlock) }),
        RouteTableAssociated e => WithTable(vpc, e.RouteTableId, t => t with { Associations = t.Associations.Add(e.Association) }),
        RouteTableDisassociated e => WithTable(vpc, e.RouteTableId, t => t with { Associations = t.Associations.RemoveAll(a => a.AssociationId == e.AssociationId) }),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "not a route table event"),
    };

    private static VpcState WithTable(VpcState vpc, string routeTableId, Func<RouteTable, RouteTable> change) =>
        vpc.FindRouteTable(routeTableId) is { } table ? vpc with { RouteTables = vpc.RouteTables.Replace(table, change(table)) } : vpc;
}
