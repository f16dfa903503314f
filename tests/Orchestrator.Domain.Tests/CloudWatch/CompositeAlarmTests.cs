using System.Collections.Immutable;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

public sealed class CompositeAlarmTests
{
    private const string Arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:service-down";
    private const string Sns = "arn:aws:sns:us-east-1:123456789012:ops";
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly CompositeAlarmBehavior Behavior = new();

    private static PutCompositeAlarmInput Input(string? rule = "ALARM(cpu) AND NOT ALARM(deploy)", bool? actionsEnabled = null) =>
        new("service-down", null, actionsEnabled, [Sns], [Sns], [], rule);

    private static bool? Exists(string name) => name switch
    {
        "cpu" => false,
        "deploy" => false,
        "other-composite" => true,
        _ => null,
    };

    private static CompositeAlarm Apply(CompositeAlarm? state, ICompositeAlarmCommand command, DateTimeOffset at, out IReadOnlyList<ICompositeAlarmEvent> events)
    {
        var decided = Behavior.Decide(state, command, TestRegion.At(at));
        Assert.False(decided.IsError, decided.Error?.Message);
        events = decided.Value;
        return events.Aggregate(state, Behavior.Evolve)!;
    }

    private static CompositeAlarmCommands.Evaluate Children(DateTimeOffset at, string cpu, string deploy) =>
        new("service-down", at, [new ChildState("cpu", "arn:cpu", cpu, at.AddSeconds(-5)), new ChildState("deploy", "arn:deploy", deploy, T0)]);

    [Fact]
    public void Put_checks_the_rule_and_that_every_referenced_alarm_exists()
    {
        var config = CompositeAlarmConfig.Validate(Input("ALARM(cpu) OR ALARM(other-composite)"), Exists).Value;
        Assert.Equal([new AlarmChild("cpu", false), new AlarmChild("other-composite", true)], config.Children.AsEnumerable());
        Assert.True(config.ActionsEnabled);
        var missing = CompositeAlarmConfig.Validate(Input("ALARM(cpu) OR ALARM(ghost) OR OK(\"phantom\")"), Exists).Error;
        Assert.Equal(("ValidationError", "Could not save the composite alarm as alarms [ghost, phantom] in the alarm rule do not exist"), (missing?.Code, missing?.Message));
        Assert.Equal("ValidationError", CompositeAlarmConfig.Validate(Input("ALARM(cpu) AND"), Exists).Error?.Code);
        Assert.Equal("MissingParameter", CompositeAlarmConfig.Validate(Input(null), Exists).Error?.Code);
        Assert.Equal("InvalidParameterValue", CompositeAlarmConfig.Validate(Input() with { AlarmActions = ["sns-topic"] }, Exists).Error?.Code);
    }

