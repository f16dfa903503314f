using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>
/// A Unix cron expression as scheduled actions take it ("minute hour day-of-month month day-of-week":
/// numbers, names, *, lists, ranges and steps), evaluated in a time zone (UTC by default). As in cron,
/// when both day fields are restricted a day matching either one runs.
/// </summary>
public sealed record Cron(
    ImmutableSortedSet<int> Minutes,
    ImmutableSortedSet<int> Hours,
    ImmutableSortedSet<int> Days,
    ImmutableSortedSet<int> Months,
    ImmutableSortedSet<int> Weekdays,
    bool AnyDay,
    bool AnyWeekday)
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Null when the expression is not a valid five-field cron.</summary>
    public static Cron? Parse(string? expression)
    {
        var fields = expression?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (fields.Length != 5)
            return null;
        var minutes = Field(fields[0], 0, 59, null);
        var hours = Field(fields[1], 0, 23, null);
        var days = Field(fields[2], 1, 31, null);
        var months = Field(fields[3], 1, 12, MonthNames, 1);
        var weekdays = Field(fields[4], 0, 7, DayNames)?.Select(d => d % 7).ToImmutableSortedSet();
        if (minutes is null || hours is null || days is null || months is null || weekdays is null)
            return null;
        return new Cron(minutes, hours, days, months, weekdays, fields[2] is "*" or "?", fields[4] is "*" or "?");
    }

    /// <summary>The first time after <paramref name="after"/> (whole minutes) the expression names, within four years; null if none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var from = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        for (var day = from.Date; day < from.Date.AddYears(4); day = day.AddDays(1))
        {
            if (!Months.Contains(day.Month) || !DayMatches(day))
                continue;
            foreach (var hour in Hours)
                foreach (var minute in Minutes)
                {
                    var candidate = day.AddHours(hour).AddMinutes(minute);
                    if (candidate >= from && !zone.IsInvalidTime(candidate))
                        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(candidate, zone), TimeSpan.Zero);
                }
        }
        return null;
    }

    private bool DayMatches(DateTime day)
    {
        var byDay = Days.Contains(day.Day);
        var byWeekday = Weekdays.Contains((int)day.DayOfWeek);
        return (AnyDay, AnyWeekday) switch
        {
            (true, true) => true,
            (true, false) => byWeekday,
            (false, true) => byDay,
            _ => byDay || byWeekday,
        };
    }

    private static ImmutableSortedSet<int>? Field(string field, int min, int max, string[]? names, int nameBase = 0)
    {
        var values = ImmutableSortedSet.CreateBuilder<int>();
        foreach (var part in field.Split(','))
        {
            var (range, stepText) = part.Split('/') switch
            {
                [var r] => (r, null),
                [var r, var s] => (r, s),
                _ => ("", null),
            };
            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
                return null;
            int low, high;
            if (range is "*" or "?")
                (low, high) = (min, max);
            else if (range.Split('-') is [var a, var b])
            {
                if (Value(a, names, nameBase) is not { } first || Value(b, names, nameBase) is not { } last)
                    return null;
                (low, high) = (first, last);
            }
            else if (Value(range, names, nameBase) is { } single)
                (low, high) = (single, stepText is null ? single : max);
            else
                return null;
            if (low < min || high > max || low > high)
                return null;
            for (var v = low; v <= high; v += step)
                values.Add(v);
        }
        return values.ToImmutable();
    }

    private static int? Value(string text, string[]? names, int nameBase)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number;
        var index = names is null ? -1 : Array.IndexOf(names, text.ToUpperInvariant());
        return index < 0 ? null : index + nameBase;
    }
}
