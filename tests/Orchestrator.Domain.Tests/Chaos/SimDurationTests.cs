using Orchestrator.Domain.Chaos;

namespace Orchestrator.Domain.Tests.Chaos;

public sealed class SimDurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2m30s", 150)]
    [InlineData("1.5m", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("0s", 0)]
    public void Parses_what_people_write(string text, double seconds)
    {
        Assert.True(SimDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("m10")]
    [InlineData("10 minutes")]
    [InlineData("-5m")]
    [InlineData("5d")]
    public void Refuses_anything_else(string text) => Assert.False(SimDuration.TryParse(text, out _));

    [Theory]
    [InlineData(5400, "1h30m")]
    [InlineData(600, "10m")]
    [InlineData(90, "1m30s")]
    [InlineData(0, "0s")]
    public void Formats_back_shortest(int seconds, string expected) => Assert.Equal(expected, SimDuration.Format(TimeSpan.FromSeconds(seconds)));
}