    [Fact]
    public void A_new_composite_starts_insufficient_then_follows_its_rule_running_the_new_states_actions()
    {
        var config = CompositeAlarmConfig.Validate(Input(), Exists).Value;
        var alarm = Apply(null, new CompositeAlarmCommands.Put(Arn, config), T0, out _);
        Assert.Equal((AlarmStates.InsufficientData, MetricAlarm.InitialReason), (alarm.StateValue, alarm.StateReason));

        alarm = Apply(alarm, Children(T0.AddSeconds(1), AlarmStates.Ok, AlarmStates.Ok), T0.AddSeconds(1), out var events);
        var toOk = Assert.IsType<CompositeAlarmEvents.StateChanged>(Assert.Single(events));
        Assert.Equal((AlarmStates.InsufficientData, AlarmStates.Ok), (toOk.From, toOk.To));
        Assert.Equal([Sns], toOk.Actions.AsEnumerable());

        Apply(alarm, Children(T0.AddSeconds(10), AlarmStates.Ok, AlarmStates.Ok), T0.AddSeconds(10), out events);
        Assert.Empty(events);

        alarm = Apply(alarm, Children(T0.AddSeconds(20), AlarmStates.Alarm, AlarmStates.Ok), T0.AddSeconds(20), out events);
        var toAlarm = Assert.IsType<CompositeAlarmEvents.StateChanged>(Assert.Single(events));
        Assert.Equal((AlarmStates.Alarm, T0.AddSeconds(20)), (alarm.StateValue, alarm.StateUpdatedTimestamp));
        Assert.Equal("arn:cpu transitioned to ALARM at 2026-01-05T09:00:15.000+0000", toAlarm.Reason);
        Assert.Contains("\"triggeringAlarms\":[{\"arn\":\"arn:cpu\"", alarm.StateReasonData, StringComparison.Ordinal);
        Assert.Equal(
            [AlarmHistoryTypes.ConfigurationUpdate, AlarmHistoryTypes.StateUpdate, AlarmHistoryTypes.Action, AlarmHistoryTypes.StateUpdate, AlarmHistoryTypes.Action],
            alarm.History.Select(h => h.HistoryItemType));
        Assert.Equal($"Successfully executed action {Sns}", alarm.History[^1].HistorySummary);

        // A deployment in progress silences it: back to OK.
        alarm = Apply(alarm, Children(T0.AddSeconds(30), AlarmStates.Alarm, AlarmStates.Alarm), T0.AddSeconds(30), out _);
        Assert.Equal(AlarmStates.Ok, alarm.StateValue);
    }

    [Fact]
    public void Disabled_actions_do_not_run_and_an_update_keeps_the_state()
    {
        var config = CompositeAlarmConfig.Validate(Input(actionsEnabled: false), Exists).Value;
        var alarm = Apply(null, new CompositeAlarmCommands.Put(Arn, config), T0, out _);
        alarm = Apply(alarm, Children(T0, AlarmStates.Alarm, AlarmStates.Ok), T0, out var events);
        Assert.Empty(Assert.IsType<CompositeAlarmEvents.StateChanged>(Assert.Single(events)).Actions);
        alarm = Apply(alarm, new CompositeAlarmCommands.Put(Arn, config with { AlarmRule = "ALARM(cpu)" }), T0.AddMinutes(1), out _);
        Assert.Equal((AlarmStates.Alarm, "ALARM(cpu)", T0.AddMinutes(1)), (alarm.StateValue, alarm.Config.AlarmRule, alarm.AlarmConfigurationUpdatedTimestamp));
        Assert.Null(Behavior.Evolve(alarm, new CompositeAlarmEvents.Deleted(T0.AddMinutes(2))));
    }

    [Fact]
    public void Set_state_is_a_transition_until_the_rule_is_evaluated_again()
    {
        var config = CompositeAlarmConfig.Validate(Input(), Exists).Value;
        var alarm = Apply(null, new CompositeAlarmCommands.Put(Arn, config), T0, out _);
        alarm = Apply(alarm, new CompositeAlarmCommands.SetState("service-down", AlarmStates.Alarm, "testing actions", null), T0, out var events);
        Assert.Equal([Sns], Assert.IsType<CompositeAlarmEvents.StateChanged>(Assert.Single(events)).Actions.AsEnumerable());
        Assert.Equal("InvalidFormat", Behavior.Decide(alarm, new CompositeAlarmCommands.SetState("service-down", AlarmStates.Ok, "x", "{not json"), TestRegion.At(T0)).Error?.Code);
        Assert.Equal("InvalidParameterValue", Behavior.Decide(alarm, new CompositeAlarmCommands.SetState("service-down", "BROKEN", "x", null), TestRegion.At(T0)).Error?.Code);
        alarm = Apply(alarm, Children(T0.AddSeconds(10), AlarmStates.Ok, AlarmStates.Ok), T0.AddSeconds(10), out _);
        Assert.Equal(AlarmStates.Ok, alarm.StateValue);
        Assert.Equal(ImmutableDictionary<string, string>.Empty.Add("cpu", AlarmStates.Ok).Add("deploy", AlarmStates.Ok), alarm.ChildStates);
    }
}
