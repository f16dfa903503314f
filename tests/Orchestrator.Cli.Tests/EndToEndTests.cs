using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Cli;
using Orchestrator.Node.Hosting;
using Orchestrator.Node.Management;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// A real node in process (memory persistence, clock at x100) with its management endpoints mapped
/// as Program maps them, twice: on loopback, and as if bound off loopback (a token required).
/// </summary>
public sealed class ManagedNodeFixture : IAsyncLifetime
{
    public const string Token = "cli-test-token";

    private OrchestratorNode _node = null!;
    private WebApplication _open = null!;
    private WebApplication _guarded = null!;

    public string Address { get; private set; } = "";

    public string GuardedAddress { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { Persistence = PersistenceMode.Memory, NodePort = 0, TimeScale = 100, StrictImages = true };
        _node = await OrchestratorNode.Start(options, Modules.All(options), _ => { }, CancellationToken.None);
        (_open, Address) = await Serve(options);
        // Only the options decide whether a token is needed: the test still binds to loopback.
        (_guarded, GuardedAddress) = await Serve(options with { ManagementHost = "192.0.2.10", ManagementToken = Token });
    }

    private async Task<(WebApplication App, string Address)> Serve(NodeOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ManagementEndpoints.Map(app, () => _node, options);
        await app.StartAsync();
        return (app, new Uri(app.Urls.Single()).Authority);
    }

    public async Task DisposeAsync()
    {
        await _open.DisposeAsync();
        await _guarded.DisposeAsync();
        await _node.DisposeAsync();
    }
}

public sealed class EndToEndTests(ManagedNodeFixture node) : IClassFixture<ManagedNodeFixture>
{
    private static async Task<CliRun> Eventually(Func<Task<CliRun>> run, Func<CliRun, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var result = await run();
            if (done(result) || DateTime.UtcNow > deadline)
                return result;
            await Task.Delay(50);
        }
    }

    private static IEnumerable<JsonElement> Instances(CliRun run) =>
        JsonDocument.Parse(run.Out).RootElement.GetProperty("instances").EnumerateArray();

    [Fact]
    public async Task Launched_instances_show_as_a_table_and_as_json_for_scripts()
    {
        var launched = await CliRun.Of([node.Address, "ec2", "launch", "--image", "ami-0c02fb55956c7d316", "--type", "t3.micro", "--count", "2"]);

        Assert.Equal(ExitCodes.Ok, launched.ExitCode);
        Assert.Contains("│ instanceId ", launched.Out);
        var ids = System.Text.RegularExpressions.Regex.Matches(launched.Out, @"i-[0-9a-f]{17}").Select(m => m.Value).Distinct().ToList();
        Assert.Equal(2, ids.Count);

        var described = await Eventually(() => CliRun.Of([node.Address, "ec2", "describe", "--json", .. ids]),
            r => r.ExitCode == 0 && Instances(r).All(i => i.GetProperty("state").GetString() == "running"), TimeSpan.FromSeconds(20));

        Assert.Equal(ExitCodes.Ok, described.ExitCode);
        Assert.Equal(ids.Order(), Instances(described).Select(i => i.GetProperty("instanceId").GetString()!).Order());
        Assert.All(Instances(described), i =>
        {
            Assert.Equal("running", i.GetProperty("state").GetString());
            Assert.Equal("t3.micro", i.GetProperty("instanceType").GetString());
        });
        Assert.Empty(described.Error);
    }

    [Fact]
    public async Task Unknown_commands_exit_2_and_refused_commands_exit_1()
    {
        var unknown = await CliRun.Of([node.Address, "ec2", "explode"]);
        var unknownImage = await CliRun.Of([node.Address, "ec2", "launch", "--image", "ami-0123456789abcdef0", "--type", "t3.micro"]);

        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("unknown command 'explode' in palette 'ec2'", unknown.Error);
        Assert.Equal(ExitCodes.CommandFailed, unknownImage.ExitCode);
        Assert.Contains("error: InvalidAMIID.NotFound", unknownImage.Error);
    }

    [Fact]
    public async Task Help_comes_from_the_hosts_definitions()
    {
        var all = await CliRun.Of([node.Address, "help"]);
        var ec2 = await CliRun.Of([node.Address, "ec2", "help"]);

        Assert.Equal(ExitCodes.Ok, all.ExitCode);
        Assert.Contains("cluster show", all.Out);
        Assert.Contains("region az-status <az>", all.Out);
        Assert.Equal(ExitCodes.Ok, ec2.ExitCode);
        Assert.StartsWith("ec2: EC2 instances", ec2.Out);
        Assert.DoesNotContain("cluster show", ec2.Out);
    }

    [Fact]
    public async Task Off_loopback_the_token_is_required_and_taken_from_the_option_or_the_environment()
    {
        var without = await CliRun.Of([node.GuardedAddress, "sim", "time"]);
        var withOption = await CliRun.Of([node.GuardedAddress, "sim", "time", "--token", ManagedNodeFixture.Token]);
        var fromEnvironment = await CliRun.Of([node.GuardedAddress, "cluster", "show", "--plain"], variables: new Dictionary<string, string> { [Invocation.TokenVariable] = ManagedNodeFixture.Token });

        Assert.Equal(ExitCodes.Usage, without.ExitCode);
        Assert.Contains("pass --token or set ORCH_MANAGEMENT_TOKEN", without.Error);
        Assert.Equal(ExitCodes.Ok, withOption.ExitCode);
        Assert.StartsWith("sim time ", withOption.Out);
        Assert.Equal(ExitCodes.Ok, fromEnvironment.ExitCode);
        Assert.StartsWith("1 member(s)", fromEnvironment.Out);
    }
}
