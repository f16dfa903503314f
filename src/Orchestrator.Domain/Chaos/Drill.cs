using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Chaos;

/// <summary>How one expectation came out: pending until it holds or its deadline passes; Observed is the value last seen.</summary>
public sealed record ExpectationOutcome(Expectation Expectation, DateTimeOffset? DeadlineAt = null, bool? Passed = null, string? Observed = null, DateTimeOffset? SettledAt = null)
{
    public bool IsPending => Passed is null;
}

/// <summary>One step of a running drill: when it is due, when its action ran and what it answered, and its expectations.</summary>
public sealed record StepOutcome(int Index, DateTimeOffset DueAt, string? Action, ImmutableArray<ExpectationOutcome> Expectations,
    DateTimeOffset? ActedAt = null, bool? ActionOk = null, string? ActionOutput = null)
{
    public bool IsActed => ActedAt is not null;
}

/// <summary>A drill: its scenario, start, steps with their outcomes, and (once everything settled) the verdict.</summary>
public sealed record DrillRun(string DrillId, string Name, string ScenarioText, int Seed, DateTimeOffset StartedAt, ImmutableArray<StepOutcome> Steps,
    DateTimeOffset? FinishedAt = null, bool? Passed = null)
{
    public bool IsFinished => FinishedAt is not null;

    public StepOutcome? NextStep => Steps.FirstOrDefault(s => !s.IsActed);

    public bool HasPendingExpectations => Steps.Any(s => s.IsActed && s.Expectations.Any(e => e.IsPending));

    /// <summary>The command line a step runs: the drill's seed is handed to kills that name none, so a rerun hits the same instances.</summary>
    public string? ActionLine(StepOutcome step) =>
        step.Action is { } action && action.StartsWith("chaos kill-instances", StringComparison.Ordinal) && !action.Contains("--seed", StringComparison.Ordinal)
            ? $"{action} --seed {Seed.ToString(CultureInfo.InvariantCulture)}"
            : step.Action;
}

/// <summary>A value seen for an expectation of a step (null: the subject could not be observed, for example an unknown group).</summary>
public sealed record DrillObservation(int Step, int Expectation, string? Value);

public interface IDrillCommand;

public interface IDrillEvent;

public static class DrillCommands
{
    public sealed record Start(string DrillId, string ScenarioText, int? Seed) : IDrillCommand;

    /// <summary>Due at a step's time: the shell runs the action, then reports it with <see cref="RecordAction"/>.</summary>
    public sealed record RunStep(int Index) : IDrillCommand;

    public sealed record RecordAction(int Index, bool Ok, string Output) : IDrillCommand;

    /// <summary>Due while expectations are pending: the shell observes them, then reports with <see cref="RecordObservations"/>.</summary>
    public sealed record Poll : IDrillCommand;

    public sealed record RecordObservations(ImmutableArray<DrillObservation> Observations) : IDrillCommand;
}

public static class DrillEvents
{
    public sealed record DrillStarted(string DrillId, string ScenarioText, int Seed, DateTimeOffset At) : IDrillEvent;

    public sealed record StepActed(int Index, DateTimeOffset At, bool Ok, string Output) : IDrillEvent;

    public sealed record ExpectationSettled(int Step, int Expectation, bool Passed, string? Observed, DateTimeOffset At) : IDrillEvent;

    public sealed record DrillFinished(DateTimeOffset At, bool Passed) : IDrillEvent;
}

/// <summary>The drill's rules: steps act in order at their offsets, expectations settle by their deadlines, the verdict follows.</summary>
public sealed class DrillBehavior : IEntityBehavior<DrillRun, IDrillCommand, IDrillEvent>
{
    public static readonly DrillBehavior Instance = new();

    /// <summary>How often pending expectations are observed (simulated time), besides at each one's deadline.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    private const int MaxOutput = 2000;

