using Orchestrator.Cli;

namespace Orchestrator.Cli.Tests;

/// <summary>Completion from the palettes a real node listed.</summary>
public sealed class CompleterTests
{
    private readonly Completer _completer = new(Recorded.Palettes);

    [Fact]
    public void The_first_word_completes_to_palettes_and_the_prompts_own_words()
    {
        var all = _completer.Complete("");
        Assert.Equal(0, all.ReplaceFrom);
        Assert.Equal(["cluster", "cluster-sharding", "ec2", "elb", "exit", "help", "load", "quit", "region", "sim"], all.Candidates);

        Assert.Equal(["cluster", "cluster-sharding"], _completer.Complete("cl").Candidates);
        Assert.Equal(["ec2"], _completer.Complete("  ec").Candidates);
        Assert.Equal(2, _completer.Complete("  ec").ReplaceFrom);
    }

    [Fact]
    public void The_second_word_completes_to_the_palettes_commands_and_help()
    {
        Assert.Equal(["pause", "resume", "speed", "time"], _completer.Complete("sim ").Candidates.Where(c => c != "help"));
        Assert.Contains("help", _completer.Complete("sim ").Candidates);
        var described = _completer.Complete("ec2 de");
        Assert.Equal(["describe"], described.Candidates);
        Assert.Equal(4, described.ReplaceFrom);
        Assert.Empty(_completer.Complete("nope ").Candidates);
        Assert.Equal(["elb"], _completer.Complete("help el").Candidates);
    }

    [Fact]
    public void Later_words_complete_to_the_commands_switches_not_typed_yet()
    {
        string[] launchSwitches = ["--image", "--json", "--launch-template", "--plain", "--subnet", "--type", "--version", "--az", "--count", "--detailed-monitoring"];
        Assert.Equal(launchSwitches.Order(StringComparer.Ordinal), _completer.Complete("ec2 launch ").Candidates);
        Assert.DoesNotContain("--image", _completer.Complete("ec2 launch --image ami-1 --").Candidates);
        Assert.Equal(["--type"], _completer.Complete("ec2 launch --image ami-1 --t").Candidates);
        // One-letter switches are typed as pbm types them: -r, -e.
        Assert.Equal(["-e"], _completer.Complete("cluster-sharding entity-location -r instance -").Candidates.Where(c => !c.StartsWith("--", StringComparison.Ordinal)));
        // An argument we cannot know: nothing to offer.
        Assert.Empty(_completer.Complete("ec2 stop i-").Candidates);
    }
}
