using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Vpc.NatGatewayCommands;
using static Orchestrator.Domain.Vpc.NatGatewayEvents;

namespace Orchestrator.Domain.Vpc;

/// <summary>NAT gateway states as DescribeNatGateways names them.</summary>
public static class NatGatewayStates
{
    public const string Pending = "pending";
    public const string Available = "available";
    public const string Deleting = "deleting";
    public const string Deleted = "deleted";
    public const string Failed = "failed";
}

/// <summary>
/// The gateway's primary address: its network interface's private IP in the subnet and, for a
/// public gateway, the Elastic IP associated with that interface.
/// </summary>
public sealed record NatGatewayAddress(string NetworkInterfaceId, string PrivateIp, string? AllocationId, string? PublicIp, string? AssociationId);

/// <summary>A zonal NAT gateway (public or private) in one subnet.</summary>
public sealed record NatGateway(
    string NatGatewayId,
    string VpcId,
    string SubnetId,
    string AvailabilityZone,
    string ConnectivityType,
    string State,
    NatGatewayAddress Address,
    string? ClientToken,
    ImmutableDictionary<string, string> Tags,
    DateTimeOffset CreateTime,
    DateTimeOffset? DeleteTime = null,
    string? FailureCode = null,
    string? FailureMessage = null,
    DateTimeOffset? TransitionCompletesAt = null,
    DateTimeOffset? ExpiresAt = null)
{
    public const string Public = "public";
    public const string Private = "private";
}

/// <summary>What the caller resolved before creating a gateway: its subnet, its addresses, and whether the VPC has an internet gateway.</summary>
public sealed record NatGatewayPlacement(string VpcId, string SubnetId, string AvailabilityZone, bool VpcHasInternetGateway);

public interface INatGatewayCommand
{
    string EntityId { get; }
}

public interface INatGatewayEvent
{
    DateTimeOffset At { get; }
}

public static class NatGatewayCommands
{
    public sealed record Create(
        string NatGatewayId,
        NatGatewayPlacement Placement,
        string ConnectivityType,
        NatGatewayAddress Address,
        string? ClientToken = null,
        ImmutableDictionary<string, string>? Tags = null) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }

    /// <summary>Sent by the gateway's own deadline when provisioning ends.</summary>
    public sealed record CompleteProvisioning(string NatGatewayId) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }

    public sealed record Delete(string NatGatewayId) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }

    /// <summary>Sent by the gateway's own deadline when deletion ends.</summary>
    public sealed record CompleteDeletion(string NatGatewayId) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }

    /// <summary>Sent by the gateway's own deadline: the deleted or failed record is no longer described.</summary>
    public sealed record Expire(string NatGatewayId) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }

    public sealed record AddTags(string NatGatewayId, ImmutableDictionary<string, string> Tags) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }

    public sealed record RemoveTags(string NatGatewayId, ImmutableArray<TagRemoval> Tags) : INatGatewayCommand
    {
        public string EntityId => NatGatewayId;
    }
}

public static class NatGatewayEvents
{
    public sealed record Created(
        string NatGatewayId,
        NatGatewayPlacement Placement,
        string ConnectivityType,
        NatGatewayAddress Address,
        string? ClientToken,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset At,
        DateTimeOffset ProvisionedAt) : INatGatewayEvent;

    public sealed record Failed(string FailureCode, string FailureMessage, DateTimeOffset At, DateTimeOffset ExpiresAt) : INatGatewayEvent;

    public sealed record BecameAvailable(DateTimeOffset At) : INatGatewayEvent;

    public sealed record DeletionStarted(DateTimeOffset At, DateTimeOffset DeletedAt) : INatGatewayEvent;

    public sealed record Deleted(DateTimeOffset At, DateTimeOffset ExpiresAt) : INatGatewayEvent;

    public sealed record Expired(string NatGatewayId, DateTimeOffset At) : INatGatewayEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : INatGatewayEvent;
}

/// <summary>
/// pending -> available after provisioning, or failed at once when AWS would refuse to build it;
/// delete: deleting -> deleted; deleted and failed records expire after an hour.
/// </summary>
public sealed class NatGatewayBehavior : IEntityBehavior<NatGateway, INatGatewayCommand, INatGatewayEvent>
{
    private const string TransitionDeadlineKey = "transition";
    private const string ExpiryDeadlineKey = "expiry";

