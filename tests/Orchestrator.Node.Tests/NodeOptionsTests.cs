using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

public sealed class NodeOptionsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static NodeOptions Parse(params string[] args)
    {
        var (options, error) = NodeOptions.Parse(args, NoEnvironment);
        Assert.True(options is not null, error);
        return options;
    }

    private static string Error(params string[] args)
    {
        var (options, error) = NodeOptions.Parse(args, NoEnvironment);
        Assert.Null(options);
        return error!;
    }

    [Fact]
    public void Defaults_match_the_readme()
    {
        var options = Parse();
        Assert.Equal(("127.0.0.1", 4566, 9110, "127.0.0.1", 4053), (options.ApiHost, options.ApiPort, options.ManagementPort, options.NodeHost, options.NodePort));
        Assert.Equal(PersistenceMode.Sqlite, options.Persistence);
        Assert.Equal("./data", options.DataDir);
        Assert.Null(options.TimeScale);
        Assert.Equal("us-east-1", options.Region);
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], options.Azs.ToArray());
        Assert.Empty(options.Seeds.ToArray());
    }

    [Fact]
    public void Flags_override_environment_and_seeds_repeat()
    {
        var environment = new Dictionary<string, string> { ["ORCH_API_PORT"] = "5000", ["ORCH_TIME_SCALE"] = "60", ["ORCH_SEED"] = "127.0.0.1:5001,127.0.0.1:5002" };
        var (options, _) = NodeOptions.Parse(["--api-port", "6000", "--region=eu-west-1"], environment);
        Assert.Equal(6000, options!.ApiPort);
        Assert.Equal(60, options.TimeScale);
        Assert.Equal(["akka.tcp://orchestrator@127.0.0.1:5001", "akka.tcp://orchestrator@127.0.0.1:5002"], options.Seeds.ToArray());
        Assert.Equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"], options.Azs.ToArray());

        var twoSeeds = Parse("--seed", "127.0.0.1:7001", "--seed", "akka.tcp://orchestrator@127.0.0.1:7002");
        Assert.Equal(2, twoSeeds.Seeds.Length);
    }

    [Theory]
    [InlineData("unknown persistence 'mongo'", "--persistence", "mongo")]
    [InlineData("malformed seed 'nohost'", "--seed", "nohost")]
    [InlineData("malformed seed 'akka.tcp://other@127.0.0.1:1'", "--seed", "akka.tcp://other@127.0.0.1:1")]
    [InlineData("--api-port must be a port number", "--api-port", "http")]
    [InlineData("--time-scale must be a number", "--time-scale", "0")]
    [InlineData("needs --connection-string", "--persistence", "postgres")]
    [InlineData("unknown option --bogus", "--bogus", "1")]
    [InlineData("option --region needs a value", "--region")]
    public void Bad_options_give_one_line_naming_the_problem(string expected, params string[] args)
    {
        var error = Error(args);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Listener_ports_are_off_unless_an_offset_is_given()
    {
        Assert.Null(Parse().ListenerPortOffset);
        Assert.Null(Parse("--listener-ports", "off").ListenerPortOffset);
        Assert.Equal(20000, Parse("--listener-ports", "20000").ListenerPortOffset);
        Assert.Equal(0, Parse("--listener-ports", "0").ListenerPortOffset);
        Assert.Contains("--listener-ports", Error("--listener-ports", "many"));
        Assert.Contains("--listener-ports", Error("--listener-ports", "-5"));
    }
}
