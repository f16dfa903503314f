using System.Collections.Immutable;
using System.Text.Json;

namespace Orchestrator.Cli.Reports;

/// <summary>The region seen at one moment: simulated and wall time, each zone's status and running instances.</summary>
public sealed record RegionSample(DateTimeOffset SimTime, DateTimeOffset WallTime, double TimeScale,
    ImmutableSortedDictionary<string, string> ZoneStates, ImmutableSortedDictionary<string, int> RunningByZone);

/// <summary>
/// Samples the region while the host waits for a drill's verdict: the drill's record keeps only its
/// steps, so the curves (running instances by zone) and zone status changes come from these samples.
/// </summary>
public sealed class RegionSampler(ManagementClient client, TimeSpan every)
{
    public async Task<IReadOnlyList<RegionSample>> Run(CancellationToken stop)
    {
        var samples = new List<RegionSample>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await Sample(stop).ConfigureAwait(false) is { } sample)
                    samples.Add(sample);
                await Task.Delay(every, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (CliException)
        {
            // The host went away: the verdict's request reports that; the report keeps what was sampled.
        }
        return samples;
    }

    private async Task<RegionSample?> Sample(CancellationToken stop)
    {
        var region = await client.Execute("region show", stop).ConfigureAwait(false);
        var running = await client.Execute("ec2 describe --state running", stop).ConfigureAwait(false);
        if (region.Data is not { } r || running.Data is not { } i)
            return null;
        var zones = r.GetProperty("zones").EnumerateArray().ToImmutableSortedDictionary(z => z.GetProperty("name").GetString()!, z => z.GetProperty("state").GetString()!);
        var counts = zones.Keys.ToDictionary(z => z, _ => 0);
        foreach (var instance in i.GetProperty("instances").EnumerateArray())
            if (instance.GetProperty("availabilityZone").GetString() is { } zone)
                counts[zone] = counts.GetValueOrDefault(zone) + 1;
        return new RegionSample(r.GetProperty("simTime").GetDateTimeOffset(), DateTimeOffset.UtcNow, r.GetProperty("timeScale").GetDouble(),
            zones, counts.ToImmutableSortedDictionary());
    }

    /// <summary>Reads a JSON string property that may be absent or null.</summary>
    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