    public Result<IReadOnlyList<INatGatewayEvent>> Decide(NatGateway? state, INatGatewayCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Create create) => DecideCreate(create, context),
            (not null, Create) => None(),
            (null, _) => GatewayErrors.NatGatewayNotFound(command.EntityId),
            // Provisioning needs the zone: a gateway whose zone went down while pending fails as one created there would.
            ({ State: NatGatewayStates.Pending } gateway, CompleteProvisioning) when context.Region.Zone(gateway.AvailabilityZone) is { IsUp: false } =>
                Events(new Failed(ZoneDownCode, ZoneDownMessage(gateway.Address.NetworkInterfaceId), now, now + NatGatewayTimings.DeletedVisibility)),
            ({ State: NatGatewayStates.Pending }, CompleteProvisioning) => Events(new BecameAvailable(now)),
            ({ State: NatGatewayStates.Pending or NatGatewayStates.Available or NatGatewayStates.Failed }, Delete) =>
                Events(new DeletionStarted(now, now + NatGatewayTimings.Deletion)),
            ({ State: NatGatewayStates.Deleting }, Delete) => None(),
            ({ State: NatGatewayStates.Deleted } gateway, Delete) => GatewayErrors.NatGatewayNotFound(gateway.NatGatewayId),
            ({ State: NatGatewayStates.Deleting }, CompleteDeletion) => Events(new Deleted(now, now + NatGatewayTimings.DeletedVisibility)),
            ({ State: NatGatewayStates.Deleted or NatGatewayStates.Failed } gateway, Expire) => Events(new Expired(gateway.NatGatewayId, now)),
            ({ } gateway, AddTags add) => Tags.Add(gateway.Tags, add.Tags).Map<IReadOnlyList<INatGatewayEvent>>(tags => [new TagsChanged(tags, now)]),
            ({ } gateway, RemoveTags remove) => Events(new TagsChanged(Tags.Remove(gateway.Tags, remove.Tags), now)),
            _ => None(), // a stale deadline after the state moved on
        };
    }

    private static Result<IReadOnlyList<INatGatewayEvent>> DecideCreate(Create create, DecisionContext context)
    {
        if (Tags.Validate(create.Tags ?? Tags.None) is { } tagError)
            return tagError;
        var now = context.Now;
        var created = new Created(create.NatGatewayId, create.Placement, create.ConnectivityType, create.Address, create.ClientToken,
            create.Tags ?? Tags.None, now, now + NatGatewayTimings.Provision);
        var failure = Failure(create, context);
        return failure is { } f
            ? Events(created, new Failed(f.Code, f.Message, now, now + NatGatewayTimings.DeletedVisibility))
            : Events(created);
    }

    /// <summary>The failure codes and messages AWS documents for NatGateway.FailureCode, in the cases the simulator models.</summary>
    private static (string Code, string Message)? Failure(Create create, DecisionContext context)
    {
        if (create.ConnectivityType == NatGateway.Public && !create.Placement.VpcHasInternetGateway)
            return ("Gateway.NotAttached", $"Network {create.Placement.VpcId} has no Internet gateway attached");
        if (context.Region.Zone(create.Placement.AvailabilityZone) is { IsUp: false })
            return (ZoneDownCode, ZoneDownMessage(create.Address.NetworkInterfaceId));
        return null;
    }

    private const string ZoneDownCode = "InternalError";

    private static string ZoneDownMessage(string networkInterfaceId) =>
        $"Network interface {networkInterfaceId}, created and used internally by this NAT gateway is in an invalid state. Please try again.";

    /// <summary>
    /// Whether the gateway forwards traffic now. An available gateway keeps its state while its zone is
    /// down (AWS does not change it) but forwards nothing until the zone returns.
    /// </summary>
    public static bool Forwards(NatGatewayView gateway, RegionStatus region) =>
        gateway.State == NatGatewayStates.Available && region.Zone(gateway.AvailabilityZone) is not { IsUp: false };

    public NatGateway? Evolve(NatGateway? state, INatGatewayEvent @event) =>
        @event switch
        {
            Created e => new NatGateway(e.NatGatewayId, e.Placement.VpcId, e.Placement.SubnetId, e.Placement.AvailabilityZone, e.ConnectivityType,
                NatGatewayStates.Pending, e.Address, e.ClientToken, e.Tags, e.At, TransitionCompletesAt: e.ProvisionedAt),
            Expired => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
            Failed e => state with
            {
                State = NatGatewayStates.Failed, FailureCode = e.FailureCode, FailureMessage = e.FailureMessage, TransitionCompletesAt = null,
                ExpiresAt = e.ExpiresAt, Address = state.Address with { AssociationId = null },
            },
            BecameAvailable => state with { State = NatGatewayStates.Available, TransitionCompletesAt = null },
            DeletionStarted e => state with { State = NatGatewayStates.Deleting, TransitionCompletesAt = e.DeletedAt, ExpiresAt = null },
            Deleted e => state with
            {
                State = NatGatewayStates.Deleted, DeleteTime = e.At, TransitionCompletesAt = null, ExpiresAt = e.ExpiresAt,
                Address = state.Address with { AssociationId = null },
            },
            TagsChanged e => state with { Tags = e.Tags },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown NAT gateway event"),
        };

    public IEnumerable<Deadline<INatGatewayCommand>> Deadlines(NatGateway? state) =>
        state switch
        {
            { State: NatGatewayStates.Pending, TransitionCompletesAt: { } at } => [new(TransitionDeadlineKey, at, new CompleteProvisioning(state.NatGatewayId))],
            { State: NatGatewayStates.Deleting, TransitionCompletesAt: { } at } => [new(TransitionDeadlineKey, at, new CompleteDeletion(state.NatGatewayId))],
            { State: NatGatewayStates.Deleted or NatGatewayStates.Failed, ExpiresAt: { } at } => [new(ExpiryDeadlineKey, at, new Expire(state.NatGatewayId))],
            _ => [],
        };

    private static Result<IReadOnlyList<INatGatewayEvent>> None() => Decisions.None<INatGatewayEvent>();

    private static Result<IReadOnlyList<INatGatewayEvent>> Events(params INatGatewayEvent[] events) => Decisions.Events(events);
}

/// <summary>What DescribeNatGateways returns for one gateway.</summary>
public sealed record NatGatewayView(
    string NatGatewayId,
    string VpcId,
    string SubnetId,
    string AvailabilityZone,
    string State,
    string ConnectivityType,
    NatGatewayAddress Address,
    string? ClientToken,
    DateTimeOffset CreateTime,
    DateTimeOffset? DeleteTime,
    string? FailureCode,
    string? FailureMessage,
    ImmutableDictionary<string, string> Tags)
{
    public static NatGatewayView From(NatGateway gateway) =>
        new(gateway.NatGatewayId, gateway.VpcId, gateway.SubnetId, gateway.AvailabilityZone, gateway.State, gateway.ConnectivityType, gateway.Address,
            gateway.ClientToken, gateway.CreateTime, gateway.DeleteTime, gateway.FailureCode, gateway.FailureMessage, gateway.Tags);
}
