using System.Net;
using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

public sealed class InvocationTests
{
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public void Host_and_command_make_a_one_shot_invocation_with_the_cli_options_taken_out_wherever_they_stand()
    {
        var invocation = Invocation.Parse(["--json", "127.0.0.1:9110", "ec2", "launch", "--image", "ami-1", "--plain", "--type", "t3.micro", "--token", "s3cret"], NoVariables)!;

        Assert.Equal(new Uri("http://127.0.0.1:9110"), invocation.Host);
        Assert.False(invocation.Interactive);
        Assert.Equal(["ec2", "launch", "--image", "ami-1", "--type", "t3.micro"], invocation.Command);
        Assert.Equal(new OutputOptions(Json: true, Plain: true), invocation.Output);
        Assert.Equal("s3cret", invocation.Token);
    }

    [Fact]
    public void A_host_alone_opens_the_prompt()
    {
        var invocation = Invocation.Parse(["localhost:9110"], NoVariables)!;

        Assert.True(invocation.Interactive);
        Assert.Equal(OutputOptions.Default, invocation.Output);
        Assert.Null(invocation.Token);
    }

    [Theory]
    [InlineData("127.0.0.1:9110", "http://127.0.0.1:9110/")]
    [InlineData("[::1]:9110", "http://[::1]:9110/")]
    [InlineData("https://node-1.internal:9443", "https://node-1.internal:9443/")]
    [InlineData("http://10.0.0.5:9110/", "http://10.0.0.5:9110/")]
    public void Hosts_need_an_explicit_port_and_may_be_urls(string value, string expected) =>
        Assert.Equal(new Uri(expected), Invocation.ParseHost(value));

    [Theory]
    [InlineData("cluster")]
    [InlineData("127.0.0.1")]
    [InlineData("ftp://host:21")]
    [InlineData("http://host:9110/path")]
    public void A_first_argument_that_is_not_host_and_port_is_a_usage_error(string value)
    {
        var error = Assert.Throws<CliException>(() => Invocation.ParseHost(value));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Fact]
    public void The_token_comes_from_the_environment_unless_given()
    {
        var variables = new Dictionary<string, string> { [Invocation.TokenVariable] = "from-env" };

        Assert.Equal("from-env", Invocation.Parse(["127.0.0.1:9110", "cluster", "show"], variables)!.Token);
        Assert.Equal("given", Invocation.Parse(["127.0.0.1:9110", "cluster", "show", "--token=given"], variables)!.Token);
    }

    [Fact]
    public void Help_alone_is_null_and_a_token_without_value_is_a_usage_error()
    {
        Assert.Null(Invocation.Parse(["--help"], NoVariables));
        Assert.Null(Invocation.Parse(["127.0.0.1:9110", "-h"], NoVariables));
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => Invocation.Parse(["127.0.0.1:9110", "--token"], NoVariables)).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => Invocation.Parse(["--json"], NoVariables)).ExitCode);
    }

    [Fact]
    public void Arguments_split_by_the_shell_reach_the_host_as_the_same_tokens()
    {
        string[] tokens = ["elb", "targets", "my group", "--name", "it's", "--tag", "say \"hi\""];

        var line = CommandLineText.Join(tokens);

        Assert.Equal("elb targets \"my group\" --name \"it's\" --tag 'say \"hi\"'", line);
        Assert.Equal(tokens, CommandLineText.Split(line));
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => CommandLineText.Split("ec2 describe 'open")).ExitCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, true, null, ExitCodes.Ok)]
    [InlineData(HttpStatusCode.BadRequest, false, "Usage", ExitCodes.Usage)]
    [InlineData(HttpStatusCode.BadRequest, false, "InvalidInstanceID.Malformed", ExitCodes.CommandFailed)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false, "IncorrectInstanceState", ExitCodes.CommandFailed)]
    [InlineData(HttpStatusCode.Unauthorized, false, null, ExitCodes.Usage)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false, "NodeNotReady", ExitCodes.Unreachable)]
    [InlineData(HttpStatusCode.InternalServerError, false, null, ExitCodes.CommandFailed)]
    public void Replies_map_to_exit_codes(HttpStatusCode status, bool ok, string? errorCode, int exitCode)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { ok, data = (object?)null, text = "t", errorCode, errorMessage = "m" });

        Assert.Equal(exitCode, HostReply.Parse(status, body).ExitCode);
    }

    [Fact]
    public async Task Usage_errors_exit_2_before_any_request()
    {
        var noHost = await CliRun.Of([]);
        var wrongOrder = await CliRun.Of(["cluster", "show", "127.0.0.1:9110"]);
        var help = await CliRun.Of(["--help"]);

        Assert.Equal(ExitCodes.Usage, noHost.ExitCode);
        Assert.Contains("usage: orch <host:port>", noHost.Error);
        Assert.Equal(ExitCodes.Usage, wrongOrder.ExitCode);
        Assert.Contains("expected <host:port> first, got 'cluster'", wrongOrder.Error);
        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("exit codes: 0 ok, 1 the command failed, 2 usage, 3 host unreachable or starting", help.Out);
    }

    [Fact]
    public async Task A_host_that_does_not_listen_exits_3()
    {
        // Port 9 (discard) on loopback: nothing listens there on a test machine.
        var run = await CliRun.Of(["127.0.0.1:9", "cluster", "show"]);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("127.0.0.1:9 is unreachable", run.Error);
    }

    [Fact]
    public async Task The_token_goes_as_a_bearer_header_and_a_refusal_says_how_to_pass_it()
    {
        var handler = new RecordingHandler();
        var run = await CliRun.Of(["10.0.0.5:9110", "cluster", "show"], handler, new Dictionary<string, string> { [Invocation.TokenVariable] = "s3cret" });

        Assert.Equal("Bearer s3cret", handler.Authorization);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("pass --token or set ORCH_MANAGEMENT_TOKEN", run.Error);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public string? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization?.ToString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"error":"a management token is required"}""") });
        }
    }
}
