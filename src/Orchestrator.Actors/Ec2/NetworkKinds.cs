using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>Region-level network resources: internet gateways, Elastic IPs, NAT gateways and key pairs, and the read-model kinds they project.</summary>
public static class NetworkKinds
{
    public const string InternetGateway = "internet-gateway";
    public const string Address = "address";
    public const string NatGateway = "nat-gateway";
    public const string KeyPair = "key-pair";

    public static EntityDefinition<InternetGateway, IInternetGatewayCommand, IInternetGatewayEvent> InternetGatewayDefinition() => new(
        InternetGateway,
        new InternetGatewayBehavior(),
        state => [new IndexRow(InternetGateway, state.InternetGatewayId, InternetGatewayView.From(state))]);

    public static EntityDefinition<ElasticAddress, IElasticAddressCommand, IElasticAddressEvent> AddressDefinition() => new(
        Address,
        new ElasticAddressBehavior(),
        state => [new IndexRow(Address, state.AllocationId, ElasticAddressView.From(state))]);

    public static EntityDefinition<NatGateway, INatGatewayCommand, INatGatewayEvent> NatGatewayDefinition() => new(
        NatGateway,
        new NatGatewayBehavior(),
        state => [new IndexRow(NatGateway, state.NatGatewayId, NatGatewayView.From(state))],
        Effects: FreeAddressesWhenGone);

    public static EntityDefinition<KeyPair, IKeyPairCommand, IKeyPairEvent> KeyPairDefinition() => new(
        KeyPair,
        new KeyPairBehavior(),
        state => [new IndexRow(KeyPair, state.KeyPairId, KeyPairView.From(state))]);

    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var igw = InternetGatewayDefinition();
        var address = AddressDefinition();
        var nat = NatGatewayDefinition();
        var key = KeyPairDefinition();
        yield return new EntityKind(InternetGateway, id => Props.Create(() => new EntityActor<InternetGateway, IInternetGatewayCommand, IInternetGatewayEvent>(igw, id, services)), RememberEntities: false);
        yield return new EntityKind(Address, id => Props.Create(() => new EntityActor<ElasticAddress, IElasticAddressCommand, IElasticAddressEvent>(address, id, services)), RememberEntities: false);
        // NAT gateways move through timed states on their own, so they are restarted after a node dies to re-arm their deadlines.
        yield return new EntityKind(NatGateway, id => Props.Create(() => new EntityActor<NatGateway, INatGatewayCommand, INatGatewayEvent>(nat, id, services)), RememberEntities: true);
        yield return new EntityKind(KeyPair, id => Props.Create(() => new EntityActor<KeyPair, IKeyPairCommand, IKeyPairEvent>(key, id, services)), RememberEntities: false);
    }

    /// <summary>A deleted or failed gateway gives its private address back to the subnet and lets go of its Elastic IP (which stays allocated), as AWS does.</summary>
    private static IEnumerable<Outbound> FreeAddressesWhenGone(NatGateway? before, INatGatewayEvent @event)
    {
        if (@event is not (NatGatewayEvents.Deleted or NatGatewayEvents.Failed) || before is null)
            yield break;
        yield return new Outbound(Ec2Kinds.Vpc, before.VpcId, new VpcCommands.ReleasePrivateIp(before.VpcId, before.SubnetId, before.Address.NetworkInterfaceId));
        if (before.Address is { AllocationId: { } allocationId, AssociationId: { } associationId })
            yield return new Outbound(Address, allocationId, new ElasticAddressCommands.Disassociate(allocationId, associationId));
    }
}
