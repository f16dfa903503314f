using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>A subnet as the caller found it in the read model.</summary>
public sealed record SubnetPlacement(string SubnetId, string VpcId, string AvailabilityZone);

/// <summary>
/// The zones a load balancer is enabled in: one subnet per Availability Zone, all in one VPC, and
/// at least two zones for an Application Load Balancer.
/// </summary>
public static class LoadBalancerZones
{
    /// <summary>The zones of the named subnets; with a VPC given (SetSubnets), every subnet must be in it.</summary>
    public static Result<ImmutableArray<LoadBalancerZone>> Resolve(string type, IReadOnlyList<SubnetPlacement> subnets, string? vpcId = null)
    {
        if (subnets.Count == 0)
            return type == LoadBalancerTypes.Application ? TwoZonesRequired() : ElbErrors.Validation("At least one subnet must be specified");
        var vpcs = subnets.Select(s => s.VpcId).Distinct().ToList();
        if (vpcs.Count > 1)
            return ElbErrors.InvalidSubnet("The subnets must all be in the same VPC");
        if (vpcId is not null && vpcs[0] != vpcId)
            return ElbErrors.InvalidSubnet($"The subnets must be in the load balancer's VPC '{vpcId}'");
        var zones = subnets.DistinctBy(s => s.SubnetId).Select(s => new LoadBalancerZone(s.AvailabilityZone, s.SubnetId))
            .OrderBy(z => z.ZoneName, StringComparer.Ordinal).ToImmutableArray();
        return Check(type, zones) is { } error ? error : zones;
    }

    public static AwsError? Check(string type, ImmutableArray<LoadBalancerZone> zones)
    {
        if (zones.Select(z => z.ZoneName).Distinct().Count() != zones.Length)
            return ElbErrors.InvalidConfiguration("A load balancer cannot be attached to multiple subnets in the same Availability Zone");
        if (type == LoadBalancerTypes.Application && zones.Length < 2)
            return TwoZonesRequired();
        return zones.IsEmpty ? ElbErrors.Validation("At least one subnet must be specified") : null;
    }

    private static AwsError TwoZonesRequired() =>
        ElbErrors.InvalidConfiguration("At least two subnets in two different Availability Zones must be specified");
}
