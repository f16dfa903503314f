using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using AwsError = Orchestrator.Api.Handlers.AwsError;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>Route tables, routes, network ACLs and VPC/subnet attributes: the VPC entity's inner resources over the EC2 API.</summary>
public sealed class VpcNetworkApiModule(VpcNetworkService vpcs) : IAwsServiceModule
{
    private static readonly FrozenSet<string> RouteTableFilters = FrozenSet.Create(
        "association.gateway-id", "association.route-table-association-id", "association.route-table-id", "association.subnet-id", "association.main",
        "owner-id", "route-table-id", "route.destination-cidr-block", "route.gateway-id", "route.nat-gateway-id", "route.instance-id",
        "route.network-interface-id", "route.vpc-peering-connection-id", "route.transit-gateway-id", "route.egress-only-internet-gateway-id",
        "route.destination-ipv6-cidr-block", "route.destination-prefix-list-id", "route.origin", "route.state", "vpc-id", "tag-key");

    private static readonly FrozenSet<string> NetworkAclFilters = FrozenSet.Create(
        "association.association-id", "association.network-acl-id", "association.subnet-id", "default", "entry.cidr", "entry.icmp.code",
        "entry.icmp.type", "entry.ipv6-cidr", "entry.port-range.from", "entry.port-range.to", "entry.protocol", "entry.rule-action",
        "entry.egress", "entry.rule-number", "network-acl-id", "owner-id", "vpc-id", "tag-key");

