using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Ec2;

/// <summary>NAT gateways (with their subnet address and Elastic IP) as entities, driven through the network service in virtual time.</summary>
public sealed class NatGatewayEntityTests : EntityTestKit
{
    private readonly Ec2Service _ec2;
    private readonly NetworkService _network;
    private readonly string _vpcId;
    private readonly string _subnetId;

    public NatGatewayEntityTests()
    {
        _ec2 = new Ec2Service(Services);
        _network = new NetworkService(Services);
        _vpcId = _ec2.CreateVpc("10.60.0.0/16", null, null).Result.Value.VpcId;
        _subnetId = _ec2.CreateSubnet(_vpcId, "10.60.1.0/24", "us-east-1a", null, null).Result.Value.SubnetId;
        Touch(Ec2Kinds.Vpc, _vpcId);
        var igw = _network.CreateInternetGateway(null).Result.Value.InternetGatewayId;
        Assert.False(_network.AttachInternetGateway(igw, _vpcId).Result.IsError);
        Touch(NetworkKinds.InternetGateway, igw);
    }

    private async Task<(NatGatewayView Gateway, string AllocationId)> CreatePublic()
    {
        var allocationId = (await _network.AllocateAddress(null, null, null)).Value.AllocationId;
        Touch(NetworkKinds.Address, allocationId);
        var created = await _network.CreateNatGateway(new CreateNatGatewayRequest(_subnetId, allocationId));
        Assert.False(created.IsError, created.Error?.ToString());
        Touch(NetworkKinds.NatGateway, created.Value.NatGatewayId);
        return (created.Value, allocationId);
    }

    private async Task<NatGatewayView> Describe(string id) => Assert.Single((await _network.DescribeNatGateways([id])).Value);

    private async Task<string?> SubnetAddressOf(string ownerId)
    {
        var vpc = (VpcState)((EntityReplies.Accepted)await Router.Ask<object>(Ec2Kinds.Vpc, _vpcId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;
        return vpc.FindSubnet(_subnetId)!.AddressOf(ownerId);
    }

    [Fact]
    public async Task Pending_becomes_available_after_provisioning_holding_a_subnet_address_and_its_elastic_ip()
    {
        var (gateway, allocationId) = await CreatePublic();
        Assert.Equal(NatGatewayStates.Pending, gateway.State);
        Assert.Equal("10.60.1.4", gateway.Address.PrivateIp);
        Assert.Equal("10.60.1.4", await SubnetAddressOf(gateway.Address.NetworkInterfaceId));
        var address = Assert.Single((await _network.DescribeAddresses([allocationId], [])).Value);
        Assert.Equal((gateway.Address.NetworkInterfaceId, gateway.Address.AssociationId), (address.NetworkInterfaceId, address.AssociationId));

        Advance(NatGatewayTimings.Provision - TimeSpan.FromSeconds(1));
        Assert.Equal(NatGatewayStates.Pending, (await Describe(gateway.NatGatewayId)).State);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(NatGatewayStates.Available, (await Describe(gateway.NatGatewayId)).State);
    }

    [Fact]
    public async Task Deleting_then_deleted_frees_the_subnet_address_keeps_the_elastic_ip_and_is_gone_an_hour_later()
    {
        var (gateway, allocationId) = await CreatePublic();
        Advance(NatGatewayTimings.Provision);
        var id = gateway.NatGatewayId;

        Assert.Equal(id, (await _network.DeleteNatGateway(id)).Value);
        Assert.Equal(NatGatewayStates.Deleting, (await Describe(id)).State);
        Advance(NatGatewayTimings.Deletion);
        var deleted = await Describe(id);
        Assert.Equal(NatGatewayStates.Deleted, deleted.State);
        Assert.NotNull(deleted.DeleteTime);
        Assert.Null(await SubnetAddressOf(gateway.Address.NetworkInterfaceId));
        // The gateway frees its address by a message after its deletion is durable: wait for it, do not race it.
        await AwaitAssertAsync(async () => Assert.Null(Assert.Single((await _network.DescribeAddresses([allocationId], [])).Value).AssociationId),
            TimeSpan.FromSeconds(10));
        Assert.False((await _network.ReleaseAddress(allocationId, null)).IsError);

        Advance(NatGatewayTimings.DeletedVisibility - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Assert.Equal(NatGatewayStates.Deleted, (await Describe(id)).State);
        Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("NatGatewayNotFound", (await _network.DescribeNatGateways([id])).Error?.Code);
        var state = (EntityReplies.Accepted)await Router.Ask<object>(NetworkKinds.NatGateway, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
        Assert.Null(state.State);
    }

    [Fact]
    public async Task A_gateway_created_in_an_unavailable_zone_fails_and_lets_go_of_its_addresses()
    {
        SetZone("us-east-1a", AzState.Unavailable);
        var (gateway, allocationId) = await CreatePublic();
        Settle();
        var failed = await Describe(gateway.NatGatewayId);
        Assert.Equal((NatGatewayStates.Failed, "InternalError"), (failed.State, failed.FailureCode));
        Assert.Null(await SubnetAddressOf(gateway.Address.NetworkInterfaceId));
        Assert.Null(Assert.Single((await _network.DescribeAddresses([allocationId], [])).Value).AssociationId);
    }

    [Fact]
    public async Task An_elastic_ip_held_by_a_gateway_cannot_serve_a_second_one()
    {
        var (_, allocationId) = await CreatePublic();
        var second = await _network.CreateNatGateway(new CreateNatGatewayRequest(_subnetId, allocationId));
        Assert.Equal("Resource.AlreadyAssociated", second.Error?.Code);
        Assert.Equal("InvalidIPAddress.InUse", (await _network.ReleaseAddress(allocationId, null)).Error?.Code);
    }

    [Fact]
    public async Task The_client_token_makes_create_idempotent()
    {
        var allocationId = (await _network.AllocateAddress(null, null, null)).Value.AllocationId;
        var first = (await _network.CreateNatGateway(new CreateNatGatewayRequest(_subnetId, allocationId, ClientToken: "abc"))).Value;
        var again = (await _network.CreateNatGateway(new CreateNatGatewayRequest(_subnetId, allocationId, ClientToken: "abc"))).Value;
        Assert.Equal(first.NatGatewayId, again.NatGatewayId);
        Assert.Single((await _network.DescribeNatGateways([])).Value);
    }
}
