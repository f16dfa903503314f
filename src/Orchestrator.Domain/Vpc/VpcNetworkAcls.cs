using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Vpc.VpcCommands;
using static Orchestrator.Domain.Vpc.VpcEvents;

namespace Orchestrator.Domain.Vpc;

/// <summary>The network ACLs of one VPC: numbered entries per direction and the association of every subnet with exactly one ACL.</summary>
public static class VpcNetworkAcls
{
    public static string DefaultNetworkAclId(string vpcId) => AwsIds.Derived("acl", vpcId + "/default");

    /// <summary>Network ACLs per VPC (AWS's default quota).</summary>
    public const int MaxNetworkAclsPerVpc = 200;

    /// <summary>A custom ACL starts with only the implicit deny, so it blocks everything until entries are added.</summary>
    public static Result<IReadOnlyList<IVpcEvent>> Create(VpcState vpc, CreateNetworkAcl create, DateTimeOffset now)
    {
        if (vpc.FindNetworkAcl(create.NetworkAclId) is not null)
            return Decisions.None<IVpcEvent>();
        if (vpc.NetworkAcls.Count >= MaxNetworkAclsPerVpc)
            return new AwsError("NetworkAclLimitExceeded", $"The maximum number of network ACLs has been reached for {vpc.VpcId}.");
        if (Tags.Validate(create.Tags ?? Tags.None) is { } tagError)
            return tagError;
        return Decisions.Events<IVpcEvent>(new NetworkAclCreated(create.NetworkAclId, IsDefault: false, [], create.Tags ?? Tags.None, now));
    }

    public static Result<IReadOnlyList<IVpcEvent>> Delete(VpcState vpc, DeleteNetworkAcl delete, DateTimeOffset now) =>
        vpc.FindNetworkAcl(delete.NetworkAclId) switch
        {
            null => NetworkAclRules.NetworkAclNotFound(delete.NetworkAclId),
            { IsDefault: true } => AwsError.InvalidParameterValue($"cannot delete default network ACL {delete.NetworkAclId}"),
            { Associations.IsEmpty: false } => new AwsError("DependencyViolation", $"The networkAcl '{delete.NetworkAclId}' has dependencies and cannot be deleted."),
            _ => Decisions.Events<IVpcEvent>(new NetworkAclDeleted(delete.NetworkAclId, now)),
        };

    public static Result<IReadOnlyList<IVpcEvent>> SetEntry(VpcState vpc, string networkAclId, NetworkAclEntryRequest request, bool replacing, DateTimeOffset now)
    {
        if (vpc.FindNetworkAcl(networkAclId) is not { } acl)
            return NetworkAclRules.NetworkAclNotFound(networkAclId);
        var entry = NetworkAclRules.Validate(request);
        if (entry.IsError)
            return entry.Error!;
        var existing = acl.FindEntry(entry.Value.RuleNumber, entry.Value.Egress);
        if (!replacing && existing is not null)
            return existing == entry.Value ? Decisions.None<IVpcEvent>() : NetworkAclRules.EntryAlreadyExists(entry.Value.RuleNumber);
        if (replacing && existing is null)
            return NetworkAclRules.EntryNotFound(entry.Value.RuleNumber);
        // The implicit deny counts against the quota of each direction.
        if (!replacing && acl.Entries.Count(e => e.Egress == entry.Value.Egress) + 1 >= NetworkAclRules.MaxEntriesPerDirection)
            return new AwsError("NetworkAclEntryLimitExceeded", $"The maximum number of entries has been reached for network ACL {acl.NetworkAclId}.");
        return existing == entry.Value
            ? Decisions.None<IVpcEvent>()
            : Decisions.Events<IVpcEvent>(new NetworkAclEntrySet(acl.NetworkAclId, entry.Value, now));
    }

    public static Result<IReadOnlyList<IVpcEvent>> DeleteEntry(VpcState vpc, DeleteNetworkAclEntry delete, DateTimeOffset now)
    {
        if (vpc.FindNetworkAcl(delete.NetworkAclId) is not { } acl)
            return NetworkAclRules.NetworkAclNotFound(delete.NetworkAclId);
        return acl.FindEntry(delete.RuleNumber, delete.Egress) is null
            ? NetworkAclRules.EntryNotFound(delete.RuleNumber)
            : Decisions.Events<IVpcEvent>(new NetworkAclEntryDeleted(acl.NetworkAclId, delete.RuleNumber, delete.Egress, now));
    }

    public static Result<IReadOnlyList<IVpcEvent>> ReplaceAssociation(VpcState vpc, ReplaceNetworkAclAssociation replace, DateTimeOffset now)
    {
        if (vpc.NetworkAclWithAssociation(replace.AssociationId) is not { } from)
            return new AwsError("InvalidAssociationID.NotFound", $"The association ID '{replace.AssociationId}' does not exist");
        if (vpc.FindNetworkAcl(replace.NetworkAclId) is not { } to)
            return NetworkAclRules.NetworkAclNotFound(replace.NetworkAclId);
        var association = from.Associations.Find(a => a.AssociationId == replace.AssociationId)!;
        return Decisions.Events<IVpcEvent>(
            new NetworkAclDisassociated(from.NetworkAclId, association.AssociationId, now),
            new NetworkAclAssociated(to.NetworkAclId, association with { AssociationId = replace.NewAssociationId }, now));
    }

    public static VpcState Evolve(VpcState vpc, IVpcEvent @event) => @event switch
    {
        NetworkAclCreated e => vpc with { NetworkAcls = vpc.NetworkAcls.Add(new NetworkAcl(e.NetworkAclId, e.IsDefault, e.Entries, [], e.Tags)) },
        NetworkAclDeleted e => vpc with { NetworkAcls = vpc.NetworkAcls.RemoveAll(a => a.NetworkAclId == e.NetworkAclId) },
        NetworkAclEntrySet e => WithAcl(vpc, e.NetworkAclId, a => a with
        {
            Entries = a.FindEntry(e.Entry.RuleNumber, e.Entry.Egress) is { } old ? a.Entries.Replace(old, e.Entry) : a.Entries.Add(e.Entry),
        }),
        NetworkAclEntryDeleted e => WithAcl(vpc, e.NetworkAclId, a => a with { Entries = a.Entries.RemoveAll(x => x.RuleNumber == e.RuleNumber && x.Egress == e.Egress) }),
        NetworkAclAssociated e => WithAcl(vpc, e.NetworkAclId, a => a with { Associations = a.Associations.Add(e.Association) }),
        NetworkAclDisassociated e => WithAcl(vpc, e.NetworkAclId, a => a with { Associations = a.Associations.RemoveAll(x => x.AssociationId == e.AssociationId) }),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "not a network ACL event"),
    };

    private static VpcState WithAcl(VpcState vpc, string networkAclId, Func<NetworkAcl, NetworkAcl> change) =>
        vpc.FindNetworkAcl(networkAclId) is { } acl ? vpc with { NetworkAcls = vpc.NetworkAcls.Replace(acl, change(acl)) } : vpc;
}
