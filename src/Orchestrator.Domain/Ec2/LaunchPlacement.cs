using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Ec2;

/// <summary>RunInstances' placement rules: counts, the default subnet AWS picks, and zones that cannot take a launch.</summary>
public static class LaunchPlacement
{
    public static AwsError? CheckCounts(int minCount, int maxCount) =>
        minCount < 1 || maxCount < minCount
            ? AwsError.InvalidParameterValue($"Invalid MinCount/MaxCount: MinCount ({minCount}) must be at least 1 and at most MaxCount ({maxCount})")
            : null;

    /// <summary>
    /// Without a subnet, the default subnet of the named zone; without a zone, AWS picks one: we
    /// take the default subnet with the most free addresses among zones that are up.
    /// </summary>
    public static Result<SubnetView> DefaultSubnet(IReadOnlyList<SubnetView> defaultSubnets, RegionStatus region, string? zoneName)
    {
        if (zoneName is not null)
            return defaultSubnets.FirstOrDefault(s => s.AvailabilityZone == zoneName) is { } inZone
                ? inZone
                : VpcErrors.InvalidAvailabilityZone(zoneName, region.Zones.Select(z => z.Name));
        var up = defaultSubnets.Where(s => region.Zone(s.AvailabilityZone)?.IsUp != false).ToList();
        return (up.Count > 0 ? up : defaultSubnets)
            .OrderByDescending(s => s.AvailableIpAddressCount).ThenBy(s => s.AvailabilityZone, StringComparer.Ordinal)
            .FirstOrDefault() is { } chosen
            ? chosen
            : Ec2Errors.NoDefaultVpc();
    }

    /// <summary>A zone that is down takes no launches (AWS FIS power interruption: insufficient capacity).</summary>
    public static AwsError? CheckZoneCapacity(string instanceType, string zoneName, RegionStatus region) =>
        region.Zone(zoneName) is { State: AzState.Unavailable } zone
            ? Ec2Errors.InsufficientCapacity(instanceType, zone.Name, region.Zones.Where(z => z.IsUp).Select(z => z.Name))
            : null;
}
