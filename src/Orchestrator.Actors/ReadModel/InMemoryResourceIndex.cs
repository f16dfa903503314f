namespace Orchestrator.Actors.ReadModel;

/// <summary>The read model of a single node with ephemeral (memory) persistence.</summary>
public sealed class InMemoryResourceIndex : IResourceIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Sequence, long Generation, IReadOnlyList<IndexRow> Rows)> _byOwner = [];
    private readonly Dictionary<(string Kind, string Id), (long Generation, object View)> _rows = [];

    public Task ReplaceOwned(string owner, long sequenceNr, long generation, IReadOnlyList<IndexRow> rows)
    {
        lock (_gate)
        {
            if (_byOwner.TryGetValue(owner, out var existing))
            {
                if (existing.Generation == generation && existing.Sequence >= sequenceNr)
                    return Task.CompletedTask;
                foreach (var row in existing.Rows)
                    _rows.Remove((row.Kind, row.Id));
            }
            _byOwner[owner] = (sequenceNr, generation, rows);
            foreach (var row in rows)
                _rows[(row.Kind, row.Id)] = (generation, row.View);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<object>> List(string kind, long generation)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<object>>(
                [.. _rows.Where(r => r.Key.Kind == kind && r.Value.Generation == generation).OrderBy(r => r.Key.Id, StringComparer.Ordinal).Select(r => r.Value.View)]);
    }

    public Task<object?> Get(string kind, string id, long generation)
    {
        lock (_gate)
            return Task.FromResult(_rows.TryGetValue((kind, id), out var row) && row.Generation == generation ? row.View : null);
    }

    public Task Clear(long keepGeneration)
    {
        lock (_gate)
        {
            foreach (var owner in _byOwner.Where(o => o.Value.Generation < keepGeneration).Select(o => o.Key).ToArray())
            {
                foreach (var row in _byOwner[owner].Rows)
                    _rows.Remove((row.Kind, row.Id));
                _byOwner.Remove(owner);
            }
        }
        return Task.CompletedTask;
    }
}
