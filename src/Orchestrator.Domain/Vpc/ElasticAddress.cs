using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Vpc.ElasticAddressCommands;
using static Orchestrator.Domain.Vpc.ElasticAddressEvents;

namespace Orchestrator.Domain.Vpc;

/// <summary>Where an Elastic IP points: an instance (at its primary private address) or a network interface, such as a NAT gateway's.</summary>
public sealed record AddressAssociation(string AssociationId, string? InstanceId, string? NetworkInterfaceId, string? PrivateIpAddress);

/// <summary>An Elastic IP (domain vpc): a public address held by the account until released.</summary>
public sealed record ElasticAddress(
    string AllocationId,
    string PublicIp,
    string Domain,
    string NetworkBorderGroup,
    AddressAssociation? Association,
    ImmutableDictionary<string, string> Tags,
    DateTimeOffset AllocatedAt)
{
    public const string VpcDomain = "vpc";

    /// <summary>AWS's default quota of Elastic IPs per region (VPC user guide, "Amazon VPC quotas").</summary>
    public const int RegionLimit = 5;

    /// <summary>States in which an instance can take an Elastic IP; it keeps it through stop and start.</summary>
    public static bool CanAssociateWith(string instanceState) => instanceState is "running" or "stopped";
}

/// <summary>The target of AssociateAddress as resolved by the caller: the instance's state comes from the read model.</summary>
public sealed record AssociationTarget(string? InstanceId, string? InstanceState, string? NetworkInterfaceId, string? PrivateIpAddress);

public interface IElasticAddressCommand
{
    string EntityId { get; }
}

public interface IElasticAddressEvent
{
    DateTimeOffset At { get; }
}

public static class ElasticAddressCommands
{
    /// <summary>The public address is picked by the caller from the pool, unique among live allocations.</summary>
    public sealed record Allocate(string AllocationId, string PublicIp, string NetworkBorderGroup, ImmutableDictionary<string, string>? Tags = null) : IElasticAddressCommand
    {
        public string EntityId => AllocationId;
    }

    public sealed record Associate(string AllocationId, string AssociationId, AssociationTarget Target, bool AllowReassociation = false) : IElasticAddressCommand
    {
        public string EntityId => AllocationId;
    }

    /// <summary>Without an association id, whatever association the address has goes (a NAT gateway's cleanup).</summary>
    public sealed record Disassociate(string AllocationId, string? AssociationId = null) : IElasticAddressCommand
    {
        public string EntityId => AllocationId;
    }

    public sealed record Release(string AllocationId) : IElasticAddressCommand
    {
        public string EntityId => AllocationId;
    }

    public sealed record AddTags(string AllocationId, ImmutableDictionary<string, string> Tags) : IElasticAddressCommand
    {
        public string EntityId => AllocationId;
    }

    public sealed record RemoveTags(string AllocationId, ImmutableArray<TagRemoval> Tags) : IElasticAddressCommand
    {
        public string EntityId => AllocationId;
    }
}

