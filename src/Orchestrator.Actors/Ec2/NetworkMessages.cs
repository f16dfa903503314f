using Orchestrator.Actors.Serialization;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>The manifests of internet gateways, Elastic IPs, NAT gateways and key pairs.</summary>
public static class NetworkMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("vpc.internet-gateway.command", typeof(InternetGatewayCommands));
        MessageRegistry.RegisterAll("vpc.internet-gateway.event", typeof(InternetGatewayEvents));
        MessageRegistry.RegisterAll("vpc.internet-gateway", typeof(InternetGateway), typeof(InternetGatewayView));
        MessageRegistry.RegisterAll("vpc.address.command", typeof(ElasticAddressCommands));
        MessageRegistry.RegisterAll("vpc.address.event", typeof(ElasticAddressEvents));
        MessageRegistry.RegisterAll("vpc.address", typeof(ElasticAddress), typeof(AddressAssociation), typeof(AssociationTarget), typeof(ElasticAddressView));
        MessageRegistry.RegisterAll("vpc.nat-gateway.command", typeof(NatGatewayCommands));
        MessageRegistry.RegisterAll("vpc.nat-gateway.event", typeof(NatGatewayEvents));
        MessageRegistry.RegisterAll("vpc.nat-gateway", typeof(NatGateway), typeof(NatGatewayAddress), typeof(NatGatewayPlacement), typeof(NatGatewayView));
        MessageRegistry.RegisterAll("ec2.key-pair.command", typeof(KeyPairCommands));
        MessageRegistry.RegisterAll("ec2.key-pair.event", typeof(KeyPairEvents));
        MessageRegistry.RegisterAll("ec2.key-pair", typeof(KeyPair), typeof(KeyPairView));
    }
}
