using Orchestrator.Actors.Chaos;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Actors.Vpc;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Vpc;

/// <summary>
/// The egress drill on entities in virtual time: a VPC with a public and a private subnet in each of
/// two zones, built through the same services as the API, with a NAT gateway per zone or one shared;
/// then an outage of us-east-1a.
/// </summary>
public sealed class ZoneResilientEgressTests : EntityTestKit
{
    private static readonly Flow Https = Flow.Tcp(443);

    private readonly Ec2Service _ec2;
    private readonly NetworkService _network;
    private readonly VpcNetworkService _vpcs;
    private readonly ReachabilityService _reachability;

    public ZoneResilientEgressTests()
    {
        _ec2 = new Ec2Service(Services);
        _network = new NetworkService(Services);
        _vpcs = new VpcNetworkService(Services);
        _reachability = new ReachabilityService(Services);
    }

    private sealed record Topology(string VpcId, string PublicA, string PublicB, string PrivateA, string PrivateB, string NatA, string NatB, string InA, string InB);

    private async Task<Topology> Build(bool natPerZone)
    {
        var vpcId = Ok(await _ec2.CreateVpc("10.0.0.0/16", null, null)).VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        async Task<string> Subnet(string cidr, string zone) => Ok(await _ec2.CreateSubnet(vpcId, cidr, zone, null, null)).SubnetId;
        var (publicA, publicB) = (await Subnet("10.0.0.0/24", "us-east-1a"), await Subnet("10.0.1.0/24", "us-east-1b"));
        var (privateA, privateB) = (await Subnet("10.0.10.0/24", "us-east-1a"), await Subnet("10.0.11.0/24", "us-east-1b"));
        var igw = Ok(await _network.CreateInternetGateway(null)).InternetGatewayId;
        Touch(NetworkKinds.InternetGateway, igw);
        Ok(await _network.AttachInternetGateway(igw, vpcId));
        await Table(vpcId, new RouteTarget(RouteTarget.Gateway, igw), publicA, publicB);

        async Task<string> Nat(string subnetId)
        {
            var allocation = Ok(await _network.AllocateAddress(null, null, null)).AllocationId;
            Touch(NetworkKinds.Address, allocation);
            var nat = Ok(await _network.CreateNatGateway(new CreateNatGatewayRequest(subnetId, allocation))).NatGatewayId;
            Touch(NetworkKinds.NatGateway, nat);
            return nat;
        }
        var natA = await Nat(publicA);
        var natB = natPerZone ? await Nat(publicB) : natA;
        Advance(NatGatewayTimings.Provision);
        if (natPerZone)
        {
            await Table(vpcId, new RouteTarget(RouteTarget.NatGateway, natA), privateA);
            await Table(vpcId, new RouteTarget(RouteTarget.NatGateway, natB), privateB);
        }
        else
            await Table(vpcId, new RouteTarget(RouteTarget.NatGateway, natA), privateA, privateB);

        async Task<string> Launch(string subnetId)
        {
            var id = Assert.Single(Ok(await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", SubnetId: subnetId))).Instances).InstanceId;
            Touch(Ec2Kinds.Instance, id);
            return id;
        }
        var (inA, inB) = (await Launch(privateA), await Launch(privateB));
        Advance(InstanceTimings.Boot);
        return new Topology(vpcId, publicA, publicB, privateA, privateB, natA, natB, inA, inB);
    }

    private async Task Table(string vpcId, RouteTarget target, params string[] subnets)
    {
        var tableId = AwsIds.New("rtb");
        Ok(await _vpcs.Send(new VpcCommands.CreateRouteTable(vpcId, tableId)));
        Ok(await _vpcs.Send(new VpcCommands.CreateRoute(vpcId, tableId, "0.0.0.0/0", Ok(await _vpcs.ResolveTarget([target])))));
        foreach (var subnet in subnets)
            Ok(await _vpcs.Send(new VpcCommands.AssociateRouteTable(vpcId, tableId, subnet, AwsIds.New("rtbassoc"))));
    }

    private async Task<Dictionary<string, SubnetEgress>> Egress(string vpcId) =>
        Ok(await _reachability.Egress(vpcId, Https)).ToDictionary(e => e.SubnetId);

    private static T Ok<T>(Result<T> result)
    {
        Assert.False(result.IsError, result.Error?.ToString());
        return result.Value;
    }

    [Fact]
    public async Task With_a_NAT_gateway_per_zone_the_private_subnet_of_us_east_1b_keeps_egress_through_an_outage_of_us_east_1a()
    {
        var net = await Build(natPerZone: true);
        var before = await Egress(net.VpcId);
        Assert.All(before.Values, e => Assert.True(e.HasEgress, e.Explanation));
        Assert.Equal($"{net.NatA} in us-east-1a", before[net.PrivateA].Via);
        Assert.Equal($"{net.NatB} in us-east-1b", before[net.PrivateB].Via);

        SetZone("us-east-1a", AzState.Unavailable);
        var during = await Egress(net.VpcId);
        Assert.True(during[net.PrivateB].HasEgress, during[net.PrivateB].Explanation);
        Assert.Equal($"{net.NatB} in us-east-1b", during[net.PrivateB].Via);
        Assert.True(during[net.PublicB].HasEgress);
        Assert.False(during[net.PrivateA].HasEgress);
        var fromB = Ok(await _reachability.Reach(net.InB, Reachability.Internet, Https));
        Assert.True(fromB.Reachable, fromB.BlockedAt?.ToString());
        // The gateway in the failed zone keeps its state, as AWS shows it.
        Assert.Equal(NatGatewayStates.Available, Assert.Single(Ok(await _network.DescribeNatGateways([net.NatA]))).State);
    }

    [Fact]
    public async Task With_one_shared_NAT_gateway_every_private_subnet_loses_egress_in_an_outage_of_its_zone_and_regains_it_after()
    {
        var net = await Build(natPerZone: false);
        Assert.True(Ok(await _reachability.Reach(net.InB, Reachability.Internet, Https)).Reachable);

        SetZone("us-east-1a", AzState.Unavailable, OutageMode.Network);
        var during = await Egress(net.VpcId);
        Assert.False(during[net.PrivateA].HasEgress);
        Assert.False(during[net.PrivateB].HasEgress);
        Assert.Contains($"NAT gateway {net.NatA} in us-east-1a unavailable", during[net.PrivateB].Explanation);
        Assert.True(during[net.PublicB].HasEgress);
        var blocked = Ok(await _reachability.Reach(net.InB, Reachability.Internet, Https)).BlockedAt!;
        Assert.Equal(("nat-gateway", net.NatA), (blocked.Component, blocked.ResourceId));

        SetZone("us-east-1a", AzState.Available);
        Assert.True(Ok(await _reachability.Reach(net.InB, Reachability.Internet, Https)).Reachable);
    }

    [Fact]
    public async Task A_drill_expectation_on_an_instance_s_internet_egress_observes_yes_then_no_with_the_shared_NAT_s_zone_down()
    {
        var net = await Build(natPerZone: false);
        var observer = new DrillObserver(Services, "000000000000");
        Task<string?> Observe(string text) => observer.Observe(Expectation.Parse(text));

        Assert.Equal("yes", await Observe($"instance {net.InB} internet yes within 2m"));
        SetZone("us-east-1a", AzState.Unavailable, OutageMode.Network);
        Assert.Equal("no", await Observe($"instance {net.InB} internet yes within 2m"));
        Assert.Null(await Observe("instance i-0000000000000000f internet yes"));
    }

    [Fact]
    public async Task A_NAT_gateway_whose_zone_fails_while_it_is_pending_fails_and_its_route_becomes_a_blackhole()
    {
        var vpcId = Ok(await _ec2.CreateVpc("10.1.0.0/16", null, null)).VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        var publicA = Ok(await _ec2.CreateSubnet(vpcId, "10.1.0.0/24", "us-east-1a", null, null)).SubnetId;
        var privateB = Ok(await _ec2.CreateSubnet(vpcId, "10.1.11.0/24", "us-east-1b", null, null)).SubnetId;
        var igw = Ok(await _network.CreateInternetGateway(null)).InternetGatewayId;
        Touch(NetworkKinds.InternetGateway, igw);
        Ok(await _network.AttachInternetGateway(igw, vpcId));
        await Table(vpcId, new RouteTarget(RouteTarget.Gateway, igw), publicA);
        var allocation = Ok(await _network.AllocateAddress(null, null, null)).AllocationId;
        Touch(NetworkKinds.Address, allocation);
        var nat = Ok(await _network.CreateNatGateway(new CreateNatGatewayRequest(publicA, allocation))).NatGatewayId;
        Touch(NetworkKinds.NatGateway, nat);
        await Table(vpcId, new RouteTarget(RouteTarget.NatGateway, nat), privateB);

        SetZone("us-east-1a", AzState.Unavailable);
        Advance(NatGatewayTimings.Provision);
        SetZone("us-east-1a", AzState.Available);
        var failed = Assert.Single(Ok(await _network.DescribeNatGateways([nat])));
        Assert.Equal((NatGatewayStates.Failed, "InternalError"), (failed.State, failed.FailureCode));
        await AwaitAssertAsync(async () => Assert.Null(Assert.Single(Ok(await _network.DescribeAddresses([allocation], []))).AssociationId), TimeSpan.FromSeconds(10));

        var egress = (await Egress(vpcId))[privateB];
        Assert.False(egress.HasEgress);
        Assert.Contains($"nat-gateway {nat}: blackhole: the NAT gateway is failed", egress.Explanation);
    }

    [Fact]
    public async Task The_net_palette_prints_the_verdict_with_its_path_and_each_subnet_egress()
    {
        var net = await Build(natPerZone: false);
        var palette = new NetPalette(_reachability);
        SetZone("us-east-1a", AzState.Unavailable, OutageMode.Network);

        var reach = await palette.Execute(CommandRequest.Parse($"net reach {net.InB} internet --port 443"), CancellationToken.None);
        Assert.True(reach.Ok, reach.Text);
        Assert.StartsWith($"{net.InB} -> internet tcp 443: NOT reachable: nat-gateway {net.NatA}", reach.Text);
        Assert.Contains("  ok route-table rtb-", reach.Text);
        Assert.False(((ReachabilityVerdict)reach.Data!).Reachable);

        var egress = await palette.Execute(CommandRequest.Parse($"net egress {net.VpcId}"), CancellationToken.None);
        var lines = egress.Text.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches($"^{net.PublicB} .* yes  via igw-", lines.Single(l => l.StartsWith(net.PublicB, StringComparison.Ordinal)));
        Assert.Matches($"^{net.PrivateB} .* no ", lines.Single(l => l.StartsWith(net.PrivateB, StringComparison.Ordinal)));

        var between = await palette.Execute(CommandRequest.Parse($"net reach {net.InA} {net.InB} --port 22"), CancellationToken.None);
        Assert.Contains("NOT reachable: availability-zone us-east-1a", between.Text);
        Assert.Equal("InvalidInstanceID.NotFound", (await palette.Execute(CommandRequest.Parse("net reach i-0123456789abcdef0 internet"), CancellationToken.None)).Error?.Code);
        Assert.Equal("InvalidParameterValue", (await palette.Execute(CommandRequest.Parse($"net reach {net.InB} internet --protocol gre"), CancellationToken.None)).Error?.Code);
    }
}
