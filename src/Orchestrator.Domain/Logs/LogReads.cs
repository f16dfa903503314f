using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Logs;

/// <summary>
/// GetLogEvents and FilterLogEvents over a group's state at the simulated time of the read. Tokens
/// name event positions ("f/&lt;position&gt;" forward, "b/&lt;position&gt;" backward, the bare position
/// for FilterLogEvents), so events ingested later never shift a page a client is walking.
/// </summary>
public static class LogReads
{
    public const int MaxLimit = 10_000;
    public const int MaxPageBytes = 1_048_576;

    public static Result<EventsPage> Get(LogGroup group, LogGroupQueries.GetEvents query, DateTimeOffset now)
    {
        if (!group.Streams.TryGetValue(query.StreamName, out var stream))
            return LogsErrors.StreamNotFound();
        if (query.Limit is < 1 or > MaxLimit)
            return LogsErrors.InvalidParameter($"limit must be between 1 and {MaxLimit}.");
        var limit = query.Limit ?? MaxLimit;
        LogPosition? after = null, before = null;
        if (query.NextToken is { } token)
        {
            if (token.Length < 2 || token[1] != '/' || token[0] is not ('f' or 'b') || !LogPosition.TryParse(token[2..], out var position))
                return LogsErrors.InvalidParameter("The specified nextToken is invalid.");
            if (token[0] == 'f')
                after = position;
            else
                before = position;
        }
        var from = Math.Max(group.RetainedFrom(now.ToUnixTimeMilliseconds()), query.StartTime ?? long.MinValue);
        var visible = stream.Events.Where(e => e.Timestamp >= from && (query.EndTime is not { } end || e.Timestamp < end)
            && (after is not { } a || e.Position > a) && (before is not { } b || e.Position < b)).ToList();
        var fromHead = after is not null || (before is null && query.StartFromHead);
        var page = fromHead ? Head(visible, limit) : Tail(visible, limit);
        if (page.Count == 0)
        {
            var at = after ?? before ?? LogPosition.Start;
            return new EventsPage([], $"f/{at}", $"b/{at}");
        }
        return new EventsPage([.. page.Select(e => new OutputLogEvent(e.Timestamp, e.Message, e.IngestionTime))], $"f/{page[^1].Position}", $"b/{page[0].Position}");
    }

    private static List<LogEvent> Head(List<LogEvent> events, int limit)
    {
        long bytes = 0;
        return [.. events.TakeWhile((e, i) => i < limit && (bytes += e.Size) <= MaxPageBytes)];
    }

    private static List<LogEvent> Tail(List<LogEvent> events, int limit)
    {
        long bytes = 0;
        var taken = events.AsEnumerable().Reverse().TakeWhile((e, i) => i < limit && (bytes += e.Size) <= MaxPageBytes).ToList();
        taken.Reverse();
        return taken;
    }

    public static Result<FilteredPage> Filter(LogGroup group, LogGroupQueries.FilterEvents query, DateTimeOffset now)
    {
        if (!query.StreamNames.IsDefaultOrEmpty && query.StreamNamePrefix is not null)
            return LogsErrors.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive.");
        if (query.Limit is < 1 or > MaxLimit)
            return LogsErrors.InvalidParameter($"limit must be between 1 and {MaxLimit}.");
        var pattern = FilterPattern.Parse(query.FilterPattern);
        if (pattern.IsError)
            return pattern.Error!;
        LogPosition? after = null;
        if (query.NextToken is { } token)
        {
            if (!LogPosition.TryParse(token, out var position))
                return LogsErrors.InvalidParameter("The specified nextToken is invalid.");
            after = position;
        }
        var streams = group.Streams.Values
            .Where(s => query.StreamNames.IsDefaultOrEmpty ? query.StreamNamePrefix is not { } prefix || s.Name.StartsWith(prefix, StringComparison.Ordinal) : query.StreamNames.Contains(s.Name))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var from = Math.Max(group.RetainedFrom(now.ToUnixTimeMilliseconds()), query.StartTime ?? long.MinValue);
        var limit = query.Limit ?? MaxLimit;
        var matched = streams
            .SelectMany(s => s.Events.Where(e => e.Timestamp >= from && (query.EndTime is not { } end || e.Timestamp <= end) && (after is not { } a || e.Position > a))
                .Select(e => (Stream: s.Name, Event: e)))
            .Where(m => pattern.Value.Matches(m.Event.Message))
            .OrderBy(m => m.Event.Position)
            .Take(limit + 1)
            .ToList();
        var page = matched.Take(limit).ToList();
        return new FilteredPage(
            [.. page.Select(m => new FilteredLogEvent(m.Stream, m.Event.Timestamp, m.Event.Message, m.Event.IngestionTime, m.Event.Position.ToString()))],
            [.. streams.Select(s => s.Name)],
            matched.Count > limit ? page[^1].Event.Position.ToString() : null);
    }
}
