using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Chaos;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// The chaos ledger (one per region) and drills. Both remember their entities: a fault's timed
/// restore and a drill's next step are deadlines that must fire without anyone asking.
/// </summary>
public static class ChaosKinds
{
    public const string Ledger = "chaos-ledger";
    public const string Drill = "drill";

    /// <summary>The region's single ledger: one writer orders its faults.</summary>
    public const string LedgerId = "region";

    /// <summary>/orchestrator/chaos: faults in the stream "faults", each drill in a stream named by its id.</summary>
    public const string LogGroup = OrchestratorLogs.Prefix + "chaos";

    public static IEnumerable<EntityKind> All(EntityServices services, IChaosPort port) =>
    [
        new(Ledger, id => Props.Create(() => new ChaosLedgerActor(id, services, port)), RememberEntities: true),
        new(Drill, id => Props.Create(() => new DrillActor(id, services, port)), RememberEntities: true),
    ];
}

public static class ChaosMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("chaos.ledger.command", typeof(ChaosCommands));
        MessageRegistry.RegisterAll("chaos.ledger.event", typeof(ChaosEvents));
        MessageRegistry.RegisterAll("chaos.ledger", typeof(ChaosLedger), typeof(Fault));
        MessageRegistry.RegisterAll("chaos.drill.command", typeof(DrillCommands));
        MessageRegistry.RegisterAll("chaos.drill.event", typeof(DrillEvents));
        MessageRegistry.RegisterAll("chaos.drill", typeof(DrillRun), typeof(StepOutcome), typeof(ExpectationOutcome), typeof(Expectation), typeof(DrillObservation));
    }
}
