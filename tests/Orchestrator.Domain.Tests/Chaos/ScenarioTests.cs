using Orchestrator.Domain.Chaos;

namespace Orchestrator.Domain.Tests.Chaos;

public sealed class ScenarioTests
{
    private const string Example = """
        name: az-outage
        speed: 60
        seed: 7
        steps:
          - at: 0s
            action: chaos az-outage us-east-1a --for 10m
            expect:
              - zone us-east-1a state unavailable
              - asg web in-service >= 3 within 5m
          - at: 10m30s
            expect: zone us-east-1a state == available
        """;

    [Fact]
    public void Parses_name_speed_seed_and_steps()
    {
        var scenario = Scenario.Parse(Example);

        Assert.Equal(("az-outage", 60.0, 7), (scenario.Name, scenario.Speed!.Value, scenario.Seed!.Value));
        Assert.Equal(2, scenario.Steps.Length);
        Assert.Equal("chaos az-outage us-east-1a --for 10m", scenario.Steps[0].Action);
        Assert.Equal(new Expectation("asg web in-service >= 3 within 5m", "asg", "web", "in-service", ">=", "3", TimeSpan.FromMinutes(5)), scenario.Steps[0].Expect[1]);
        Assert.Equal(TimeSpan.FromSeconds(630), scenario.Steps[1].At);
        Assert.Null(scenario.Steps[1].Action);
        Assert.Equal(("zone", "state", "==", "available", TimeSpan.Zero), (scenario.Steps[1].Expect[0].SubjectKind, scenario.Steps[1].Expect[0].Property, scenario.Steps[1].Expect[0].Operator, scenario.Steps[1].Expect[0].Value, scenario.Steps[1].Expect[0].Within));
    }

    [Theory]
    [InlineData("name: x\nsteps: []", "non-empty list of steps")]
    [InlineData("steps:\n  - at: 0s\n    action: sim time", "needs a name")]
    [InlineData("name: x\nsteps:\n  - at: soon\n    action: sim time", "step 1 (line 3): at must be a duration")]
    [InlineData("name: x\nsteps:\n  - at: 0s", "needs an action, an expect, or both")]
    [InlineData("name: x\nsteps:\n  - at: 1m\n    action: sim time\n  - at: 0s\n    action: sim time", "comes before")]
    [InlineData("name: x\nsteps:\n  - at: 0s\n    expect:\n      - lambda f state ok", "unknown subject 'lambda'")]
    [InlineData("name: x\nsteps:\n  - at: 0s\n    expect:\n      - asg web healthy >= 1", "asg has no property 'healthy'")]
    [InlineData("name: x\nsteps:\n  - at: 0s\n    expect:\n      - asg web in-service >= many", ">= compares numbers")]
    [InlineData("name: x\nsteps:\n  - at: 0s\n    expect:\n      - zone a state up within ages", "within needs a duration")]
    [InlineData("name: x\nstep:\n  - at: 0s", "unknown key 'step'")]
    [InlineData("name: [x\n", "not valid YAML")]
    public void Explains_what_is_wrong_and_where(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Scenario.Parse(yaml));
        Assert.Contains(expected, error.Message);
    }
}

public sealed class ExpectationTests
{
    [Theory]
    [InlineData("asg web in-service >= 3", "3", true)]
    [InlineData("asg web in-service >= 3", "2", false)]
    [InlineData("asg web in-service > 3", "3", false)]
    [InlineData("asg web in-service < 3", "2", true)]
    [InlineData("asg web in-service <= 3", "4", false)]
    [InlineData("asg web in-service 3", "3", true)]
    [InlineData("asg web in-service != 3", "3", false)]
    [InlineData("target-group web healthy >= 2", "2", true)]
    [InlineData("alarm cpu-high state ALARM", "ALARM", true)]
    [InlineData("alarm cpu-high state = alarm", "ALARM", true)]
    [InlineData("alarm cpu-high state ALARM", "OK", false)]
    [InlineData("zone us-east-1a state != available", "unavailable", true)]
    [InlineData("zone us-east-1a state unavailable", null, false)]
    [InlineData("instance i-0123456789abcdef0 internet yes", "yes", true)]
    [InlineData("db orders primary-az us-east-1b within 3m", "us-east-1b", true)]
    [InlineData("db orders status available", "failing-over", false)]
    [InlineData("instance i-0123456789abcdef0 internet yes within 2m", "no", false)]
    public void Compares_numbers_as_numbers_and_states_as_words(string text, string? observed, bool met) =>
        Assert.Equal(met, Expectation.Parse(text).IsMetBy(observed));

    [Fact]
    public void Within_sets_the_deadline() =>
        Assert.Equal(TimeSpan.FromMinutes(4), Expectation.Parse("alarm cpu-high state ALARM within 4m").Within);
}
