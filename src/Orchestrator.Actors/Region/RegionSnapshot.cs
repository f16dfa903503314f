using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Region;

/// <summary>This node's latest view of the replicated region state; entities read it when they start.</summary>
public sealed class RegionSnapshot(RegionState initial)
{
    private RegionState _current = initial;

    public RegionState Current => Volatile.Read(ref _current);

    /// <summary>Applies a newer state; older or equal versions (late replicas) are ignored.</summary>
    public bool TryAdvance(RegionState next)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (next.Version <= current.Version && next.Generation <= current.Generation)
                return false;
            if (Interlocked.CompareExchange(ref _current, next, current) == current)
                return true;
        }
    }
}

/// <summary>Published on each node's EventStream when the region state changes there.</summary>
public sealed record RegionChanged(RegionState State);
