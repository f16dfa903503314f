using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Clock;

/// <summary>
/// This node's reading of the cluster clock: sim time from the replicated parameters and the wall
/// clock. The region view swaps the parameters when the controller changes them.
/// </summary>
public sealed class SimClock(SimClockParameters parameters, TimeProvider wall) : ISimClock
{
    private volatile SimClockParameters _parameters = parameters;

    public SimClockParameters Parameters => _parameters;

    public DateTimeOffset WallNow => wall.GetUtcNow();

    public DateTimeOffset Now => _parameters.SimAt(wall.GetUtcNow());

    public void Update(SimClockParameters parameters) => _parameters = parameters;
}
