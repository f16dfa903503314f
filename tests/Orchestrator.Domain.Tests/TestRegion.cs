using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Tests;

/// <summary>us-east-1 with its six zones, all available unless a test changes one.</summary>
internal static class TestRegion
{
    public const string Name = "us-east-1";
    public static readonly DateTimeOffset Epoch = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly ImmutableArray<string> ZoneNames = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];

    public static RegionStatus AllAvailable { get; } = RegionStatus.AllAvailable(Name, ZoneNames, Epoch);

    public static DecisionContext At(DateTimeOffset now, RegionStatus? region = null) => new(now, region ?? AllAvailable);

    public static AvailabilityZoneStatus Zone(string name, AzState state = AzState.Available, OutageMode mode = OutageMode.Power, DateTimeOffset? since = null) =>
        AllAvailable.Zone(name)! with { State = state, Mode = mode, Since = since ?? Epoch };

    public static RegionStatus With(AvailabilityZoneStatus zone) =>
        AllAvailable with { Zones = [.. AllAvailable.Zones.Select(z => z.Name == zone.Name ? zone : z)] };
}
