using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Node.Hosting;
using Orchestrator.Node.Management;

namespace Orchestrator.Node.Tests;

/// <summary>A node with its AWS endpoint (for building the VPC as a client would) and its management endpoint (for the `net` palette), both on ephemeral ports.</summary>
public sealed class NetPaletteFixture : IAsyncLifetime
{
    private readonly NetworkApiFixture _api = new();
    private WebApplication _management = null!;

    public NetworkApiFixture Api => _api;

    public HttpClient Management { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _api.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _management = builder.Build();
        var options = new NodeOptions();
        ManagementEndpoints.Map(_management, () => _api.Node, options);
        await _management.StartAsync();
        Management = new HttpClient { BaseAddress = new Uri(_management.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        Management.Dispose();
        await _management.DisposeAsync();
        await _api.DisposeAsync();
    }

    public async Task<(HttpStatusCode Status, JsonElement Reply)> Run(string line)
    {
        using var response = await Management.PostAsJsonAsync("/_orchestrator/commands", new { line });
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}

/// <summary>The egress drill through the management endpoint, on a VPC built with EC2 API calls: one NAT gateway shared by both private subnets.</summary>
public sealed class NetPaletteTests(NetPaletteFixture node) : IClassFixture<NetPaletteFixture>
{
    private static string Text(XElement body, string name) => body.Descendants(name).First().Value;

    [Fact]
    public async Task Net_egress_and_reach_show_a_shared_NAT_gateway_losing_every_private_subnet_in_an_outage_of_its_zone()
    {
        var api = node.Api;
        var vpc = Text(await api.Ok("CreateVpc", ("CidrBlock", "10.90.0.0/16")), "vpcId");
        async Task<string> Subnet(string cidr, string zone) =>
            Text(await api.Ok("CreateSubnet", ("VpcId", vpc), ("CidrBlock", cidr), ("AvailabilityZone", zone)), "subnetId");
        var publicA = await Subnet("10.90.0.0/24", "us-east-1a");
        var publicB = await Subnet("10.90.1.0/24", "us-east-1b");
        var privateA = await Subnet("10.90.10.0/24", "us-east-1a");
        var privateB = await Subnet("10.90.11.0/24", "us-east-1b");
        var igw = Text(await api.Ok("CreateInternetGateway"), "internetGatewayId");
        await api.Ok("AttachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpc));
        var publicTable = Text(await api.Ok("CreateRouteTable", ("VpcId", vpc)), "routeTableId");
        await api.Ok("CreateRoute", ("RouteTableId", publicTable), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", igw));
        await api.Ok("AssociateRouteTable", ("RouteTableId", publicTable), ("SubnetId", publicA));
        await api.Ok("AssociateRouteTable", ("RouteTableId", publicTable), ("SubnetId", publicB));
        var allocation = Text(await api.Ok("AllocateAddress", ("Domain", "vpc")), "allocationId");
        var nat = Text(await api.Ok("CreateNatGateway", ("SubnetId", publicA), ("AllocationId", allocation)), "natGatewayId");
        var privateTable = Text(await api.Ok("CreateRouteTable", ("VpcId", vpc)), "routeTableId");
        await api.Ok("CreateRoute", ("RouteTableId", privateTable), ("DestinationCidrBlock", "0.0.0.0/0"), ("NatGatewayId", nat));
        await api.Ok("AssociateRouteTable", ("RouteTableId", privateTable), ("SubnetId", privateA));
        await api.Ok("AssociateRouteTable", ("RouteTableId", privateTable), ("SubnetId", privateB));
        var instance = Text(await api.Ok("RunInstances", ("ImageId", "ami-0c02fb55956c7d316"), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"), ("SubnetId", privateB)), "instanceId");

        var reachable = await NetworkApiFixture.Eventually(() => node.Run($"net reach {instance} internet --port 443"),
            r => r.Reply.GetProperty("ok").GetBoolean() && r.Reply.GetProperty("data").GetProperty("reachable").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, reachable.Status);
        Assert.True(reachable.Reply.GetProperty("data").GetProperty("reachable").GetBoolean(), reachable.Reply.ToString());
        Assert.Equal($"{nat} in us-east-1a", reachable.Reply.GetProperty("data").GetProperty("via").GetString());

        try
        {
            var outage = await node.Run("region az-status us-east-1a unavailable --mode network");
            Assert.Equal(HttpStatusCode.OK, outage.Status);
            var blocked = await NetworkApiFixture.Eventually(() => node.Run($"net reach {instance} internet"),
                r => !r.Reply.GetProperty("data").GetProperty("reachable").GetBoolean());
            var hop = blocked.Reply.GetProperty("data").GetProperty("blockedAt");
            Assert.Equal(("nat-gateway", nat), (hop.GetProperty("component").GetString(), hop.GetProperty("resourceId").GetString()));
            Assert.Contains($"NOT reachable: nat-gateway {nat}", blocked.Reply.GetProperty("text").GetString());

            var (status, egress) = await node.Run($"net egress {vpc}");
            Assert.Equal(HttpStatusCode.OK, status);
            var subnets = egress.GetProperty("data").GetProperty("subnets").EnumerateArray()
                .ToDictionary(s => s.GetProperty("subnetId").GetString()!, s => s.GetProperty("hasEgress").GetBoolean());
            Assert.Equal(new Dictionary<string, bool> { [publicA] = false, [publicB] = true, [privateA] = false, [privateB] = false }, subnets);
        }
        finally
        {
            await node.Run("region az-status us-east-1a available");
        }

        var (badStatus, bad) = await node.Run("net egress vpc-0123456789abcdef0");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("InvalidVpcID.NotFound", bad.GetProperty("errorCode").GetString());
    }
}
