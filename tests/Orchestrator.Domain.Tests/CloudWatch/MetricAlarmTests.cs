using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

public sealed class MetricAlarmTests
{
    private const string Arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu";
    private const string Stop = "arn:aws:automate:us-east-1:ec2:stop";
    private const string Policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0b6b7d2b-1c0e-4c1f-9d3a-6d2f0c1e1a11:autoScalingGroupName/web:policyName/up";
    private static readonly MetricAlarmBehavior Behavior = new();

    private static PutMetricAlarmInput Input(int? period = 60, int? n = 3, int? m = null, string? statistic = "Average", string? extended = null,
        IReadOnlyList<string>? alarmActions = null, string? treat = null) =>
        new("cpu", null, null, [], alarmActions ?? [Stop, Policy], [], "Custom", "CPU", [("InstanceId", "i-0123456789abcdef0")], period, statistic, extended, null,
            n, m, 70, ComparisonOperators.GreaterThanThreshold, treat);

    private static MetricAlarmConfig Config(PutMetricAlarmInput? input = null) => MetricAlarmConfig.Validate(input ?? Input()).Value;

    private static MetricAlarm Apply(MetricAlarm? state, IMetricAlarmCommand command, DateTimeOffset at, out IReadOnlyList<IMetricAlarmEvent> events)
    {
        var decided = Behavior.Decide(state, command, TestRegion.At(at));
        Assert.False(decided.IsError, decided.Error?.Message);
        events = decided.Value;
        return events.Aggregate(state, Behavior.Evolve)!;
    }

    private static MetricAlarmCommands.Evaluate Range(DateTimeOffset at, params double?[] values) =>
        new("cpu", at, [.. values.Select((v, i) => new AlarmSlot(at.AddMinutes(i - values.Length), v))]);

