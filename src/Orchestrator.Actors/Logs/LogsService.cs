using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Logs;

namespace Orchestrator.Actors.Logs;

/// <summary>One page of a Describe call and the token of the next (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>
/// CloudWatch Logs as the API and the palette see it: commands and event reads go to the group's
/// entity; DescribeLogGroups and DescribeLogStreams read the read model and wake no entity.
/// </summary>
public sealed class LogsService(EntityServices services, string accountId)
{
    public const int DefaultDescribeLimit = 50;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private long Generation => services.Region.Current.Generation;

    public Task<Result<LogGroup>> CreateGroup(string name, ImmutableDictionary<string, string> tags, string? logGroupClass, string? kmsKeyId,
        bool deletionProtectionEnabled, CancellationToken cancellationToken = default) =>
        LogNames.ValidateGroupName(name) is { } invalid
            ? Task.FromResult<Result<LogGroup>>(invalid)
            : Send(name, new LogGroupCommands.Create(name, LogNames.GroupArn(services.Region.Current.Region, accountId, name), tags, logGroupClass, kmsKeyId,
                deletionProtectionEnabled), cancellationToken);

    /// <summary>Any command for an existing group; the entity answers ResourceNotFoundException for one that is not there.</summary>
    public async Task<Result<LogGroup>> Send(string groupName, ILogGroupCommand command, CancellationToken cancellationToken = default)
    {
        var reply = await services.Router.Ask<object>(LogsKinds.LogGroup, groupName, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: LogGroup group } => group,
            // Deleted: the state after the command is none.
            EntityReplies.Accepted => Result<LogGroup>.Fail(LogsErrors.GroupNotFound()),
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from log group {groupName}: {reply}"),
        };
    }

    public async Task<Result<bool>> DeleteGroup(string groupName, CancellationToken cancellationToken = default)
    {
        var reply = await services.Router.Ask<object>(LogsKinds.LogGroup, groupName, new LogGroupCommands.Delete(groupName), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? rejected.Error : true;
    }

    /// <summary>A call names its group by logGroupName or logGroupIdentifier (a name or an ARN), never both.</summary>
    public static Result<string> GroupName(string? name, string? identifier) => (name, identifier) switch
    {
        (not null, not null) => LogsErrors.InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters."),
        (null, null) => LogsErrors.InvalidParameter("Either logGroupName or logGroupIdentifier must be specified."),
        (not null, _) => name,
        _ => LogNames.GroupNameOf(identifier!),
    };

    /// <summary>Every group, ordered by name as AWS lists them.</summary>
    public async Task<IReadOnlyList<LogGroupView>> Groups() =>
        [.. (await services.Index.List(LogsKinds.LogGroup, Generation).ConfigureAwait(false)).Cast<LogGroupView>().OrderBy(g => g.LogGroupName, StringComparer.Ordinal)];

    public async Task<LogGroupView?> Group(string name) =>
        await services.Index.Get(LogsKinds.LogGroup, name, Generation).ConfigureAwait(false) as LogGroupView;

    /// <summary>DescribeLogGroups: a name prefix or a case-insensitive name substring (not both); the token is the last name returned.</summary>
    public async Task<Result<Page<LogGroupView>>> DescribeGroups(string? prefix, string? pattern, int? limit, string? nextToken)
    {
        if (prefix is not null && pattern is not null)
            return LogsErrors.InvalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        var matching = (await Groups().ConfigureAwait(false))
            .Where(g => (prefix is null || g.LogGroupName.StartsWith(prefix, StringComparison.Ordinal))
                && (pattern is null || g.LogGroupName.Contains(pattern, StringComparison.OrdinalIgnoreCase))
                && (nextToken is null || string.CompareOrdinal(g.LogGroupName, nextToken) > 0))
            .ToList();
        var size = limit ?? DefaultDescribeLimit;
        var page = matching.Take(size).ToList();
        return new Page<LogGroupView>(page, matching.Count > size ? page[^1].LogGroupName : null);
    }

    /// <summary>
    /// DescribeLogStreams: by name (optionally a prefix) or by last event time (no prefix then, as
    /// AWS refuses it), ascending or descending; the token is an offset into that order.
    /// </summary>
    public async Task<Result<Page<LogStreamView>>> DescribeStreams(string groupName, string? prefix, string? orderBy, bool descending, int? limit, string? nextToken)
    {
        var byTime = orderBy switch
        {
            null or "LogStreamName" => false,
            "LastEventTime" => true,
            _ => (bool?)null,
        };
        if (byTime is null)
            return LogsErrors.InvalidParameter($"orderBy must be LogStreamName or LastEventTime, not '{orderBy}'.");
        if (byTime.Value && prefix is not null)
            return LogsErrors.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        var start = 0;
        if (nextToken is not null && (!int.TryParse(nextToken, NumberStyles.None, CultureInfo.InvariantCulture, out start)))
            return LogsErrors.InvalidParameter("The specified nextToken is invalid.");
        if (await Group(groupName).ConfigureAwait(false) is null)
            return LogsErrors.GroupNotFound();
        var streams = (await services.Index.List(LogsKinds.LogStream, Generation).ConfigureAwait(false)).Cast<LogStreamView>()
            .Where(s => s.LogGroupName == groupName && (prefix is null || s.LogStreamName.StartsWith(prefix, StringComparison.Ordinal)));
        var ordered = byTime.Value
            ? streams.OrderBy(s => s.LastEventTimestamp ?? long.MinValue).ThenBy(s => s.LogStreamName, StringComparer.Ordinal).ToList()
            : streams.OrderBy(s => s.LogStreamName, StringComparer.Ordinal).ToList();
        if (descending)
            ordered.Reverse();
        var size = limit ?? DefaultDescribeLimit;
        var page = ordered.Skip(start).Take(size).ToList();
        return new Page<LogStreamView>(page, start + page.Count < ordered.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    public Task<Result<EventsPage>> GetEvents(LogGroupQueries.GetEvents query, CancellationToken cancellationToken = default) =>
        Read<EventsPage>(query.GroupName, query, cancellationToken);

    public Task<Result<FilteredPage>> FilterEvents(LogGroupQueries.FilterEvents query, CancellationToken cancellationToken = default) =>
        Read<FilteredPage>(query.GroupName, query, cancellationToken);

    private async Task<Result<T>> Read<T>(string groupName, object query, CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(LogsKinds.LogGroup, groupName, query, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            T page => page,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from log group {groupName}: {reply}"),
        };
    }

    public async Task<Result<ImmutableDictionary<string, string>>> Tags(string groupName) =>
        await Group(groupName).ConfigureAwait(false) is { } group ? group.Tags : LogsErrors.GroupNotFound();
}
