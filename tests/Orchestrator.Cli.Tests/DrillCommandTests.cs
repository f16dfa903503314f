using System.Net;
using System.Text;
using System.Text.Json;
using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

/// <summary>`orch ... drill run &lt;file&gt;`: the file is read where orch runs and its content travels with the command.</summary>
public sealed class DrillCommandTests : IDisposable
{
    private const string Scenario = """
        name: outage
        steps:
          - at: 0s
            action: chaos az-outage us-east-1a --for 10m
            expect:
              - zone us-east-1a state unavailable
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("orch-drill-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static FakeHost Host() => new(_ => (HttpStatusCode.OK, new { ok = true, data = new { drillId = "drill-1" }, text = "drill drill-1 (outage) running" }));

    [Fact]
    public async Task The_scenario_file_s_content_is_sent_with_the_command_line()
    {
        var path = Write("outage.yaml", Scenario);
        var host = Host();

        var run = await CliRun.Of(["127.0.0.1:9110", "drill", "run", path, "--seed", "4", "--plain"], host);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("drill drill-1 (outage) running" + Environment.NewLine, run.Out);
        var tokens = Assert.Single(host.Lines).Split(' ');
        Assert.Equal(["drill", "run", path, "--seed", "4", "--scenario"], tokens[..^1]);
        Assert.Equal(Scenario, Encoding.UTF8.GetString(Convert.FromBase64String(tokens[^1])));
    }

    [Fact]
    public async Task A_scenario_that_does_not_parse_or_cannot_be_read_is_a_usage_error_sent_nowhere()
    {
        var broken = Write("broken.yaml", "name: x\nsteps:\n  - at: later\n    action: sim time\n");
        var host = Host();

        var parsed = await CliRun.Of(["127.0.0.1:9110", "drill", "run", broken], host);
        var missing = await CliRun.Of(["127.0.0.1:9110", "drill", "run", Path.Combine(_directory, "nope.yaml")], host);

        Assert.Equal(ExitCodes.Usage, parsed.ExitCode);
        Assert.Contains($"usage: {broken}: step 1 (line 3): at must be a duration", parsed.Error);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("cannot read scenario", missing.Error);
        Assert.Empty(host.Lines);
    }

    [Fact]
    public async Task Other_commands_go_as_typed()
    {
        var host = Host();

        await CliRun.Of(["127.0.0.1:9110", "drill", "report", "drill-1"], host);
        await CliRun.Of(["127.0.0.1:9110", "chaos", "az-outage", "us-east-1a", "--for", "10m"], host);

        Assert.Equal(["drill report drill-1", "chaos az-outage us-east-1a --for 10m"], host.Lines);
    }
}

/// <summary>The chaos and drill palettes of a real node in process (clock at x100), through orch.</summary>
public sealed class ChaosEndToEndTests(ManagedNodeFixture node) : IClassFixture<ManagedNodeFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orch-drill-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task An_outage_for_a_while_is_listed_and_ends_by_itself()
    {
        var started = await CliRun.Of([node.Address, "chaos", "az-outage", "us-east-1c", "--mode", "network", "--for", "30s", "--plain"]);
        Assert.Equal(ExitCodes.Ok, started.ExitCode);
        Assert.Contains("active  az-outage       us-east-1c unavailable (network)", started.Out);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement fault;
        while (true)
        {
            var listed = await CliRun.Of([node.Address, "chaos", "list", "--json"]);
            fault = JsonDocument.Parse(listed.Out).RootElement.GetProperty("faults").EnumerateArray().Single(f => f.GetProperty("target").GetString() == "us-east-1c");
            if (fault.GetProperty("status").GetString() == "ended")
                break;
            Assert.True(DateTime.UtcNow < deadline, $"the outage did not end: {listed.Out}");
            await Task.Delay(50);
        }

        // Real time at x100: the restore fires at its deadline or a little after, never before.
        Assert.True(fault.GetProperty("endedAt").GetDateTimeOffset() >= fault.GetProperty("until").GetDateTimeOffset());
        var region = await CliRun.Of([node.Address, "region", "show", "--json"]);
        var zone = JsonDocument.Parse(region.Out).RootElement.GetProperty("zones").EnumerateArray().Single(z => z.GetProperty("name").GetString() == "us-east-1c");
        Assert.Equal("available", zone.GetProperty("state").GetString());
        var table = await CliRun.Of([node.Address, "chaos", "list"]);
        Assert.Contains("│ faultId ", table.Out);
    }

    private static string Shipped(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "deploy", "scenarios", name)))
                return Path.Combine(directory.FullName, "deploy", "scenarios", name);
        throw new FileNotFoundException($"deploy/scenarios/{name} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task The_shipped_az_outage_scenario_passes()
    {
        var run = await CliRun.Of([node.Address, "drill", "run", Shipped("az-outage.yaml"), "--speed", "200", "--wait", "--plain"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Out + run.Error);
        Assert.Contains("(az-outage) passed", run.Out);
        Assert.Contains("PASS    expect zone us-east-1a running == 0 within 2m (observed 0)", run.Out);
        Assert.Contains("PASS    expect zone us-east-1a running >= 2 within 3m (observed 2)", run.Out);
    }

    [Fact]
    public async Task Drill_run_waits_for_the_verdict_and_exits_1_when_an_expectation_fails()
    {
        var passing = Write("pass.yaml", """
            name: zone-comes-back
            steps:
              - at: 0s
                action: chaos az-outage us-east-1b --for 1m
                expect:
                  - zone us-east-1b state unavailable
              - at: 1m
                expect:
                  - zone us-east-1b state available within 1m
            """);
        var failing = Write("fail.yaml", """
            name: wishful
            steps:
              - at: 0s
                expect:
                  - zone us-east-1a state unavailable within 10s
            """);

        var passed = await CliRun.Of([node.Address, "drill", "run", passing, "--wait", "--plain"]);
        var failed = await CliRun.Of([node.Address, "drill", "run", failing, "--wait"]);
        var list = await CliRun.Of([node.Address, "drill", "list", "--json"]);

        Assert.True(passed.ExitCode == ExitCodes.Ok, passed.Out + passed.Error);
        Assert.Contains("(zone-comes-back) passed", passed.Out);
        Assert.Contains("PASS    expect zone us-east-1b state available within 1m (observed available)", passed.Out);
        Assert.Equal(ExitCodes.CommandFailed, failed.ExitCode);
        Assert.Contains("error: DrillFailed", failed.Error);
        Assert.Contains("FAIL    expect zone us-east-1a state unavailable within 10s (observed available)", failed.Error);
        var drills = JsonDocument.Parse(list.Out).RootElement.GetProperty("drills").EnumerateArray().ToList();
        Assert.Contains(drills, d => d.GetProperty("name").GetString() == "zone-comes-back" && d.GetProperty("status").GetString() == "passed");
        var wishful = drills.Single(d => d.GetProperty("name").GetString() == "wishful");
        Assert.Equal("failed", wishful.GetProperty("status").GetString());

        var report = await CliRun.Of([node.Address, "drill", "report", wishful.GetProperty("drillId").GetString()!]);
        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.Contains("│ FAIL ", report.Out);
    }
}
