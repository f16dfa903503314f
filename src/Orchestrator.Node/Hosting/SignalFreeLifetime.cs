using Microsoft.Extensions.Hosting;

namespace Orchestrator.Node.Hosting;

/// <summary>
/// The lifetime of the node's inner web hosts (AWS API, listener ports): they ignore SIGTERM because the
/// management host owns it and stops them in order; their own console lifetimes would race it.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
