using System.Collections.Immutable;

namespace Orchestrator.Cli.Reports;

/// <summary>One line of the timeline: what happened at a simulated time (and the wall time, when samples tell it).</summary>
public sealed record TimelineEntry(DateTimeOffset SimTime, DateTimeOffset? WallTime, string Kind, string Subject, string Detail);

/// <summary>Merges the drill's steps, its faults and the changes seen between samples into one ordered timeline.</summary>
public static class Timeline
{
    public static ImmutableArray<TimelineEntry> Of(DrillRecord drill)
    {
        var entries = new List<(DateTimeOffset Sim, DateTimeOffset? Wall, string Kind, string Subject, string Detail)>();
        foreach (var row in drill.Rows)
            entries.Add((row.At, null, row.IsAssertion ? "assertion" : "action", $"step {row.Step}",
                $"{row.Result} {row.What}{(row.Observed is { } o ? $" (observed {o})" : "")}"));
        foreach (var fault in drill.Faults)
        {
            entries.Add((fault.StartedAt, null, "fault", fault.Target, $"{fault.Kind} started {fault.Detail}".TrimEnd()));
            if (fault.EndedAt is { } ended)
                entries.Add((ended, null, "fault", fault.Target, $"{fault.Kind} ended"));
        }
        for (var i = 1; i < drill.Samples.Count; i++)
        {
            var (before, now) = (drill.Samples[i - 1], drill.Samples[i]);
            foreach (var (zone, state) in now.ZoneStates)
                if (before.ZoneStates.GetValueOrDefault(zone) != state)
                    entries.Add((now.SimTime, now.WallTime, "zone", zone, $"{before.ZoneStates.GetValueOrDefault(zone)} -> {state}"));
            foreach (var (zone, count) in now.RunningByZone)
                if (before.RunningByZone.GetValueOrDefault(zone) != count)
                    entries.Add((now.SimTime, now.WallTime, "capacity", zone, $"running {before.RunningByZone.GetValueOrDefault(zone)} -> {count}"));
        }
        return [.. entries.OrderBy(e => e.Sim).Select(e => new TimelineEntry(e.Sim, e.Wall ?? WallAt(drill.Samples, e.Sim), e.Kind, e.Subject, e.Detail))];
    }

    /// <summary>The wall time of a simulated time, from the nearest sample and its time scale; unknown without samples.</summary>
    private static DateTimeOffset? WallAt(IReadOnlyList<RegionSample> samples, DateTimeOffset sim)
    {
        if (samples.Count == 0)
            return null;
        var nearest = samples.MinBy(s => Math.Abs((s.SimTime - sim).Ticks))!;
        return nearest.TimeScale > 0 ? nearest.WallTime + (sim - nearest.SimTime) / nearest.TimeScale : nearest.WallTime;
    }
}
