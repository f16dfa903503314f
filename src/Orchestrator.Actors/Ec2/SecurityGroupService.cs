using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Region;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>What AuthorizeSecurityGroupIngress/Egress answers: the group and the rules added, with their ids.</summary>
public sealed record AuthorizeOutcome(string GroupId, ImmutableArray<SecurityGroupRule> Added);

/// <summary>What RevokeSecurityGroupIngress/Egress answers: the rules removed and, in the default VPC, the specs that matched none.</summary>
public sealed record RevokeOutcome(string GroupId, ImmutableArray<SecurityGroupRule> Revoked, ImmutableArray<RuleSpec> Unknown);

/// <summary>
/// Security groups as the API and other services see them: it resolves what spans groups (VPC,
/// names unique per VPC, referenced groups in the same VPC, who still uses a group) from the read
/// model, generates ids, and sends the facts to the group's entity.
/// </summary>
public sealed class SecurityGroupService(EntityServices services) : ITaggableResources
{
    private readonly Ec2Service _ec2 = new(services);

    private RegionState Region => services.Region.Current;

    /// <summary>The default VPC of this generation, if the region has one.</summary>
    public string? DefaultVpcId => Region.DefaultVpc is { } plan && plan.Generation == Region.Generation ? plan.VpcId : null;

    public IReadOnlyCollection<string> IdPrefixes { get; } = ["sg", "sgr"];

