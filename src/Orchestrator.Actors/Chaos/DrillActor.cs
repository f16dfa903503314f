using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Domain.Chaos;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// One drill running in simulated time: each step's action runs when its offset falls due (any
/// palette command line, through the node's command host), then its expectations are observed
/// every few simulated seconds and at their deadlines until they settle. Progress is persisted, so
/// a drill resumes where it was after a restart (a step whose action was running when its node
/// died runs again: actions are at least once, their outcomes recorded once); every step and
/// verdict also goes to /orchestrator/chaos under the drill's id.
/// </summary>
public sealed class DrillActor : EffectfulEntity<DrillRun, IDrillCommand, IDrillEvent>
{
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromMinutes(2);

    private readonly IChaosPort _port;
    private int? _acting;
    private bool _observing;

    public DrillActor(string entityId, EntityServices services, IChaosPort port)
        : base(ChaosKinds.Drill, entityId, services, DrillBehavior.Instance)
    {
        _port = port;
    }

    protected override IReadOnlyList<IndexRow> Project(DrillRun state) => [new IndexRow(ChaosKinds.Drill, state.DrillId, state)];

    protected override bool Intercept(IDrillCommand command)
    {
        switch (command)
        {
            case DrillCommands.RunStep run:
                if (State?.NextStep is not { } step || step.Index != run.Index || _acting == run.Index)
                    return true;
                _acting = run.Index;
                if (State.ActionLine(step) is not { } line)
                {
                    Self.Tell(new DrillCommands.RecordAction(run.Index, true, ""));
                    return true;
                }
                var index = run.Index;
                _port.Execute(line, CancellationToken.None).WaitAsync(ActionTimeout).PipeTo(Self,
                        success: response => new DrillCommands.RecordAction(index, response.Ok, response.Ok ? response.Text : response.Error?.ToString() ?? response.Text),
                        failure: error => new DrillCommands.RecordAction(index, false, error.GetBaseException().Message));
                return true;
            case DrillCommands.Poll:
                if (_observing || State is not { HasPendingExpectations: true } drill)
                    return true;
                _observing = true;
                Observe(drill).PipeTo(Self, failure: error => new DrillCommands.RecordObservations([]));
                return true;
            default:
                return false;
        }
    }

    private async Task<IDrillCommand> Observe(DrillRun drill)
    {
        var observations = ImmutableArray.CreateBuilder<DrillObservation>();
        foreach (var step in drill.Steps.Where(s => s.IsActed))
            for (var j = 0; j < step.Expectations.Length; j++)
                if (step.Expectations[j].IsPending)
                    observations.Add(new DrillObservation(step.Index, j, await _port.Observe(step.Expectations[j].Expectation).ConfigureAwait(false)));
        return new DrillCommands.RecordObservations(observations.ToImmutable());
    }

    protected override Task Effect(DrillRun? before, IDrillEvent @event)
    {
        var drill = State!;
        switch (@event)
        {
            case DrillEvents.DrillStarted e:
                WriteLog($"drill {e.DrillId} ({drill.Name}) started at {e.At:O}, seed {e.Seed}, {drill.Steps.Length} steps");
                break;
            case DrillEvents.StepActed e:
                _acting = null;
                WriteLog($"step {e.Index + 1} at {e.At:O}: {drill.Steps[e.Index].Action ?? "(no action)"} -> {(e.Ok ? "ok" : "failed")}");
                // Expectations without a deadline are checked at once, right after the action.
                Self.Tell(new DrillCommands.Poll());
                break;
            case DrillEvents.ExpectationSettled e:
                WriteLog($"step {e.Step + 1} at {e.At:O}: {(e.Passed ? "PASS" : "FAIL")} {drill.Steps[e.Step].Expectations[e.Expectation].Expectation.Text} (observed {e.Observed ?? "not found"})");
                break;
            case DrillEvents.DrillFinished e:
                WriteLog($"drill {drill.DrillId} ({drill.Name}) {(e.Passed ? "passed" : "failed")} at {e.At:O}");
                break;
        }
        return Task.CompletedTask;
    }

    protected override void OnCommand(object message)
    {
        if (message is DrillCommands.RecordObservations)
            _observing = false;
        base.OnCommand(message);
    }

    private void WriteLog(string message) => _ = _port.WriteLog(State!.DrillId, message);
}
