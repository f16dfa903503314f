using System.Net;
using System.Text.Json;
using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

public sealed class RenderingTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static HostReply Success(string data, string text) => new(HttpStatusCode.OK, true, Json(data), text, null, null);

    private static string Render(HostReply reply, OutputOptions options)
    {
        var (@out, error) = (new StringWriter(), new StringWriter());
        CliEnvironment.WriterOutput(@out, error).Reply(reply, options);
        return @out.ToString() + error;
    }

    private const string Instances = """
        {"instances":[
          {"instanceId":"i-1","state":"running","availabilityZone":"us-east-1a","launchTime":"2026-11-27T22:57:58.5636592+00:00","detailedMonitoring":false},
          {"instanceId":"i-2","state":"pending","availabilityZone":"us-east-1b","launchTime":"2026-11-27T22:57:59.0000000+00:00","detailedMonitoring":true}]}
        """;

    [Fact]
    public void Rows_of_flat_objects_become_a_table_unless_plain()
    {
        var reply = Success(Instances, "i-1  running\ni-2  pending");

        var table = Render(reply, OutputOptions.Default);
        var plain = Render(reply, new OutputOptions(Json: false, Plain: true));

        Assert.Contains("│ instanceId │ state   │ availabilityZone │ launchTime           │ detailedMonitoring │", table);
        Assert.Contains("│ i-2        │ pending │ us-east-1b       │ 2026-11-27 22:57:59Z │ true               │", table);
        Assert.Equal("i-1  running\ni-2  pending" + Environment.NewLine, plain);
    }

    [Fact]
    public void Scalars_beside_the_rows_are_a_header_and_lists_of_scalars_are_joined()
    {
        var shape = TableShape.From(Json("""
            {"self":"akka.tcp://o@a:1","leader":null,"members":[{"address":"akka.tcp://o@a:1","roles":["api","worker"],"up":true}]}
            """))!;

        Assert.Equal([new("self", "akka.tcp://o@a:1"), new KeyValuePair<string, string>("leader", "")], shape.Header);
        Assert.Equal(["address", "roles", "up"], shape.Columns);
        Assert.Equal(["akka.tcp://o@a:1", "api, worker", "true"], shape.Rows[0]);
        Assert.NotNull(TableShape.From(Json("""[{"id":"a"},{"id":"b","port":80}]""")));
    }

    [Theory]
    [InlineData("""{"simTime":"2026-11-27T00:00:00Z","timeScale":100}""")]
    [InlineData("""{"instances":[]}""")]
    [InlineData("""{"targets":[{"id":"i-1","health":{"state":"healthy"}}]}""")]
    [InlineData("""{"a":[{"id":1}],"b":[{"id":2}]}""")]
    [InlineData("""["i-1","i-2"]""")]
    public void Anything_else_is_the_hosts_text(string data)
    {
        Assert.Null(TableShape.From(Json(data)));
        Assert.Equal("the text" + Environment.NewLine, Render(Success(data, "the text"), OutputOptions.Default));
    }

    [Fact]
    public void Json_prints_the_raw_data_on_success_and_the_error_on_failure()
    {
        var data = Render(Success(Instances, "ignored"), new OutputOptions(Json: true, Plain: false));
        var failure = Render(HostReply.Parse(HttpStatusCode.BadRequest, """{"ok":false,"data":null,"text":"InvalidAMIID.NotFound: no such image","errorCode":"InvalidAMIID.NotFound","errorMessage":"no such image"}"""),
            new OutputOptions(Json: true, Plain: false));

        Assert.Equal("i-2", JsonDocument.Parse(data).RootElement.GetProperty("instances")[1].GetProperty("instanceId").GetString());
        Assert.Contains("\"launchTime\": \"2026-11-27T22:57:58.5636592+00:00\"", data);
        Assert.Contains("\"errorCode\": \"InvalidAMIID.NotFound\"", failure);
        Assert.Contains("error: InvalidAMIID.NotFound: no such image", failure);
    }

    [Fact]
    public void Help_lists_every_command_with_its_usage_from_the_hosts_definitions()
    {
        var help = HelpText.For(Recorded.Palettes);

        foreach (var command in Recorded.Palettes.SelectMany(p => p.Commands))
            Assert.Contains(command.Usage, help);
        Assert.Contains("sim: the cluster's simulated clock", help);
        Assert.Matches(@"  sim pause +freeze simulated time", help);
    }
}
