using System.Collections.Immutable;

namespace Orchestrator.Domain.Logs;

public interface ILogGroupCommand
{
    string GroupName { get; }
}

public interface ILogGroupEvent;

/// <summary>An event as PutLogEvents receives it.</summary>
public sealed record InputLogEvent(long Timestamp, string Message);

public static class LogGroupCommands
{
    public sealed record Create(string GroupName, string Arn, ImmutableDictionary<string, string> Tags, string? LogGroupClass = null,
        string? KmsKeyId = null, bool DeletionProtectionEnabled = false) : ILogGroupCommand;

    public sealed record Delete(string GroupName) : ILogGroupCommand;

    public sealed record PutRetention(string GroupName, int RetentionInDays) : ILogGroupCommand;

    public sealed record DeleteRetention(string GroupName) : ILogGroupCommand;

    public sealed record Tag(string GroupName, ImmutableDictionary<string, string> Tags) : ILogGroupCommand;

    public sealed record Untag(string GroupName, ImmutableArray<string> Keys) : ILogGroupCommand;

    public sealed record CreateStream(string GroupName, string StreamName) : ILogGroupCommand;

    public sealed record DeleteStream(string GroupName, string StreamName) : ILogGroupCommand;

    public sealed record PutEvents(string GroupName, string StreamName, ImmutableArray<InputLogEvent> Events) : ILogGroupCommand;

    /// <summary>Orchestrator's own happening (a health change, a failover): the group and stream are created on first use.</summary>
    public sealed record Record(string GroupName, string Arn, string StreamName, string Message) : ILogGroupCommand;
}

public static class LogGroupEvents
{
    public sealed record Created(string Name, string Arn, string LogGroupClass, string? KmsKeyId, bool DeletionProtectionEnabled,
        ImmutableDictionary<string, string> Tags, DateTimeOffset At) : ILogGroupEvent;

    public sealed record RetentionChanged(int? RetentionInDays, DateTimeOffset At) : ILogGroupEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : ILogGroupEvent;

    public sealed record StreamCreated(string StreamName, DateTimeOffset At) : ILogGroupEvent;

    public sealed record StreamDeleted(string StreamName, DateTimeOffset At) : ILogGroupEvent;

    /// <summary>A PutLogEvents call: the accepted events (sequenced) and what was refused; recorded even when all were refused, as the upload counts.</summary>
    public sealed record EventsPut(string StreamName, ImmutableArray<LogEvent> Events, RejectedEvents? Rejected, DateTimeOffset At) : ILogGroupEvent;

    public sealed record Deleted(DateTimeOffset At) : ILogGroupEvent;
}

/// <summary>Reads a group's entity answers from its state, at the simulated time of the read (retention applies).</summary>
public static class LogGroupQueries
{
    public sealed record GetEvents(string GroupName, string StreamName, long? StartTime, long? EndTime, string? NextToken, int? Limit, bool StartFromHead);

    public sealed record FilterEvents(string GroupName, ImmutableArray<string> StreamNames, string? StreamNamePrefix, long? StartTime, long? EndTime,
        string? FilterPattern, string? NextToken, int? Limit);
}

public sealed record OutputLogEvent(long Timestamp, string Message, long IngestionTime);

public sealed record EventsPage(ImmutableArray<OutputLogEvent> Events, string NextForwardToken, string NextBackwardToken);

public sealed record FilteredLogEvent(string LogStreamName, long Timestamp, string Message, long IngestionTime, string EventId);

public sealed record FilteredPage(ImmutableArray<FilteredLogEvent> Events, ImmutableArray<string> SearchedLogStreams, string? NextToken);
