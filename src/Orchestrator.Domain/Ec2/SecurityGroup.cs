using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>
/// What one rule allows: a protocol, a port range and exactly one peer, normalised as AWS stores
/// it (protocol names, -1 ports where ports do not apply, canonical CIDRs). Two specs are the same
/// rule when everything but the description matches.
/// </summary>
public sealed record RuleSpec(
    string IpProtocol,
    int FromPort,
    int ToPort,
    string? CidrIpv4 = null,
    string? CidrIpv6 = null,
    string? PrefixListId = null,
    string? ReferencedGroupId = null,
    string? Description = null)
{
    public const string AllProtocols = "-1";

    public bool SameRuleAs(RuleSpec other) => this with { Description = null } == other with { Description = null };

    public string Peer => CidrIpv4 ?? CidrIpv6 ?? PrefixListId ?? ReferencedGroupId ?? "";

    /// <summary>How AWS names a rule in its Duplicate error: peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW.</summary>
    public override string ToString() => IpProtocol switch
    {
        AllProtocols => $"peer: {Peer}, ALL, ALLOW",
        "tcp" or "udp" or "icmp" or "icmpv6" => $"peer: {Peer}, {IpProtocol.ToUpperInvariant()}, from port: {FromPort}, to port: {ToPort}, ALLOW",
        _ => $"peer: {Peer}, {IpProtocol}, ALLOW",
    };
}

public sealed record SecurityGroupRule(string SecurityGroupRuleId, bool IsEgress, RuleSpec Spec, ImmutableDictionary<string, string> Tags);

/// <summary>
/// A security group of one VPC and its rules in the order they were added. The default group of a
/// VPC is the one named "default"; nobody else may take that name.
/// </summary>
public sealed record SecurityGroup(
    string GroupId,
    string VpcId,
    string GroupName,
    string Description,
    ImmutableDictionary<string, string> Tags,
    ImmutableList<SecurityGroupRule> Rules,
    DateTimeOffset CreatedAt)
{
    public const string DefaultGroupName = "default";
    public const string DefaultGroupDescription = "default VPC security group";
    public const int MaxNameLength = 255;

    /// <summary>Per direction (VPC quotas page), adjustable in AWS but fixed here.</summary>
    public const int MaxRulesPerDirection = 60;

    public bool IsDefault => GroupName == DefaultGroupName;

    public IEnumerable<SecurityGroupRule> RulesOf(bool egress) => Rules.Where(r => r.IsEgress == egress);

    public SecurityGroupRule? FindRule(string ruleId) => Rules.Find(r => r.SecurityGroupRuleId == ruleId);

    /// <summary>The rules a group starts with: all outbound traffic, and for the default group all inbound traffic from itself.</summary>
    public static ImmutableArray<(bool IsEgress, RuleSpec Spec)> InitialRules(string groupId, bool isDefault) =>
        isDefault
            ? [(false, new RuleSpec(RuleSpec.AllProtocols, -1, -1, ReferencedGroupId: groupId)), (true, AllOutbound)]
            : [(true, AllOutbound)];

    private static readonly RuleSpec AllOutbound = new(RuleSpec.AllProtocols, -1, -1, CidrIpv4: "0.0.0.0/0");
}

/// <summary>What DescribeSecurityGroups and DescribeSecurityGroupRules read from the read model.</summary>
public sealed record SecurityGroupView(
    string GroupId,
    string VpcId,
    string GroupName,
    string Description,
    ImmutableDictionary<string, string> Tags,
    ImmutableArray<SecurityGroupRule> Rules)
{
    public static SecurityGroupView From(SecurityGroup group) =>
        new(group.GroupId, group.VpcId, group.GroupName, group.Description, group.Tags, [.. group.Rules]);
}

/// <summary>A ModifySecurityGroupRules entry: the rule keeps its id and takes the new spec.</summary>
public sealed record RuleReplacement(string SecurityGroupRuleId, RuleSpec Spec);

/// <summary>An UpdateSecurityGroupRuleDescriptions entry by rule id.</summary>
public sealed record RuleDescriptionUpdate(string SecurityGroupRuleId, string? Description);
