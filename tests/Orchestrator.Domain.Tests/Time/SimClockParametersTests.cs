using Orchestrator.Domain.Time;

namespace Orchestrator.Domain.Tests.Time;

public sealed class SimClockParametersTests
{
    private static readonly DateTimeOffset Wall0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void At_scale_one_sim_time_is_wall_time()
    {
        var clock = SimClockParameters.StartingAt(Wall0, 1);
        Assert.Equal(Wall0.AddMinutes(7), clock.SimAt(Wall0.AddMinutes(7)));
    }

    [Fact]
    public void Compression_runs_an_hour_in_a_minute_at_scale_sixty()
    {
        var clock = SimClockParameters.StartingAt(Wall0, 60);
        Assert.Equal(Wall0.AddHours(1), clock.SimAt(Wall0.AddMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(5), clock.WallDelayUntil(Wall0.AddMinutes(5), Wall0));
    }

    [Fact]
    public void Changing_scale_keeps_sim_time_continuous()
    {
        var clock = SimClockParameters.StartingAt(Wall0, 1);
        var changeAt = Wall0.AddSeconds(30);
        var faster = clock.WithScale(10, changeAt);
        Assert.Equal(clock.SimAt(changeAt), faster.SimAt(changeAt));
        Assert.Equal(Wall0.AddSeconds(30 + 100), faster.SimAt(changeAt.AddSeconds(10)));
    }

    [Fact]
    public void Pause_freezes_and_resume_continues_from_where_it_stopped()
    {
        var clock = SimClockParameters.StartingAt(Wall0, 2).Pause(Wall0.AddSeconds(10));
        Assert.Equal(Wall0.AddSeconds(20), clock.SimAt(Wall0.AddHours(3)));
        Assert.Null(clock.WallDelayUntil(Wall0.AddSeconds(30), Wall0.AddHours(3)));

        var resumed = clock.Resume(Wall0.AddHours(3));
        Assert.Equal(Wall0.AddSeconds(20), resumed.SimAt(Wall0.AddHours(3)));
        Assert.Equal(Wall0.AddSeconds(22), resumed.SimAt(Wall0.AddHours(3).AddSeconds(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Scale_out_of_range_is_refused(double scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SimClockParameters.StartingAt(Wall0, 1).WithScale(scale, Wall0));

    [Fact]
    public void A_deadline_already_passed_is_due_now() =>
        Assert.Equal(TimeSpan.Zero, SimClockParameters.StartingAt(Wall0, 1).WallDelayUntil(Wall0.AddSeconds(-5), Wall0));
}
