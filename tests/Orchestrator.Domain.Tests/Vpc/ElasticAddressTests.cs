using System.Collections.Immutable;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Domain.Vpc.ElasticAddressCommands;
using static Orchestrator.Domain.Vpc.ElasticAddressEvents;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class ElasticAddressTests
{
    private const string Id = "eipalloc-0123456789abcdef0";
    private const string InstanceId = "i-0123456789abcdef0";

    private readonly EntityHarness<ElasticAddress, IElasticAddressCommand, IElasticAddressEvent> _address = new(new ElasticAddressBehavior());

    public ElasticAddressTests() => _address.Execute(new Allocate(Id, "44.200.1.2", "us-east-1", ImmutableDictionary<string, string>.Empty.Add("Name", "web")));

    private static AssociationTarget Instance(string state, string id = InstanceId) => new(id, state, null, "10.0.1.4");

    [Fact]
    public void Allocated_in_the_vpc_domain_unassociated()
    {
        var view = ElasticAddressView.From(_address.State!);
        Assert.Equal(("vpc", "44.200.1.2", "us-east-1", "web"), (view.Domain, view.PublicIp, view.NetworkBorderGroup, view.Tags["Name"]));
        Assert.Null(view.AssociationId);
    }

    [Theory]
    [InlineData("running")]
    [InlineData("stopped")]
    public void Associates_with_a_running_or_stopped_instance(string state)
    {
        var associated = Assert.IsType<Associated>(Assert.Single(_address.Execute(new Associate(Id, "eipassoc-0123456789abcdef0", Instance(state)))));
        Assert.Equal((InstanceId, "10.0.1.4"), (associated.Association.InstanceId, associated.Association.PrivateIpAddress));
        Assert.Equal("eipassoc-0123456789abcdef0", ElasticAddressView.From(_address.State!).AssociationId);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("stopping")]
    [InlineData("shutting-down")]
    [InlineData("terminated")]
    public void Refuses_an_instance_in_any_other_state(string state) =>
        Assert.Equal("IncorrectInstanceState", _address.Refuse(new Associate(Id, "eipassoc-0123456789abcdef0", Instance(state))).Code);

    [Fact]
    public void A_second_association_needs_allow_reassociation()
    {
        _address.Execute(new Associate(Id, "eipassoc-00000000000000001", Instance("running")));
        var other = Instance("running", "i-0fedcba9876543210");
        Assert.Equal("Resource.AlreadyAssociated", _address.Refuse(new Associate(Id, "eipassoc-00000000000000002", other)).Code);

        var events = _address.Execute(new Associate(Id, "eipassoc-00000000000000002", other, AllowReassociation: true));
        Assert.Equal([typeof(Disassociated), typeof(Associated)], events.Select(e => e.GetType()));
        Assert.Equal("i-0fedcba9876543210", _address.State!.Association!.InstanceId);
    }

    [Fact]
    public void The_same_association_again_is_a_retry()
    {
        _address.Execute(new Associate(Id, "eipassoc-00000000000000001", Instance("running")));
        Assert.Empty(_address.Execute(new Associate(Id, "eipassoc-00000000000000002", Instance("running"))));
        Assert.Equal("eipassoc-00000000000000001", _address.State!.Association!.AssociationId);
    }

    [Fact]
    public void Associates_with_a_network_interface_such_as_a_nat_gateways()
    {
        _address.Execute(new Associate(Id, "eipassoc-00000000000000001", new AssociationTarget(null, null, "eni-0123456789abcdef0", "10.0.1.5")));
        Assert.Equal("eni-0123456789abcdef0", ElasticAddressView.From(_address.State!).NetworkInterfaceId);
    }

    [Fact]
    public void Release_is_refused_while_associated_and_ends_the_address_after_disassociation()
    {
        _address.Execute(new Associate(Id, "eipassoc-00000000000000001", Instance("running")));
        Assert.Equal("InvalidIPAddress.InUse", _address.Refuse(new Release(Id)).Code);
        Assert.Equal("InvalidAssociationID.NotFound", _address.Refuse(new Disassociate(Id, "eipassoc-00000000000000009")).Code);
        _address.Execute(new Disassociate(Id, "eipassoc-00000000000000001"));
        Assert.IsType<Released>(Assert.Single(_address.Execute(new Release(Id))));
        Assert.Null(_address.State);
    }

    [Fact]
    public void Disassociating_whatever_is_there_is_a_no_op_when_nothing_is() =>
        Assert.Empty(_address.Execute(new Disassociate(Id)));

    [Fact]
    public void Unknown_address_is_not_found()
    {
        var fresh = new EntityHarness<ElasticAddress, IElasticAddressCommand, IElasticAddressEvent>(new ElasticAddressBehavior());
        Assert.Equal("InvalidAllocationID.NotFound", fresh.Refuse(new Release(Id)).Code);
    }

    [Fact]
    public void The_region_limit_is_awss_default_quota() => Assert.Equal(5, ElasticAddress.RegionLimit);
}
