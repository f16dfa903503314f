using Akka.Event;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// The region's one chaos ledger: every fault is a persisted event stamped with simulated time,
/// and a fault given --for ends by its own persisted deadline. Its effects: zones through the
/// region controller (the entities follow the zone as in any outage), instances terminated or
/// impaired through their entities, and a line in /orchestrator/chaos. Active outages are applied
/// again after recovery, in case the node died between the event and the zone change.
/// </summary>
public sealed class ChaosLedgerActor(string entityId, EntityServices services, IChaosPort port)
    : EffectfulEntity<ChaosLedger, IChaosCommand, IChaosEvent>(ChaosKinds.Ledger, entityId, services, ChaosBehavior.Instance)
{
    protected override IReadOnlyList<IndexRow> Project(ChaosLedger state) => [];

    protected override void Recovered()
    {
        foreach (var outage in State!.Active.Where(f => f.Kind == FaultKinds.AzOutage))
            SetZone(outage.Target, AzState.Unavailable, outage.Mode);
    }

    protected override Task Effect(ChaosLedger? before, IChaosEvent @event)
    {
        switch (@event)
        {
            case ChaosEvents.FaultInjected { Fault: var fault }:
                WriteLog($"{fault.FaultId} started {fault.Kind} {fault.Describe()}{(fault.RestoreAt is { } until ? $" until {until:O}" : "")} at {fault.StartedAt:O}");
                return fault.Kind switch
                {
                    FaultKinds.AzOutage => SetZone(fault.Target, AzState.Unavailable, fault.Mode),
                    FaultKinds.KillInstances => Tell(fault, id => new InstanceCommands.Terminate(id)),
                    _ => Tell(fault, id => new InstanceCommands.SetApplicationHealth(id, Impairment(fault), fault.Latency > TimeSpan.Zero ? fault.Latency : null, fault.ErrorRate)),
                };
            case ChaosEvents.FaultEnded ended when before?.Find(ended.FaultId) is { } fault && ended.Reason != ChaosBehavior.EndedAtOnce:
                WriteLog($"{fault.FaultId} ended {fault.Kind} {fault.Target} ({ended.Reason}) at {ended.At:O}");
                return fault.Kind switch
                {
                    FaultKinds.AzOutage => SetZone(fault.Target, AzState.Available, OutageMode.Power),
                    FaultKinds.ImpairApp => Tell(fault, id => new InstanceCommands.SetApplicationHealth(id, ApplicationHealth.Healthy)),
                    _ => Task.CompletedTask,
                };
            default:
                return Task.CompletedTask;
        }
    }

    /// <summary>An error rate of 1 is an application that fails every check; added latency makes it slow.</summary>
    private static ApplicationHealth Impairment(Fault fault) =>
        fault.ErrorRate >= 1 ? ApplicationHealth.Failing : fault.Latency > TimeSpan.Zero ? ApplicationHealth.Slow : ApplicationHealth.Healthy;

    private Task Tell(Fault fault, Func<string, IInstanceCommand> command)
    {
        foreach (var id in fault.Instances)
            Services.Router.Tell(Ec2Kinds.Instance, id, command(id));
        return Task.CompletedTask;
    }

    private Task SetZone(string zone, AzState state, OutageMode mode)
    {
        var log = Log;
        var set = port.SetZone(zone, state, mode, CancellationToken.None);
        set.ContinueWith(failed => log.Warning(failed.Exception!.GetBaseException(), "setting {0} {1} failed", zone, state),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return set;
    }

    private void WriteLog(string message) => _ = port.WriteLog("faults", message);
}
