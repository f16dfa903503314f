using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Entities;

/// <summary>Replies every entity gives, whatever its kind.</summary>
public static class EntityReplies
{
    /// <summary>The command was applied (its events are durable) or was a no-op; State is the entity's state after it.</summary>
    public sealed record Accepted(object? State);

    public sealed record Rejected(AwsError Error);
}

public static class EntityQueries
{
    /// <summary>Answered with Accepted(state) from memory, without persisting anything.</summary>
    public sealed record GetState;
}
