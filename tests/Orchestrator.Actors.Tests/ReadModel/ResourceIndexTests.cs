using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Tests.ReadModel;

/// <summary>Both read models behave alike: owners replace their rows, stale writers lose, a reset hides older generations.</summary>
public sealed class ResourceIndexTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"orch-index-{Guid.NewGuid():N}.db");
    private SqlResourceIndex _sqlite = null!;

    static ResourceIndexTests() => EntityTestKit.RegisterAllMessages();

    public async Task InitializeAsync() => _sqlite = await SqlResourceIndex.OpenSqlite(_path);

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private IEnumerable<IResourceIndex> Indexes() => [_sqlite, new InMemoryResourceIndex()];

    private static IndexRow Row(string kind, string id, string message) => new(kind, id, new AwsError(id, message));

    [Fact]
    public async Task Owner_replaces_its_rows_and_readers_see_them_at_once()
    {
        foreach (var index in Indexes())
        {
            await index.ReplaceOwned("vpc-g1-a", 1, 1, [Row("vpc", "vpc-a", "v1"), Row("subnet", "subnet-1", "s1"), Row("subnet", "subnet-2", "s2")]);
            Assert.Equal(2, (await index.List("subnet", 1)).Count);

            await index.ReplaceOwned("vpc-g1-a", 2, 1, [Row("vpc", "vpc-a", "v2"), Row("subnet", "subnet-2", "s2")]);
            var subnets = await index.List("subnet", 1);
            Assert.Equal("subnet-2", ((AwsError)Assert.Single(subnets)).Code);
            Assert.Equal("v2", ((AwsError)(await index.Get("vpc", "vpc-a", 1))!).Message);
            Assert.Null(await index.Get("subnet", "subnet-1", 1));
        }
    }

    [Fact]
    public async Task Stale_writer_after_a_hand_off_cannot_overwrite_newer_rows()
    {
        foreach (var index in Indexes())
        {
            await index.ReplaceOwned("instance-g1-i", 5, 1, [Row("instance", "i-1", "newer")]);
            await index.ReplaceOwned("instance-g1-i", 4, 1, [Row("instance", "i-1", "older")]);
            Assert.Equal("newer", ((AwsError)(await index.Get("instance", "i-1", 1))!).Message);
        }
    }

    [Fact]
    public async Task Reset_generation_hides_and_clears_older_rows()
    {
        foreach (var index in Indexes())
        {
            await index.ReplaceOwned("instance-g1-i", 1, 1, [Row("instance", "i-1", "old world")]);
            Assert.Empty(await index.List("instance", 2));
            await index.Clear(2);
            Assert.Empty(await index.List("instance", 1));
            await index.ReplaceOwned("instance-g2-i", 1, 2, [Row("instance", "i-1", "new world")]);
            Assert.Equal("new world", ((AwsError)Assert.Single(await index.List("instance", 2))).Message);
        }
    }

    [Fact]
    public async Task Concurrent_writers_are_group_committed_and_all_acknowledged()
    {
        var writes = Enumerable.Range(0, 2_000).Select(i => _sqlite.ReplaceOwned($"o-{i}", 1, 1, [Row("instance", $"i-{i}", "x")]));
        await Task.WhenAll(writes);
        Assert.Equal(2_000, (await _sqlite.List("instance", 1)).Count);
    }
}
