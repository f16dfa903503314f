using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Region;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// What the chaos ledger and drills reach on their node besides entities: the region controller (zone
/// status) and the command host (a drill step's action is any palette command line).
/// </summary>
public interface IChaosPort
{
    /// <summary>A line in the log group /orchestrator/chaos (at most once, like every effect).</summary>
    Task WriteLog(string stream, string message);

    Task SetZone(string zone, AzState state, OutageMode mode, CancellationToken cancellationToken);

    Task<CommandResponse> Execute(string line, CancellationToken cancellationToken);

    /// <summary>The value a drill expectation is about, as observed now (null: no such subject).</summary>
    Task<string?> Observe(Expectation expectation);
}

/// <summary>The node's port: zone changes through the region controller, command lines through the host.</summary>
public sealed class NodeChaosPort(RegionClient region, CommandHost host, EntityServices services, string accountId) : IChaosPort
{
    public Task WriteLog(string stream, string message)
    {
        OrchestratorLogs.Write(services, accountId, ChaosKinds.LogGroup, stream, message);
        return Task.CompletedTask;
    }

    public async Task SetZone(string zone, AzState state, OutageMode mode, CancellationToken cancellationToken)
    {
        var result = await region.Send(new RegionCommands.SetZoneStatus(zone, state, mode), cancellationToken).ConfigureAwait(false);
        if (result.IsError)
            throw new InvalidOperationException($"the region refused to set {zone} {state}: {result.Error}");
    }

    public Task<string?> Observe(Expectation expectation) => new DrillObserver(services, accountId).Observe(expectation);

    public async Task<CommandResponse> Execute(string line, CancellationToken cancellationToken)
    {
        try
        {
            return await host.Execute(CommandRequest.Parse(line), cancellationToken).ConfigureAwait(false);
        }
        catch (CommandUsageException usage)
        {
            return CommandResponse.Failure(new AwsError("Usage", usage.Message));
        }
    }
}

/// <summary>
/// Entities are made before the command host exists (and remembered ones restart at once): they
/// wait on this until the module attaches the node's port.
/// </summary>
public sealed class DeferredChaosPort : IChaosPort
{
    private readonly TaskCompletionSource<IChaosPort> _inner = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Attach(IChaosPort port) => _inner.TrySetResult(port);

    public async Task WriteLog(string stream, string message) =>
        await (await _inner.Task.ConfigureAwait(false)).WriteLog(stream, message).ConfigureAwait(false);

    public async Task SetZone(string zone, AzState state, OutageMode mode, CancellationToken cancellationToken) =>
        await (await _inner.Task.WaitAsync(cancellationToken).ConfigureAwait(false)).SetZone(zone, state, mode, cancellationToken).ConfigureAwait(false);

    public async Task<CommandResponse> Execute(string line, CancellationToken cancellationToken) =>
        await (await _inner.Task.WaitAsync(cancellationToken).ConfigureAwait(false)).Execute(line, cancellationToken).ConfigureAwait(false);

    public async Task<string?> Observe(Expectation expectation) =>
        await (await _inner.Task.ConfigureAwait(false)).Observe(expectation).ConfigureAwait(false);
}
