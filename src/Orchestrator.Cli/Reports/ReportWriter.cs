using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace Orchestrator.Cli.Reports;

/// <summary>
/// Writes a drill's report folder: report.json (for tools), timeline.csv, running-instances.png and
/// index.html, a single file a person can open anywhere (styles inline, the plot embedded).
/// </summary>
public static class ReportWriter
{
    public const string PlotFile = "running-instances.png";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>./drill-reports/&lt;scenario&gt;-&lt;simulated start&gt;, unless the caller names the folder.</summary>
    public static string FolderFor(DrillRecord drill, string? outDirectory) =>
        outDirectory ?? Path.Combine(DrillReportRequest.DefaultRoot, $"{drill.Name}-{drill.StartedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}");

    public static void Write(DrillRecord drill, string folder)
    {
        Directory.CreateDirectory(folder);
        var timeline = Timeline.Of(drill);
        File.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(new
        {
            scenario = drill.Name,
            drill.DrillId,
            verdict = drill.Status,
            drill.Seed,
            drill.StartedAt,
            drill.FinishedAt,
            steps = drill.Rows.Where(r => !r.IsAssertion),
            assertions = drill.Rows.Where(r => r.IsAssertion).Select(r => new { r.Step, r.At, expectation = r.What["expect ".Length..], r.Result, r.Observed }),
            faults = drill.Faults,
            timeline,
            samples = drill.Samples,
        }, Json));
        File.WriteAllText(Path.Combine(folder, "timeline.csv"), Csv(timeline));
        var plot = drill.Samples.Count > 0 ? Plot(drill) : null;
        if (plot is not null)
            File.WriteAllBytes(Path.Combine(folder, PlotFile), plot);
        File.WriteAllText(Path.Combine(folder, "index.html"), Html(drill, timeline, plot));
    }

    private static string Csv(IEnumerable<TimelineEntry> timeline)
    {
        var csv = new StringBuilder("sim_time,wall_time,kind,subject,detail\n");
        foreach (var e in timeline)
            csv.Append(CultureInfo.InvariantCulture, $"{e.SimTime:O},{e.WallTime?.ToString("O", CultureInfo.InvariantCulture)},{e.Kind},{Quote(e.Subject)},{Quote(e.Detail)}\n");
        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Running instances by zone over the drill, in simulated minutes, with the faults' starts and ends marked.</summary>
    private static byte[] Plot(DrillRecord drill)
    {
        var plot = new Plot();
        double Minutes(DateTimeOffset at) => (at - drill.StartedAt).TotalMinutes;
        var xs = drill.Samples.Select(s => Minutes(s.SimTime)).ToArray();
        foreach (var zone in drill.Samples.SelectMany(s => s.RunningByZone.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var line = plot.Add.Scatter(xs, drill.Samples.Select(s => (double)s.RunningByZone.GetValueOrDefault(zone)).ToArray());
            line.LegendText = zone;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
        }
        foreach (var fault in drill.Faults)
        {
            plot.Add.VerticalLine(Minutes(fault.StartedAt), pattern: LinePattern.Dashed).Text = $"{fault.Kind} {fault.Target}";
            if (fault.EndedAt is { } ended)
                plot.Add.VerticalLine(Minutes(ended), pattern: LinePattern.Dotted);
        }
        plot.Title($"{drill.Name}: running instances by zone");
        plot.XLabel("simulated minutes since the drill started");
        plot.YLabel("running instances");
        plot.ShowLegend();
        return plot.GetImageBytes(900, 420, ImageFormat.Png);
    }

    private static string Html(DrillRecord drill, IEnumerable<TimelineEntry> timeline, byte[]? plot)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        string Offset(DateTimeOffset at) => "+" + Orchestrator.Domain.Chaos.SimDuration.Format(at - drill.StartedAt);
        var verdict = drill.Passed ? "PASSED" : drill.Status.ToUpperInvariant();
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>drill {{E(drill.Name)}}: {{verdict}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
            td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;font-size:.9em}th{background:#f3f3f3}
            .PASS,.passed{color:#0a7d28;font-weight:bold}.FAIL,.failed{color:#b00020;font-weight:bold}
            </style></head><body>
            <h1>Drill <code>{{E(drill.Name)}}</code>: <span class="verdict {{E(drill.Status)}}">{{verdict}}</span></h1>
            <p>drill {{E(drill.DrillId)}}, seed {{drill.Seed}}, simulated start {{drill.StartedAt:u}}{{(drill.FinishedAt is { } f ? $", finished {f:u} ({Offset(f)})" : "")}}</p>
            <h2>Assertions</h2>
            <table><tr><th>step</th><th>sim time</th><th>expectation</th><th>result</th><th>observed</th></tr>

            """);
        foreach (var row in drill.Rows.Where(r => r.IsAssertion))
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"assertion\"><td>{row.Step}</td><td>{Offset(row.At)}</td><td>{E(row.What["expect ".Length..])}</td><td class=\"{E(row.Result)}\">{E(row.Result)}</td><td>{E(row.Observed)}</td></tr>\n");
        html.Append("</table>\n<h2>Metrics</h2>\n");
        html.Append(plot is null
            ? "<p>No samples: orch samples the region while it waits on <code>drill run --wait</code>.</p>\n"
            : $"<img alt=\"running instances by zone\" src=\"data:image/png;base64,{Convert.ToBase64String(plot)}\">\n");
        html.Append("<h2>Timeline</h2>\n<table><tr><th>sim time</th><th>wall time</th><th>kind</th><th>subject</th><th>detail</th></tr>\n");
        foreach (var e in timeline)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Offset(e.SimTime)}</td><td>{e.WallTime?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}</td><td>{E(e.Kind)}</td><td>{E(e.Subject)}</td><td>{E(e.Detail)}</td></tr>\n");
        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }
}
