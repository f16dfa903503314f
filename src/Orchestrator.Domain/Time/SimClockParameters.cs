namespace Orchestrator.Domain.Time;

/// <summary>
/// The cluster's one simulated clock: simNow = SimEpoch + (wallNow - WallEpoch) x Scale, frozen at
/// SimEpoch while paused. Changing speed or pausing re-bases both epochs at the current instant,
/// so simulated time is continuous and never runs backwards.
/// </summary>
public sealed record SimClockParameters(DateTimeOffset SimEpoch, DateTimeOffset WallEpoch, double Scale, bool Paused)
{
    public const double MaxScale = 10_000;

    public static SimClockParameters StartingAt(DateTimeOffset wallNow, double scale) => new(wallNow, wallNow, scale, false);

    public DateTimeOffset SimAt(DateTimeOffset wallNow) =>
        Paused ? SimEpoch : SimEpoch + TimeSpan.FromTicks((long)((wallNow - WallEpoch).Ticks * Scale));

    /// <summary>The wall-clock delay until a simulated instant, or null while paused (it never comes).</summary>
    public TimeSpan? WallDelayUntil(DateTimeOffset simDeadline, DateTimeOffset wallNow)
    {
        if (Paused)
            return null;
        var simRemaining = simDeadline - SimAt(wallNow);
        return simRemaining <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(simRemaining.Ticks / Scale));
    }

    public SimClockParameters WithScale(double scale, DateTimeOffset wallNow) =>
        scale is <= 0 or > MaxScale
            ? throw new ArgumentOutOfRangeException(nameof(scale), scale, $"time scale must be in (0, {MaxScale}]")
            : new(SimAt(wallNow), wallNow, scale, Paused);

    public SimClockParameters Pause(DateTimeOffset wallNow) => Paused ? this : new(SimAt(wallNow), wallNow, Scale, true);

    public SimClockParameters Resume(DateTimeOffset wallNow) => Paused ? new(SimEpoch, wallNow, Scale, false) : this;

    /// <summary>After a restart, continue from the last known sim time rather than jumping back or over the downtime.</summary>
    public SimClockParameters ContinueFrom(DateTimeOffset lastSimNow, DateTimeOffset wallNow) => new(lastSimNow, wallNow, Scale, Paused);
}
