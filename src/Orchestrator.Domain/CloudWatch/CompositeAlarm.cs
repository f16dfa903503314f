using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>PutCompositeAlarm as the caller sent it (null where omitted), before validation; Tags only apply when it creates the alarm.</summary>
public sealed record PutCompositeAlarmInput(
    string? AlarmName,
    string? AlarmDescription,
    bool? ActionsEnabled,
    IReadOnlyList<string> OKActions,
    IReadOnlyList<string> AlarmActions,
    IReadOnlyList<string> InsufficientDataActions,
    string? AlarmRule,
    IReadOnlyDictionary<string, string>? Tags = null);

/// <summary>A referenced alarm: its name and whether it is itself a composite (so the shell knows which entity holds its state).</summary>
public sealed record AlarmChild(string Name, bool IsComposite);

/// <summary>A composite alarm's configuration, validated; Children are the alarms its rule references.</summary>
public sealed record CompositeAlarmConfig(
    string AlarmName,
    string? AlarmDescription,
    bool ActionsEnabled,
    ImmutableArray<string> OKActions,
    ImmutableArray<string> AlarmActions,
    ImmutableArray<string> InsufficientDataActions,
    string AlarmRule,
    ImmutableArray<AlarmChild> Children)
{
    public ImmutableArray<string> ActionsFor(string state) => state switch
    {
        AlarmStates.Alarm => AlarmActions,
        AlarmStates.Ok => OKActions,
        _ => InsufficientDataActions,
    };

    /// <summary>
    /// PutCompositeAlarm's checks: the name, description and actions as for metric alarms, then the
    /// rule, whose alarms must all exist (<paramref name="existing"/> says whether one does, and
    /// whether it is a composite; null when there is none).
    /// </summary>
    public static Result<CompositeAlarmConfig> Validate(PutCompositeAlarmInput input, Func<string, bool?> existing)
    {
        if (string.IsNullOrEmpty(input.AlarmName))
            return AwsError.MissingParameter("The parameter AlarmName is required.");
        if (input.AlarmName.Length > 255 || input.AlarmName.Any(char.IsControl))
            return AwsError.InvalidParameterValue($"The value {input.AlarmName} for parameter AlarmName is invalid.");
        if (input.AlarmDescription is { Length: > 1024 })
            return AwsError.InvalidParameterValue("The parameter AlarmDescription must be at most 1024 characters.");
        foreach (var (name, actions) in new[] { ("OKActions", input.OKActions), ("AlarmActions", input.AlarmActions), ("InsufficientDataActions", input.InsufficientDataActions) })
        {
            if (actions.Count > MetricAlarmConfig.MaxActions)
                return AwsError.InvalidParameterValue($"The collection {name} must not have a size greater than {MetricAlarmConfig.MaxActions}.");
            if (actions.FirstOrDefault(a => !a.StartsWith("arn:", StringComparison.Ordinal)) is { } bad)
                return AwsError.InvalidParameterValue($"Invalid arn syntax: {bad}");
        }
        var rule = CloudWatch.AlarmRule.Parse(input.AlarmRule);
        if (rule.IsError)
            return rule.Error!;
        var names = rule.Value.Children();
        var missing = names.Where(n => existing(n) is null).ToList();
        if (missing.Count > 0)
            return new AwsError("ValidationError", $"Could not save the composite alarm as alarms [{string.Join(", ", missing)}] in the alarm rule do not exist");
        return new CompositeAlarmConfig(input.AlarmName, input.AlarmDescription, input.ActionsEnabled ?? true, [.. input.OKActions], [.. input.AlarmActions],
            [.. input.InsufficientDataActions], input.AlarmRule!, [.. names.Select(n => new AlarmChild(n, existing(n)!.Value))]);
    }
}

/// <summary>What a composite knows of one child at an evaluation: its ARN, state and when that state began.</summary>
public sealed record ChildState(string Name, string AlarmArn, string StateValue, DateTimeOffset Since);

/// <summary>
/// A composite alarm: configuration, state, the child states its last transition rested on, and a
/// bounded history. It is its own read-model row. It starts in INSUFFICIENT_DATA, the only time
/// it can be there, and is ALARM while its rule holds, OK otherwise.
/// </summary>
public sealed record CompositeAlarm(
    string AlarmArn,
    CompositeAlarmConfig Config,
    string StateValue,
    string StateReason,
    string? StateReasonData,
    DateTimeOffset StateUpdatedTimestamp,
    DateTimeOffset AlarmConfigurationUpdatedTimestamp,
    ImmutableDictionary<string, string> ChildStates,
    ImmutableArray<AlarmHistoryItem> History)
{
    public CompositeAlarm Record(AlarmHistoryItem item) =>
        this with { History = History.Length < MetricAlarm.MaxHistory ? History.Add(item) : History.RemoveAt(0).Add(item) };
}

public interface ICompositeAlarmCommand;

public interface ICompositeAlarmEvent;