    public Result<IReadOnlyList<IDrillEvent>> Decide(DrillRun? state, IDrillCommand command, DecisionContext context)
    {
        var now = context.Now;
        switch (state, command)
        {
            case (null, DrillCommands.Start start):
                Scenario scenario;
                try
                {
                    scenario = Scenario.Parse(start.ScenarioText);
                }
                catch (FormatException invalid)
                {
                    return AwsError.InvalidParameterValue(invalid.Message);
                }
                return Decisions.Events<IDrillEvent>(new DrillEvents.DrillStarted(start.DrillId, start.ScenarioText, start.Seed ?? scenario.Seed ?? 0, now));
            case (null, _):
                return new AwsError("DrillNotFound", "no such drill");
            case (_, DrillCommands.Start):
                return AwsError.InvalidParameterValue($"drill {state.DrillId} exists already");
            case (_, DrillCommands.RecordAction acted) when state.NextStep?.Index == acted.Index:
                var output = acted.Output.Length > MaxOutput ? acted.Output[..MaxOutput] + "…" : acted.Output;
                var afterAction = Evolve(state, new DrillEvents.StepActed(acted.Index, now, acted.Ok, output))!;
                return Finish(afterAction, [new DrillEvents.StepActed(acted.Index, now, acted.Ok, output)], now);
            case (_, DrillCommands.RecordObservations observed):
                var settled = new List<IDrillEvent>();
                foreach (var o in observed.Observations)
                {
                    if (o.Step >= state.Steps.Length || state.Steps[o.Step] is not { IsActed: true } step || o.Expectation >= step.Expectations.Length)
                        continue;
                    var outcome = step.Expectations[o.Expectation];
                    if (!outcome.IsPending)
                        continue;
                    if (outcome.Expectation.IsMetBy(o.Value))
                        settled.Add(new DrillEvents.ExpectationSettled(o.Step, o.Expectation, true, o.Value, now));
                    else if (now >= outcome.DeadlineAt)
                        settled.Add(new DrillEvents.ExpectationSettled(o.Step, o.Expectation, false, o.Value, now));
                }
                var after = settled.Aggregate(state, (s, e) => Evolve(s, e)!);
                return Finish(after, settled, now);
            default:
                return Decisions.None<IDrillEvent>();
        }
    }

    /// <summary>Adds the verdict once every step acted and every expectation settled.</summary>
    private static Result<IReadOnlyList<IDrillEvent>> Finish(DrillRun after, List<IDrillEvent> events, DateTimeOffset now)
    {
        if (!after.IsFinished && after.NextStep is null && !after.HasPendingExpectations)
            events.Add(new DrillEvents.DrillFinished(now, after.Steps.All(s => s.ActionOk != false && s.Expectations.All(e => e.Passed == true))));
        return events;
    }

    public DrillRun? Evolve(DrillRun? state, IDrillEvent @event) => @event switch
    {
        DrillEvents.DrillStarted e => Started(e),
        DrillEvents.StepActed e => state! with
        {
            Steps = state.Steps.SetItem(e.Index, state.Steps[e.Index] with
            {
                ActedAt = e.At, ActionOk = e.Ok, ActionOutput = e.Output,
                Expectations = [.. state.Steps[e.Index].Expectations.Select(x => x with { DeadlineAt = e.At + x.Expectation.Within })],
            }),
        },
        DrillEvents.ExpectationSettled e => state! with
        {
            Steps = state.Steps.SetItem(e.Step, state.Steps[e.Step] with
            {
                Expectations = state.Steps[e.Step].Expectations.SetItem(e.Expectation,
                    state.Steps[e.Step].Expectations[e.Expectation] with { Passed = e.Passed, Observed = e.Observed, SettledAt = e.At }),
            }),
        },
        DrillEvents.DrillFinished e => state! with { FinishedAt = e.At, Passed = e.Passed },
        _ => state,
    };

    public IEnumerable<Deadline<IDrillCommand>> Deadlines(DrillRun? state)
    {
        if (state is null || state.IsFinished)
            yield break;
        if (state.NextStep is { } next)
            yield return new Deadline<IDrillCommand>($"step-{next.Index}", next.DueAt, new DrillCommands.RunStep(next.Index));
        if (!state.HasPendingExpectations)
            yield break;
        yield return new Deadline<IDrillCommand>("poll", state.StartedAt, new DrillCommands.Poll(), PollEvery);
        foreach (var step in state.Steps.Where(s => s.IsActed))
            foreach (var (outcome, j) in step.Expectations.Select((e, j) => (e, j)).Where(x => x.e.IsPending))
                yield return new Deadline<IDrillCommand>($"deadline-{step.Index}-{j}", outcome.DeadlineAt!.Value, new DrillCommands.Poll());
    }

    private static DrillRun Started(DrillEvents.DrillStarted e)
    {
        var scenario = Scenario.Parse(e.ScenarioText);
        return new DrillRun(e.DrillId, scenario.Name, e.ScenarioText, e.Seed, e.At,
            [.. scenario.Steps.Select((s, i) => new StepOutcome(i, e.At + s.At, s.Action, [.. s.Expect.Select(x => new ExpectationOutcome(x))]))]);
    }
}
