using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>PutMetricAlarm as the caller sent it (null where omitted), before validation; Tags only apply when it creates the alarm.</summary>
public sealed record PutMetricAlarmInput(
    string? AlarmName,
    string? AlarmDescription,
    bool? ActionsEnabled,
    IReadOnlyList<string> OKActions,
    IReadOnlyList<string> AlarmActions,
    IReadOnlyList<string> InsufficientDataActions,
    string? Namespace,
    string? MetricName,
    IReadOnlyList<(string? Name, string? Value)> Dimensions,
    int? Period,
    string? Statistic,
    string? ExtendedStatistic,
    string? Unit,
    int? EvaluationPeriods,
    int? DatapointsToAlarm,
    double? Threshold,
    string? ComparisonOperator,
    string? TreatMissingData,
    IReadOnlyList<MetricDataQueryInput>? Metrics = null,
    IReadOnlyDictionary<string, string>? Tags = null);

/// <summary>
/// A metric alarm's configuration, validated: Statistic holds the standard or the extended statistic.
/// A metric math alarm has Metrics instead of Metric (and an empty Statistic); its Period is that of the query returning data.
/// DatapointsToAlarmOmitted remembers that M defaulted to N: AWS then leaves DatapointsToAlarm out of what it describes.
/// </summary>
public sealed record MetricAlarmConfig(
    string AlarmName,
    string? AlarmDescription,
    bool ActionsEnabled,
    ImmutableArray<string> OKActions,
    ImmutableArray<string> AlarmActions,
    ImmutableArray<string> InsufficientDataActions,
    MetricKey? Metric,
    int Period,
    string Statistic,
    bool IsExtendedStatistic,
    string? Unit,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    double Threshold,
    string ComparisonOperator,
    string TreatMissingData,
    ImmutableArray<MetricDataQueryInput>? Metrics = null,
    bool DatapointsToAlarmOmitted = false)
{
    public const int MaxActions = 5;

    public AlarmCriteria Criteria => new(EvaluationPeriods, DatapointsToAlarm, Threshold, ComparisonOperator, TreatMissingData);

    /// <summary>How often the alarm evaluates: every minute, every 10 s for high-resolution periods.</summary>
    public TimeSpan EvaluationInterval => Period < 60 ? TimeSpan.FromSeconds(10) : TimeSpan.FromMinutes(1);

    public ImmutableArray<string> ActionsFor(string state) => state switch
    {
        AlarmStates.Alarm => AlarmActions,
        AlarmStates.Ok => OKActions,
        _ => InsufficientDataActions,
    };

    /// <summary>PutMetricAlarm's checks (aws-semantics 5.4), in the order AWS reports them.</summary>
    public static Result<MetricAlarmConfig> Validate(PutMetricAlarmInput input)
    {
        if (string.IsNullOrEmpty(input.AlarmName))
            return AwsError.MissingParameter("The parameter AlarmName is required.");
        if (input.AlarmName.Length > 255 || input.AlarmName.Any(char.IsControl))
            return AwsError.InvalidParameterValue($"The value {input.AlarmName} for parameter AlarmName is invalid.");
        if (input.AlarmDescription is { Length: > 1024 })
            return AwsError.InvalidParameterValue("The parameter AlarmDescription must be at most 1024 characters.");
        foreach (var (name, actions) in new[] { ("OKActions", input.OKActions), ("AlarmActions", input.AlarmActions), ("InsufficientDataActions", input.InsufficientDataActions) })
        {
            if (actions.Count > MaxActions)
                return AwsError.InvalidParameterValue($"The collection {name} must not have a size greater than {MaxActions}.");
            if (actions.FirstOrDefault(a => !a.StartsWith("arn:", StringComparison.Ordinal)) is { } bad)
                return AwsError.InvalidParameterValue($"Invalid arn syntax: {bad}");
        }
        MetricKey? key = null;
        CloudWatch.Statistic? statistic = null;
        ImmutableArray<MetricDataQueryInput>? metrics = null;
        int period;
        if (input.Metrics is { Count: > 0 })
        {
            if (SingleMetricParameter(input) is { } single)
                return AwsError.InvalidParameterCombination($"The parameters Metrics and {single} are mutually exclusive and you have specified both.");
            var math = MetricMathAlarm.Validate(input.Metrics);
            if (math.IsError)
                return math.Error!;
            (metrics, period) = math.Value;
        }
        else
        {
            if (MetricKey.ValidateNamespace(input.Namespace, allowReserved: true) is { } badNamespace)
                return badNamespace;
            var created = MetricKey.Create(input.Namespace!, input.MetricName, input.Dimensions, "");
            if (created.IsError)
                return created.Error!;
            key = created.Value;
            if (input.Period is not { } single)
                return AwsError.MissingParameter("The parameter Period is required.");
            period = single;
            if (!(period is 10 or 20 or 30 || (period > 0 && period % 60 == 0)))
                return new AwsError("ValidationError", "Period must be 10, 20, 30 or a multiple of 60");
            if ((input.Statistic is null) == (input.ExtendedStatistic is null))
                return AwsError.InvalidParameterCombination("Exactly one of Statistic or ExtendedStatistic must be specified.");
            statistic = CloudWatch.Statistic.Parse(input.Statistic ?? input.ExtendedStatistic);
            if (input.Statistic is not null && statistic is not { IsExtended: false })
                return AwsError.InvalidParameterValue($"The parameter Statistic must be a value in the set [ {string.Join(", ", CloudWatch.Statistic.Standard)} ].");
            if (input.ExtendedStatistic is not null && statistic is not { IsExtended: true })
                return AwsError.InvalidParameterValue($"The value {input.ExtendedStatistic} for parameter ExtendedStatistic is not a valid extended statistic.");
        }
        if (input.EvaluationPeriods is not { } n)
            return AwsError.MissingParameter("The parameter EvaluationPeriods is required.");
        if (n < 1)
            return AwsError.InvalidParameterValue("The parameter EvaluationPeriods must be greater than or equal to 1.");
        if ((long)period * n > (period < 3600 ? 86_400 : 604_800))
            return new AwsError("ValidationError", $"Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= {(period < 3600 ? 86_400 : 604_800)}).");
        var m = input.DatapointsToAlarm ?? n;
        if (m < 1)
            return AwsError.InvalidParameterValue("The parameter DatapointsToAlarm must be greater than or equal to 1.");
        if (m > n)
            return new AwsError("ValidationError", "DatapointsToAlarm must be less than or equal to EvaluationPeriods");
        if (input.Threshold is not { } threshold)
            return AwsError.MissingParameter("The parameter Threshold is required.");
        if (string.IsNullOrEmpty(input.ComparisonOperator))
            return AwsError.MissingParameter("The parameter ComparisonOperator is required.");
        if (!ComparisonOperators.IsStatic(input.ComparisonOperator))
            return AwsError.InvalidParameterValue($"The value {input.ComparisonOperator} for parameter ComparisonOperator is invalid.");
        var treatment = input.TreatMissingData ?? MissingDataTreatments.Missing;
        if (treatment is not (MissingDataTreatments.Missing or MissingDataTreatments.NotBreaching or MissingDataTreatments.Breaching or MissingDataTreatments.Ignore))
            return AwsError.InvalidParameterValue($"The value {treatment} for parameter TreatMissingData is invalid.");
        return new MetricAlarmConfig(input.AlarmName, input.AlarmDescription, input.ActionsEnabled ?? true,
            [.. input.OKActions], [.. input.AlarmActions], [.. input.InsufficientDataActions], key, period, statistic?.Name ?? "", statistic?.IsExtended ?? false,
            input.Unit, n, m, threshold, input.ComparisonOperator, treatment, metrics, input.DatapointsToAlarm is null);
    }

    /// <summary>The first single-metric parameter a math alarm's request also sets, if any.</summary>
    private static string? SingleMetricParameter(PutMetricAlarmInput input) =>
        new (string Name, bool Set)[]
        {
            ("MetricName", input.MetricName is not null), ("Namespace", input.Namespace is not null), ("Dimensions", input.Dimensions.Count > 0),
            ("Period", input.Period is not null), ("Statistic", input.Statistic is not null), ("ExtendedStatistic", input.ExtendedStatistic is not null),
            ("Unit", input.Unit is not null),
        }.FirstOrDefault(p => p.Set).Name;
}

