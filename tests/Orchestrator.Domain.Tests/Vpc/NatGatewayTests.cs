using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Domain.Vpc.NatGatewayCommands;
using static Orchestrator.Domain.Vpc.NatGatewayEvents;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class NatGatewayTests
{
    private const string Id = "nat-0123456789abcdef0";
    private static readonly NatGatewayPlacement Placement = new("vpc-0123456789abcdef0", "subnet-0123456789abcdef0", "us-east-1a", VpcHasInternetGateway: true);
    private static readonly NatGatewayAddress Address = new("eni-0123456789abcdef0", "10.0.1.4", "eipalloc-0123456789abcdef0", "44.200.1.2", "eipassoc-0123456789abcdef0");

    private readonly EntityHarness<NatGateway, INatGatewayCommand, INatGatewayEvent> _nat = new(new NatGatewayBehavior());

    private static Create Public(NatGatewayPlacement? placement = null) => new(Id, placement ?? Placement, NatGateway.Public, Address, "token-1");

    [Fact]
    public void Pending_until_provisioned_then_available()
    {
        _nat.Execute(Public());
        Assert.Equal(NatGatewayStates.Pending, _nat.State!.State);

        _nat.Advance(NatGatewayTimings.Provision - TimeSpan.FromSeconds(1));
        Assert.Equal(NatGatewayStates.Pending, _nat.State!.State);
        _nat.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(NatGatewayStates.Available, _nat.State!.State);
        Assert.Equal(TestRegion.Epoch, _nat.State.CreateTime);
    }

    [Fact]
    public void Delete_goes_through_deleting_to_deleted_and_the_record_expires_after_an_hour()
    {
        _nat.Execute(Public());
        _nat.Advance(NatGatewayTimings.Provision);
        Assert.IsType<DeletionStarted>(Assert.Single(_nat.Execute(new Delete(Id))));
        Assert.Equal(NatGatewayStates.Deleting, _nat.State!.State);
        Assert.Empty(_nat.Execute(new Delete(Id)));

        _nat.Advance(NatGatewayTimings.Deletion);
        Assert.Equal(NatGatewayStates.Deleted, _nat.State!.State);
        Assert.Equal(_nat.Now, _nat.State.DeleteTime);
        Assert.Null(_nat.State.Address.AssociationId);
        Assert.Equal("44.200.1.2", _nat.State.Address.PublicIp);
        Assert.Equal("NatGatewayNotFound", _nat.Refuse(new Delete(Id)).Code);

        _nat.Advance(NatGatewayTimings.DeletedVisibility - TimeSpan.FromSeconds(1));
        Assert.NotNull(_nat.State);
        _nat.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_nat.State);
    }

    [Fact]
    public void A_pending_gateway_can_be_deleted_and_never_becomes_available()
    {
        _nat.Execute(Public());
        _nat.Execute(new Delete(Id));
        _nat.Advance(NatGatewayTimings.Provision);
        Assert.Equal(NatGatewayStates.Deleted, _nat.State!.State);
        Assert.DoesNotContain(_nat.History, e => e is BecameAvailable);
    }

    [Fact]
    public void Fails_when_its_zone_is_unavailable_and_expires_an_hour_later()
    {
        _nat.Region = TestRegion.With(TestRegion.Zone("us-east-1a", AzState.Unavailable));
        var events = _nat.Execute(Public());
        Assert.Equal([typeof(Created), typeof(Failed)], events.Select(e => e.GetType()));
        Assert.Equal((NatGatewayStates.Failed, "InternalError"), (_nat.State!.State, _nat.State.FailureCode));
        Assert.Equal(
            "Network interface eni-0123456789abcdef0, created and used internally by this NAT gateway is in an invalid state. Please try again.",
            _nat.State.FailureMessage);

        _nat.Advance(NatGatewayTimings.DeletedVisibility);
        Assert.Null(_nat.State);
    }

    [Fact]
    public void A_gateway_whose_zone_goes_down_while_pending_fails_when_provisioning_ends()
    {
        _nat.Execute(Public());
        _nat.Region = TestRegion.With(TestRegion.Zone("us-east-1a", AzState.Unavailable));
        _nat.Advance(NatGatewayTimings.Provision);
        Assert.Equal((NatGatewayStates.Failed, "InternalError"), (_nat.State!.State, _nat.State.FailureCode));
        Assert.DoesNotContain(_nat.History, e => e is BecameAvailable);
    }

    [Fact]
    public void An_available_gateway_keeps_its_state_while_its_zone_is_down_but_forwards_nothing_until_it_returns()
    {
        _nat.Execute(Public());
        _nat.Advance(NatGatewayTimings.Provision);
        var down = TestRegion.With(TestRegion.Zone("us-east-1a", AzState.Unavailable, OutageMode.Network));
        Assert.True(NatGatewayBehavior.Forwards(NatGatewayView.From(_nat.State!), TestRegion.AllAvailable));
        Assert.False(NatGatewayBehavior.Forwards(NatGatewayView.From(_nat.State!), down));
        Assert.True(NatGatewayBehavior.Forwards(NatGatewayView.From(_nat.State!), TestRegion.With(TestRegion.Zone("us-east-1b", AzState.Unavailable))));
        _nat.Region = down;
        _nat.Advance(TimeSpan.FromHours(2));
        Assert.Equal(NatGatewayStates.Available, _nat.State!.State);
    }

    [Fact]
    public void A_public_gateway_in_a_vpc_without_an_internet_gateway_fails_as_aws_words_it()
    {
        _nat.Execute(Public(Placement with { VpcHasInternetGateway = false }));
        Assert.Equal(("Gateway.NotAttached", "Network vpc-0123456789abcdef0 has no Internet gateway attached"), (_nat.State!.FailureCode, _nat.State.FailureMessage));
    }

    [Fact]
    public void A_private_gateway_needs_no_internet_gateway()
    {
        _nat.Execute(new Create(Id, Placement with { VpcHasInternetGateway = false }, NatGateway.Private, Address with { AllocationId = null, PublicIp = null, AssociationId = null }));
        _nat.Advance(NatGatewayTimings.Provision);
        Assert.Equal(NatGatewayStates.Available, _nat.State!.State);
    }

    [Fact]
    public void Deadlines_follow_the_state()
    {
        var behavior = new NatGatewayBehavior();
        _nat.Execute(Public());
        var pending = Assert.Single(behavior.Deadlines(_nat.State));
        Assert.Equal((TestRegion.Epoch + NatGatewayTimings.Provision, typeof(CompleteProvisioning)), (pending.At, pending.Command.GetType()));
        _nat.Advance(NatGatewayTimings.Provision);
        Assert.Empty(behavior.Deadlines(_nat.State));
    }

    [Fact]
    public void Create_again_is_a_retry_and_unknown_gateways_are_not_found()
    {
        Assert.Equal("NatGatewayNotFound", _nat.Refuse(new Delete(Id)).Code);
        _nat.Execute(Public());
        Assert.Empty(_nat.Execute(Public()));
    }
}
