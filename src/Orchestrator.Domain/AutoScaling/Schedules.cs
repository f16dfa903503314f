using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>
/// Scheduled actions (aws-semantics 4.6): when one runs first and next. With a StartTime it runs
/// then, and afterwards on its Recurrence if it has one, until EndTime; a one-time action is done
/// (and removed, as AWS removes it) once it has run.
/// </summary>
public static class Schedules
{
    public static AwsError NotFound(string name) => AutoScalingErrors.Validation($"Scheduled action name not found - {name}");

    /// <summary>PutScheduledUpdateGroupAction's checks, and the action as put (its first run decided).</summary>
    public static Result<ScheduledAction> Put(AutoScalingGroup group, AutoScalingCommands.PutScheduledAction put, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(put.Name) || put.Name.Length > 255)
            return AutoScalingErrors.Validation("ScheduledActionName must be 1 to 255 characters long");
        if (put.MinSize is null && put.MaxSize is null && put.DesiredCapacity is null)
            return AutoScalingErrors.Validation("At least one of MinSize, MaxSize or DesiredCapacity must be specified");
        if (put.MinSize < 0 || put.MaxSize < 0 || put.DesiredCapacity < 0)
            return AutoScalingErrors.Validation("MinSize, MaxSize and DesiredCapacity must not be negative");
        if (put.Recurrence is not null && Cron.Parse(put.Recurrence) is null)
            return AutoScalingErrors.Validation($"Given recurrence string {put.Recurrence} is invalid");
        if (Zone(put.TimeZone) is null)
            return AutoScalingErrors.Validation($"Invalid TimeZone {put.TimeZone}");
        if (put.StartTime is null && put.Recurrence is null)
            return AutoScalingErrors.Validation("Either StartTime or Recurrence must be specified");
        if (put.StartTime < now)
            return AutoScalingErrors.Validation("Given start time is in the past");
        if (put.EndTime is { } end && (end <= now || end <= put.StartTime))
            return AutoScalingErrors.Validation("Given end time is in the past or not after the start time");
        var action = new ScheduledAction(put.Name, AutoScalingIds.ScheduledActionArn(group.Arn, put.Name), put.StartTime, put.EndTime, put.Recurrence,
            put.MinSize, put.MaxSize, put.DesiredCapacity, put.TimeZone, DateTimeOffset.MinValue);
        return put.StartTime is { } start
            ? action with { NextRun = start }
            : Next(action, now) is { } next
                ? action with { NextRun = next }
                : AutoScalingErrors.Validation($"Given recurrence string {put.Recurrence} never runs before the end time");
    }

    /// <summary>The run after one at <paramref name="after"/>: the next time the recurrence names, before EndTime; null when done.</summary>
    public static DateTimeOffset? Next(ScheduledAction action, DateTimeOffset after) =>
        Cron.Parse(action.Recurrence)?.Next(after, Zone(action.TimeZone)!) is { } next && (action.EndTime is null || next <= action.EndTime) ? next : null;

    /// <summary>The zone a recurrence is read in: UTC unless the action names an IANA zone.</summary>
    public static TimeZoneInfo? Zone(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