public static class CompositeAlarmCommands
{
    public sealed record Put(string AlarmArn, CompositeAlarmConfig Config) : ICompositeAlarmCommand;

    public sealed record Delete(string AlarmName) : ICompositeAlarmCommand;

    public sealed record SetState(string AlarmName, string StateValue, string StateReason, string? StateReasonData) : ICompositeAlarmCommand;

    public sealed record SetActionsEnabled(string AlarmName, bool Enabled) : ICompositeAlarmCommand;

    /// <summary>The recurring resynchronisation: the shell gathers the children's states, then decides Evaluate.</summary>
    public sealed record Tick(string AlarmName) : ICompositeAlarmCommand;

    /// <summary>The children's states as of At (a child that did not answer is absent).</summary>
    public sealed record Evaluate(string AlarmName, DateTimeOffset At, ImmutableArray<ChildState> Children) : ICompositeAlarmCommand;
}

public static class CompositeAlarmEvents
{
    public sealed record Put(string AlarmArn, CompositeAlarmConfig Config, DateTimeOffset At) : ICompositeAlarmEvent;

    public sealed record Deleted(DateTimeOffset At) : ICompositeAlarmEvent;

    /// <summary>A transition; Actions are those of the new state that run (none when actions are disabled); Children the states it rests on.</summary>
    public sealed record StateChanged(string From, string To, string Reason, string? ReasonData, ImmutableArray<string> Actions,
        ImmutableDictionary<string, string> Children, DateTimeOffset At) : ICompositeAlarmEvent;

    public sealed record ActionsEnabledChanged(bool Enabled, DateTimeOffset At) : ICompositeAlarmEvent;
}

/// <summary>The composite alarm decider: its rule over the children's states decides ALARM or OK; transitions run the new state's actions.</summary>
public sealed class CompositeAlarmBehavior : IEntityBehavior<CompositeAlarm, ICompositeAlarmCommand, ICompositeAlarmEvent>
{
    /// <summary>How often a composite re-reads its children: often enough to follow them within seconds of simulated time.</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(10);

