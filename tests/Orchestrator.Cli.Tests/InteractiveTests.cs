using System.Net;
using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

/// <summary>The prompt against a scripted host: completion from its palettes, help, errors that do not end the session.</summary>
public sealed class InteractiveTests
{
    private static FakeHost Host() => new(line => line.StartsWith("sim", StringComparison.Ordinal)
        ? (HttpStatusCode.OK, new { ok = true, data = new { paused = true }, text = $"did {line}" })
        : (HttpStatusCode.BadRequest, new { ok = false, text = "unknown palette", errorCode = "Usage", errorMessage = $"unknown palette in '{line}'" }));

    [Fact]
    public async Task Completed_lines_go_to_the_host_and_the_session_outlives_failures()
    {
        var host = Host();

        var run = await CliRun.Of(["127.0.0.1:9110"], host, keys: ["si", Keys.Tab, "pa", Keys.Tab, Keys.Enter, "nope now", Keys.Enter, Keys.Up, Keys.Up, Keys.Enter, "exit", Keys.Enter, "sim never", Keys.Enter]);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["sim pause", "nope now", "sim pause"], host.Lines);
        Assert.Contains("connected to 127.0.0.1:9110: cluster, cluster-sharding, ec2, elb, load, region, sim", run.Out);
        Assert.Contains("did sim pause", run.Out);
        Assert.Contains("usage: unknown palette in 'nope now'", run.Error);
    }

    [Fact]
    public async Task Help_at_the_prompt_is_answered_from_the_downloaded_palettes()
    {
        var host = Host();

        var run = await CliRun.Of(["127.0.0.1:9110"], host, keys: ["sim help", Keys.Enter, "help elb", Keys.Enter, "bogus help", Keys.Enter, "sim", Keys.Enter]);

        Assert.Empty(host.Lines);
        Assert.Contains("sim speed <x>", run.Out);
        Assert.Contains("elb targets <target-group-name|arn>", run.Out);
        Assert.DoesNotContain("ec2 launch", run.Out);
        Assert.Contains("usage: unknown palette 'bogus'", run.Error);
        Assert.Contains("usage: expected <palette> <command>", run.Error);
    }

    [Fact]
    public async Task Ctrl_c_during_a_command_abandons_it_and_the_prompt_goes_on()
    {
        var host = new SlowHost();
        var interruption = new Interruption();

        var session = Task.Run(() => CliRun.Of(["127.0.0.1:9110"], host, keys: ["sim slow", Keys.Enter, "sim time", Keys.Enter], interruption: interruption));
        await host.SlowCommandArrived.Task;
        Assert.True(interruption.InterruptCommand());
        var run = await session;

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["sim slow", "sim time"], host.Lines);
        Assert.Contains("interrupted", run.Error);
        Assert.Contains("did sim time", run.Out);
        Assert.False(interruption.InterruptCommand());
    }

    /// <summary>Answers "sim slow" only when the caller gives up.</summary>
    private sealed class SlowHost : HttpMessageHandler
    {
        public TaskCompletionSource SlowCommandArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Lines { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Recorded.CommandsJson) };
            var line = System.Text.Json.JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("line").GetString()!;
            Lines.Add(line);
            if (line == "sim slow")
            {
                SlowCommandArrived.SetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"ok":true,"data":null,"text":"did {{line}}"}""") };
        }
    }

    [Fact]
    public async Task A_node_still_starting_ends_the_session_with_3()
    {
        var run = await CliRun.Of(["127.0.0.1:9110"], new FakeHost(_ => throw new InvalidOperationException()) { ListStatus = HttpStatusCode.ServiceUnavailable });

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("did not list its commands: 503", run.Error);
    }
}
