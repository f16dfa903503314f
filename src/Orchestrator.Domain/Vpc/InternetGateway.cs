using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Vpc.InternetGatewayCommands;
using static Orchestrator.Domain.Vpc.InternetGatewayEvents;

namespace Orchestrator.Domain.Vpc;

/// <summary>An internet gateway: created detached, attached to at most one VPC at a time.</summary>
public sealed record InternetGateway(string InternetGatewayId, string? AttachedVpcId, ImmutableDictionary<string, string> Tags, DateTimeOffset CreatedAt);

public interface IInternetGatewayCommand
{
    string EntityId { get; }
}

public interface IInternetGatewayEvent
{
    DateTimeOffset At { get; }
}

public static class InternetGatewayCommands
{
    public sealed record Create(string InternetGatewayId, ImmutableDictionary<string, string>? Tags = null) : IInternetGatewayCommand
    {
        public string EntityId => InternetGatewayId;
    }

    /// <summary>
    /// The VPC's existence is checked by the caller; GatewayOnVpc is the gateway the read model says
    /// the VPC already has (a VPC takes one internet gateway), resolved before sending.
    /// </summary>
    public sealed record Attach(string InternetGatewayId, string VpcId, string? GatewayOnVpc = null) : IInternetGatewayCommand
    {
        public string EntityId => InternetGatewayId;
    }

    public sealed record Detach(string InternetGatewayId, string VpcId) : IInternetGatewayCommand
    {
        public string EntityId => InternetGatewayId;
    }

    public sealed record Delete(string InternetGatewayId) : IInternetGatewayCommand
    {
        public string EntityId => InternetGatewayId;
    }

    public sealed record AddTags(string InternetGatewayId, ImmutableDictionary<string, string> Tags) : IInternetGatewayCommand
    {
        public string EntityId => InternetGatewayId;
    }

    public sealed record RemoveTags(string InternetGatewayId, ImmutableArray<TagRemoval> Tags) : IInternetGatewayCommand
    {
        public string EntityId => InternetGatewayId;
    }
}

public static class InternetGatewayEvents
{
    public sealed record Created(string InternetGatewayId, ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IInternetGatewayEvent;

    public sealed record Attached(string VpcId, DateTimeOffset At) : IInternetGatewayEvent;

    public sealed record Detached(string VpcId, DateTimeOffset At) : IInternetGatewayEvent;

    public sealed record Deleted(string InternetGatewayId, DateTimeOffset At) : IInternetGatewayEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IInternetGatewayEvent;
}

public sealed class InternetGatewayBehavior : IEntityBehavior<InternetGateway, IInternetGatewayCommand, IInternetGatewayEvent>
{
    public Result<IReadOnlyList<IInternetGatewayEvent>> Decide(InternetGateway? state, IInternetGatewayCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Create create) => Tags.Validate(create.Tags ?? Tags.None) is { } tagError
                ? tagError
                : Events(new Created(create.InternetGatewayId, create.Tags ?? Tags.None, now)),
            (not null, Create) => None(), // ids are generated once, so a repeat is a retry
            (null, _) => GatewayErrors.InternetGatewayNotFound(command.EntityId),
            ({ AttachedVpcId: { } vpc } igw, Attach) => GatewayErrors.InternetGatewayAlreadyAttached(igw.InternetGatewayId, vpc),
            ({ } igw, Attach { GatewayOnVpc: { } other } attach) when other != igw.InternetGatewayId =>
                GatewayErrors.VpcAlreadyHasInternetGateway(attach.VpcId, other),
            (_, Attach attach) => Events(new Attached(attach.VpcId, now)),
            ({ } igw, Detach detach) => igw.AttachedVpcId == detach.VpcId
                ? Events(new Detached(detach.VpcId, now))
                : GatewayErrors.InternetGatewayNotAttached(igw.InternetGatewayId, detach.VpcId),
            ({ AttachedVpcId: not null } igw, Delete) => GatewayErrors.InternetGatewayHasDependencies(igw.InternetGatewayId),
            ({ } igw, Delete) => Events(new Deleted(igw.InternetGatewayId, now)),
            ({ } igw, AddTags add) => Tags.Add(igw.Tags, add.Tags).Map<IReadOnlyList<IInternetGatewayEvent>>(tags => [new TagsChanged(tags, now)]),
            ({ } igw, RemoveTags remove) => Events(new TagsChanged(Tags.Remove(igw.Tags, remove.Tags), now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown internet gateway command"),
        };
    }

    public InternetGateway? Evolve(InternetGateway? state, IInternetGatewayEvent @event) =>
        @event switch
        {
            Created e => new InternetGateway(e.InternetGatewayId, null, e.Tags, e.At),
            Deleted => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
            Attached e => state with { AttachedVpcId = e.VpcId },
            Detached => state with { AttachedVpcId = null },
            TagsChanged e => state with { Tags = e.Tags },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown internet gateway event"),
        };

    /// <summary>Gateways change only when asked.</summary>
    public IEnumerable<Deadline<IInternetGatewayCommand>> Deadlines(InternetGateway? state) => [];

    private static Result<IReadOnlyList<IInternetGatewayEvent>> None() => Decisions.None<IInternetGatewayEvent>();

    private static Result<IReadOnlyList<IInternetGatewayEvent>> Events(params IInternetGatewayEvent[] events) => Decisions.Events(events);
}

/// <summary>What DescribeInternetGateways returns for one gateway.</summary>
public sealed record InternetGatewayView(string InternetGatewayId, string? AttachedVpcId, ImmutableDictionary<string, string> Tags)
{
    /// <summary>An attached gateway's attachment reads "available", not "attached" (a documented EC2 quirk).</summary>
    public const string AttachmentState = "available";

    public static InternetGatewayView From(InternetGateway igw) => new(igw.InternetGatewayId, igw.AttachedVpcId, igw.Tags);
}