    [Theory]
    [InlineData(45, 3, null, "Average", null, "ValidationError")]
    [InlineData(0, 3, null, "Average", null, "ValidationError")]
    [InlineData(null, 3, null, "Average", null, "MissingParameter")]
    [InlineData(60, 3, 4, "Average", null, "ValidationError")]
    [InlineData(60, 0, null, "Average", null, "InvalidParameterValue")]
    [InlineData(60, 1441, null, "Average", null, "ValidationError")]
    [InlineData(60, 3, null, "Average", "p99", "InvalidParameterCombination")]
    [InlineData(60, 3, null, null, null, "InvalidParameterCombination")]
    [InlineData(60, 3, null, "Median", null, "InvalidParameterValue")]
    [InlineData(60, 3, null, null, "p101", "InvalidParameterValue")]
    [InlineData(60, null, null, "Average", null, "MissingParameter")]
    public void Put_is_validated_with_aws_codes(int? period, int? n, int? m, string? statistic, string? extended, string code) =>
        Assert.Equal(code, MetricAlarmConfig.Validate(Input(period, n, m, statistic, extended)).Error?.Code);

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(300)]
    public void Valid_periods_are_accepted(int period) => Assert.False(MetricAlarmConfig.Validate(Input(period, 2)).IsError);

    [Fact]
    public void Defaults_are_actions_enabled_m_equals_n_and_missing()
    {
        var config = Config();
        Assert.Equal((true, 3, MissingDataTreatments.Missing), (config.ActionsEnabled, config.DatapointsToAlarm, config.TreatMissingData));
        Assert.Equal("InvalidParameterValue", MetricAlarmConfig.Validate(Input(alarmActions: [Stop, Stop, Stop, Stop, Stop, Stop])).Error?.Code);
        Assert.Equal("InvalidParameterValue", MetricAlarmConfig.Validate(Input(treat: "sometimes")).Error?.Code);
    }

    [Fact]
    public void A_new_alarm_starts_unchecked_and_an_upsert_keeps_its_state()
    {
        var at = TestRegion.Epoch;
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config()), at, out _);
        Assert.Equal((AlarmStates.InsufficientData, MetricAlarm.InitialReason), (alarm.StateValue, alarm.StateReason));
        alarm = Apply(alarm, Range(at.AddMinutes(3), 80, 80, 80), at.AddMinutes(3), out _);
        Assert.Equal(AlarmStates.Alarm, alarm.StateValue);
        alarm = Apply(alarm, new MetricAlarmCommands.Put(Arn, Config() with { Threshold = 90 }), at.AddMinutes(4), out _);
        Assert.Equal((AlarmStates.Alarm, 90.0, at.AddMinutes(4)), (alarm.StateValue, alarm.Config.Threshold, alarm.AlarmConfigurationUpdatedTimestamp));
        Assert.Equal([AlarmHistoryTypes.ConfigurationUpdate, AlarmHistoryTypes.StateUpdate, AlarmHistoryTypes.Action, AlarmHistoryTypes.Action, AlarmHistoryTypes.ConfigurationUpdate],
            alarm.History.Select(h => h.HistoryItemType));
    }

    [Fact]
    public void A_transition_carries_the_new_states_actions_and_reason_only_once()
    {
        var at = TestRegion.Epoch.AddMinutes(5);
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config() with { AlarmActions = [Stop] }), TestRegion.Epoch, out _);
        alarm = Apply(alarm, Range(at, 80, 75, 71), at, out var events);
        var changed = Assert.IsType<MetricAlarmEvents.StateChanged>(Assert.Single(events));
        Assert.Equal((AlarmStates.InsufficientData, AlarmStates.Alarm, 71.0), (changed.From, changed.To, changed.Value));
        Assert.Equal(new[] { Stop }, changed.Actions.ToArray());
        Assert.StartsWith("Threshold Crossed: 3 out of the last 3 datapoints [71.0", alarm.StateReason);
        Assert.Contains("\"recentDatapoints\":[71,75,80]", alarm.StateReasonData);
        Apply(alarm, Range(at.AddMinutes(1), 75, 71, 99), at.AddMinutes(1), out events);
        Assert.Empty(events);
    }

    [Fact]
    public void Auto_scaling_actions_repeat_every_minute_in_alarm_and_other_actions_do_not()
    {
        var at = TestRegion.Epoch.AddMinutes(5);
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config()), TestRegion.Epoch, out _);
        alarm = Apply(alarm, Range(at, 80, 80, 80), at, out var events);
        Assert.Equal(new[] { Stop, Policy }, Assert.IsType<MetricAlarmEvents.StateChanged>(Assert.Single(events)).Actions.ToArray());
        alarm = Apply(alarm, Range(at.AddMinutes(1), 80, 80, 85), at.AddMinutes(1), out events);
        var repeated = Assert.IsType<MetricAlarmEvents.ActionsRepeated>(Assert.Single(events));
        Assert.Equal((Policy, 85.0), (Assert.Single(repeated.Actions), repeated.Value));
        Apply(alarm, Range(at.AddMinutes(1).AddSeconds(10), 80, 80, 85), at.AddMinutes(1).AddSeconds(10), out events);
        Assert.Empty(events);
    }

    [Fact]
    public void Disabled_actions_still_change_state_but_run_nothing()
    {
        var at = TestRegion.Epoch.AddMinutes(5);
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config()), TestRegion.Epoch, out _);
        alarm = Apply(alarm, new MetricAlarmCommands.SetActionsEnabled("cpu", false), at, out _);
        alarm = Apply(alarm, Range(at, 80, 80, 80), at, out var events);
        Assert.Empty(Assert.IsType<MetricAlarmEvents.StateChanged>(Assert.Single(events)).Actions);
        Apply(alarm, Range(at.AddMinutes(1), 80, 80, 80), at.AddMinutes(1), out events);
        Assert.Empty(events);
    }

    [Fact]
    public void Set_alarm_state_is_temporary_and_the_next_evaluation_restores_the_real_state()
    {
        var at = TestRegion.Epoch.AddMinutes(5);
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config()), TestRegion.Epoch, out _);
        alarm = Apply(alarm, Range(at, 10, 10, 10), at, out _);
        alarm = Apply(alarm, new MetricAlarmCommands.SetState("cpu", AlarmStates.Alarm, "testing", null), at.AddSeconds(5), out var events);
        Assert.Equal(new[] { Stop, Policy }, Assert.IsType<MetricAlarmEvents.StateChanged>(Assert.Single(events)).Actions.ToArray());
        Assert.Equal("testing", alarm.StateReason);
        alarm = Apply(alarm, Range(at.AddMinutes(1), 10, 10, 10), at.AddMinutes(1), out _);
        Assert.Equal(AlarmStates.Ok, alarm.StateValue);
        Assert.Equal("InvalidParameterValue", Behavior.Decide(alarm, new MetricAlarmCommands.SetState("cpu", "BROKEN", "x", null), TestRegion.At(at)).Error?.Code);
        Assert.Equal("InvalidFormat", Behavior.Decide(alarm, new MetricAlarmCommands.SetState("cpu", AlarmStates.Alarm, "x", "{nope"), TestRegion.At(at)).Error?.Code);
    }

    [Fact]
    public void A_round_gathered_before_set_alarm_state_does_not_undo_it()
    {
        var at = TestRegion.Epoch.AddMinutes(5);
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config()), TestRegion.Epoch, out _);
        alarm = Apply(alarm, new MetricAlarmCommands.SetState("cpu", AlarmStates.Alarm, "testing", null), at.AddSeconds(5), out _);
        alarm = Apply(alarm, Range(at, 10, 10, 10), at.AddSeconds(6), out var events);
        Assert.Empty(events);
        Assert.Equal(AlarmStates.Alarm, alarm.StateValue);
    }

    [Fact]
    public void Evaluation_is_every_minute_or_every_ten_seconds_on_boundaries_and_delete_forgets()
    {
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config()), TestRegion.Epoch.AddSeconds(17), out _);
        var deadline = Assert.Single(Behavior.Deadlines(alarm));
        Assert.Equal(TestRegion.Epoch.AddMinutes(1), deadline.NextAfter(TestRegion.Epoch.AddSeconds(17)));
        var fast = Apply(null, new MetricAlarmCommands.Put(Arn, Config(Input(period: 10))), TestRegion.Epoch, out _);
        Assert.Equal(TimeSpan.FromSeconds(10), Assert.Single(Behavior.Deadlines(fast)).Every);
        Assert.Null(Apply(alarm, new MetricAlarmCommands.Delete("cpu"), TestRegion.Epoch.AddMinutes(1), out _));
        Assert.Equal("ResourceNotFound", Behavior.Decide(null, new MetricAlarmCommands.Delete("cpu"), TestRegion.At(TestRegion.Epoch)).Error?.Code);
    }

    [Fact]
    public void History_is_bounded()
    {
        var alarm = Apply(null, new MetricAlarmCommands.Put(Arn, Config() with { AlarmActions = [] }), TestRegion.Epoch, out _);
        for (var i = 0; i < MetricAlarm.MaxHistory; i++)
            alarm = Apply(alarm, new MetricAlarmCommands.SetState("cpu", i % 2 == 0 ? AlarmStates.Alarm : AlarmStates.Ok, $"r{i}", null), TestRegion.Epoch.AddSeconds(i), out _);
        Assert.Equal(MetricAlarm.MaxHistory, alarm.History.Length);
        Assert.Equal(AlarmHistoryTypes.StateUpdate, alarm.History[0].HistoryItemType);
    }
}
