using System.Collections.Immutable;
using System.Text;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Logs;

/// <summary>The accepted slice of a PutLogEvents batch [From, To) and what was refused around it.</summary>
public sealed record BatchOutcome(int From, int To, RejectedEvents? Rejected);

/// <summary>
/// PutLogEvents' batch rules: a batch that breaks a limit (count, bytes, order, span) fails as a
/// whole; events outside the accepted time window are refused one by one and reported.
/// </summary>
public static class LogBatch
{
    public const int MaxEvents = 10_000;
    public const int MaxBytes = 1_048_576;
    public const int MaxEventBytes = 1_048_576 - LogEvent.Overhead;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxFuture = TimeSpan.FromHours(2);
    public static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

    public static Result<BatchOutcome> Classify(IReadOnlyList<InputLogEvent> events, DateTimeOffset now, int? retentionInDays)
    {
        if (events.Count == 0)
            return LogsErrors.InvalidParameter("A PutLogEvents request must contain at least one log event.");
        if (events.Count > MaxEvents)
            return LogsErrors.InvalidParameter($"A PutLogEvents request may contain at most {MaxEvents} log events.");
        long bytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var size = Encoding.UTF8.GetByteCount(events[i].Message);
            if (size > MaxEventBytes)
                return LogsErrors.InvalidParameter($"Log event {i} is too large: {size} bytes exceeds the limit of {MaxEventBytes} bytes.");
            bytes += size + LogEvent.Overhead;
            if (i > 0 && events[i].Timestamp < events[i - 1].Timestamp)
                return LogsErrors.InvalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
        }
        if (bytes > MaxBytes)
            return LogsErrors.InvalidParameter($"Upload too large: {bytes} bytes exceeds limit of {MaxBytes}");

        var nowMs = now.ToUnixTimeMilliseconds();
        var tooOldBefore = nowMs - (long)MaxAge.TotalMilliseconds;
        var expiredBefore = retentionInDays is { } days ? nowMs - (long)TimeSpan.FromDays(days).TotalMilliseconds : long.MinValue;
        var tooNewAfter = nowMs + (long)MaxFuture.TotalMilliseconds;
        // The batch is in order, so refused events form a prefix (too old, expired) and a suffix (too new).
        var tooOld = Count(events, e => e.Timestamp < tooOldBefore);
        var expired = Count(events, e => e.Timestamp < expiredBefore);
        var from = Math.Max(tooOld, expired);
        var to = events.Count;
        while (to > from && events[to - 1].Timestamp > tooNewAfter)
            to--;
        if (to > from && events[to - 1].Timestamp - events[from].Timestamp > (long)MaxSpan.TotalMilliseconds)
            return LogsErrors.InvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        var rejected = tooOld > 0 || expired > 0 || to < events.Count
            ? new RejectedEvents(to < events.Count ? to : null, tooOld > 0 ? tooOld : null, expired > 0 ? expired : null)
            : null;
        return new BatchOutcome(from, to, rejected);
    }

    private static int Count(IReadOnlyList<InputLogEvent> events, Func<InputLogEvent, bool> refused)
    {
        var n = 0;
        while (n < events.Count && refused(events[n]))
            n++;
        return n;
    }
}
