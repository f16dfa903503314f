using Orchestrator.Domain.AutoScaling;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>Scheduled actions as tables: cron recurrences, validation, one-time and recurring runs, suspension.</summary>
public sealed class ScheduledActionTests
{
    private const string Name = "web";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "web", "$Default"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2025, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 9 * * *", "2025-03-01T12:00", "2025-03-02T09:00")]
    [InlineData("*/15 * * * *", "2025-03-01T12:00", "2025-03-01T12:15")]
    [InlineData("30 8 * * MON-FRI", "2025-03-01T12:00", "2025-03-03T08:30")] // 1 March 2025 is a Saturday
    [InlineData("0 0 1 JAN,JUL *", "2025-03-01T12:00", "2025-07-01T00:00")]
    [InlineData("0 12 15 * 0", "2025-03-01T12:00", "2025-03-02T12:00")] // both day fields: either matches (Sunday 2 March)
    [InlineData("5 4 * * 7", "2025-03-01T12:00", "2025-03-02T04:05")] // 7 is Sunday too
    public void Cron_names_the_next_run_after_a_time(string expression, string after, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected + "Z"), Cron.Parse(expression)!.Next(DateTimeOffset.Parse(after + "Z"), TimeZoneInfo.Utc));

    [Theory]
    [InlineData("0 9 * *")]
    [InlineData("60 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * 0 * *")]
    [InlineData("* * * FOO *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    public void Malformed_cron_expressions_do_not_parse(string expression) => Assert.Null(Cron.Parse(expression));

    [Fact]
    public void A_recurrence_in_a_time_zone_runs_at_that_zone_s_local_time()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.Equal(Utc(3, 3, 13, 0), Cron.Parse("0 8 * * *")!.Next(Utc(3, 3, 12, 0), newYork)); // EST: UTC-5
        Assert.Equal(Utc(3, 10, 12, 0), Cron.Parse("0 8 * * *")!.Next(Utc(3, 9, 13, 0), newYork)); // EDT from 9 March: UTC-4
    }

    [Theory]
    [InlineData(null, null, null, "0 9 * * *", null, "At least one of MinSize, MaxSize or DesiredCapacity must be specified")]
    [InlineData(null, null, 3, null, null, "Either StartTime or Recurrence must be specified")]
    [InlineData(null, null, 3, "0 9 * *", null, "Given recurrence string 0 9 * * is invalid")]
    [InlineData(null, null, 3, null, -60, "Given start time is in the past")]
    [InlineData(null, null, 3, "0 9 * * *", null, "Invalid TimeZone Mars/Olympus", "Mars/Olympus")]
    public void Bad_scheduled_actions_are_validation_errors(int? min, int? max, int? desired, string? recurrence, int? startInSeconds, string message, string? zone = null)
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 6, 1, [], []));
        var start = startInSeconds is { } s ? _group.Now.AddSeconds(s) : (DateTimeOffset?)null;
        var error = _group.Refuse(new PutScheduledAction(Name, "nightly", start, null, recurrence, min, max, desired, zone));
        Assert.Equal(("ValidationError", message), (error.Code, error.Message));
        Assert.Equal("ValidationError", _group.Refuse(new DeleteScheduledAction(Name, "nightly")).Code);
    }

    [Fact]
    public void A_one_time_action_sets_capacity_at_its_start_time_and_is_then_removed()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 6, 1, [], []));
        var start = _group.Now.AddMinutes(10);
        _group.Execute(new PutScheduledAction(Name, "peak", start, null, null, 2, null, 4, null));
        var action = Assert.Single(_group.State!.Scheduled);
        Assert.Equal(start, action.NextRun);
        Assert.EndsWith(":autoScalingGroupName/web:scheduledActionName/peak", action.Arn);
        Assert.Contains(":scheduledUpdateGroupAction:", action.Arn);
        Assert.Contains(new AutoScalingBehavior().Deadlines(_group.State), d => d.At == start && Equals(d.Command, new RunScheduledAction(Name, "peak")));

        _group.Execute(new RunScheduledAction(Name, "peak")); // early: nothing
        Assert.Equal(1, _group.State.DesiredCapacity);
        _group.Now = start;
        _group.Execute(new RunScheduledAction(Name, "peak"));
        Assert.Equal((2, 6, 4), (_group.State.MinSize, _group.State.MaxSize, _group.State.DesiredCapacity));
        Assert.Equal(4, _group.State.Instances.Count);
        Assert.StartsWith("At 2025-03-01T12:10:00Z a scheduled action update of AutoScalingGroup constraints to min: 2, max: 6, desired: 4 changing the desired capacity from 1 to 4.",
            _group.State.Activities[^1].Cause);
        Assert.Empty(_group.State.Scheduled);
    }

    [Fact]
    public void A_recurring_action_runs_on_each_occurrence_until_its_end_time_and_is_skipped_while_suspended()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 6, 1, [], []));
        var end = Utc(3, 1, 12, 45);
        _group.Execute(new PutScheduledAction(Name, "quarterly", null, end, "*/15 * * * *", null, null, 3, null));
        Assert.Equal(Utc(3, 1, 12, 15), _group.State!.Scheduled[0].NextRun);

        _group.Now = Utc(3, 1, 12, 15);
        _group.Execute(new RunScheduledAction(Name, "quarterly"));
        Assert.Equal(3, _group.State.DesiredCapacity);
        Assert.Equal(Utc(3, 1, 12, 30), _group.State.Scheduled[0].NextRun);

        _group.Execute(new SetDesiredCapacity(Name, 1, false));
        _group.Execute(new SuspendProcesses(Name, [ScalingProcesses.ScheduledActions]));
        _group.Now = Utc(3, 1, 12, 30);
        _group.Execute(new RunScheduledAction(Name, "quarterly"));
        Assert.Equal(1, _group.State.DesiredCapacity); // skipped, not postponed
        Assert.Equal(Utc(3, 1, 12, 45), _group.State.Scheduled[0].NextRun);

        _group.Execute(new ResumeProcesses(Name, [ScalingProcesses.ScheduledActions]));
        _group.Now = end;
        _group.Execute(new RunScheduledAction(Name, "quarterly"));
        Assert.Equal(3, _group.State.DesiredCapacity);
        Assert.Empty(_group.State.Scheduled); // 13:00 is past the end time

        _group.Execute(new PutScheduledAction(Name, "again", null, null, "0 9 * * *", null, null, 2, null));
        _group.Execute(new DeleteScheduledAction(Name, "again"));
        Assert.Empty(_group.State.Scheduled);
    }
}
