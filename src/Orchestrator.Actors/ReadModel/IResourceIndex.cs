namespace Orchestrator.Actors.ReadModel;

/// <summary>One row of the read model: a resource of a kind, with the view its Describe returns.</summary>
public sealed record IndexRow(string Kind, string Id, object View);

/// <summary>
/// The read model behind List and Describe: entities replace the rows they own after each
/// persisted change and before they acknowledge it, so a caller reads its own writes; queries
/// never wake entities. Rows carry the owner's sequence number (a stale writer from a shard
/// hand-off cannot overwrite newer rows) and the generation (a reset hides older rows at once).
/// </summary>
public interface IResourceIndex
{
    Task ReplaceOwned(string owner, long sequenceNr, long generation, IReadOnlyList<IndexRow> rows);

    Task<IReadOnlyList<object>> List(string kind, long generation);

    Task<object?> Get(string kind, string id, long generation);

    /// <summary>Drops every row older than the generation (after a reset).</summary>
    Task Clear(long keepGeneration);
}
