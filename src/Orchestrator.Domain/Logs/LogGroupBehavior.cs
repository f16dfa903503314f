using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Common.Decisions;
using static Orchestrator.Domain.Logs.LogGroupCommands;
using static Orchestrator.Domain.Logs.LogGroupEvents;

namespace Orchestrator.Domain.Logs;

/// <summary>The rules of one log group: its streams, retention, tags, and the ingestion of events.</summary>
public sealed class LogGroupBehavior : IEntityBehavior<LogGroup, ILogGroupCommand, ILogGroupEvent>
{
    /// <summary>
    /// Memory bound per group (AWS keeps everything until retention): beyond it the oldest events
    /// are dropped, down to <see cref="TrimmedEvents"/> so the trimming sort runs once per 10% of growth.
    /// </summary>
    public const int MaxEventsPerGroup = 20_000;

    public const int TrimmedEvents = MaxEventsPerGroup * 9 / 10;

    public const string StandardClass = "STANDARD";

    private static readonly ImmutableArray<string> Classes = [StandardClass, "INFREQUENT_ACCESS", "DELIVERY"];

    public Result<IReadOnlyList<ILogGroupEvent>> Decide(LogGroup? state, ILogGroupCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Create create) => CreateGroup(create, now),
            (not null, Create) => LogsErrors.GroupExists(),
            (null, Record record) => Events<ILogGroupEvent>(
                new Created(record.GroupName, record.Arn, StandardClass, null, false, Common.Tags.None, now),
                new StreamCreated(record.StreamName, now),
                Own(0, record, now)),
            (null, _) => LogsErrors.GroupNotFound(),
            ({ } group, Record record) => group.Streams.ContainsKey(record.StreamName)
                ? Events<ILogGroupEvent>(Own(group.NextSequence, record, now))
                : Events<ILogGroupEvent>(new StreamCreated(record.StreamName, now), Own(group.NextSequence, record, now)),
            ({ } group, Delete) => group.DeletionProtectionEnabled
                ? LogsErrors.InvalidParameter("The log group has deletion protection enabled.")
                : Events<ILogGroupEvent>(new Deleted(now)),
            (_, PutRetention put) => LogNames.ValidateRetention(put.RetentionInDays) is { } invalid
                ? invalid
                : Events<ILogGroupEvent>(new RetentionChanged(put.RetentionInDays, now)),
            (_, DeleteRetention) => Events<ILogGroupEvent>(new RetentionChanged(null, now)),
            ({ } group, Tag tag) => LogNames.ValidateTags(group.Tags.SetItems(tag.Tags)) is { } invalid
                ? invalid
                : Events<ILogGroupEvent>(new TagsChanged(group.Tags.SetItems(tag.Tags), now)),
            ({ } group, Untag untag) => Events<ILogGroupEvent>(new TagsChanged(group.Tags.RemoveRange(untag.Keys), now)),
            ({ } group, CreateStream create) => LogNames.ValidateStreamName(create.StreamName) is { } invalid
                ? invalid
                : group.Streams.ContainsKey(create.StreamName)
                    ? LogsErrors.StreamExists()
                    : Events<ILogGroupEvent>(new StreamCreated(create.StreamName, now)),
            ({ } group, DeleteStream delete) => group.Streams.ContainsKey(delete.StreamName)
                ? Events<ILogGroupEvent>(new StreamDeleted(delete.StreamName, now))
                : LogsErrors.StreamNotFound(),
            ({ } group, PutEvents put) => Put(group, put, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown log group command"),
        };
    }

    private static Result<IReadOnlyList<ILogGroupEvent>> CreateGroup(Create create, DateTimeOffset now)
    {
        if (LogNames.ValidateGroupName(create.GroupName) is { } invalidName)
            return invalidName;
        if (LogNames.ValidateTags(create.Tags) is { } invalidTags)
            return invalidTags;
        var logGroupClass = create.LogGroupClass ?? StandardClass;
        if (!Classes.Contains(logGroupClass))
            return LogsErrors.InvalidParameter($"Log group class '{logGroupClass}' is not one of {string.Join(", ", Classes)}.");
        return Events<ILogGroupEvent>(new Created(create.GroupName, create.Arn, logGroupClass, create.KmsKeyId, create.DeletionProtectionEnabled, create.Tags, now));
    }

    private static Result<IReadOnlyList<ILogGroupEvent>> Put(LogGroup group, PutEvents put, DateTimeOffset now)
    {
        if (!group.Streams.ContainsKey(put.StreamName))
            return LogsErrors.StreamNotFound();
        var outcome = LogBatch.Classify(put.Events, now, group.RetentionInDays);
        if (outcome.IsError)
            return outcome.Error!;
        var (from, to, rejected) = outcome.Value;
        var ingested = now.ToUnixTimeMilliseconds();
        var accepted = Enumerable.Range(from, to - from)
            .Select(i => new LogEvent(put.Events[i].Timestamp, put.Events[i].Message, ingested, group.NextSequence + i - from)).ToImmutableArray();
        return Events<ILogGroupEvent>(new EventsPut(put.StreamName, accepted, rejected, now));
    }

    /// <summary>Orchestrator's own line, stamped now; no batch rules apply to what we write ourselves.</summary>
    private static EventsPut Own(long sequence, Record record, DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        return new EventsPut(record.StreamName, [new LogEvent(ms, record.Message, ms, sequence)], null, now);
    }

    public LogGroup? Evolve(LogGroup? state, ILogGroupEvent @event) =>
        @event switch
        {
            Created e => new LogGroup(e.Name, e.Arn, e.At.ToUnixTimeMilliseconds(), null, e.LogGroupClass, e.KmsKeyId, e.DeletionProtectionEnabled,
                e.Tags, ImmutableDictionary<string, LogStream>.Empty),
            Deleted => null,
            RetentionChanged e => Prune(state! with { RetentionInDays = e.RetentionInDays }, e.At),
            TagsChanged e => state! with { Tags = e.Tags },
            StreamCreated e => state! with { Streams = state.Streams.SetItem(e.StreamName, new LogStream(e.StreamName, e.At.ToUnixTimeMilliseconds(), [])) },
            StreamDeleted e => state! with { Streams = state.Streams.Remove(e.StreamName) },
            EventsPut e => Prune(Append(state!, e), e.At),
            _ => state,
        };

    private static LogGroup Append(LogGroup group, EventsPut put)
    {
        var stream = group.Streams[put.StreamName];
        var events = put.Events;
        var list = stream.Events;
        foreach (var e in events)
            list = list.Count == 0 || list[^1].Position < e.Position ? list.Add(e) : list.Insert(InsertionPoint(list, e.Position), e);
        var updated = stream with
        {
            Events = list,
            FirstEventTimestamp = events.IsEmpty ? stream.FirstEventTimestamp : Math.Min(stream.FirstEventTimestamp ?? long.MaxValue, events[0].Timestamp),
            LastEventTimestamp = events.IsEmpty ? stream.LastEventTimestamp : Math.Max(stream.LastEventTimestamp ?? long.MinValue, events[^1].Timestamp),
            LastIngestionTime = events.IsEmpty ? stream.LastIngestionTime : put.At.ToUnixTimeMilliseconds(),
            Uploads = stream.Uploads + 1,
            LastRejected = put.Rejected,
            StoredBytes = stream.StoredBytes + events.Sum(e => e.Size),
        };
        return group with { Streams = group.Streams.SetItem(put.StreamName, updated), NextSequence = events.IsEmpty ? group.NextSequence : events[^1].Sequence + 1 };
    }

    private static int InsertionPoint(ImmutableList<LogEvent> list, LogPosition position)
    {
        int low = 0, high = list.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (list[mid].Position < position)
                low = mid + 1;
            else
                high = mid;
        }
        return low;
    }

    /// <summary>Drops what retention no longer keeps, then the oldest events beyond the per-group bound.</summary>
    private static LogGroup Prune(LogGroup group, DateTimeOffset at)
    {
        var from = group.RetainedFrom(at.ToUnixTimeMilliseconds());
        var streams = group.Streams;
        if (group.RetentionInDays is not null)
            foreach (var (name, stream) in group.Streams)
                if (stream.Events.Count > 0 && stream.Events[0].Timestamp < from)
                    streams = streams.SetItem(name, Keep(stream, e => e.Timestamp >= from));
        var count = streams.Values.Sum(s => s.Events.Count);
        if (count > MaxEventsPerGroup)
        {
            var cutoff = streams.Values.SelectMany(s => s.Events).Select(e => e.Position).Order().ElementAt(count - TrimmedEvents);
            foreach (var (name, stream) in streams)
                streams = streams.SetItem(name, Keep(stream, e => e.Position >= cutoff));
        }
        return group with { Streams = streams };
    }

    private static LogStream Keep(LogStream stream, Predicate<LogEvent> kept)
    {
        var events = stream.Events.RemoveAll(e => !kept(e));
        return stream with { Events = events, StoredBytes = events.Sum(e => e.Size) };
    }

    public IEnumerable<Deadline<ILogGroupCommand>> Deadlines(LogGroup? state) => [];
}