public static class ElasticAddressEvents
{
    public sealed record Allocated(string AllocationId, string PublicIp, string NetworkBorderGroup, ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IElasticAddressEvent;

    public sealed record Associated(AddressAssociation Association, DateTimeOffset At) : IElasticAddressEvent;

    public sealed record Disassociated(string AssociationId, DateTimeOffset At) : IElasticAddressEvent;

    public sealed record Released(string AllocationId, DateTimeOffset At) : IElasticAddressEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IElasticAddressEvent;
}

public sealed class ElasticAddressBehavior : IEntityBehavior<ElasticAddress, IElasticAddressCommand, IElasticAddressEvent>
{
    public Result<IReadOnlyList<IElasticAddressEvent>> Decide(ElasticAddress? state, IElasticAddressCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Allocate allocate) => Tags.Validate(allocate.Tags ?? Tags.None) is { } tagError
                ? tagError
                : Events(new Allocated(allocate.AllocationId, allocate.PublicIp, allocate.NetworkBorderGroup, allocate.Tags ?? Tags.None, now)),
            (not null, Allocate) => None(),
            (null, _) => GatewayErrors.AllocationNotFound(command.EntityId),
            ({ } address, Associate associate) => Associate(address, associate, now),
            ({ Association: { } current }, Disassociate disassociate) when disassociate.AssociationId is null || disassociate.AssociationId == current.AssociationId =>
                Events(new Disassociated(current.AssociationId, now)),
            (_, Disassociate { AssociationId: null }) => None(),
            (_, Disassociate disassociate) => GatewayErrors.AssociationNotFound(disassociate.AssociationId!),
            ({ Association: not null } address, Release) => GatewayErrors.AddressInUse(address.AllocationId),
            ({ } address, Release) => Events(new Released(address.AllocationId, now)),
            ({ } address, AddTags add) => Tags.Add(address.Tags, add.Tags).Map<IReadOnlyList<IElasticAddressEvent>>(tags => [new TagsChanged(tags, now)]),
            ({ } address, RemoveTags remove) => Events(new TagsChanged(Tags.Remove(address.Tags, remove.Tags), now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown address command"),
        };
    }

    private static Result<IReadOnlyList<IElasticAddressEvent>> Associate(ElasticAddress address, Associate associate, DateTimeOffset now)
    {
        var target = associate.Target;
        if (target.InstanceId is { } instanceId && !ElasticAddress.CanAssociateWith(target.InstanceState ?? ""))
            return GatewayErrors.InstanceNotAssociable(instanceId, target.InstanceState ?? "unknown");
        var association = new AddressAssociation(associate.AssociationId, target.InstanceId, target.NetworkInterfaceId, target.PrivateIpAddress);
        return address.Association switch
        {
            null => Events(new Associated(association, now)),
            // The same request again (a retry) changes nothing.
            { } current when current.AssociationId == association.AssociationId => None(),
            { } current when current with { AssociationId = association.AssociationId } == association => None(),
            { } current when !associate.AllowReassociation => GatewayErrors.AddressAlreadyAssociated(address.AllocationId, current.AssociationId),
            { } current => Events(new Disassociated(current.AssociationId, now), new Associated(association, now)),
        };
    }

    public ElasticAddress? Evolve(ElasticAddress? state, IElasticAddressEvent @event) =>
        @event switch
        {
            Allocated e => new ElasticAddress(e.AllocationId, e.PublicIp, ElasticAddress.VpcDomain, e.NetworkBorderGroup, null, e.Tags, e.At),
            Released => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Allocated"),
            Associated e => state with { Association = e.Association },
            Disassociated => state with { Association = null },
            TagsChanged e => state with { Tags = e.Tags },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown address event"),
        };

    /// <summary>Addresses change only when asked.</summary>
    public IEnumerable<Deadline<IElasticAddressCommand>> Deadlines(ElasticAddress? state) => [];

    private static Result<IReadOnlyList<IElasticAddressEvent>> None() => Decisions.None<IElasticAddressEvent>();

    private static Result<IReadOnlyList<IElasticAddressEvent>> Events(params IElasticAddressEvent[] events) => Decisions.Events(events);
}

/// <summary>What DescribeAddresses returns for one Elastic IP.</summary>
public sealed record ElasticAddressView(
    string AllocationId,
    string PublicIp,
    string Domain,
    string NetworkBorderGroup,
    string? AssociationId,
    string? InstanceId,
    string? NetworkInterfaceId,
    string? PrivateIpAddress,
    ImmutableDictionary<string, string> Tags)
{
    public static ElasticAddressView From(ElasticAddress address) =>
        new(address.AllocationId, address.PublicIp, address.Domain, address.NetworkBorderGroup, address.Association?.AssociationId,
            address.Association?.InstanceId, address.Association?.NetworkInterfaceId, address.Association?.PrivateIpAddress, address.Tags);
}