    public Result<IReadOnlyList<ICompositeAlarmEvent>> Decide(CompositeAlarm? state, ICompositeAlarmCommand command, DecisionContext context) => (state, command) switch
    {
        (_, CompositeAlarmCommands.Put put) => Decisions.Events<ICompositeAlarmEvent>(new CompositeAlarmEvents.Put(put.AlarmArn, put.Config, context.Now)),
        (null, _) => new AwsError("ResourceNotFound", "The alarm does not exist.", 404),
        (_, CompositeAlarmCommands.Delete) => Decisions.Events<ICompositeAlarmEvent>(new CompositeAlarmEvents.Deleted(context.Now)),
        (_, CompositeAlarmCommands.SetActionsEnabled set) when set.Enabled == state.Config.ActionsEnabled => Decisions.None<ICompositeAlarmEvent>(),
        (_, CompositeAlarmCommands.SetActionsEnabled set) => Decisions.Events<ICompositeAlarmEvent>(new CompositeAlarmEvents.ActionsEnabledChanged(set.Enabled, context.Now)),
        (_, CompositeAlarmCommands.SetState set) => SetState(state, set, context.Now),
        (_, CompositeAlarmCommands.Evaluate evaluate) => Evaluate(state, evaluate),
        (_, CompositeAlarmCommands.Tick) => Decisions.None<ICompositeAlarmEvent>(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown composite alarm command"),
    };

    /// <summary>SetAlarmState on a composite: a transition whose actions run, until the next evaluation of the rule.</summary>
    private static Result<IReadOnlyList<ICompositeAlarmEvent>> SetState(CompositeAlarm state, CompositeAlarmCommands.SetState set, DateTimeOffset now)
    {
        if (set.StateValue is not (AlarmStates.Ok or AlarmStates.Alarm or AlarmStates.InsufficientData))
            return AwsError.InvalidParameterValue($"The value {set.StateValue} for parameter StateValue is invalid.");
        if (string.IsNullOrEmpty(set.StateReason))
            return AwsError.MissingParameter("The parameter StateReason is required.");
        if (set.StateReasonData is not null && !IsJson(set.StateReasonData))
            return new AwsError("InvalidFormat", "StateReasonData is not valid JSON.");
        return set.StateValue == state.StateValue
            ? Decisions.None<ICompositeAlarmEvent>()
            : Decisions.Events<ICompositeAlarmEvent>(Transition(state, set.StateValue, set.StateReason, set.StateReasonData, state.ChildStates, now));
    }

    private static Result<IReadOnlyList<ICompositeAlarmEvent>> Evaluate(CompositeAlarm state, CompositeAlarmCommands.Evaluate evaluate)
    {
        var rule = AlarmRule.Parse(state.Config.AlarmRule);
        if (rule.IsError)
            return rule.Error!;
        var children = evaluate.Children.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var next = rule.Value.Holds(name => children.TryGetValue(name, out var child) ? child.StateValue : null) ? AlarmStates.Alarm : AlarmStates.Ok;
        if (next == state.StateValue)
            return Decisions.None<ICompositeAlarmEvent>();
        // The children whose state differs from what the last transition rested on triggered this one.
        var triggering = evaluate.Children.Where(c => !state.ChildStates.TryGetValue(c.Name, out var was) || was != c.StateValue).ToList();
        var reason = triggering.Count == 0
            ? $"Alarm rule {(next == AlarmStates.Alarm ? "holds" : "no longer holds")}: {state.Config.AlarmRule}"
            : string.Join("; ", triggering.Select(c => $"{c.AlarmArn} transitioned to {c.StateValue} at {Stamp(c.Since)}"));
        var data = new JsonObject
        {
            ["triggeringAlarms"] = new JsonArray([.. triggering.Select(c => (JsonNode?)new JsonObject
            {
                ["arn"] = c.AlarmArn,
                ["state"] = new JsonObject { ["value"] = c.StateValue, ["timestamp"] = Stamp(c.Since) },
            })]),
        };
        return Decisions.Events<ICompositeAlarmEvent>(Transition(state, next, reason, data.ToJsonString(),
            evaluate.Children.ToImmutableDictionary(c => c.Name, c => c.StateValue, StringComparer.Ordinal), evaluate.At));
    }

    private static CompositeAlarmEvents.StateChanged Transition(CompositeAlarm state, string to, string reason, string? data,
        ImmutableDictionary<string, string> children, DateTimeOffset at) =>
        new(state.StateValue, to, reason, data, state.Config.ActionsEnabled ? state.Config.ActionsFor(to) : [], children, at);

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

    public CompositeAlarm? Evolve(CompositeAlarm? state, ICompositeAlarmEvent @event) => (state, @event) switch
    {
        (null, CompositeAlarmEvents.Put put) => new CompositeAlarm(put.AlarmArn, put.Config, AlarmStates.InsufficientData, MetricAlarm.InitialReason, null,
                put.At, put.At, ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), [])
            .Record(new AlarmHistoryItem(put.At, AlarmHistoryTypes.ConfigurationUpdate, $"Alarm \"{put.Config.AlarmName}\" created", Data("Create", put.Config.AlarmName))),
        (not null, CompositeAlarmEvents.Put put) => (state with { AlarmArn = put.AlarmArn, Config = put.Config, AlarmConfigurationUpdatedTimestamp = put.At })
            .Record(new AlarmHistoryItem(put.At, AlarmHistoryTypes.ConfigurationUpdate, $"Alarm \"{put.Config.AlarmName}\" updated", Data("Update", put.Config.AlarmName))),
        (not null, CompositeAlarmEvents.Deleted) => null,
        (not null, CompositeAlarmEvents.ActionsEnabledChanged e) => state with { Config = state.Config with { ActionsEnabled = e.Enabled }, AlarmConfigurationUpdatedTimestamp = e.At },
        (not null, CompositeAlarmEvents.StateChanged e) => Changed(state, e),
        _ => state,
    };

    private static CompositeAlarm Changed(CompositeAlarm state, CompositeAlarmEvents.StateChanged e)
    {
        var data = new JsonObject
        {
            ["version"] = "1.0",
            ["oldState"] = new JsonObject { ["stateValue"] = e.From, ["stateReason"] = state.StateReason },
            ["newState"] = new JsonObject { ["stateValue"] = e.To, ["stateReason"] = e.Reason },
        };
        var changed = (state with
        {
            StateValue = e.To,
            StateReason = e.Reason,
            StateReasonData = e.ReasonData,
            StateUpdatedTimestamp = e.At,
            ChildStates = e.Children,
        }).Record(new AlarmHistoryItem(e.At, AlarmHistoryTypes.StateUpdate, $"Alarm updated from {e.From} to {e.To}", data.ToJsonString()));
        // Every action is recorded as delivered: CloudWatch does not check that targets exist.
        return e.Actions.Aggregate(changed, (s, arn) => s.Record(new AlarmHistoryItem(e.At, AlarmHistoryTypes.Action, $"Successfully executed action {arn}",
            new JsonObject { ["actionState"] = "Succeeded", ["notificationResource"] = arn, ["stateUpdateTimestamp"] = e.At.ToUnixTimeMilliseconds() }.ToJsonString())));
    }

    private static string Data(string type, string name) =>
        new JsonObject { ["type"] = type, ["version"] = "1.0", ["alarmName"] = name }.ToJsonString();

    /// <summary>The composite re-reads its children every ResyncInterval from the Unix epoch; that also survives restarts and resharding.</summary>
    public IEnumerable<Deadline<ICompositeAlarmCommand>> Deadlines(CompositeAlarm? state) => state is null
        ? []
        : [new Deadline<ICompositeAlarmCommand>("resync", DateTimeOffset.UnixEpoch, new CompositeAlarmCommands.Tick(state.Config.AlarmName), ResyncInterval)];
}
