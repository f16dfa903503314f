using Orchestrator.Domain.Chaos;

namespace Orchestrator.Domain.Tests.Chaos;

public sealed class DrillTests
{
    private const string Yaml = """
        name: outage
        seed: 3
        steps:
          - at: 1m
            action: chaos az-outage us-east-1a
            expect:
              - zone us-east-1a state unavailable
              - asg web in-service >= 2 within 5m
          - at: 2m
            action: chaos kill-instances --group web --count 1
        """;

    private readonly EntityHarness<DrillRun, IDrillCommand, IDrillEvent> _drill = new(DrillBehavior.Instance);

    [Fact]
    public void Steps_fall_due_at_their_offsets_in_order()
    {
        _drill.Execute(new DrillCommands.Start("drill-1", Yaml, null));

        Assert.Equal(3, _drill.State!.Seed);
        var due = Assert.Single(DrillBehavior.Instance.Deadlines(_drill.State));
        Assert.Equal((TestRegion.Epoch.AddMinutes(1), (IDrillCommand)new DrillCommands.RunStep(0)), (due.At, due.Command));
        Assert.Empty(_drill.Execute(new DrillCommands.RecordAction(1, true, "")));
    }

    [Fact]
    public void An_expectation_passes_when_it_holds_and_fails_at_its_deadline_with_the_value_last_seen()
    {
        _drill.Execute(new DrillCommands.Start("drill-1", Yaml, null));
        _drill.Now = TestRegion.Epoch.AddMinutes(1);
        _drill.Execute(new DrillCommands.RecordAction(0, true, "EXP1 started"));
        Assert.Contains(DrillBehavior.Instance.Deadlines(_drill.State), d => d.Key == "deadline-0-1" && d.At == TestRegion.Epoch.AddMinutes(6));

        var first = _drill.Execute(new DrillCommands.RecordObservations([new(0, 0, "unavailable"), new(0, 1, "1")]));
        Assert.Equal(new DrillEvents.ExpectationSettled(0, 0, true, "unavailable", TestRegion.Epoch.AddMinutes(1)), Assert.Single(first));

        _drill.Now = TestRegion.Epoch.AddMinutes(5);
        Assert.Empty(_drill.Execute(new DrillCommands.RecordObservations([new(0, 1, "1")])));
        _drill.Now = TestRegion.Epoch.AddMinutes(6);
        Assert.Equal(new DrillEvents.ExpectationSettled(0, 1, false, "1", TestRegion.Epoch.AddMinutes(6)),
            Assert.Single(_drill.Execute(new DrillCommands.RecordObservations([new(0, 1, "1")]))));

        _drill.Execute(new DrillCommands.RecordAction(1, true, ""));
        Assert.Equal((true, false), (_drill.State!.IsFinished, _drill.State.Passed!.Value));
        Assert.Empty(DrillBehavior.Instance.Deadlines(_drill.State));
    }

    [Fact]
    public void A_drill_passes_when_every_action_succeeded_and_every_expectation_held()
    {
        _drill.Execute(new DrillCommands.Start("drill-1", Yaml, 9));
        _drill.Execute(new DrillCommands.RecordAction(0, true, ""));
        _drill.Execute(new DrillCommands.RecordObservations([new(0, 0, "unavailable"), new(0, 1, "2")]));
        var last = _drill.Execute(new DrillCommands.RecordAction(1, true, ""));

        Assert.IsType<DrillEvents.DrillFinished>(last[^1]);
        Assert.True(_drill.State!.Passed);
        Assert.Equal("chaos kill-instances --group web --count 1 --seed 9", _drill.State.ActionLine(_drill.State.Steps[1]));
    }

    [Fact]
    public void A_scenario_that_does_not_parse_is_refused() =>
        Assert.Equal("InvalidParameterValue", _drill.Refuse(new DrillCommands.Start("drill-1", "name: x", null)).Code);
}