    /// <summary>CreateSecurityGroup: without a VPC id the group goes to the default VPC.</summary>
    public async Task<Result<SecurityGroup>> CreateSecurityGroup(
        string? groupName, string? description, string? vpcId, ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        if (SecurityGroupBehavior.ValidateNames(groupName, description) is { } nameError)
            return nameError;
        vpcId ??= DefaultVpcId;
        if (vpcId is null)
            return Ec2Errors.NoDefaultVpc();
        if (!AwsIds.IsWellFormed(vpcId, "vpc"))
            return VpcErrors.VpcIdMalformed(vpcId);
        if (await services.Index.Get(Ec2Kinds.Vpc, vpcId, Region.Generation).ConfigureAwait(false) is null)
            return VpcErrors.VpcNotFound(vpcId);
        if ((await List().ConfigureAwait(false)).Any(g => g.VpcId == vpcId && g.GroupName == groupName))
            return SecurityGroupErrors.DuplicateName(groupName!, vpcId);
        var groupId = AwsIds.New("sg");
        return await Send(groupId, new SecurityGroupCommands.Create(groupId, vpcId, groupName!, description!, NewRuleIds(2), tags), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The default group of a VPC, created with the VPC. Its ids derive from the VPC id, so a retry
    /// (or two nodes doing it at once) lands on the same entity, which takes the first Create only.
    /// </summary>
    public Task<Result<SecurityGroup>> CreateDefaultSecurityGroup(string vpcId, CancellationToken cancellationToken = default)
    {
        var groupId = DerivedId("sg", vpcId);
        var create = new SecurityGroupCommands.Create(
            groupId, vpcId, SecurityGroup.DefaultGroupName, SecurityGroup.DefaultGroupDescription,
            [DerivedId("sgr", vpcId + "/ingress"), DerivedId("sgr", vpcId + "/egress")], IsDefault: true);
        return Send(groupId, create, cancellationToken);
    }

    /// <summary>
    /// Removes the default group of a VPC that is being deleted (AWS deletes it with the VPC); a
    /// group already gone is fine, so the VPC deletion can be retried.
    /// </summary>
    public async Task<Result<bool>> DeleteDefaultSecurityGroup(string vpcId, CancellationToken cancellationToken = default)
    {
        var groupId = DerivedId("sg", vpcId);
        if (await services.Index.Get(SecurityGroupKinds.SecurityGroup, groupId, Region.Generation).ConfigureAwait(false) is null)
            return true;
        return await _ec2.Delete(SecurityGroupKinds.SecurityGroup, groupId, new SecurityGroupCommands.Delete(groupId, [], WithVpc: true), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A group named by id, or by name in the default VPC (the only place AWS resolves GroupName parameters).</summary>
    public async Task<Result<SecurityGroupView>> Find(string? groupId, string? groupName)
    {
        if (groupId is null && groupName is null)
            return SecurityGroupErrors.MissingParameter("groupName or groupId");
        if (groupId is not null)
        {
            var id = SecurityGroupIds.Group(groupId);
            if (id.IsError)
                return id.Error!;
            return await services.Index.Get(SecurityGroupKinds.SecurityGroup, groupId, Region.Generation).ConfigureAwait(false) is SecurityGroupView view
                ? view
                : SecurityGroupErrors.GroupNotFound(groupId);
        }
        var defaultVpc = DefaultVpcId;
        return (await List().ConfigureAwait(false)).FirstOrDefault(g => g.VpcId == defaultVpc && g.GroupName == groupName) is { } named
            ? named
            : SecurityGroupErrors.GroupNameNotFound(groupName!, defaultVpc);
    }

    /// <summary>Every group of this generation, in no promised order.</summary>
    public async Task<IReadOnlyList<SecurityGroupView>> List() =>
        [.. (await services.Index.List(SecurityGroupKinds.SecurityGroup, Region.Generation).ConfigureAwait(false)).Cast<SecurityGroupView>()];

    /// <summary>AuthorizeSecurityGroupIngress/Egress: every requested rule is added, or none.</summary>
    public async Task<Result<AuthorizeOutcome>> Authorize(
        string? groupId, string? groupName, bool egress, IReadOnlyList<PermissionRequest> permissions,
        ImmutableDictionary<string, string>? ruleTags, CancellationToken cancellationToken = default)
    {
        var group = await Find(groupId, groupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var specs = await Specs(group.Value, permissions, checkReferences: true).ConfigureAwait(false);
        if (specs.IsError)
            return specs.Error!;
        var ruleIds = NewRuleIds(specs.Value.Length);
        var changed = await Send(group.Value.GroupId, new SecurityGroupCommands.Authorize(group.Value.GroupId, egress, specs.Value, ruleIds, ruleTags), cancellationToken).ConfigureAwait(false);
        return changed.Map(after => new AuthorizeOutcome(after.GroupId, [.. after.Rules.Where(r => ruleIds.Contains(r.SecurityGroupRuleId))]));
    }

    /// <summary>RevokeSecurityGroupIngress/Egress by IpPermissions and/or rule ids.</summary>
    public async Task<Result<RevokeOutcome>> Revoke(
        string? groupId, string? groupName, bool egress, IReadOnlyList<PermissionRequest> permissions,
        IReadOnlyList<string> ruleIds, CancellationToken cancellationToken = default)
    {
        var group = await Find(groupId, groupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        if (permissions.Count == 0 && ruleIds.Count == 0)
            return SecurityGroupErrors.MissingParameter("ipPermissions");
        foreach (var ruleId in ruleIds)
            if (SecurityGroupIds.Rule(ruleId).Error is { } malformed)
                return malformed;
        var specs = await Specs(group.Value, permissions, checkReferences: false).ConfigureAwait(false);
        if (specs.IsError)
            return specs.Error!;
        var before = group.Value;
        var inDefaultVpc = before.VpcId == DefaultVpcId;
        var changed = await Send(before.GroupId, new SecurityGroupCommands.Revoke(before.GroupId, egress, specs.Value, [.. ruleIds], inDefaultVpc), cancellationToken).ConfigureAwait(false);
        if (changed.IsError)
            return changed.Error!;
        var remaining = changed.Value.Rules.Select(r => r.SecurityGroupRuleId).ToHashSet(StringComparer.Ordinal);
        var revoked = before.Rules.Where(r => r.IsEgress == egress && !remaining.Contains(r.SecurityGroupRuleId)).ToImmutableArray();
        var unknown = specs.Value.Where(spec => !before.Rules.Any(r => r.IsEgress == egress && r.Spec.SameRuleAs(spec))).ToImmutableArray();
        return new RevokeOutcome(before.GroupId, revoked, unknown);
    }

    /// <summary>ModifySecurityGroupRules: each rule keeps its id and direction and takes the new contents.</summary>
    public async Task<Result<SecurityGroup>> ModifyRules(string? groupId, IReadOnlyList<(string RuleId, PermissionRequest Rule)> updates, CancellationToken cancellationToken = default)
    {
        var group = await Find(groupId, null).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var replacements = ImmutableArray.CreateBuilder<RuleReplacement>();
        foreach (var (ruleId, rule) in updates)
        {
            if (SecurityGroupIds.Rule(ruleId).Error is { } malformed)
                return malformed;
            var spec = await Specs(group.Value, [rule], checkReferences: true).ConfigureAwait(false);
            if (spec.IsError)
                return spec.Error!;
            replacements.Add(new RuleReplacement(ruleId, spec.Value.Single()));
        }
        return await Send(group.Value.GroupId, new SecurityGroupCommands.ModifyRules(group.Value.GroupId, replacements.ToImmutable()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>UpdateSecurityGroupRuleDescriptionsIngress/Egress: rules named by their contents or by id.</summary>
    public async Task<Result<SecurityGroup>> UpdateDescriptions(
        string? groupId, string? groupName, bool egress, IReadOnlyList<PermissionRequest> permissions,
        IReadOnlyList<RuleDescriptionUpdate> byId, CancellationToken cancellationToken = default)
    {
        var group = await Find(groupId, groupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        if (permissions.Count == 0 && byId.Count == 0)
            return SecurityGroupErrors.MissingParameter("ipPermissions");
        var specs = await Specs(group.Value, permissions, checkReferences: false).ConfigureAwait(false);
        if (specs.IsError)
            return specs.Error!;
        return await Send(group.Value.GroupId, new SecurityGroupCommands.UpdateDescriptions(group.Value.GroupId, egress, specs.Value, [.. byId]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DeleteSecurityGroup: refused while another group's rule or a live instance uses it.</summary>
    public async Task<Result<string>> Delete(string? groupId, string? groupName, CancellationToken cancellationToken = default)
    {
        var group = await Find(groupId, groupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var id = group.Value.GroupId;
        var referencing = (await List().ConfigureAwait(false))
            .Where(g => g.GroupId != id && g.Rules.Any(r => r.Spec.ReferencedGroupId == id))
            .Select(g => g.GroupId);
        var instances = (await _ec2.List<InstanceView>(Ec2Kinds.Instance).ConfigureAwait(false))
            .Where(i => i.State.Name != "terminated" && i.SecurityGroupIds.Contains(id))
            .Select(i => i.InstanceId);
        var deleted = await _ec2.Delete(SecurityGroupKinds.SecurityGroup, id, new SecurityGroupCommands.Delete(id, [.. referencing, .. instances]), cancellationToken).ConfigureAwait(false);
        return deleted.Map(_ => id);
    }

    public async Task<Result<TaggedResource>> AddTags(string resourceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken) =>
        await ChangeTags(resourceId, groupId => new SecurityGroupCommands.AddTags(groupId, resourceId, tags), cancellationToken).ConfigureAwait(false);

    public async Task<Result<TaggedResource>> RemoveTags(string resourceId, ImmutableArray<TagRemoval> tags, CancellationToken cancellationToken) =>
        await ChangeTags(resourceId, groupId => new SecurityGroupCommands.RemoveTags(groupId, resourceId, tags), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<TaggedResource>> List(CancellationToken cancellationToken) =>
        [.. (await List().ConfigureAwait(false)).SelectMany(g => (IEnumerable<TaggedResource>)
        [
            new TaggedResource(g.GroupId, "security-group", g.Tags),
            .. g.Rules.Select(r => new TaggedResource(r.SecurityGroupRuleId, "security-group-rule", r.Tags)),
        ])];

    private async Task<Result<TaggedResource>> ChangeTags(string resourceId, Func<string, ISecurityGroupCommand> command, CancellationToken cancellationToken)
    {
        string groupId;
        if (resourceId.StartsWith("sgr-", StringComparison.Ordinal))
        {
            if (SecurityGroupIds.Rule(resourceId).Error is { } malformed)
                return malformed;
            var owner = (await List().ConfigureAwait(false)).FirstOrDefault(g => g.Rules.Any(r => r.SecurityGroupRuleId == resourceId));
            if (owner is null)
                return SecurityGroupErrors.RuleNotFound(resourceId);
            groupId = owner.GroupId;
        }
        else
        {
            var found = await Find(resourceId, null).ConfigureAwait(false);
            if (found.IsError)
                return found.Error!;
            groupId = found.Value.GroupId;
        }
        var changed = await Send(groupId, command(groupId), cancellationToken).ConfigureAwait(false);
        return changed.Map(group => group.GroupId == resourceId
            ? new TaggedResource(resourceId, "security-group", group.Tags)
            : new TaggedResource(resourceId, "security-group-rule", group.FindRule(resourceId)!.Tags));
    }

    /// <summary>
    /// Normalised specs of the requested permissions. Peers named by group name are looked up in the
    /// group's own VPC; referenced groups must exist, in the same VPC, when rules are added.
    /// </summary>
    private async Task<Result<ImmutableArray<RuleSpec>>> Specs(
        SecurityGroupView group, IReadOnlyList<PermissionRequest> permissions, bool checkReferences)
    {
        var all = permissions.Count > 0 ? await List().ConfigureAwait(false) : [];
        var resolved = new List<PermissionRequest>();
        foreach (var permission in permissions)
        {
            var peers = ImmutableArray.CreateBuilder<PermissionPeer>();
            foreach (var peer in permission.Peers.IsDefault ? [] : permission.Peers)
            {
                if (peer is { GroupId: null, GroupName: { } name })
                {
                    if (all.FirstOrDefault(g => g.VpcId == group.VpcId && g.GroupName == name) is not { } named)
                        return SecurityGroupErrors.GroupNameNotFound(name, null);
                    peers.Add(peer with { GroupId = named.GroupId });
                }
                else
                    peers.Add(peer);
            }
            resolved.Add(permission with { Peers = peers.ToImmutable() });
        }
        var specs = SecurityGroupPermissions.Expand(resolved);
        if (specs.IsError || !checkReferences)
            return specs;
        foreach (var referenced in specs.Value.Select(s => s.ReferencedGroupId).OfType<string>().Distinct())
        {
            if (all.FirstOrDefault(g => g.GroupId == referenced) is not { } peer)
                return SecurityGroupErrors.GroupNotFound(referenced);
            if (peer.VpcId != group.VpcId)
                return SecurityGroupErrors.OtherNetwork();
        }
        return specs;
    }

    private Task<Result<SecurityGroup>> Send(string groupId, ISecurityGroupCommand command, CancellationToken cancellationToken) =>
        _ec2.Send<SecurityGroup>(SecurityGroupKinds.SecurityGroup, groupId, command, cancellationToken);

    private static ImmutableArray<string> NewRuleIds(int count) => [.. Enumerable.Range(0, count).Select(_ => AwsIds.New("sgr"))];

    /// <summary>An AWS-shaped id that is always the same for the same seed.</summary>
    private static string DerivedId(string prefix, string seed) =>
        $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..AwsIds.HexLength]}";
}
