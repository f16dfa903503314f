using System.Collections.Immutable;
using System.Text.Json;

namespace Orchestrator.Cli.Reports;

/// <summary>One row of `drill report`: a step's action or one of its expectations (an assertion), with its simulated time.</summary>
public sealed record DrillRow(int Step, DateTimeOffset At, string What, string Result, string? Observed)
{
    public bool IsAssertion => What.StartsWith("expect ", StringComparison.Ordinal);
}

/// <summary>A fault from `chaos list`.</summary>
public sealed record FaultRecord(string FaultId, string Kind, string Target, string Status, DateTimeOffset StartedAt, DateTimeOffset? Until, DateTimeOffset? EndedAt, string Detail);

/// <summary>What a report is made of: the drill's record, the faults of its window and the region's samples.</summary>
public sealed record DrillRecord(string DrillId, string Name, string Status, int Seed, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    ImmutableArray<DrillRow> Rows, ImmutableArray<FaultRecord> Faults, IReadOnlyList<RegionSample> Samples)
{
    public bool Passed => Status == "passed";

    public static DrillRecord From(JsonElement report, JsonElement? faults, IReadOnlyList<RegionSample> samples)
    {
        var startedAt = report.GetProperty("startedAt").GetDateTimeOffset();
        DateTimeOffset? finishedAt = report.TryGetProperty("finishedAt", out var f) && f.ValueKind == JsonValueKind.String ? f.GetDateTimeOffset() : null;
        var rows = report.GetProperty("steps").EnumerateArray().Select(s => new DrillRow(s.GetProperty("step").GetInt32(), s.GetProperty("at").GetDateTimeOffset(),
            s.GetProperty("what").GetString()!, s.GetProperty("result").GetString()!, RegionSampler.Text(s, "observed"))).ToImmutableArray();
        var window = (faults is { } list ? list.GetProperty("faults").EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(x => new FaultRecord(x.GetProperty("faultId").GetString()!, x.GetProperty("kind").GetString()!, x.GetProperty("target").GetString()!,
                x.GetProperty("status").GetString()!, x.GetProperty("startedAt").GetDateTimeOffset(), Time(x, "until"), Time(x, "endedAt"), RegionSampler.Text(x, "detail") ?? ""))
            // The faults injected while the drill ran: the ledger also lists older ones.
            .Where(x => x.StartedAt >= startedAt && (finishedAt is null || x.StartedAt <= finishedAt))
            .ToImmutableArray();
        return new DrillRecord(report.GetProperty("drillId").GetString()!, report.GetProperty("name").GetString()!, report.GetProperty("status").GetString()!,
            report.GetProperty("seed").GetInt32(), startedAt, finishedAt, rows, window,
            // Sampling starts before the drill does (orch cannot know its start earlier): keep its window.
            [.. samples.Where(s => s.SimTime >= startedAt && (finishedAt is null || s.SimTime <= finishedAt))]);
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
}
