using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Logs;

namespace Orchestrator.Actors.Tests.CloudWatch;

/// <summary>
/// Metric math alarms and composite alarms in virtual time: a new alarm evaluates at once, a math
/// alarm follows its expression at period boundaries, a composite follows its children within its
/// resync interval and runs its actions, and every transition is a line in /orchestrator/alarms.
/// Waits are bounded polls of wall time while simulated time stands still.
/// </summary>
public sealed class CompositeAlarmEntityTests : EntityTestKit
{
    private const string Account = "000000000000";
    private const string Sns = "arn:aws:sns:us-east-1:000000000000:ops";
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(5);
    private static readonly MetricKey Errors = MetricKey.Of("App", "Errors", []);
    private static readonly MetricKey Requests = MetricKey.Of("App", "Requests", []);
    private readonly AlarmService _alarms;

    public CompositeAlarmEntityTests() => _alarms = new AlarmService(Services, Account);

    private Task Datapoint(MetricKey key, double value, DateTimeOffset at) =>
        Router.Ask<object>(CloudWatchKinds.MetricSeries, key.EntityId(),
            new MetricSeriesCommands.Record(key, [new Sample(at, 60, Aggregate.OfValues("None", [new ValueCount(value, 1)]))]), TimeSpan.FromSeconds(5));