public static class AlarmHistoryTypes
{
    public const string ConfigurationUpdate = "ConfigurationUpdate";
    public const string StateUpdate = "StateUpdate";
    public const string Action = "Action";
}

/// <summary>One DescribeAlarmHistory item; HistoryData is the JSON string AWS returns.</summary>
public sealed record AlarmHistoryItem(DateTimeOffset Timestamp, string HistoryItemType, string HistorySummary, string HistoryData);

/// <summary>
/// A metric alarm: its configuration, its state, and a bounded history (newest last). It is also
/// its own read-model row (DescribeAlarms), being small. LastActionsAt paces the Auto Scaling repeat.
/// </summary>
public sealed record MetricAlarm(
    string AlarmArn,
    MetricAlarmConfig Config,
    string StateValue,
    string StateReason,
    string? StateReasonData,
    DateTimeOffset StateUpdatedTimestamp,
    DateTimeOffset AlarmConfigurationUpdatedTimestamp,
    DateTimeOffset LastActionsAt,
    double? LastValue,
    ImmutableArray<AlarmHistoryItem> History)
{
    public const int MaxHistory = 100;
    public const string InitialReason = "Unchecked: Initial alarm creation";

    public static string Arn(string region, string account, string name) => $"arn:aws:cloudwatch:{region}:{account}:alarm:{name}";

    public MetricAlarm Record(AlarmHistoryItem item) =>
        this with { History = History.Length < MaxHistory ? History.Add(item) : History.RemoveAt(0).Add(item) };
}

