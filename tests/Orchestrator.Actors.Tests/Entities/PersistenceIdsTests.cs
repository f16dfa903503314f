using Orchestrator.Actors.Entities;

namespace Orchestrator.Actors.Tests.Entities;

public sealed class PersistenceIdsTests
{
    [Fact]
    public void Aws_ids_stay_readable_with_kind_and_generation() =>
        Assert.Equal("instance-g3-i-0123456789abcdef0", PersistenceIds.For("instance", 3, "i-0123456789abcdef0"));

    [Theory]
    [InlineData(1024)]
    [InlineData(161)]
    public void Long_user_chosen_names_are_hashed_within_the_journal_column(int length)
    {
        var id = PersistenceIds.For("alarm", 12, new string('a', length));
        Assert.True(id.Length <= 255, id);
        Assert.Equal(id, PersistenceIds.For("alarm", 12, new string('a', length)));
        Assert.NotEqual(id, PersistenceIds.For("alarm", 12, new string('a', length) + "b"));
    }

    [Fact]
    public void Names_outside_printable_ascii_are_hashed() =>
        Assert.Matches("^alarm-g1-h[0-9a-f]{64}$", PersistenceIds.For("alarm", 1, "CPU élevé"));
}
