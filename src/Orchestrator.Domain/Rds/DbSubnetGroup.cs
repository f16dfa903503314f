using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Common.Decisions;

namespace Orchestrator.Domain.Rds;

/// <summary>A subnet of a DB subnet group, with the zone it lies in.</summary>
public sealed record DbSubnet(string SubnetId, string AvailabilityZone);

/// <summary>
/// A subnet named in a request as the service found it in the VPC read model: VpcId and
/// AvailabilityZone are null when no such subnet exists.
/// </summary>
public sealed record SubnetFact(string SubnetId, string? VpcId, string? AvailabilityZone);

/// <summary>A DB subnet group: subnets of one VPC covering at least two zones (keyed by its lowercase name).</summary>
public sealed record DbSubnetGroup(
    string Name,
    string Arn,
    string Description,
    string VpcId,
    ImmutableArray<DbSubnet> Subnets,
    ImmutableDictionary<string, string> Tags,
    DateTimeOffset CreatedAt)
{
    /// <summary>The zones the group covers, in name order.</summary>
    public ImmutableArray<string> Zones => [.. Subnets.Select(s => s.AvailabilityZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

public interface IDbSubnetGroupCommand
{
    string EntityId { get; }
}

public interface IDbSubnetGroupEvent;

public static class DbSubnetGroupCommands
{
    public sealed record Create(string Name, string Arn, string? Description, ImmutableArray<SubnetFact> Subnets, ImmutableDictionary<string, string> Tags)
        : IDbSubnetGroupCommand
    {
        public string EntityId => Name;
    }

    public sealed record Modify(string Name, string? Description, ImmutableArray<SubnetFact> Subnets) : IDbSubnetGroupCommand
    {
        public string EntityId => Name;
    }

    public sealed record AddTags(string Name, ImmutableDictionary<string, string> Tags) : IDbSubnetGroupCommand
    {
        public string EntityId => Name;
    }

    public sealed record RemoveTags(string Name, ImmutableArray<string> Keys) : IDbSubnetGroupCommand
    {
        public string EntityId => Name;
    }

    /// <summary>The service has checked that no DB instance uses the group.</summary>
    public sealed record Delete(string Name) : IDbSubnetGroupCommand
    {
        public string EntityId => Name;
    }
}

public static class DbSubnetGroupEvents
{
    public sealed record Created(string Name, string Arn, string Description, string VpcId, ImmutableArray<DbSubnet> Subnets,
        ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IDbSubnetGroupEvent;

    public sealed record Modified(string Description, string VpcId, ImmutableArray<DbSubnet> Subnets, DateTimeOffset At) : IDbSubnetGroupEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IDbSubnetGroupEvent;

    public sealed record Deleted(DateTimeOffset At) : IDbSubnetGroupEvent;
}

/// <summary>The rules of CreateDBSubnetGroup and ModifyDBSubnetGroup: a valid name, existing subnets of one VPC, at least two zones.</summary>
public sealed partial class DbSubnetGroupBehavior : IEntityBehavior<DbSubnetGroup, IDbSubnetGroupCommand, IDbSubnetGroupEvent>
{
    public const int MaxTags = 50;

    public Result<IReadOnlyList<IDbSubnetGroupEvent>> Decide(DbSubnetGroup? state, IDbSubnetGroupCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, DbSubnetGroupCommands.Create create) => CreateGroup(create, now),
            (not null, DbSubnetGroupCommands.Create create) => RdsErrors.SubnetGroupAlreadyExists(create.Name),
            (null, DbSubnetGroupCommands.Delete) => None<IDbSubnetGroupEvent>(),
            (null, _) => RdsErrors.SubnetGroupNotFound(command.EntityId),
            ({ } group, DbSubnetGroupCommands.Modify modify) => Resolve(modify.Subnets).Bind(r =>
                r.VpcId != group.VpcId
                    ? RdsErrors.InvalidSubnet($"The new subnets are not in the same VPC as the DB subnet group ({group.VpcId})")
                    : Result<IReadOnlyList<IDbSubnetGroupEvent>>.Ok([new DbSubnetGroupEvents.Modified(modify.Description ?? group.Description, r.VpcId, r.Subnets, now)])),
            ({ } group, DbSubnetGroupCommands.AddTags add) => group.Tags.SetItems(add.Tags).Count > MaxTags
                ? new AwsError("TagQuotaPerResourceExceeded", $"A resource can have at most {MaxTags} tags")
                : Events<IDbSubnetGroupEvent>(new DbSubnetGroupEvents.TagsChanged(group.Tags.SetItems(add.Tags), now)),
            ({ } group, DbSubnetGroupCommands.RemoveTags remove) => Events<IDbSubnetGroupEvent>(new DbSubnetGroupEvents.TagsChanged(group.Tags.RemoveRange(remove.Keys), now)),
            (_, DbSubnetGroupCommands.Delete) => Events<IDbSubnetGroupEvent>(new DbSubnetGroupEvents.Deleted(now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown DB subnet group command"),
        };
    }

    public DbSubnetGroup? Evolve(DbSubnetGroup? state, IDbSubnetGroupEvent @event) => @event switch
    {
        DbSubnetGroupEvents.Created e => new DbSubnetGroup(e.Name, e.Arn, e.Description, e.VpcId, e.Subnets, e.Tags, e.At),
        DbSubnetGroupEvents.Deleted => null,
        _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
        DbSubnetGroupEvents.Modified e => state with { Description = e.Description, VpcId = e.VpcId, Subnets = e.Subnets },
        DbSubnetGroupEvents.TagsChanged e => state with { Tags = e.Tags },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown DB subnet group event"),
    };

    public IEnumerable<Deadline<IDbSubnetGroupCommand>> Deadlines(DbSubnetGroup? state) => [];

    private static Result<IReadOnlyList<IDbSubnetGroupEvent>> CreateGroup(DbSubnetGroupCommands.Create create, DateTimeOffset now)
    {
        if ((CheckName(create.Name) ?? CheckDescription(create.Description)) is { } invalid)
            return invalid;
        return Resolve(create.Subnets).Map<IReadOnlyList<IDbSubnetGroupEvent>>(r =>
            [new DbSubnetGroupEvents.Created(create.Name, create.Arn, create.Description!, r.VpcId, r.Subnets, create.Tags, now)]);
    }

    /// <summary>Names: up to 255 letters, digits, spaces, periods, underscores and hyphens; not "default" (AWS's own group).</summary>
    public static AwsError? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return AwsError.MissingParameter("The request must contain the parameter DBSubnetGroupName");
        if (name.Length > 255 || !NamePattern().IsMatch(name))
            return RdsErrors.InvalidParameterValue($"The parameter DBSubnetGroupName is not a valid identifier: '{name}'. It must contain only letters, digits, spaces, periods, underscores and hyphens.");
        return name.Equals("default", StringComparison.OrdinalIgnoreCase)
            ? RdsErrors.InvalidParameterValue("DBSubnetGroupName must not be default.")
            : null;
    }

    private static AwsError? CheckDescription(string? description) =>
        string.IsNullOrEmpty(description) ? AwsError.MissingParameter("The request must contain the parameter DBSubnetGroupDescription") : null;

    /// <summary>Every subnet must exist and lie in one VPC, and together they must cover two zones.</summary>
    public static Result<(string VpcId, ImmutableArray<DbSubnet> Subnets)> Resolve(ImmutableArray<SubnetFact> subnets)
    {
        if (subnets.IsDefaultOrEmpty)
            return AwsError.MissingParameter("The request must contain the parameter SubnetIds");
        var missing = subnets.Where(s => s.VpcId is null).Select(s => s.SubnetId).ToList();
        if (missing.Count > 0)
            return RdsErrors.InvalidSubnet($"Some input subnets in :[{string.Join(", ", missing)}] are invalid.");
        var vpcs = subnets.Select(s => s.VpcId!).Distinct(StringComparer.Ordinal).ToList();
        if (vpcs.Count > 1)
            return RdsErrors.InvalidSubnet($"The subnets must all be in one VPC; they span {string.Join(", ", vpcs)}.");
        var resolved = subnets.DistinctBy(s => s.SubnetId).Select(s => new DbSubnet(s.SubnetId, s.AvailabilityZone!)).ToImmutableArray();
        var zones = resolved.Select(s => s.AvailabilityZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return zones.Count < 2 ? RdsErrors.NotEnoughZones(zones) : (vpcs[0], resolved);
    }

    [GeneratedRegex("^[A-Za-z0-9 ._-]+$")]
    private static partial Regex NamePattern();
}
