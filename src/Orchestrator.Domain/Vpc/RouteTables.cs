using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

/// <summary>What a route sends traffic to. Kind is the CreateRoute member that named it, in AWS's words.</summary>
public sealed record RouteTarget(string Kind, string Id)
{
    public const string Local = "local";
    public const string Gateway = "gateway";
    public const string NatGateway = "nat-gateway";
    public const string Instance = "instance";
    public const string NetworkInterface = "network-interface";
    public const string VpcPeeringConnection = "vpc-peering-connection";
    public const string TransitGateway = "transit-gateway";
    public const string EgressOnlyInternetGateway = "egress-only-internet-gateway";
    public const string VpcEndpoint = "vpc-endpoint";
    public const string CarrierGateway = "carrier-gateway";
    public const string LocalGateway = "local-gateway";
    public const string CoreNetwork = "core-network";

    public static readonly RouteTarget LocalTarget = new(Local, "local");

    /// <summary>May this target carry a destination inside the VPC's own block (a middlebox route)?</summary>
    public bool MayCoverVpcAddresses => Kind is NetworkInterface or Instance or NatGateway or VpcEndpoint or Local;
}

/// <summary>
/// A route target as the service layer found it: which VPC it belongs to (an attached internet
/// gateway's VPC, a NAT gateway's VPC) or null when it is not tied to one (peering, transit).
/// </summary>
public sealed record ResolvedRouteTarget(RouteTarget Target, string? VpcId);

public sealed record Route(string DestinationCidrBlock, RouteTarget Target, string Origin)
{
    public const string OriginCreateRouteTable = "CreateRouteTable";
    public const string OriginCreateRoute = "CreateRoute";
}

/// <summary>A subnet's explicit association, or the main association (no subnet) that every other subnet follows.</summary>
public sealed record RouteTableAssociation(string AssociationId, string? SubnetId, bool Main);

public sealed record RouteTable(
    string RouteTableId,
    ImmutableList<Route> Routes,
    ImmutableList<RouteTableAssociation> Associations,
    ImmutableDictionary<string, string> Tags)
{
    public bool IsMain => Associations.Exists(a => a.Main);

    public Route? FindRoute(string destination) => Routes.Find(r => r.DestinationCidrBlock == destination);
}

/// <summary>AWS's rules for routes: destinations, targets, duplicates and quotas (VPC user guide, CreateRoute).</summary>
public static class RouteRules
{
    /// <summary>Non-propagated routes per table (AWS's default quota).</summary>
    public const int MaxRoutesPerTable = 50;

    /// <summary>Route tables per VPC (AWS's default quota).</summary>
    public const int MaxRouteTablesPerVpc = 200;

    private static readonly Cidr ReservedLinkLocal = Cidr.Parse("169.254.168.0/22").Value;

    /// <summary>The route a new route with this destination and target would be, or AWS's refusal.</summary>
    public static Result<Route> Validate(VpcState vpc, RouteTable table, string destination, ResolvedRouteTarget target, bool replacing)
    {
        if (!Cidr.TryParse(destination, out var cidr))
            return AwsError.InvalidParameterValue($"Value ({destination}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.");
        var canonical = cidr.ToString();
        if (cidr.Overlaps(ReservedLinkLocal) && cidr.PrefixLength >= ReservedLinkLocal.PrefixLength)
            return AwsError.InvalidParameterValue($"The destination CIDR block {canonical} is reserved and cannot be used.");
        if (target.VpcId is { } targetVpc && targetVpc != vpc.VpcId)
            return AwsError.InvalidParameterValue($"route table {table.RouteTableId} and network gateway {target.Target.Id} belong to different networks");
        var existing = table.FindRoute(canonical);
        if (!replacing && existing is not null)
            return new AwsError("RouteAlreadyExists", $"The route identified by {canonical} already exists.");
        if (replacing && existing is null)
            return RouteNotFound(table.RouteTableId, canonical);
        if (existing?.Target.Kind == RouteTarget.Local && !target.Target.MayCoverVpcAddresses)
            return AwsError.InvalidParameterValue($"The local route {canonical} can only be replaced with a network interface, instance, NAT gateway or VPC endpoint target.");
        if (existing?.Target.Kind != RouteTarget.Local && vpc.Block().Contains(cidr) && !target.Target.MayCoverVpcAddresses)
            return AwsError.InvalidParameterValue(
                $"The destination CIDR block {canonical} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.");
        if (!replacing && table.Routes.Count(r => r.Origin == Route.OriginCreateRoute) >= MaxRoutesPerTable)
            return new AwsError("RouteLimitExceeded", $"The maximum number of routes has been reached for route table {table.RouteTableId}.");
        return new Route(canonical, target.Target, existing?.Origin ?? Route.OriginCreateRoute);
    }

    /// <summary>
    /// "active", or "blackhole" when the target is gone: an internet gateway no longer attached to this
    /// VPC, a NAT gateway past available, a terminated instance. The target's current view (null when it
    /// no longer exists) comes from the caller, which reads it where it lives.
    /// </summary>
    public static string State(Route route, string vpcId, object? targetView) => route.Target.Kind switch
    {
        RouteTarget.Gateway when route.Target.Id.StartsWith("igw-", StringComparison.Ordinal) =>
            targetView is InternetGatewayView igw && igw.AttachedVpcId == vpcId ? Active : Blackhole,
        RouteTarget.NatGateway => targetView is NatGatewayView { State: "available" or "pending" } ? Active : Blackhole,
        RouteTarget.Instance => targetView is Ec2.InstanceView { State.Name: not "terminated" } ? Active : Blackhole,
        _ => Active,
    };

    public const string Active = "active";
    public const string Blackhole = "blackhole";

    public static AwsError RouteNotFound(string routeTableId, string destination) =>
        new("InvalidRoute.NotFound", $"no route with destination-cidr-block {destination} in route table {routeTableId}");

    public static AwsError RouteTableNotFound(string routeTableId) =>
        new("InvalidRouteTableID.NotFound", $"The routeTable ID '{routeTableId}' does not exist");

    public static AwsError RouteTableIdMalformed(string routeTableId) =>
        new("InvalidRouteTableId.Malformed", $"Invalid id: \"{routeTableId}\" (expecting \"rtb-...\")");

    public static AwsError AssociationNotFound(string associationId) =>
        new("InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist");

    public static AwsError RouteTableHasDependencies(string routeTableId) =>
        new("DependencyViolation", $"The routeTable '{routeTableId}' has dependencies and cannot be deleted.");
}
