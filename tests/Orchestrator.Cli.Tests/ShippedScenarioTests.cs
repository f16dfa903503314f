using Orchestrator.Domain.Chaos;

namespace Orchestrator.Cli.Tests;

/// <summary>Every scenario shipped in deploy/scenarios parses, with the name of its file, and has expectations to report.</summary>
public sealed class ShippedScenarioTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ScenariosDirectory(), "*.yaml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    private static string ScenariosDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (Directory.Exists(Path.Combine(directory.FullName, "deploy", "scenarios")))
                return Path.Combine(directory.FullName, "deploy", "scenarios");
        throw new DirectoryNotFoundException($"deploy/scenarios not found above {AppContext.BaseDirectory}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_shipped_scenario_parses(string file)
    {
        var scenario = Scenario.Parse(File.ReadAllText(Path.Combine(ScenariosDirectory(), file)));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
        Assert.Contains(scenario.Steps, s => s.Expect.Length > 0);
    }

    [Fact]
    public void The_high_availability_lab_scenarios_are_shipped()
    {
        var files = Directory.GetFiles(ScenariosDirectory(), "*.yaml").Select(Path.GetFileName);

        Assert.Superset(new HashSet<string?> { "az-outage.yaml", "instance-loss.yaml", "traffic-spike.yaml", "single-nat-antipattern.yaml", "db-failover.yaml" }, files.ToHashSet());
    }
}
