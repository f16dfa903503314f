using System.Text.Json;
using Orchestrator.Cli;
using Orchestrator.Cli.Reports;

namespace Orchestrator.Cli.Tests;

/// <summary>The report folder orch writes after `drill run --wait` (and `drill report --out`), against a real node in process.</summary>
public sealed class DrillReportTests(ManagedNodeFixture node) : IClassFixture<ManagedNodeFixture>, IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _directory = Directory.CreateTempSubdirectory("orch-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_failed_drill_writes_its_folder_with_verdict_assertions_timeline_and_plot_and_exits_1()
    {
        var scenario = Write("outage.yaml", """
            name: report-outage
            steps:
              - at: 0s
                action: ec2 launch --image ami-0c02fb55956c7d316 --type t3.micro --count 2 --az us-east-1b
                expect:
                  - zone us-east-1b running >= 2 within 1m
              - at: 2m
                action: chaos az-outage us-east-1b --for 1m
                expect:
                  - zone us-east-1b running == 0 within 1m
                  - zone us-east-1c state unavailable within 10s
            """);
        var folder = Path.Combine(_directory, "out");

        var run = await CliRun.Of([node.Address, "drill", "run", scenario, "--speed", "60", "--wait", "--out", folder]);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"report written to {folder}", run.Error);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json"))).RootElement;
        Assert.Equal("failed", report.GetProperty("verdict").GetString());
        var assertions = report.GetProperty("assertions").EnumerateArray().ToDictionary(a => a.GetProperty("expectation").GetString()!);
        Assert.Equal("PASS", assertions["zone us-east-1b running == 0 within 1m"].GetProperty("result").GetString());
        Assert.Equal("0", assertions["zone us-east-1b running == 0 within 1m"].GetProperty("observed").GetString());
        Assert.Equal("FAIL", assertions["zone us-east-1c state unavailable within 10s"].GetProperty("result").GetString());
        Assert.Equal("available", assertions["zone us-east-1c state unavailable within 10s"].GetProperty("observed").GetString());
        Assert.Contains(report.GetProperty("faults").EnumerateArray(), f => f.GetProperty("target").GetString() == "us-east-1b");

        var html = File.ReadAllText(Path.Combine(folder, "index.html"));
        Assert.Contains("<span class=\"verdict failed\">FAILED</span>", html);
        Assert.Contains("<td>zone us-east-1b running == 0 within 1m</td><td class=\"PASS\">PASS</td><td>0</td>", html);
        Assert.Contains("<td>zone us-east-1c state unavailable within 10s</td><td class=\"FAIL\">FAIL</td><td>available</td>", html);
        Assert.Contains("src=\"data:image/png;base64,", html);

        var timeline = File.ReadAllLines(Path.Combine(folder, "timeline.csv"));
        Assert.Equal("sim_time,wall_time,kind,subject,detail", timeline[0]);
        Assert.True(timeline.Any(l => l.Contains(",fault,us-east-1b,az-outage started", StringComparison.Ordinal)), string.Join("\n", timeline));
        Assert.True(timeline.Any(l => l.Contains(",zone,us-east-1b,available -> unavailable", StringComparison.Ordinal)), string.Join("\n", timeline));
        Assert.True(timeline.Any(l => l.Contains(",capacity,us-east-1b,running 2 -> ", StringComparison.Ordinal)), string.Join("\n", timeline));

        var png = File.ReadAllBytes(Path.Combine(folder, ReportWriter.PlotFile));
        Assert.Equal(PngSignature, png[..8]);
        Assert.True(png.Length > 1000, $"the plot is {png.Length} bytes");

        // The same drill looked up later: the same verdict and assertions, without samples (so no plot).
        var drillId = report.GetProperty("drillId").GetString()!;
        var later = Path.Combine(_directory, "later");
        var looked = await CliRun.Of([node.Address, "drill", "report", drillId, "--out", later]);
        Assert.Equal(ExitCodes.Ok, looked.ExitCode);
        Assert.Contains("<td>zone us-east-1c state unavailable within 10s</td><td class=\"FAIL\">FAIL</td><td>available</td>", File.ReadAllText(Path.Combine(later, "index.html")));
        Assert.False(File.Exists(Path.Combine(later, ReportWriter.PlotFile)));
    }

    [Fact]
    public async Task Out_without_wait_is_a_usage_error()
    {
        var scenario = Write("s.yaml", "name: s\nsteps:\n  - at: 0s\n    action: sim time\n");

        var run = await CliRun.Of([node.Address, "drill", "run", scenario, "--out", _directory]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--out needs --wait", run.Error);
    }
}
