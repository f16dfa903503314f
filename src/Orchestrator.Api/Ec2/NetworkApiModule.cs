using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>Internet gateways, Elastic IPs and NAT gateways: the EC2 actions over <see cref="NetworkService"/>.</summary>
public sealed class NetworkApiModule(NetworkService network) : IAwsServiceModule
{
    private static readonly FrozenSet<string> InternetGatewayFilters = FrozenSet.Create(
        "attachment.state", "attachment.vpc-id", "internet-gateway-id", "owner-id", "tag-key");

    private static readonly FrozenSet<string> AddressFilters = FrozenSet.Create(
        "allocation-id", "association-id", "domain", "instance-id", "network-interface-id", "network-interface-owner-id", "private-ip-address",
        "public-ip", "network-border-group", "tag-key");

    private static readonly FrozenSet<string> NatGatewayFilters = FrozenSet.Create("nat-gateway-id", "state", "subnet-id", "vpc-id", "tag-key");

    /// <summary>The pool AWS names for addresses from Amazon's own ranges.</summary>
    private const string AmazonPool = "amazon";

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "CreateInternetGateway", async (request, cancellationToken) =>
        {
            var created = await network.CreateInternetGateway(TagSpecifications(request.Input, "internet-gateway"), cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["InternetGateway"] = InternetGatewayJson(created.Value, request.Context.AccountId) };
        });
        registry.Register("ec2", "AttachInternetGateway", async (request, cancellationToken) =>
            Empty((await network.AttachInternetGateway(String(request.Input, "InternetGatewayId")!, String(request.Input, "VpcId")!, cancellationToken).ConfigureAwait(false)).Error));
        registry.Register("ec2", "DetachInternetGateway", async (request, cancellationToken) =>
            Empty((await network.DetachInternetGateway(String(request.Input, "InternetGatewayId")!, String(request.Input, "VpcId")!, cancellationToken).ConfigureAwait(false)).Error));
        registry.Register("ec2", "DeleteInternetGateway", async (request, cancellationToken) =>
            Empty((await network.DeleteInternetGateway(String(request.Input, "InternetGatewayId")!, cancellationToken).ConfigureAwait(false)).Error));
        registry.Register("ec2", "DescribeInternetGateways", (request, _) => DescribeInternetGateways(request));

        registry.Register("ec2", "AllocateAddress", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var allocated = await network.AllocateAddress(String(input, "Domain"), String(input, "NetworkBorderGroup"), TagSpecifications(input, "elastic-ip"), cancellationToken).ConfigureAwait(false);
            if (allocated.IsError)
                return ToApi(allocated.Error!);
            return new JsonObject
            {
                ["AllocationId"] = allocated.Value.AllocationId,
                ["PublicIpv4Pool"] = AmazonPool,
                ["NetworkBorderGroup"] = allocated.Value.NetworkBorderGroup,
                ["Domain"] = allocated.Value.Domain,
                ["PublicIp"] = allocated.Value.PublicIp,
            };
        });
        registry.Register("ec2", "AssociateAddress", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var associated = await network.AssociateAddress(new AssociateAddressRequest(String(input, "AllocationId"), String(input, "PublicIp"),
                String(input, "InstanceId"), String(input, "NetworkInterfaceId"), String(input, "PrivateIpAddress"), Bool(input, "AllowReassociation")), cancellationToken).ConfigureAwait(false);
            return associated.IsError ? ToApi(associated.Error!) : new JsonObject { ["AssociationId"] = associated.Value };
        });
        registry.Register("ec2", "DisassociateAddress", async (request, cancellationToken) =>
            Empty((await network.DisassociateAddress(String(request.Input, "AssociationId"), String(request.Input, "PublicIp"), cancellationToken).ConfigureAwait(false)).Error));
        registry.Register("ec2", "ReleaseAddress", async (request, cancellationToken) =>
            Empty((await network.ReleaseAddress(String(request.Input, "AllocationId"), String(request.Input, "PublicIp"), cancellationToken).ConfigureAwait(false)).Error));
        registry.Register("ec2", "DescribeAddresses", (request, _) => DescribeAddresses(request));
        registry.Register("ec2", "DescribeAddressesAttribute", (request, _) => DescribeAddressesAttribute(request.Input));

        registry.Register("ec2", "CreateNatGateway", (request, cancellationToken) => CreateNatGateway(request.Input, cancellationToken));
        registry.Register("ec2", "DeleteNatGateway", async (request, cancellationToken) =>
        {
            var deleted = await network.DeleteNatGateway(String(request.Input, "NatGatewayId")!, cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject { ["NatGatewayId"] = deleted.Value };
        });
        registry.Register("ec2", "DescribeNatGateways", (request, _) => DescribeNatGateways(request.Input));
    }

    private static AwsResult Empty(Domain.Common.AwsError? error) => error is null ? new JsonObject() : ToApi(error);

    // ---- Internet gateways

    private async ValueTask<AwsResult> DescribeInternetGateways(AwsRequest request)
    {
        var input = request.Input;
        var filters = Filters.Parse(input, InternetGatewayFilters);
        var described = await network.DescribeInternetGateways(Strings(input, "InternetGatewayIds")).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var owner = request.Context.AccountId;
        var matching = described.Value.Where(g => filters.Matches(name => name switch
        {
            "attachment.state" => g.AttachedVpcId is null ? [] : [InternetGatewayView.AttachmentState],
            "attachment.vpc-id" => g.AttachedVpcId is null ? [] : [g.AttachedVpcId],
            "internet-gateway-id" => [g.InternetGatewayId],
            "owner-id" => [owner],
            _ => TagFilter(g.Tags, name),
        })).ToList();
        return Paged(matching, input, "InternetGateways", g => InternetGatewayJson(g, owner));
    }

    private static JsonObject InternetGatewayJson(InternetGatewayView g, string ownerId) => new()
    {
        ["Attachments"] = g.AttachedVpcId is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["State"] = InternetGatewayView.AttachmentState, ["VpcId"] = g.AttachedVpcId }),
        ["InternetGatewayId"] = g.InternetGatewayId,
        ["OwnerId"] = ownerId,
        ["Tags"] = Tags(g.Tags),
    };

    // ---- Elastic IPs

    private async ValueTask<AwsResult> DescribeAddresses(AwsRequest request)
    {
        var input = request.Input;
        var filters = Filters.Parse(input, AddressFilters);
        var described = await network.DescribeAddresses(Strings(input, "AllocationIds"), Strings(input, "PublicIps")).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var owner = request.Context.AccountId;
        var matching = described.Value.Where(a => filters.Matches(name => name switch
        {
            "allocation-id" => [a.AllocationId],
            "association-id" => Optional(a.AssociationId),
            "domain" => [a.Domain],
            "instance-id" => Optional(a.InstanceId),
            "network-interface-id" => Optional(a.NetworkInterfaceId),
            "network-interface-owner-id" => a.NetworkInterfaceId is null ? [] : [owner],
            "private-ip-address" => Optional(a.PrivateIpAddress),
            "public-ip" => [a.PublicIp],
            "network-border-group" => [a.NetworkBorderGroup],
            _ => TagFilter(a.Tags, name),
        }));
        return new JsonObject { ["Addresses"] = new JsonArray([.. matching.Select(a => (JsonNode)AddressJson(a, owner))]) };
    }

    private static JsonObject AddressJson(ElasticAddressView a, string ownerId)
    {
        var json = new JsonObject
        {
            ["AllocationId"] = a.AllocationId,
            ["Domain"] = a.Domain,
            ["Tags"] = Tags(a.Tags),
            ["PublicIpv4Pool"] = AmazonPool,
            ["NetworkBorderGroup"] = a.NetworkBorderGroup,
            ["PublicIp"] = a.PublicIp,
        };
        if (a.AssociationId is { } association) json["AssociationId"] = association;
        if (a.InstanceId is { } instance) json["InstanceId"] = instance;
        if (a.NetworkInterfaceId is { } eni)
        {
            json["NetworkInterfaceId"] = eni;
            json["NetworkInterfaceOwnerId"] = ownerId;
        }
        if (a.PrivateIpAddress is { } privateIp) json["PrivateIpAddress"] = privateIp;
        return json;
    }

    /// <summary>The reverse DNS (PTR) attribute: the simulator sets no PTR records, so each address answers with its ids alone.</summary>
    private async ValueTask<AwsResult> DescribeAddressesAttribute(JsonObject input)
    {
        if (String(input, "Attribute") is { } attribute && attribute != "domain-name")
            return new AwsError("InvalidParameterValue", $"Value ({attribute}) for parameter attribute is invalid. Valid values are: domain-name");
        var described = await network.DescribeAddresses(Strings(input, "AllocationIds"), []).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        return Paged(described.Value, input, "Addresses", a => new JsonObject { ["PublicIp"] = a.PublicIp, ["AllocationId"] = a.AllocationId }, min: 1);
    }

    // ---- NAT gateways

    private async ValueTask<AwsResult> CreateNatGateway(JsonObject input, CancellationToken cancellationToken)
    {
        if (String(input, "AvailabilityMode") is { } mode && mode != "zonal")
            return new AwsError("UnsupportedOperation", "Regional NAT gateways are not supported by this simulator.");
        var token = String(input, "ClientToken");
        var created = await network.CreateNatGateway(new CreateNatGatewayRequest(String(input, "SubnetId"), String(input, "AllocationId"), String(input, "ConnectivityType"),
            String(input, "PrivateIpAddress"), token, TagSpecifications(input, "natgateway")), cancellationToken).ConfigureAwait(false);
        if (created.IsError)
            return ToApi(created.Error!);
        var output = new JsonObject { ["NatGateway"] = NatGatewayJson(created.Value) };
        if (token is not null)
            output["ClientToken"] = token;
        return output;
    }

    private async ValueTask<AwsResult> DescribeNatGateways(JsonObject input)
    {
        // DescribeNatGateways names its filter list "Filter", unlike every other Describe.
        var filters = Filters.Parse(new JsonObject { ["Filters"] = input["Filter"]?.DeepClone() }, NatGatewayFilters);
        var described = await network.DescribeNatGateways(Strings(input, "NatGatewayIds")).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var matching = described.Value.Where(g => filters.Matches(name => name switch
        {
            "nat-gateway-id" => [g.NatGatewayId],
            "state" => [g.State],
            "subnet-id" => [g.SubnetId],
            "vpc-id" => [g.VpcId],
            _ => TagFilter(g.Tags, name),
        })).ToList();
        return Paged(matching, input, "NatGateways", NatGatewayJson);
    }

    private static JsonObject NatGatewayJson(NatGatewayView g)
    {
        var address = new JsonObject
        {
            ["NetworkInterfaceId"] = g.Address.NetworkInterfaceId,
            ["PrivateIp"] = g.Address.PrivateIp,
            ["IsPrimary"] = true,
            ["Status"] = AddressStatus(g),
        };
        if (g.Address.AllocationId is { } allocation) address["AllocationId"] = allocation;
        if (g.Address.PublicIp is { } publicIp) address["PublicIp"] = publicIp;
        if (g.Address.AssociationId is { } association) address["AssociationId"] = association;
        var json = new JsonObject
        {
            ["CreateTime"] = JsonValue.Create(g.CreateTime),
            ["NatGatewayAddresses"] = new JsonArray(address),
            ["NatGatewayId"] = g.NatGatewayId,
            ["State"] = g.State,
            ["SubnetId"] = g.SubnetId,
            ["VpcId"] = g.VpcId,
            ["Tags"] = Tags(g.Tags),
            ["ConnectivityType"] = g.ConnectivityType,
            ["AvailabilityMode"] = "zonal",
        };
        if (g.DeleteTime is { } deleted) json["DeleteTime"] = JsonValue.Create(deleted);
        if (g.FailureCode is { } code) json["FailureCode"] = code;
        if (g.FailureMessage is { } message) json["FailureMessage"] = message;
        return json;
    }

    /// <summary>NatGatewayAddress.Status follows the gateway: associating (public) or assigning (private) while it is built, and the reverse while it goes.</summary>
    private static string AddressStatus(NatGatewayView g) => (g.State, g.ConnectivityType) switch
    {
        (NatGatewayStates.Pending, "public") => "associating",
        (NatGatewayStates.Pending, _) => "assigning",
        (NatGatewayStates.Deleting, "public") => "disassociating",
        (NatGatewayStates.Deleting, _) => "unassigning",
        (NatGatewayStates.Failed, _) => "failed",
        _ => "succeeded",
    };

    // ---- Shared

    private static AwsResult Paged<T>(IReadOnlyList<T> items, JsonObject input, string listName, Func<T, JsonObject> json, int min = 5)
    {
        var page = Page.Of(items, input, min: min, max: 1000);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { [listName] = new JsonArray([.. page.Items.Select(item => (JsonNode)json(item))]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private static IReadOnlyList<string> Optional(string? value) => value is null ? [] : [value];

    private static IReadOnlyList<string>? TagFilter(IReadOnlyDictionary<string, string> tags, string name) => name switch
    {
        "tag-key" => [.. tags.Keys],
        _ when name.StartsWith("tag:", StringComparison.Ordinal) => tags.TryGetValue(name[4..], out var value) ? [value] : [],
        _ => null,
    };

    /// <summary>The tags of the TagSpecifications for this resource type, or null when there are none.</summary>
    internal static ImmutableDictionary<string, string>? TagSpecifications(JsonObject input, string resourceType)
    {
        var tags = (input["TagSpecifications"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(spec => String(spec, "ResourceType") is null || String(spec, "ResourceType") == resourceType)
            .Aggregate(ImmutableDictionary<string, string>.Empty, (all, spec) => all.SetItems(TagMap(spec["Tags"] as JsonArray)));
        return tags.Count == 0 ? null : tags;
    }
}