public interface IMetricAlarmCommand;

public interface IMetricAlarmEvent;

public static class MetricAlarmCommands
{
    public sealed record Put(string AlarmArn, MetricAlarmConfig Config) : IMetricAlarmCommand;

    public sealed record Delete(string AlarmName) : IMetricAlarmCommand;

    public sealed record SetState(string AlarmName, string StateValue, string StateReason, string? StateReasonData) : IMetricAlarmCommand;

    public sealed record SetActionsEnabled(string AlarmName, bool Enabled) : IMetricAlarmCommand;

    /// <summary>The recurring tick: the shell gathers the evaluation range, then decides Evaluate.</summary>
    public sealed record Tick(string AlarmName) : IMetricAlarmCommand;

    /// <summary>The evaluation range (one slot per period, oldest first, null = no datapoint) as of At.</summary>
    public sealed record Evaluate(string AlarmName, DateTimeOffset At, ImmutableArray<AlarmSlot> Range) : IMetricAlarmCommand;
}

/// <summary>One period of the evaluation range.</summary>
public sealed record AlarmSlot(DateTimeOffset Timestamp, double? Value);

public static class MetricAlarmEvents
{
    public sealed record Put(string AlarmArn, MetricAlarmConfig Config, DateTimeOffset At) : IMetricAlarmEvent;

    public sealed record Deleted(DateTimeOffset At) : IMetricAlarmEvent;

    /// <summary>A transition; Actions are those of the new state that run (none when actions are disabled).</summary>
    public sealed record StateChanged(string From, string To, string Reason, string? ReasonData, double? Value, ImmutableArray<string> Actions, DateTimeOffset At)
        : IMetricAlarmEvent;

    /// <summary>Auto Scaling policy actions re-delivered while the alarm stays in ALARM.</summary>
    public sealed record ActionsRepeated(double? Value, ImmutableArray<string> Actions, DateTimeOffset At) : IMetricAlarmEvent;

    public sealed record ActionsEnabledChanged(bool Enabled, DateTimeOffset At) : IMetricAlarmEvent;
}

/// <summary>The metric alarm decider: configuration, manual state changes, evaluation verdicts and which actions run.</summary>
public sealed class MetricAlarmBehavior : IEntityBehavior<MetricAlarm, IMetricAlarmCommand, IMetricAlarmEvent>
{
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromMinutes(1);

    public static bool IsAutoScalingAction(string arn) => arn.StartsWith("arn:aws:autoscaling:", StringComparison.Ordinal);

