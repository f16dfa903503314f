using System.Collections.Immutable;

namespace Orchestrator.Domain.Region;

public enum AzState
{
    Available,
    Impaired,
    Unavailable,
}

/// <summary>
/// How an unavailable zone fails. Power: instances in it stop and start again when power returns
/// (AWS FIS "AZ Availability: Power Interruption"). Network: instances keep running but nothing
/// reaches them, so probes time out.
/// </summary>
public enum OutageMode
{
    Power,
    Network,
}

public sealed record AvailabilityZoneStatus(string Name, string ZoneId, AzState State, OutageMode Mode, DateTimeOffset Since)
{
    public bool IsUp => State != AzState.Unavailable;
    public bool IsPoweredOff => State == AzState.Unavailable && Mode == OutageMode.Power;
    public bool IsUnreachable => State == AzState.Unavailable && Mode == OutageMode.Network;
}

/// <summary>The region as every entity sees it: its name and the live status of each zone.</summary>
public sealed record RegionStatus(string Region, ImmutableArray<AvailabilityZoneStatus> Zones)
{
    public AvailabilityZoneStatus? Zone(string name)
    {
        foreach (var zone in Zones)
            if (zone.Name == name)
                return zone;
        return null;
    }

    public static RegionStatus AllAvailable(string region, IEnumerable<string> zoneNames, DateTimeOffset since) =>
        new(region, [.. zoneNames.Select((name, index) => new AvailabilityZoneStatus(name, ZoneIdFor(region, index), AzState.Available, OutageMode.Power, since))]);

    /// <summary>AWS zone ids look like use1-az1: a short region code and the zone's ordinal.</summary>
    public static string ZoneIdFor(string region, int index)
    {
        var parts = region.Split('-');
        var code = parts.Length == 3 ? $"{parts[0]}{parts[1][0]}{parts[2]}" : region;
        return $"{code}-az{index + 1}";
    }
}