    private async Task<T> State<T>(string kind, string name) =>
        (T)((EntityReplies.Accepted)await Router.Ask<object>(kind, name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    private async Task StateIs(string kind, string name, string expected)
    {
        if (kind == AlarmKinds.MetricAlarm)
            await AwaitAssertAsync(async () => Assert.Equal(expected, (await State<MetricAlarm>(kind, name)).StateValue), Settling);
        else
            await AwaitAssertAsync(async () => Assert.Equal(expected, (await State<CompositeAlarm>(kind, name)).StateValue), Settling);
    }

    private static PutMetricAlarmInput MathAlarm(string name, string expression, double threshold, int n = 1) =>
        new(name, null, null, [], [Sns], [], null, null, [], null, null, null, null, n, null, threshold, ComparisonOperators.GreaterThanThreshold, null,
        [
            new MetricDataQueryInput("e", new MetricStatInput(Errors, 60, "Sum", null), null, null, false, null),
            new MetricDataQueryInput("r", new MetricStatInput(Requests, 60, "Sum", null), null, null, false, null),
            new MetricDataQueryInput("rate", null, expression, "error rate", true, null),
        ]);

    private async Task<IReadOnlyList<string>> AlarmLog()
    {
        var page = await new LogsService(Services, Account).FilterEvents(new LogGroupQueries.FilterEvents(OrchestratorLogs.Alarms, [], null, null, null, null, null, null));
        return page.IsError ? [] : [.. page.Value.Events.Select(e => $"{e.LogStreamName}|{e.Message}")];
    }

    [Fact]
    public async Task A_math_alarm_evaluates_when_put_then_at_each_boundary_and_logs_its_transitions()
    {
        // Data of the minute before the alarm exists: 20 errors in 100 requests.
        await Datapoint(Errors, 20, Start);
        await Datapoint(Requests, 100, Start);
        Advance(TimeSpan.FromSeconds(65));

        var put = await _alarms.Put(MathAlarm("error-rate", "100 * e / r", 5));
        Assert.False(put.IsError, put.Error?.ToString());
        Assert.Null(put.Value.Config.Metric);
        // No boundary has passed since the put: the alarm evaluated right away on the older data.
        await StateIs(AlarmKinds.MetricAlarm, "error-rate", AlarmStates.Alarm);
        var alarm = await State<MetricAlarm>(AlarmKinds.MetricAlarm, "error-rate");
        Assert.Equal(Start.AddSeconds(65), alarm.StateUpdatedTimestamp);
        Assert.StartsWith("Threshold Crossed: 1 out of the last 1 datapoints [20.0 (05/01/26 09:00:00)] was greater than the threshold (5.0)", alarm.StateReason);
        Assert.DoesNotContain("statistic", alarm.StateReasonData, StringComparison.Ordinal);
        Assert.Contains(alarm.History, h => h.HistoryItemType == AlarmHistoryTypes.Action && h.HistorySummary.EndsWith(Sns, StringComparison.Ordinal));

        // The next minute has 1 error in 100 requests: back to OK at the 09:03 boundary.
        await Datapoint(Errors, 1, Start.AddMinutes(2));
        await Datapoint(Requests, 100, Start.AddMinutes(2));
        Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(AlarmStates.Alarm, (await State<MetricAlarm>(AlarmKinds.MetricAlarm, "error-rate")).StateValue);
        Advance(TimeSpan.FromSeconds(55));
        await StateIs(AlarmKinds.MetricAlarm, "error-rate", AlarmStates.Ok);
        Assert.Equal(Start.AddMinutes(3), (await State<MetricAlarm>(AlarmKinds.MetricAlarm, "error-rate")).StateUpdatedTimestamp);

        await AwaitAssertAsync(async () => Assert.Equal(
            [
                "error-rate|error-rate: INSUFFICIENT_DATA -> ALARM: " + alarm.StateReason,
                "error-rate|error-rate: ALARM -> OK: " + (await State<MetricAlarm>(AlarmKinds.MetricAlarm, "error-rate")).StateReason,
            ], await AlarmLog()), Settling);
    }

    [Fact]
    public async Task A_composite_follows_its_children_runs_its_actions_and_protects_them_from_deletion()
    {
        foreach (var name in new[] { "cpu-high", "deploying" })
        {
            var child = await _alarms.Put(new PutMetricAlarmInput(name, null, null, [], [], [], "App", name, [], 60, "Maximum", null, null, 1, null, 70,
                ComparisonOperators.GreaterThanThreshold, MissingDataTreatments.NotBreaching));
            Assert.False(child.IsError, child.Error?.ToString());
            // No data, treated as not breaching: the new alarm is OK at once.
            await StateIs(AlarmKinds.MetricAlarm, name, AlarmStates.Ok);
        }
        var missing = await _alarms.PutComposite(new PutCompositeAlarmInput("service", null, null, [], [Sns], [], "ALARM(cpu-high) AND NOT ALARM(ghost)"));
        Assert.Equal("ValidationError", missing.Error?.Code);
        var put = await _alarms.PutComposite(new PutCompositeAlarmInput("service", "cpu unless deploying", null, [Sns], [Sns], [], "ALARM(cpu-high) AND NOT ALARM(\"deploying\")"));
        Assert.False(put.IsError, put.Error?.ToString());
        Assert.Equal(AlarmStates.InsufficientData, put.Value.StateValue);
        await StateIs(CompositeAlarmKinds.CompositeAlarm, "service", AlarmStates.Ok);

        // A child goes to ALARM: the composite follows at its next resync, ten simulated seconds at most.
        Assert.False((await _alarms.SetState("cpu-high", AlarmStates.Alarm, "load test", null)).IsError);
        var changedAt = Clock.Now;
        Advance(TimeSpan.FromSeconds(10));
        await StateIs(CompositeAlarmKinds.CompositeAlarm, "service", AlarmStates.Alarm);
        var composite = await State<CompositeAlarm>(CompositeAlarmKinds.CompositeAlarm, "service");
        Assert.InRange(composite.StateUpdatedTimestamp, changedAt, changedAt.AddSeconds(10));
        Assert.StartsWith("arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high transitioned to ALARM at ", composite.StateReason);
        Assert.Contains(composite.History, h => h.HistoryItemType == AlarmHistoryTypes.Action && h.HistorySummary == $"Successfully executed action {Sns}");

        var described = await _alarms.Describe(new AlarmFilter([], null, null, null, [AlarmTypes.CompositeAlarm], null, null));
        Assert.Equal(("service", AlarmStates.Alarm), (Assert.Single(described.Value.CompositeAlarms).Config.AlarmName, described.Value.CompositeAlarms[0].StateValue));
        Assert.Empty(described.Value.MetricAlarms);
        Assert.Empty((await _alarms.Describe(new AlarmFilter([], null, null, null, null, null, null))).Value.CompositeAlarms);
        var children = await _alarms.Describe(new AlarmFilter([], null, null, null, null, null, null, ChildrenOf: "service"));
        Assert.Equal(["cpu-high", "deploying"], children.Value.MetricAlarms.Select(a => a.Config.AlarmName));
        var parents = await _alarms.Describe(new AlarmFilter([], null, null, null, null, null, null, ParentsOf: "deploying"));
        Assert.Equal(["service"], parents.Value.CompositeAlarms.Select(a => a.Config.AlarmName));
        Assert.Equal("ValidationError", (await _alarms.Describe(new AlarmFilter([], "c", null, null, null, null, null, ChildrenOf: "service"))).Error?.Code);
        var history = await _alarms.History("service", AlarmHistoryTypes.StateUpdate, null, null, false, null, null);
        Assert.All(history.Value.Items, h => Assert.Equal(AlarmTypes.CompositeAlarm, h.AlarmType));

        var refused = await _alarms.Delete(["cpu-high", "deploying"]);
        Assert.Equal(("ValidationError", "Cannot delete cpu-high,deploying as there are composite alarm(s) depending on them."), (refused.Error?.Code, refused.Error?.Message));
        Assert.Equal(2, (await _alarms.Describe(new AlarmFilter([], null, null, null, null, null, null))).Value.MetricAlarms.Count);
        Assert.Equal(3, (await _alarms.Delete(["service", "cpu-high", "deploying"])).Value);
        Assert.Empty((await _alarms.Describe(new AlarmFilter([], null, null, null, [AlarmTypes.MetricAlarm, AlarmTypes.CompositeAlarm], null, null))).Value.CompositeAlarms);

        await AwaitAssertAsync(async () => Assert.Contains("service|service: OK -> ALARM: " + composite.StateReason, await AlarmLog()), Settling);
    }
}