    public Result<IReadOnlyList<IMetricAlarmEvent>> Decide(MetricAlarm? state, IMetricAlarmCommand command, DecisionContext context) => (state, command) switch
    {
        (_, MetricAlarmCommands.Put put) => Decisions.Events<IMetricAlarmEvent>(new MetricAlarmEvents.Put(put.AlarmArn, put.Config, context.Now)),
        (null, _) => new AwsError("ResourceNotFound", "The alarm does not exist.", 404),
        (_, MetricAlarmCommands.Delete) => Decisions.Events<IMetricAlarmEvent>(new MetricAlarmEvents.Deleted(context.Now)),
        (_, MetricAlarmCommands.SetActionsEnabled set) when set.Enabled == state.Config.ActionsEnabled => Decisions.None<IMetricAlarmEvent>(),
        (_, MetricAlarmCommands.SetActionsEnabled set) => Decisions.Events<IMetricAlarmEvent>(new MetricAlarmEvents.ActionsEnabledChanged(set.Enabled, context.Now)),
        (_, MetricAlarmCommands.SetState set) => SetState(state, set, context.Now),
        (_, MetricAlarmCommands.Evaluate evaluate) => Evaluate(state, evaluate),
        (_, MetricAlarmCommands.Tick) => Decisions.None<IMetricAlarmEvent>(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown metric alarm command"),
    };

    /// <summary>SetAlarmState: a transition like any other (its actions run) that the next evaluation may undo.</summary>
    private static Result<IReadOnlyList<IMetricAlarmEvent>> SetState(MetricAlarm state, MetricAlarmCommands.SetState set, DateTimeOffset now)
    {
        if (set.StateValue is not (AlarmStates.Ok or AlarmStates.Alarm or AlarmStates.InsufficientData))
            return AwsError.InvalidParameterValue($"The value {set.StateValue} for parameter StateValue is invalid.");
        if (string.IsNullOrEmpty(set.StateReason))
            return AwsError.MissingParameter("The parameter StateReason is required.");
        if (set.StateReasonData is not null && !IsJson(set.StateReasonData))
            return new AwsError("InvalidFormat", "StateReasonData is not valid JSON.");
        return set.StateValue == state.StateValue
            ? Decisions.None<IMetricAlarmEvent>()
            : Decisions.Events<IMetricAlarmEvent>(Transition(state, set.StateValue, set.StateReason, set.StateReasonData, state.LastValue, now));
    }

    private static Result<IReadOnlyList<IMetricAlarmEvent>> Evaluate(MetricAlarm state, MetricAlarmCommands.Evaluate evaluate)
    {
        var config = state.Config;
        var verdict = AlarmEvaluation.Evaluate(config.Criteria, [.. evaluate.Range.Select(s => (s.Timestamp, s.Value))], state.StateValue);
        var value = verdict.Datapoints.IsEmpty ? state.LastValue : verdict.Datapoints[0].Value;
        if (verdict.State is { } next && next != state.StateValue)
            return Decisions.Events<IMetricAlarmEvent>(Transition(state, next, AlarmEvaluation.Reason(config.Criteria, verdict, state.StateValue),
                ReasonData(config, verdict, evaluate), value, evaluate.At));
        var repeated = state.StateValue == AlarmStates.Alarm && config.ActionsEnabled && evaluate.At - state.LastActionsAt >= RepeatInterval
            ? config.AlarmActions.Where(IsAutoScalingAction).ToImmutableArray()
            : [];
        return repeated.IsEmpty ? Decisions.None<IMetricAlarmEvent>() : Decisions.Events<IMetricAlarmEvent>(new MetricAlarmEvents.ActionsRepeated(value, repeated, evaluate.At));
    }

    private static MetricAlarmEvents.StateChanged Transition(MetricAlarm state, string to, string reason, string? data, double? value, DateTimeOffset at) =>
        new(state.StateValue, to, reason, data, value, state.Config.ActionsEnabled ? state.Config.ActionsFor(to) : [], at);

    /// <summary>StateReasonData as AWS shapes it: the query, the statistic and the recent datapoints, newest first.</summary>
    private static string ReasonData(MetricAlarmConfig config, AlarmVerdict verdict, MetricAlarmCommands.Evaluate evaluate)
    {
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["queryDate"] = Stamp(evaluate.At),
            ["startDate"] = evaluate.Range.IsEmpty ? Stamp(evaluate.At) : Stamp(evaluate.Range[0].Timestamp),
            ["period"] = config.Period,
            ["recentDatapoints"] = new JsonArray([.. verdict.Datapoints.Select(p => (JsonNode?)p.Value)]),
            ["threshold"] = config.Threshold,
        };
        if (config.Metrics is null)
            json["statistic"] = config.Statistic;
        if (verdict.Datapoints.Length > 0)
            json["evaluatedDatapoints"] = new JsonArray([.. verdict.Datapoints.Select(p => (JsonNode?)new JsonObject { ["timestamp"] = Stamp(p.Timestamp), ["value"] = p.Value })]);
        return json.ToJsonString();
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private static bool IsJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    public MetricAlarm? Evolve(MetricAlarm? state, IMetricAlarmEvent @event) => (state, @event) switch
    {
        (null, MetricAlarmEvents.Put put) => new MetricAlarm(put.AlarmArn, put.Config, AlarmStates.InsufficientData, MetricAlarm.InitialReason, null,
                put.At, put.At, DateTimeOffset.MinValue, null, [])
            .Record(new AlarmHistoryItem(put.At, AlarmHistoryTypes.ConfigurationUpdate, $"Alarm \"{put.Config.AlarmName}\" created", Data("Create", put.Config.AlarmName))),
        (not null, MetricAlarmEvents.Put put) => (state with { AlarmArn = put.AlarmArn, Config = put.Config, AlarmConfigurationUpdatedTimestamp = put.At })
            .Record(new AlarmHistoryItem(put.At, AlarmHistoryTypes.ConfigurationUpdate, $"Alarm \"{put.Config.AlarmName}\" updated", Data("Update", put.Config.AlarmName))),
        (not null, MetricAlarmEvents.Deleted) => null,
        (not null, MetricAlarmEvents.ActionsEnabledChanged e) => state with { Config = state.Config with { ActionsEnabled = e.Enabled }, AlarmConfigurationUpdatedTimestamp = e.At },
        (not null, MetricAlarmEvents.StateChanged e) => Changed(state, e),
        (not null, MetricAlarmEvents.ActionsRepeated e) => Delivered(state with { LastActionsAt = e.At, LastValue = e.Value }, e.Actions, e.At),
        _ => state,
    };

    private static MetricAlarm Changed(MetricAlarm state, MetricAlarmEvents.StateChanged e)
    {
        var data = new JsonObject
        {
            ["version"] = "1.0",
            ["oldState"] = new JsonObject { ["stateValue"] = e.From, ["stateReason"] = state.StateReason },
            ["newState"] = new JsonObject { ["stateValue"] = e.To, ["stateReason"] = e.Reason },
        };
        var changed = state with
        {
            StateValue = e.To,
            StateReason = e.Reason,
            StateReasonData = e.ReasonData,
            StateUpdatedTimestamp = e.At,
            LastValue = e.Value,
            LastActionsAt = e.Actions.IsEmpty ? state.LastActionsAt : e.At,
        };
        return Delivered(changed.Record(new AlarmHistoryItem(e.At, AlarmHistoryTypes.StateUpdate, $"Alarm updated from {e.From} to {e.To}", data.ToJsonString())),
            e.Actions, e.At);
    }

    /// <summary>Every action is recorded as delivered: CloudWatch does not check that targets exist.</summary>
    private static MetricAlarm Delivered(MetricAlarm state, ImmutableArray<string> actions, DateTimeOffset at) =>
        actions.Aggregate(state, (s, arn) => s.Record(new AlarmHistoryItem(at, AlarmHistoryTypes.Action, $"Successfully executed action {arn}",
            new JsonObject { ["actionState"] = "Succeeded", ["notificationResource"] = arn, ["stateUpdateTimestamp"] = at.ToUnixTimeMilliseconds() }.ToJsonString())));

    private static string Data(string type, string name) =>
        new JsonObject { ["type"] = type, ["version"] = "1.0", ["alarmName"] = name }.ToJsonString();

    /// <summary>Evaluation ticks from the Unix epoch, so every alarm evaluates on minute (or 10 s) boundaries.</summary>
    public IEnumerable<Deadline<IMetricAlarmCommand>> Deadlines(MetricAlarm? state) => state is null
        ? []
        : [new Deadline<IMetricAlarmCommand>($"evaluate-{state.Config.EvaluationInterval.TotalSeconds}", DateTimeOffset.UnixEpoch,
            new MetricAlarmCommands.Tick(state.Config.AlarmName), state.Config.EvaluationInterval)];
}