    /// <summary>CreateRoute members that name a target, with the kind each names.</summary>
    private static readonly (string Member, string Kind)[] TargetMembers =
    [
        ("GatewayId", RouteTarget.Gateway), ("NatGatewayId", RouteTarget.NatGateway), ("InstanceId", RouteTarget.Instance),
        ("NetworkInterfaceId", RouteTarget.NetworkInterface), ("VpcPeeringConnectionId", RouteTarget.VpcPeeringConnection),
        ("TransitGatewayId", RouteTarget.TransitGateway), ("EgressOnlyInternetGatewayId", RouteTarget.EgressOnlyInternetGateway),
        ("VpcEndpointId", RouteTarget.VpcEndpoint), ("CarrierGatewayId", RouteTarget.CarrierGateway), ("LocalGatewayId", RouteTarget.LocalGateway),
        ("CoreNetworkArn", RouteTarget.CoreNetwork),
    ];

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "DescribeVpcAttribute", (request, ct) => DescribeVpcAttribute(request.Input, ct));
        registry.Register("ec2", "ModifyVpcAttribute", (request, ct) => ModifyVpcAttribute(request.Input, ct));
        registry.Register("ec2", "ModifySubnetAttribute", (request, ct) => ModifySubnetAttribute(request.Input, ct));
        registry.Register("ec2", "CreateRouteTable", async (request, ct) =>
        {
            var vpcId = Required(request.Input, "VpcId");
            var tableId = AwsIds.New("rtb");
            var created = await vpcs.SendToOwner(vpcId, id => new VpcCommands.CreateRouteTable(id, tableId, NullIfEmpty(TagSpecifications(request.Input, "route-table"))), ct).ConfigureAwait(false);
            if (created.IsError)
                return ToApi(created.Error!);
            var view = RouteTableView.AllOf(created.Value).First(t => t.RouteTableId == tableId);
            return new JsonObject { ["RouteTable"] = await RouteTableJson(view, request.Context.AccountId).ConfigureAwait(false) };
        });
        registry.Register("ec2", "DeleteRouteTable", (request, ct) => Done(request.Input, "RouteTableId", (vpcId, id) => new VpcCommands.DeleteRouteTable(vpcId, id), ct));
        registry.Register("ec2", "CreateRoute", (request, ct) => SetRoute(request.Input, replacing: false, ct));
        registry.Register("ec2", "ReplaceRoute", (request, ct) => SetRoute(request.Input, replacing: true, ct));
        registry.Register("ec2", "DeleteRoute", (request, ct) =>
            Done(request.Input, "RouteTableId", (vpcId, id) => new VpcCommands.DeleteRoute(vpcId, id, Required(request.Input, "DestinationCidrBlock")), ct));
        registry.Register("ec2", "AssociateRouteTable", async (request, ct) =>
        {
            var input = request.Input;
            var subnetId = Required(input, "SubnetId");
            var associationId = AwsIds.New("rtbassoc");
            var done = await Done(input, "RouteTableId", (vpcId, id) => new VpcCommands.AssociateRouteTable(vpcId, id, subnetId, associationId), ct).ConfigureAwait(false);
            return done.Error is { } error ? error : new JsonObject { ["AssociationId"] = associationId, ["AssociationState"] = new JsonObject { ["State"] = "associated" } };
        });
        registry.Register("ec2", "DisassociateRouteTable", async (request, ct) =>
        {
            var associationId = Required(request.Input, "AssociationId");
            var vpcId = await vpcs.VpcOfAssociation(associationId).ConfigureAwait(false);
            if (vpcId.IsError)
                return ToApi(vpcId.Error!);
            var done = await vpcs.Send(new VpcCommands.DisassociateRouteTable(vpcId.Value, associationId), ct).ConfigureAwait(false);
            return done.IsError ? ToApi(done.Error!) : new JsonObject();
        });
        registry.Register("ec2", "ReplaceRouteTableAssociation", async (request, ct) =>
        {
            var input = request.Input;
            var associationId = Required(input, "AssociationId");
            var tableId = Required(input, "RouteTableId");
            var vpcId = await vpcs.VpcOfAssociation(associationId).ConfigureAwait(false);
            if (vpcId.IsError)
                return ToApi(vpcId.Error!);
            var newId = AwsIds.New("rtbassoc");
            var done = await vpcs.Send(new VpcCommands.ReplaceRouteTableAssociation(vpcId.Value, associationId, tableId, newId), ct).ConfigureAwait(false);
            return done.IsError ? ToApi(done.Error!) : new JsonObject { ["NewAssociationId"] = newId, ["AssociationState"] = new JsonObject { ["State"] = "associated" } };
        });
        registry.Register("ec2", "DescribeRouteTables", (request, _) => DescribeRouteTables(request));
        registry.Register("ec2", "CreateNetworkAcl", async (request, ct) =>
        {
            var vpcId = Required(request.Input, "VpcId");
            var aclId = AwsIds.New("acl");
            var created = await vpcs.SendToOwner(vpcId, id => new VpcCommands.CreateNetworkAcl(id, aclId, NullIfEmpty(TagSpecifications(request.Input, "network-acl"))), ct).ConfigureAwait(false);
            if (created.IsError)
                return ToApi(created.Error!);
            return new JsonObject { ["NetworkAcl"] = NetworkAclJson(NetworkAclView.AllOf(created.Value).First(a => a.NetworkAclId == aclId), request.Context.AccountId) };
        });
        registry.Register("ec2", "DeleteNetworkAcl", (request, ct) => Done(request.Input, "NetworkAclId", (vpcId, id) => new VpcCommands.DeleteNetworkAcl(vpcId, id), ct));
        registry.Register("ec2", "CreateNetworkAclEntry", (request, ct) =>
            Done(request.Input, "NetworkAclId", (vpcId, id) => new VpcCommands.CreateNetworkAclEntry(vpcId, id, EntryRequest(request.Input)), ct));
        registry.Register("ec2", "ReplaceNetworkAclEntry", (request, ct) =>
            Done(request.Input, "NetworkAclId", (vpcId, id) => new VpcCommands.ReplaceNetworkAclEntry(vpcId, id, EntryRequest(request.Input)), ct));
        registry.Register("ec2", "DeleteNetworkAclEntry", (request, ct) =>
            Done(request.Input, "NetworkAclId", (vpcId, id) => new VpcCommands.DeleteNetworkAclEntry(vpcId, id, RequiredInt(request.Input, "RuleNumber"), RequiredBool(request.Input, "Egress")), ct));
        registry.Register("ec2", "ReplaceNetworkAclAssociation", async (request, ct) =>
        {
            var input = request.Input;
            var associationId = Required(input, "AssociationId");
            var aclId = Required(input, "NetworkAclId");
            var vpcId = await vpcs.VpcOfAssociation(associationId).ConfigureAwait(false);
            if (vpcId.IsError)
                return ToApi(vpcId.Error!);
            var newId = AwsIds.New("aclassoc");
            var done = await vpcs.Send(new VpcCommands.ReplaceNetworkAclAssociation(vpcId.Value, associationId, aclId, newId), ct).ConfigureAwait(false);
            return done.IsError ? ToApi(done.Error!) : new JsonObject { ["NewAssociationId"] = newId };
        });
        registry.Register("ec2", "DescribeNetworkAcls", (request, _) => DescribeNetworkAcls(request));
    }

    private async ValueTask<AwsResult> DescribeVpcAttribute(JsonObject input, CancellationToken cancellationToken)
    {
        var attribute = Required(input, "Attribute");
        if (!VpcAttributes.All.Contains(attribute))
            return new AwsError("InvalidParameterValue", $"Value ({attribute}) for parameter attribute is invalid. Valid values are: {string.Join(", ", VpcAttributes.All)}");
        var vpc = await vpcs.Vpc(Required(input, "VpcId"), cancellationToken).ConfigureAwait(false);
        if (vpc.IsError)
            return ToApi(vpc.Error!);
        return new JsonObject
        {
            ["VpcId"] = vpc.Value.VpcId,
            [char.ToUpperInvariant(attribute[0]) + attribute[1..]] = new JsonObject { ["Value"] = VpcAttributes.ValueOf(vpc.Value, attribute) },
        };
    }

    /// <summary>One attribute per call, as AWS requires.</summary>
    private async ValueTask<AwsResult> ModifyVpcAttribute(JsonObject input, CancellationToken cancellationToken)
    {
        var given = VpcAttributes.All.Where(a => input[char.ToUpperInvariant(a[0]) + a[1..]] is JsonObject).ToList();
        if (given.Count != 1)
            return new AwsError(given.Count == 0 ? "MissingParameter" : "InvalidParameterCombination",
                given.Count == 0 ? "The request must contain exactly one attribute to modify" : $"Fields for multiple attribute types specified: {string.Join(", ", given)}");
        var value = (input[char.ToUpperInvariant(given[0][0]) + given[0][1..]] as JsonObject)?["Value"]?.GetValue<bool>();
        if (value is null)
            return new AwsError("MissingParameter", $"The request must contain the parameter {given[0]}.value");
        var vpcId = Required(input, "VpcId");
        var done = await vpcs.SendToOwner(vpcId, id => new VpcCommands.ModifyVpcAttribute(id, given[0], value.Value), cancellationToken).ConfigureAwait(false);
        return done.IsError ? ToApi(done.Error!) : new JsonObject();
    }

    private async ValueTask<AwsResult> ModifySubnetAttribute(JsonObject input, CancellationToken cancellationToken)
    {
        var given = SubnetAttributes.All.Where(a => input[a] is not null).ToList();
        if (given.Count != 1)
            return new AwsError(given.Count == 0 ? "MissingParameter" : "InvalidParameterCombination",
                given.Count == 0 ? "The request must contain exactly one attribute to modify" : $"Fields for multiple attribute types specified: {string.Join(", ", given)}");
        var node = input[given[0]]!;
        var value = node is JsonObject box
            ? box["Value"]?.GetValue<bool>().ToString(CultureInfo.InvariantCulture).ToLowerInvariant()
            : node.GetValue<string>();
        if (value is null)
            return new AwsError("MissingParameter", $"The request must contain the parameter {given[0]}.Value");
        var subnetId = Required(input, "SubnetId");
        var done = await vpcs.SendToOwner(subnetId, id => new VpcCommands.ModifySubnetAttribute(id, subnetId, given[0], value), cancellationToken).ConfigureAwait(false);
        return done.IsError ? ToApi(done.Error!) : new JsonObject();
    }

    private async ValueTask<AwsResult> SetRoute(JsonObject input, bool replacing, CancellationToken cancellationToken)
    {
        var tableId = Required(input, "RouteTableId");
        var destination = String(input, "DestinationCidrBlock");
        if (destination is null)
        {
            return input["DestinationIpv6CidrBlock"] is not null || input["DestinationPrefixListId"] is not null
                ? new AwsError("UnsupportedOperation", "IPv6 and prefix-list route destinations are not supported by this emulator yet")
                : new AwsError("MissingParameter", "The request must contain the parameter destinationCidrBlock");
        }
        var named = TargetMembers.Where(m => String(input, m.Member) is not null).Select(m => new RouteTarget(m.Kind, String(input, m.Member)!)).ToList();
        var target = await vpcs.ResolveTarget(named).ConfigureAwait(false);
        if (target.IsError)
            return ToApi(target.Error!);
        var done = await vpcs.SendToOwner(tableId, vpcId => replacing
            ? new VpcCommands.ReplaceRoute(vpcId, tableId, destination, target.Value)
            : new VpcCommands.CreateRoute(vpcId, tableId, destination, target.Value), cancellationToken).ConfigureAwait(false);
        if (done.IsError)
            return ToApi(done.Error!);
        return replacing ? new JsonObject() : new JsonObject { ["Return"] = true };
    }

    private async ValueTask<AwsResult> Done(JsonObject input, string idMember, Func<string, string, IVpcCommand> command, CancellationToken cancellationToken)
    {
        var id = Required(input, idMember);
        var done = await vpcs.SendToOwner(id, vpcId => command(vpcId, id), cancellationToken).ConfigureAwait(false);
        return done.IsError ? ToApi(done.Error!) : new JsonObject { ["Return"] = true };
    }

    private async ValueTask<AwsResult> DescribeRouteTables(AwsRequest request)
    {
        var input = request.Input;
        var ids = Strings(input, "RouteTableIds");
        var filters = Filters.Parse(input, RouteTableFilters);
        var tables = await vpcs.List<RouteTableView>(Ec2Kinds.RouteTable).ConfigureAwait(false);
        if (ids.FirstOrDefault(id => tables.All(t => t.RouteTableId != id)) is { } missing)
            return ToApi(AwsIds.IsWellFormed(missing, "rtb") ? RouteRules.RouteTableNotFound(missing) : RouteRules.RouteTableIdMalformed(missing));
        var described = new List<JsonObject>();
        foreach (var table in tables.Where(t => ids.Count == 0 || ids.Contains(t.RouteTableId)))
        {
            var json = await RouteTableJson(table, request.Context.AccountId).ConfigureAwait(false);
            var routes = json["Routes"]!.AsArray().OfType<JsonObject>().ToList();
            IReadOnlyList<string> RouteValues(string member) => [.. routes.Select(r => String(r, member)).OfType<string>()];
            if (filters.Matches(name => name switch
            {
                "association.gateway-id" => [],
                "association.route-table-association-id" => [.. table.Associations.Select(a => a.AssociationId)],
                "association.route-table-id" => table.Associations.IsEmpty ? [] : [table.RouteTableId],
                "association.subnet-id" => [.. table.Associations.Select(a => a.SubnetId).OfType<string>()],
                "association.main" => [.. table.Associations.Select(a => a.Main ? "true" : "false")],
                "owner-id" => [request.Context.AccountId],
                "route-table-id" => [table.RouteTableId],
                "route.destination-cidr-block" => RouteValues("DestinationCidrBlock"),
                "route.gateway-id" => RouteValues("GatewayId"),
                "route.nat-gateway-id" => RouteValues("NatGatewayId"),
                "route.instance-id" => RouteValues("InstanceId"),
                "route.network-interface-id" => RouteValues("NetworkInterfaceId"),
                "route.vpc-peering-connection-id" => RouteValues("VpcPeeringConnectionId"),
                "route.transit-gateway-id" => RouteValues("TransitGatewayId"),
                "route.egress-only-internet-gateway-id" => RouteValues("EgressOnlyInternetGatewayId"),
                "route.origin" => RouteValues("Origin"),
                "route.state" => RouteValues("State"),
                "vpc-id" => [table.VpcId],
                "tag-key" => [.. table.Tags.Keys],
                _ when name.StartsWith("tag:", StringComparison.Ordinal) => table.Tags.TryGetValue(name[4..], out var value) ? [value] : [],
                _ => [],
            }))
                described.Add(json);
        }
        var page = Page.Of(described, input, min: 5, max: 100);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["RouteTables"] = new JsonArray([.. page.Items]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private async ValueTask<AwsResult> DescribeNetworkAcls(AwsRequest request)
    {
        var input = request.Input;
        var ids = Strings(input, "NetworkAclIds");
        var filters = Filters.Parse(input, NetworkAclFilters);
        var acls = await vpcs.List<NetworkAclView>(Ec2Kinds.NetworkAcl).ConfigureAwait(false);
        if (ids.FirstOrDefault(id => acls.All(a => a.NetworkAclId != id)) is { } missing)
            return ToApi(AwsIds.IsWellFormed(missing, "acl") ? NetworkAclRules.NetworkAclNotFound(missing) : NetworkAclRules.NetworkAclIdMalformed(missing));
        var matching = acls.Where(a => ids.Count == 0 || ids.Contains(a.NetworkAclId)).Where(a => filters.Matches(name => name switch
        {
            "association.association-id" => [.. a.Associations.Select(x => x.AssociationId)],
            "association.network-acl-id" => a.Associations.IsEmpty ? [] : [a.NetworkAclId],
            "association.subnet-id" => [.. a.Associations.Select(x => x.SubnetId)],
            "default" => [a.IsDefault ? "true" : "false"],
            "entry.cidr" => [.. a.Entries.Select(e => e.CidrBlock)],
            "entry.icmp.code" => [.. a.Entries.Select(e => e.IcmpTypeCode?.Code.ToString(CultureInfo.InvariantCulture)).OfType<string>()],
            "entry.icmp.type" => [.. a.Entries.Select(e => e.IcmpTypeCode?.Type.ToString(CultureInfo.InvariantCulture)).OfType<string>()],
            "entry.port-range.from" => [.. a.Entries.Select(e => e.PortRange?.From.ToString(CultureInfo.InvariantCulture)).OfType<string>()],
            "entry.port-range.to" => [.. a.Entries.Select(e => e.PortRange?.To.ToString(CultureInfo.InvariantCulture)).OfType<string>()],
            "entry.protocol" => [.. a.Entries.Select(e => e.Protocol)],
            "entry.rule-action" => [.. a.Entries.Select(e => e.RuleAction)],
            "entry.egress" => [.. a.Entries.Select(e => e.Egress ? "true" : "false")],
            "entry.rule-number" => [.. a.Entries.Select(e => e.RuleNumber.ToString(CultureInfo.InvariantCulture))],
            "network-acl-id" => [a.NetworkAclId],
            "owner-id" => [request.Context.AccountId],
            "vpc-id" => [a.VpcId],
            "tag-key" => [.. a.Tags.Keys],
            _ when name.StartsWith("tag:", StringComparison.Ordinal) => a.Tags.TryGetValue(name[4..], out var value) ? [value] : [],
            _ => [],
        })).Select(a => NetworkAclJson(a, request.Context.AccountId)).ToList();
        var page = Page.Of(matching, input, min: 5, max: 1000);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["NetworkAcls"] = new JsonArray([.. page.Items]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private async Task<JsonObject> RouteTableJson(RouteTableView table, string accountId)
    {
        var routes = new JsonArray();
        foreach (var route in table.Routes)
        {
            var json = new JsonObject { ["DestinationCidrBlock"] = route.DestinationCidrBlock };
            json[route.Target.Kind switch
            {
                RouteTarget.NatGateway => "NatGatewayId",
                RouteTarget.Instance => "InstanceId",
                RouteTarget.NetworkInterface => "NetworkInterfaceId",
                RouteTarget.VpcPeeringConnection => "VpcPeeringConnectionId",
                RouteTarget.TransitGateway => "TransitGatewayId",
                RouteTarget.EgressOnlyInternetGateway => "EgressOnlyInternetGatewayId",
                RouteTarget.CarrierGateway => "CarrierGatewayId",
                RouteTarget.LocalGateway => "LocalGatewayId",
                RouteTarget.CoreNetwork => "CoreNetworkArn",
                _ => "GatewayId",
            }] = route.Target.Id;
            json["Origin"] = route.Origin;
            json["State"] = await vpcs.RouteState(table.VpcId, route).ConfigureAwait(false);
            routes.Add(json);
        }
        return new JsonObject
        {
            ["RouteTableId"] = table.RouteTableId,
            ["VpcId"] = table.VpcId,
            ["OwnerId"] = accountId,
            ["Routes"] = routes,
            ["Associations"] = new JsonArray([.. table.Associations.Select(a =>
            {
                var json = new JsonObject
                {
                    ["Main"] = a.Main,
                    ["RouteTableAssociationId"] = a.AssociationId,
                    ["RouteTableId"] = table.RouteTableId,
                    ["AssociationState"] = new JsonObject { ["State"] = "associated" },
                };
                if (a.SubnetId is { } subnetId)
                    json["SubnetId"] = subnetId;
                return (JsonNode)json;
            })]),
            ["PropagatingVgws"] = new JsonArray(),
            ["Tags"] = Tags(table.Tags),
        };
    }

    /// <summary>Entries include the implicit final deny of each direction, as DescribeNetworkAcls shows it.</summary>
    private static JsonObject NetworkAclJson(NetworkAclView acl, string accountId)
    {
        var entries = acl.Entries
            .Concat([new NetworkAclEntry(NetworkAclRules.CatchAllRuleNumber, false, NetworkAclRules.AllProtocols, NetworkAclRules.Deny, "0.0.0.0/0"),
                new NetworkAclEntry(NetworkAclRules.CatchAllRuleNumber, true, NetworkAclRules.AllProtocols, NetworkAclRules.Deny, "0.0.0.0/0")])
            .OrderBy(e => e.Egress).ThenBy(e => e.RuleNumber)
            .Select(e =>
            {
                var json = new JsonObject
                {
                    ["RuleNumber"] = e.RuleNumber,
                    ["Protocol"] = e.Protocol,
                    ["RuleAction"] = e.RuleAction,
                    ["Egress"] = e.Egress,
                    ["CidrBlock"] = e.CidrBlock,
                };
                if (e.PortRange is { } ports)
                    json["PortRange"] = new JsonObject { ["From"] = ports.From, ["To"] = ports.To };
                if (e.IcmpTypeCode is { } icmp)
                    json["IcmpTypeCode"] = new JsonObject { ["Type"] = icmp.Type, ["Code"] = icmp.Code };
                return (JsonNode)json;
            });
        return new JsonObject
        {
            ["NetworkAclId"] = acl.NetworkAclId,
            ["VpcId"] = acl.VpcId,
            ["IsDefault"] = acl.IsDefault,
            ["OwnerId"] = accountId,
            ["Entries"] = new JsonArray([.. entries]),
            ["Associations"] = new JsonArray([.. acl.Associations.Select(a => (JsonNode)new JsonObject
            {
                ["NetworkAclAssociationId"] = a.AssociationId,
                ["NetworkAclId"] = acl.NetworkAclId,
                ["SubnetId"] = a.SubnetId,
            })]),
            ["Tags"] = Tags(acl.Tags),
        };
    }

    private static NetworkAclEntryRequest EntryRequest(JsonObject input)
    {
        if (String(input, "Ipv6CidrBlock") is not null)
            throw new AwsErrorException(new AwsError("UnsupportedOperation", "IPv6 network ACL entries are not supported by this emulator yet"));
        var ports = input["PortRange"] as JsonObject;
        var icmp = input["IcmpTypeCode"] as JsonObject;
        return new NetworkAclEntryRequest(
            RequiredInt(input, "RuleNumber"), RequiredBool(input, "Egress"), Required(input, "Protocol"), Required(input, "RuleAction"), String(input, "CidrBlock"),
            ports is null ? null : new PortRange(Int(ports, "From") ?? -1, Int(ports, "To") ?? -1),
            icmp is null ? null : new IcmpTypeCode(Int(icmp, "Type") ?? -1, Int(icmp, "Code") ?? -1));
    }

    private static string Required(JsonObject input, string member) =>
        String(input, member) ?? throw new AwsErrorException(new AwsError("MissingParameter", $"The request must contain the parameter {member}"));

    private static int RequiredInt(JsonObject input, string member) =>
        Int(input, member) ?? throw new AwsErrorException(new AwsError("MissingParameter", $"The request must contain the parameter {member}"));

    private static bool RequiredBool(JsonObject input, string member) =>
        input[member]?.GetValue<bool>() ?? throw new AwsErrorException(new AwsError("MissingParameter", $"The request must contain the parameter {member}"));

    private static ImmutableDictionary<string, string>? NullIfEmpty(ImmutableDictionary<string, string> tags) => tags.Count == 0 ? null : tags;
}
