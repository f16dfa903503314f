using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Common.Decisions;

namespace Orchestrator.Domain.Rds;

/// <summary>
/// A manual DB snapshot: the instance's identity, settings and contents at the moment it was
/// taken (creating, then available), kept after the instance is deleted (aws-semantics 6.4).
/// </summary>
public sealed record DbSnapshot(
    string DbSnapshotIdentifier,
    string Arn,
    string Status,
    DateTimeOffset? CompletesAt,
    DbInstanceIdentity Source,
    DbInstanceSettings Settings,
    string AvailabilityZone,
    ImmutableSortedDictionary<string, string> Data,
    ImmutableDictionary<string, string> Tags,
    DateTimeOffset CreatedAt)
{
    public const string Creating = "creating";
    public const string Available = "available";

    public int PercentProgress => Status == Available ? 100 : 0;
}

public interface IDbSnapshotCommand
{
    string EntityId { get; }
}

public interface IDbSnapshotEvent;

public static class DbSnapshotCommands
{
    /// <summary>A snapshot of the instance as the service read it (its live state, contents included).</summary>
    public sealed record Create(string DbSnapshotIdentifier, string Arn, DbInstance Instance, ImmutableDictionary<string, string> Tags) : IDbSnapshotCommand
    {
        public string EntityId => DbSnapshotIdentifier;
    }

    public sealed record Complete(string DbSnapshotIdentifier) : IDbSnapshotCommand
    {
        public string EntityId => DbSnapshotIdentifier;
    }

    public sealed record Delete(string DbSnapshotIdentifier) : IDbSnapshotCommand
    {
        public string EntityId => DbSnapshotIdentifier;
    }
}

public static class DbSnapshotEvents
{
    public sealed record Created(string DbSnapshotIdentifier, string Arn, DbInstanceIdentity Source, DbInstanceSettings Settings, string AvailabilityZone,
        ImmutableSortedDictionary<string, string> Data, ImmutableDictionary<string, string> Tags, DateTimeOffset CompletesAt, DateTimeOffset At) : IDbSnapshotEvent;

    public sealed record Completed(DateTimeOffset At) : IDbSnapshotEvent;

    public sealed record Deleted(DateTimeOffset At) : IDbSnapshotEvent;
}

/// <summary>Manual snapshots: identifiers as for instances, creating for a while, then available; deleted only when available.</summary>
public sealed class DbSnapshotBehavior(TimeSpan creation) : IEntityBehavior<DbSnapshot, IDbSnapshotCommand, IDbSnapshotEvent>
{
    public const string CompletionDeadline = "complete";

    public Result<IReadOnlyList<IDbSnapshotEvent>> Decide(DbSnapshot? state, IDbSnapshotCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, DbSnapshotCommands.Create create) => RdsCatalog.CheckIdentifier(create.DbSnapshotIdentifier, "DBSnapshotIdentifier") is { } invalid
                ? invalid
                : Events<IDbSnapshotEvent>(new DbSnapshotEvents.Created(create.DbSnapshotIdentifier, create.Arn, create.Instance.Identity, create.Instance.Settings,
                    create.Instance.PrimaryZone, create.Instance.Data, create.Tags, now + creation, now)),
            (not null, DbSnapshotCommands.Create) => new AwsError("DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {command.EntityId} already exists."),
            (null, DbSnapshotCommands.Complete) => None<IDbSnapshotEvent>(),
            (null, _) => NotFound(command.EntityId),
            ({ Status: DbSnapshot.Creating, CompletesAt: { } due }, DbSnapshotCommands.Complete) when due <= now => Events<IDbSnapshotEvent>(new DbSnapshotEvents.Completed(now)),
            (_, DbSnapshotCommands.Complete) => None<IDbSnapshotEvent>(),
            ({ Status: DbSnapshot.Available }, DbSnapshotCommands.Delete) => Events<IDbSnapshotEvent>(new DbSnapshotEvents.Deleted(now)),
            (_, DbSnapshotCommands.Delete) => new AwsError("InvalidDBSnapshotState", $"Cannot delete the snapshot {command.EntityId} because it is {state.Status}."),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown DB snapshot command"),
        };
    }

    public DbSnapshot? Evolve(DbSnapshot? state, IDbSnapshotEvent @event) => @event switch
    {
        DbSnapshotEvents.Created e => new DbSnapshot(e.DbSnapshotIdentifier, e.Arn, DbSnapshot.Creating, e.CompletesAt, e.Source, e.Settings, e.AvailabilityZone, e.Data, e.Tags, e.At),
        DbSnapshotEvents.Deleted => null,
        _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
        DbSnapshotEvents.Completed => state with { Status = DbSnapshot.Available, CompletesAt = null },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown DB snapshot event"),
    };

    public IEnumerable<Deadline<IDbSnapshotCommand>> Deadlines(DbSnapshot? state)
    {
        if (state?.CompletesAt is { } due)
            yield return new Deadline<IDbSnapshotCommand>(CompletionDeadline, due, new DbSnapshotCommands.Complete(state.DbSnapshotIdentifier));
    }

    public static AwsError NotFound(string id) => new("DBSnapshotNotFound", $"DBSnapshot {id} not found.", 404);
}
