namespace Orchestrator.Domain.Time;

/// <summary>Simulated time now. Every timestamp in Orchestrator comes from here, never from DateTime.Now.</summary>
public interface ISimClock
{
    DateTimeOffset Now { get; }
}
