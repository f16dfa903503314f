using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Orchestrator.Domain.Logs;

/// <summary>
/// One ingested event. Sequence is the group's ingestion counter: with the timestamp it gives every
/// event a position that never moves when older events arrive later, which tokens and event ids name.
/// </summary>
public sealed record LogEvent(long Timestamp, string Message, long IngestionTime, long Sequence)
{
    /// <summary>Bytes as PutLogEvents counts them: the UTF-8 message plus 26 bytes of overhead.</summary>
    public const int Overhead = 26;

    public LogPosition Position => new(Timestamp, Sequence);

    public long Size => Encoding.UTF8.GetByteCount(Message) + Overhead;
}

/// <summary>Where an event sits in timestamp order; its text (35 digits) is the event id and the body of paging tokens.</summary>
public readonly record struct LogPosition(long Timestamp, long Sequence) : IComparable<LogPosition>
{
    private const int TimestampDigits = 15;
    private const int SequenceDigits = 20;

    public static readonly LogPosition Start = new(0, 0);

    public int CompareTo(LogPosition other) =>
        Timestamp != other.Timestamp ? Timestamp.CompareTo(other.Timestamp) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(LogPosition a, LogPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(LogPosition a, LogPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(LogPosition a, LogPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(LogPosition a, LogPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        Timestamp.ToString("D" + TimestampDigits, CultureInfo.InvariantCulture) + Sequence.ToString("D" + SequenceDigits, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out LogPosition position)
    {
        position = Start;
        if (text is null || text.Length != TimestampDigits + SequenceDigits || !text.All(char.IsAsciiDigit))
            return false;
        position = new LogPosition(long.Parse(text.AsSpan(0, TimestampDigits), CultureInfo.InvariantCulture),
            long.Parse(text.AsSpan(TimestampDigits), CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>What PutLogEvents refused individually (end indexes exclusive, start index inclusive, as the model documents).</summary>
public sealed record RejectedEvents(int? TooNewLogEventStartIndex, int? TooOldLogEventEndIndex, int? ExpiredLogEventEndIndex);

/// <summary>A stream: its events in position order and the bookkeeping DescribeLogStreams shows (StoredBytes kept as events come and go, not recounted).</summary>
public sealed record LogStream(
    string Name,
    long CreationTime,
    ImmutableList<LogEvent> Events,
    long? FirstEventTimestamp = null,
    long? LastEventTimestamp = null,
    long? LastIngestionTime = null,
    long Uploads = 0,
    RejectedEvents? LastRejected = null,
    long StoredBytes = 0)
{
    /// <summary>uploadSequenceToken / nextSequenceToken: deprecated and ignored by AWS, still returned.</summary>
    public string SequenceToken => (Uploads + 1).ToString("D56", CultureInfo.InvariantCulture);
}

/// <summary>
/// A log group with its streams and their events. Retention hides older events from every read at
/// once (a lazy filter on the simulated time of the read) and removes them from the state at the
/// next write; the group also keeps at most <see cref="LogGroupBehavior.MaxEventsPerGroup"/> events.
/// </summary>
public sealed record LogGroup(
    string Name,
    string Arn,
    long CreationTime,
    int? RetentionInDays,
    string LogGroupClass,
    string? KmsKeyId,
    bool DeletionProtectionEnabled,
    ImmutableDictionary<string, string> Tags,
    ImmutableDictionary<string, LogStream> Streams,
    long NextSequence = 0)
{
    /// <summary>The oldest timestamp a read at <paramref name="nowMs"/> may still see.</summary>
    public long RetainedFrom(long nowMs) => RetentionInDays is { } days ? nowMs - TimeSpan.FromDays(days).Ticks / TimeSpan.TicksPerMillisecond : long.MinValue;

    public LogGroupView View() => new(Name, Arn + ":*", Arn, CreationTime, RetentionInDays, Streams.Values.Sum(s => s.StoredBytes), LogGroupClass,
        KmsKeyId, DeletionProtectionEnabled, Tags);

    public LogStreamView View(LogStream stream) => new(Name, stream.Name, stream.CreationTime, stream.FirstEventTimestamp, stream.LastEventTimestamp,
        stream.LastIngestionTime, stream.SequenceToken, LogNames.StreamArn(Arn, stream.Name), stream.StoredBytes);
}

/// <summary>A LogGroup as DescribeLogGroups lists it (the read model's row).</summary>
public sealed record LogGroupView(
    string LogGroupName,
    string Arn,
    string LogGroupArn,
    long CreationTime,
    int? RetentionInDays,
    long StoredBytes,
    string LogGroupClass,
    string? KmsKeyId,
    bool DeletionProtectionEnabled,
    ImmutableDictionary<string, string> Tags);

/// <summary>A LogStream as DescribeLogStreams lists it (the read model's row, keyed group:stream).</summary>
public sealed record LogStreamView(
    string LogGroupName,
    string LogStreamName,
    long CreationTime,
    long? FirstEventTimestamp,
    long? LastEventTimestamp,
    long? LastIngestionTime,
    string UploadSequenceToken,
    string Arn,
    long StoredBytes);
