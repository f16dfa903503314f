using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>What a listener may be for its load balancer's type, and which target groups it may forward to.</summary>
public static class ListenerValidation
{
    public const string DefaultSslPolicy = "ELBSecurityPolicy-2016-08";

    private static readonly ImmutableHashSet<string> ApplicationProtocols = ["HTTP", "HTTPS"];
    private static readonly ImmutableHashSet<string> NetworkProtocols = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"];

    /// <summary>Gateway listeners have no protocol or port; the others need both, with a certificate for HTTPS and TLS.</summary>
    public static AwsError? Check(string loadBalancerType, string? protocol, int? port, ImmutableArray<string> certificates)
    {
        if (loadBalancerType == LoadBalancerTypes.Gateway)
            return protocol is null && port is null ? null : ElbErrors.Validation("Protocol and port cannot be specified for Gateway Load Balancer listeners");
        if (protocol is null)
            return ElbErrors.Validation("A listener protocol must be specified");
        if (port is null)
            return ElbErrors.Validation("A listener port must be specified");
        if (port is < 1 or > 65535)
            return ElbErrors.Validation($"Port '{port}' must be between 1 and 65535");
        var supported = loadBalancerType == LoadBalancerTypes.Network ? NetworkProtocols : ApplicationProtocols;
        if (!supported.Contains(protocol))
            return ElbErrors.UnsupportedProtocol(protocol, loadBalancerType);
        if (protocol is "HTTPS" or "TLS" && certificates.IsDefaultOrEmpty)
            return ElbErrors.Validation($"A certificate must be specified for {protocol} listeners");
        return null;
    }

    /// <summary>
    /// A forward action's target group, read from the read model: same VPC, a protocol the listener
    /// can carry, and an ALB group serves only one load balancer.
    /// </summary>
    public static AwsError? CheckTargetGroup(LoadBalancerView loadBalancer, string? listenerProtocol, TargetGroupView group)
    {
        if (group.VpcId is { } vpc && vpc != loadBalancer.VpcId)
            return ElbErrors.InvalidConfiguration($"The target group '{group.TargetGroupArn}' is in VPC '{vpc}', not in the load balancer's VPC '{loadBalancer.VpcId}'");
        if (!Compatible(loadBalancer.Type, listenerProtocol, group))
            return ElbErrors.IncompatibleProtocols(
                $"The target group '{group.TargetGroupArn}' with protocol '{group.Protocol ?? "none"}' is not compatible with a {loadBalancer.Type} load balancer listener on '{listenerProtocol ?? "GENEVE"}'");
        if (loadBalancer.Type == LoadBalancerTypes.Application && group.LoadBalancerArns.Any(arn => arn != loadBalancer.LoadBalancerArn))
            return ElbErrors.InvalidConfiguration($"The target group '{group.TargetGroupArn}' is currently associated with another load balancer");
        return null;
    }

    private static bool Compatible(string type, string? listenerProtocol, TargetGroupView group) => type switch
    {
        LoadBalancerTypes.Application => group.Protocol is null or "HTTP" or "HTTPS", // lambda groups have no protocol
        LoadBalancerTypes.Gateway => group.Protocol == "GENEVE",
        _ => (listenerProtocol, group.Protocol) switch
        {
            ("TCP", "TCP" or "TCP_UDP") or ("TLS", "TCP" or "TLS") or ("UDP", "UDP" or "TCP_UDP") or ("TCP_UDP", "TCP_UDP") => true,
            ("QUIC", "QUIC" or "TCP_QUIC") or ("TCP_QUIC", "TCP_QUIC") => true,
            _ => false,
        },
    };
}
