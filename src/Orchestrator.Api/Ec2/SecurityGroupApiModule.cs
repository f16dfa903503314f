using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Api.Ec2.Ec2Values;
using AwsError = Orchestrator.Api.Handlers.AwsError;

namespace Orchestrator.Api.Ec2;

/// <summary>
/// EC2 security groups and their rules. Rules are stored one per peer; DescribeSecurityGroups
/// groups them back into IpPermissions by protocol and port range, as EC2 does.
/// </summary>
public sealed class SecurityGroupApiModule(SecurityGroupService groups) : IAwsServiceModule
{
    private static readonly string[] PermissionFilters = ["cidr", "from-port", "group-id", "group-name", "ipv6-cidr", "prefix-list-id", "protocol", "to-port", "user-id"];

    private static readonly FrozenSet<string> GroupFilters = FrozenSet.Create(
        [
            "description", "group-id", "group-name", "owner-id", "tag-key", "vpc-id",
            .. PermissionFilters.Select(f => "ip-permission." + f),
            .. PermissionFilters.Select(f => "egress.ip-permission." + f),
        ]);

    private static readonly FrozenSet<string> RuleFilters = FrozenSet.Create("group-id", "security-group-rule-id", "tag-key");

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "CreateSecurityGroup", Create);
        registry.Register("ec2", "DeleteSecurityGroup", Delete);
        registry.Register("ec2", "DescribeSecurityGroups", (request, _) => Describe(request));
        registry.Register("ec2", "DescribeSecurityGroupRules", (request, _) => DescribeRules(request));
        registry.Register("ec2", "AuthorizeSecurityGroupIngress", (request, cancellationToken) => Authorize(request, egress: false, cancellationToken));
        registry.Register("ec2", "AuthorizeSecurityGroupEgress", (request, cancellationToken) => Authorize(request, egress: true, cancellationToken));
        registry.Register("ec2", "RevokeSecurityGroupIngress", (request, cancellationToken) => Revoke(request, egress: false, cancellationToken));
        registry.Register("ec2", "RevokeSecurityGroupEgress", (request, cancellationToken) => Revoke(request, egress: true, cancellationToken));
        registry.Register("ec2", "ModifySecurityGroupRules", Modify);
        registry.Register("ec2", "UpdateSecurityGroupRuleDescriptionsIngress", (request, cancellationToken) => UpdateDescriptions(request, egress: false, cancellationToken));
        registry.Register("ec2", "UpdateSecurityGroupRuleDescriptionsEgress", (request, cancellationToken) => UpdateDescriptions(request, egress: true, cancellationToken));
    }

    private async ValueTask<AwsResult> Create(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var tags = TagSpecifications(input, "security-group");
        var created = await groups.CreateSecurityGroup(String(input, "GroupName"), String(input, "Description"), String(input, "VpcId"),
            tags.Count == 0 ? null : tags, cancellationToken).ConfigureAwait(false);
        if (created.IsError)
            return ToApi(created.Error!);
        return new JsonObject
        {
            ["GroupId"] = created.Value.GroupId,
            ["Tags"] = Tags(created.Value.Tags),
            ["SecurityGroupArn"] = GroupArn(request.Context, created.Value.GroupId),
        };
    }

    private async ValueTask<AwsResult> Delete(AwsRequest request, CancellationToken cancellationToken)
    {
        var deleted = await groups.Delete(String(request.Input, "GroupId"), String(request.Input, "GroupName"), cancellationToken).ConfigureAwait(false);
        return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject { ["Return"] = true, ["GroupId"] = deleted.Value };
    }

    private async ValueTask<AwsResult> Authorize(AwsRequest request, bool egress, CancellationToken cancellationToken)
    {
        var permissions = Permissions(request.Input);
        if (permissions.IsError)
            return ToApi(permissions.Error!);
        var tags = TagSpecifications(request.Input, "security-group-rule");
        var added = await groups.Authorize(String(request.Input, "GroupId"), String(request.Input, "GroupName"), egress, permissions.Value,
            tags.Count == 0 ? null : tags, cancellationToken).ConfigureAwait(false);
        if (added.IsError)
            return ToApi(added.Error!);
        return new JsonObject
        {
            ["Return"] = true,
            ["SecurityGroupRules"] = new JsonArray([.. added.Value.Added.Select(r => (JsonNode)RuleJson(request.Context, added.Value.GroupId, r))]),
        };
    }

    private async ValueTask<AwsResult> Revoke(AwsRequest request, bool egress, CancellationToken cancellationToken)
    {
        var permissions = Permissions(request.Input);
        if (permissions.IsError)
            return ToApi(permissions.Error!);
        var outcome = await groups.Revoke(String(request.Input, "GroupId"), String(request.Input, "GroupName"), egress, permissions.Value,
            Strings(request.Input, "SecurityGroupRuleIds"), cancellationToken).ConfigureAwait(false);
        if (outcome.IsError)
            return ToApi(outcome.Error!);
        var output = new JsonObject
        {
            ["Return"] = true,
            ["RevokedSecurityGroupRules"] = new JsonArray([.. outcome.Value.Revoked.Select(r => (JsonNode)RevokedJson(outcome.Value.GroupId, r))]),
        };
        if (!outcome.Value.Unknown.IsEmpty)
            output["UnknownIpPermissions"] = IpPermissionsJson(request.Context.AccountId, outcome.Value.Unknown);
        return output;
    }

    private async ValueTask<AwsResult> Modify(AwsRequest request, CancellationToken cancellationToken)
    {
        var updates = new List<(string, PermissionRequest)>();
        foreach (var update in (request.Input["SecurityGroupRules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (update["SecurityGroupRule"] is not JsonObject rule)
                return ToApi(SecurityGroupErrors.MissingParameter("SecurityGroupRule"));
            var peer = new PermissionPeer(String(rule, "CidrIpv4"), String(rule, "CidrIpv6"), String(rule, "PrefixListId"), String(rule, "ReferencedGroupId"), String(rule, "Description"));
            updates.Add((String(update, "SecurityGroupRuleId") ?? "", new PermissionRequest(String(rule, "IpProtocol"), Int(rule, "FromPort"), Int(rule, "ToPort"), [peer])));
        }
        var modified = await groups.ModifyRules(String(request.Input, "GroupId"), updates, cancellationToken).ConfigureAwait(false);
        return modified.IsError ? ToApi(modified.Error!) : new JsonObject { ["Return"] = true };
    }

    private async ValueTask<AwsResult> UpdateDescriptions(AwsRequest request, bool egress, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var permissions = Permissions(input);
        if (permissions.IsError)
            return ToApi(permissions.Error!);
        var byId = (input["SecurityGroupRuleDescriptions"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(d => new RuleDescriptionUpdate(String(d, "SecurityGroupRuleId") ?? "", String(d, "Description"))).ToList();
        var updated = await groups.UpdateDescriptions(String(input, "GroupId"), String(input, "GroupName"), egress, permissions.Value, byId, cancellationToken).ConfigureAwait(false);
        return updated.IsError ? ToApi(updated.Error!) : new JsonObject { ["Return"] = true };
    }

    private async ValueTask<AwsResult> Describe(AwsRequest request)
    {
        var input = request.Input;
        var filters = Filters.Parse(input, GroupFilters);
        var ids = Strings(input, "GroupIds");
        var names = Strings(input, "GroupNames");
        if (ids.Count > 0 && input["MaxResults"] is not null)
            return new AwsError("InvalidParameterCombination", "The parameter groupIdSet cannot be used with the parameter maxResults");
        var chosen = new List<SecurityGroupView>();
        foreach (var id in ids)
        {
            var found = await groups.Find(id, null).ConfigureAwait(false);
            if (found.IsError)
                return ToApi(found.Error!);
            chosen.Add(found.Value);
        }
        foreach (var name in names)
        {
            var found = await groups.Find(null, name).ConfigureAwait(false);
            if (found.IsError)
                return ToApi(found.Error!);
            chosen.Add(found.Value);
        }
        var all = await groups.List().ConfigureAwait(false);
        var namesById = all.ToDictionary(g => g.GroupId, g => g.GroupName, StringComparer.Ordinal);
        var account = request.Context.AccountId;
        var matching = (ids.Count + names.Count > 0 ? chosen.DistinctBy(g => g.GroupId) : all)
            .Where(g => filters.Matches(name => GroupFilter(g, name, account, namesById)))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .ToList();
        var page = Page.Of(matching, input);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["SecurityGroups"] = new JsonArray([.. page.Items.Select(g => (JsonNode)GroupJson(request.Context, g))]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private async ValueTask<AwsResult> DescribeRules(AwsRequest request)
    {
        var input = request.Input;
        var filters = Filters.Parse(input, RuleFilters);
        var ids = Strings(input, "SecurityGroupRuleIds");
        foreach (var id in ids)
            if (SecurityGroupIds.Rule(id).Error is { } malformed)
                return ToApi(malformed);
        var rules = (await groups.List().ConfigureAwait(false))
            .SelectMany(g => g.Rules.Select(rule => (g.GroupId, Rule: rule)))
            .ToList();
        if (ids.FirstOrDefault(id => rules.All(r => r.Rule.SecurityGroupRuleId != id)) is { } missing)
            return ToApi(SecurityGroupErrors.RuleNotFound(missing));
        var matching = rules
            .Where(r => ids.Count == 0 || ids.Contains(r.Rule.SecurityGroupRuleId))
            .Where(r => filters.Matches(name => name switch
            {
                "group-id" => [r.GroupId],
                "security-group-rule-id" => [r.Rule.SecurityGroupRuleId],
                _ => TagFilter(r.Rule.Tags, name),
            }))
            .OrderBy(r => r.GroupId, StringComparer.Ordinal)
            .ToList();
        var page = Page.Of(matching, input);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["SecurityGroupRules"] = new JsonArray([.. page.Items.Select(r => (JsonNode)RuleJson(request.Context, r.GroupId, r.Rule))]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private static IReadOnlyList<string>? GroupFilter(SecurityGroupView g, string name, string account, Dictionary<string, string> namesById)
    {
        switch (name)
        {
            case "description": return [g.Description];
            case "group-id": return [g.GroupId];
            case "group-name": return [g.GroupName];
            case "owner-id": return [account];
            case "vpc-id": return [g.VpcId];
        }
        var egress = name.StartsWith("egress.", StringComparison.Ordinal);
        var prefix = egress ? "egress.ip-permission." : "ip-permission.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
            return TagFilter(g.Tags, name);
        var specs = g.Rules.Where(r => r.IsEgress == egress).Select(r => r.Spec).ToList();
        static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        return name[prefix.Length..] switch
        {
            "cidr" => [.. specs.Select(s => s.CidrIpv4).OfType<string>()],
            "ipv6-cidr" => [.. specs.Select(s => s.CidrIpv6).OfType<string>()],
            "prefix-list-id" => [.. specs.Select(s => s.PrefixListId).OfType<string>()],
            "group-id" => [.. specs.Select(s => s.ReferencedGroupId).OfType<string>()],
            "group-name" => [.. specs.Select(s => s.ReferencedGroupId).OfType<string>().Select(id => namesById.GetValueOrDefault(id)).OfType<string>()],
            "user-id" => specs.Any(s => s.ReferencedGroupId is not null) ? [account] : [],
            "protocol" => [.. specs.Select(s => s.IpProtocol)],
            "from-port" => [.. specs.Select(s => Number(s.FromPort))],
            "to-port" => [.. specs.Select(s => Number(s.ToPort))],
            _ => null,
        };
    }

    private static IReadOnlyList<string>? TagFilter(ImmutableDictionary<string, string> tags, string name) => name switch
    {
        "tag-key" => [.. tags.Keys],
        _ when name.StartsWith("tag:", StringComparison.Ordinal) => tags.TryGetValue(name[4..], out var value) ? [value] : [],
        _ => null,
    };

    /// <summary>
    /// IpPermissions, or the flat parameters older clients send (CidrIp, IpProtocol, FromPort, ToPort,
    /// SourceSecurityGroupName); a source group without a protocol means TCP, UDP and ICMP on every port.
    /// </summary>
    private static Result<ImmutableArray<PermissionRequest>> Permissions(JsonObject input)
    {
        var listed = (input["IpPermissions"] as JsonArray ?? []).OfType<JsonObject>().Select(Permission).ToImmutableArray();
        var protocol = String(input, "IpProtocol");
        var cidr = String(input, "CidrIp");
        var sourceGroup = String(input, "SourceSecurityGroupName");
        if (protocol is null && cidr is null && sourceGroup is null && input["FromPort"] is null && input["ToPort"] is null)
            return listed;
        if (!listed.IsEmpty)
            return Domain.Common.AwsError.InvalidParameterCombination("The parameter 'ipPermissions' cannot be used with the flat parameters ipProtocol, fromPort, toPort, cidrIp or sourceSecurityGroupName");
        ImmutableArray<PermissionPeer> peers = [.. new[] { cidr is null ? null : new PermissionPeer(CidrIpv4: cidr), sourceGroup is null ? null : new PermissionPeer(GroupName: sourceGroup) }.OfType<PermissionPeer>()];
        if (protocol is null && sourceGroup is not null)
            return ImmutableArray.Create(
                new PermissionRequest("tcp", 0, 65535, peers),
                new PermissionRequest("udp", 0, 65535, peers),
                new PermissionRequest("icmp", -1, -1, peers));
        return ImmutableArray.Create(new PermissionRequest(protocol, Int(input, "FromPort"), Int(input, "ToPort"), peers));
    }

    private static PermissionRequest Permission(JsonObject p)
    {
        IEnumerable<JsonObject> Items(string name) => (p[name] as JsonArray ?? []).OfType<JsonObject>();
        ImmutableArray<PermissionPeer> peers =
        [
            .. Items("IpRanges").Select(r => new PermissionPeer(CidrIpv4: String(r, "CidrIp") ?? "", Description: String(r, "Description"))),
            .. Items("Ipv6Ranges").Select(r => new PermissionPeer(CidrIpv6: String(r, "CidrIpv6") ?? "", Description: String(r, "Description"))),
            .. Items("PrefixListIds").Select(r => new PermissionPeer(PrefixListId: String(r, "PrefixListId") ?? "", Description: String(r, "Description"))),
            .. Items("UserIdGroupPairs").Select(r => new PermissionPeer(GroupId: String(r, "GroupId"), GroupName: String(r, "GroupName"), Description: String(r, "Description"))),
        ];
        return new PermissionRequest(String(p, "IpProtocol"), Int(p, "FromPort"), Int(p, "ToPort"), peers);
    }

    private static JsonObject GroupJson(AwsRequestContext context, SecurityGroupView g) => new()
    {
        ["GroupId"] = g.GroupId,
        ["GroupName"] = g.GroupName,
        ["Description"] = g.Description,
        ["VpcId"] = g.VpcId,
        ["OwnerId"] = context.AccountId,
        ["SecurityGroupArn"] = GroupArn(context, g.GroupId),
        ["IpPermissions"] = IpPermissionsJson(context.AccountId, g.Rules.Where(r => !r.IsEgress).Select(r => r.Spec)),
        ["IpPermissionsEgress"] = IpPermissionsJson(context.AccountId, g.Rules.Where(r => r.IsEgress).Select(r => r.Spec)),
        ["Tags"] = Tags(g.Tags),
    };

    /// <summary>One IpPermission per protocol and port range, in the order the ranges first appear; ports only where the protocol has them.</summary>
    private static JsonArray IpPermissionsJson(string account, IEnumerable<RuleSpec> specs) =>
        new([.. specs.GroupBy(s => (s.IpProtocol, s.FromPort, s.ToPort)).Select(range =>
        {
            var permission = new JsonObject { ["IpProtocol"] = range.Key.IpProtocol };
            if (HasPorts(range.Key.IpProtocol))
            {
                permission["FromPort"] = range.Key.FromPort;
                permission["ToPort"] = range.Key.ToPort;
            }
            permission["IpRanges"] = Peers(range.Where(s => s.CidrIpv4 is not null), s => new JsonObject { ["CidrIp"] = s.CidrIpv4 });
            permission["Ipv6Ranges"] = Peers(range.Where(s => s.CidrIpv6 is not null), s => new JsonObject { ["CidrIpv6"] = s.CidrIpv6 });
            permission["PrefixListIds"] = Peers(range.Where(s => s.PrefixListId is not null), s => new JsonObject { ["PrefixListId"] = s.PrefixListId });
            permission["UserIdGroupPairs"] = Peers(range.Where(s => s.ReferencedGroupId is not null), s => new JsonObject { ["UserId"] = account, ["GroupId"] = s.ReferencedGroupId });
            return (JsonNode)permission;
        })]);

    private static JsonArray Peers(IEnumerable<RuleSpec> specs, Func<RuleSpec, JsonObject> peer) =>
        new([.. specs.Select(s =>
        {
            var json = peer(s);
            if (s.Description is { } description)
                json["Description"] = description;
            return (JsonNode)json;
        })]);

    private static bool HasPorts(string protocol) => protocol is "tcp" or "udp" or "icmp" or "icmpv6";

    private static JsonObject RuleJson(AwsRequestContext context, string groupId, SecurityGroupRule rule)
    {
        var json = new JsonObject
        {
            ["SecurityGroupRuleId"] = rule.SecurityGroupRuleId,
            ["GroupId"] = groupId,
            ["GroupOwnerId"] = context.AccountId,
            ["IsEgress"] = rule.IsEgress,
            ["IpProtocol"] = rule.Spec.IpProtocol,
            ["FromPort"] = rule.Spec.FromPort,
            ["ToPort"] = rule.Spec.ToPort,
        };
        SetPeer(json, rule.Spec);
        if (rule.Spec.ReferencedGroupId is { } referenced)
            json["ReferencedGroupInfo"] = new JsonObject { ["GroupId"] = referenced, ["UserId"] = context.AccountId };
        if (rule.Spec.Description is { } description)
            json["Description"] = description;
        json["Tags"] = Tags(rule.Tags);
        json["SecurityGroupRuleArn"] = $"arn:aws:ec2:{context.Region}:{context.AccountId}:security-group-rule/{rule.SecurityGroupRuleId}";
        return json;
    }

    private static JsonObject RevokedJson(string groupId, SecurityGroupRule rule)
    {
        var json = new JsonObject
        {
            ["SecurityGroupRuleId"] = rule.SecurityGroupRuleId,
            ["GroupId"] = groupId,
            ["IsEgress"] = rule.IsEgress,
            ["IpProtocol"] = rule.Spec.IpProtocol,
            ["FromPort"] = rule.Spec.FromPort,
            ["ToPort"] = rule.Spec.ToPort,
        };
        SetPeer(json, rule.Spec);
        if (rule.Spec.ReferencedGroupId is { } referenced)
            json["ReferencedGroupId"] = referenced;
        if (rule.Spec.Description is { } description)
            json["Description"] = description;
        return json;
    }

    private static void SetPeer(JsonObject json, RuleSpec spec)
    {
        if (spec.CidrIpv4 is { } v4)
            json["CidrIpv4"] = v4;
        if (spec.CidrIpv6 is { } v6)
            json["CidrIpv6"] = v6;
        if (spec.PrefixListId is { } prefixList)
            json["PrefixListId"] = prefixList;
    }

    private static string GroupArn(AwsRequestContext context, string groupId) => $"arn:aws:ec2:{context.Region}:{context.AccountId}:security-group/{groupId}";
}
