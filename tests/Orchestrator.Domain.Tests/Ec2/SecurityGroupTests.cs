using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.SecurityGroupCommands;
using static Orchestrator.Domain.Ec2.SecurityGroupEvents;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class SecurityGroupTests
{
    private const string Id = "sg-0123456789abcdef0";
    private const string Peer = "sg-0fedcba9876543210";
    private const string Vpc = "vpc-0123456789abcdef0";

    private readonly EntityHarness<SecurityGroup, ISecurityGroupCommand, ISecurityGroupEvent> _group = new(new SecurityGroupBehavior());

    private int _nextRule;

    private ImmutableArray<string> RuleIds(int count) => [.. Enumerable.Range(0, count).Select(_ => $"sgr-{_nextRule++:x17}")];

    private static RuleSpec Tcp(int from, int to, string cidr) => new("tcp", from, to, CidrIpv4: cidr);

    private SecurityGroup Created(string name = "web")
    {
        _group.Execute(new Create(Id, Vpc, name, "web tier", RuleIds(2)));
        return _group.State!;
    }

    private IReadOnlyList<ISecurityGroupEvent> Authorize(bool egress, params RuleSpec[] rules) =>
        _group.Execute(new Authorize(Id, egress, [.. rules], RuleIds(rules.Length)));

    [Fact]
    public void A_new_group_allows_all_outbound_traffic_and_no_inbound()
    {
        var group = Created();

        var rule = Assert.Single(group.Rules);
        Assert.True(rule.IsEgress);
        Assert.Equal(new RuleSpec("-1", -1, -1, CidrIpv4: "0.0.0.0/0"), rule.Spec);
        Assert.Empty(group.RulesOf(egress: false));
        Assert.False(group.IsDefault);
    }

    [Fact]
    public void The_default_group_allows_all_inbound_traffic_from_itself_and_goes_only_with_its_vpc()
    {
        _group.Execute(new Create(Id, Vpc, SecurityGroup.DefaultGroupName, SecurityGroup.DefaultGroupDescription, RuleIds(2), IsDefault: true));

        var inbound = Assert.Single(_group.State!.RulesOf(egress: false));
        Assert.Equal(new RuleSpec("-1", -1, -1, ReferencedGroupId: Id), inbound.Spec);
        Assert.Single(_group.State.RulesOf(egress: true));
        Assert.Equal("CannotDelete", _group.Refuse(new Delete(Id, [])).Code);
        Assert.IsType<Deleted>(Assert.Single(_group.Execute(new Delete(Id, [], WithVpc: true))));
    }

    [Fact]
    public void Creating_again_is_a_retry_and_changes_nothing()
    {
        var before = Created();

        Assert.Empty(_group.Execute(new Create(Id, Vpc, "web", "web tier", RuleIds(2))));
        Assert.Same(before, _group.State);
    }

    [Theory]
    [InlineData("", "d", "MissingParameter")]
    [InlineData("n", "", "MissingParameter")]
    [InlineData("default", "d", "InvalidParameterValue")]
    [InlineData("DEFAULT", "d", "InvalidParameterValue")]
    [InlineData("sg-web", "d", "InvalidParameterValue")]
    public void Names_and_descriptions_are_validated(string name, string description, string code) =>
        Assert.Equal(code, _group.Refuse(new Create(Id, Vpc, name, description, RuleIds(2))).Code);

    [Fact]
    public void Names_and_descriptions_are_at_most_255_characters()
    {
        Assert.Null(SecurityGroupBehavior.ValidateNames(new string('n', 255), new string('d', 255)));
        Assert.Equal("InvalidParameterValue", SecurityGroupBehavior.ValidateNames(new string('n', 256), "d")!.Code);
        Assert.Equal("InvalidParameterValue", SecurityGroupBehavior.ValidateNames("n", new string('d', 256))!.Code);
    }

    [Fact]
    public void Authorize_adds_one_rule_per_spec_with_its_id()
    {
        Created();

        var added = Assert.IsType<RulesAuthorized>(Assert.Single(Authorize(false, Tcp(22, 22, "10.0.0.0/8"), new RuleSpec("tcp", 443, 443, ReferencedGroupId: Peer))));

        Assert.Equal(2, added.Rules.Length);
        Assert.All(added.Rules, r => Assert.False(r.IsEgress));
        Assert.Equal(3, _group.State!.Rules.Count);
        Assert.Equal(Peer, _group.State.RulesOf(false).Last().Spec.ReferencedGroupId);
    }

    [Fact]
    public void The_same_rule_twice_is_a_duplicate_whatever_its_description()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8"));

        var error = _group.Refuse(new Authorize(Id, false, [Tcp(22, 22, "10.0.0.0/8") with { Description = "other" }], RuleIds(1)));

        Assert.Equal("InvalidPermission.Duplicate", error.Code);
        Assert.Contains("peer: 10.0.0.0/8, TCP, from port: 22, to port: 22, ALLOW", error.Message);
        Assert.Equal("InvalidPermission.Duplicate", _group.Refuse(new Authorize(Id, true, [new RuleSpec("-1", -1, -1, CidrIpv4: "0.0.0.0/0")], RuleIds(1))).Code);
    }

    [Fact]
    public void The_same_rule_in_the_other_direction_is_not_a_duplicate()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8"));

        Assert.Single(Authorize(true, Tcp(22, 22, "10.0.0.0/8")));
    }

    [Fact]
    public void A_retried_authorize_with_the_same_rule_ids_is_a_no_op()
    {
        Created();
        var command = new Authorize(Id, false, [Tcp(22, 22, "10.0.0.0/8")], RuleIds(1));
        _group.Execute(command);

        Assert.Empty(_group.Execute(command));
    }

    [Fact]
    public void Each_direction_holds_at_most_60_rules()
    {
        Created();
        Authorize(false, [.. Enumerable.Range(1, 60).Select(port => Tcp(port, port, "10.0.0.0/8"))]);

        Assert.Equal("RulesPerSecurityGroupLimitExceeded", _group.Refuse(new Authorize(Id, false, [Tcp(1000, 1000, "10.0.0.0/8")], RuleIds(1))).Code);
        Assert.Single(Authorize(true, [.. Enumerable.Range(1, 59).Select(port => Tcp(port, port, "10.0.0.0/8"))]));
        Assert.Equal("RulesPerSecurityGroupLimitExceeded", _group.Refuse(new Authorize(Id, true, [Tcp(1000, 1000, "10.0.0.0/8")], RuleIds(1))).Code);
    }

    [Fact]
    public void Revoke_by_spec_ignores_descriptions_and_by_id_names_the_rule()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8") with { Description = "ssh" }, Tcp(80, 80, "0.0.0.0/0"));
        var http = _group.State!.RulesOf(false).Last().SecurityGroupRuleId;

        _group.Execute(new Revoke(Id, false, [Tcp(22, 22, "10.0.0.0/8")], []));
        _group.Execute(new Revoke(Id, false, [], [http]));

        Assert.Empty(_group.State!.RulesOf(false));
    }

    [Fact]
    public void Revoking_a_rule_that_is_not_there_is_refused_outside_the_default_vpc()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8"));

        Assert.Equal("InvalidPermission.NotFound", _group.Refuse(new Revoke(Id, false, [Tcp(22, 22, "10.0.0.0/8"), Tcp(23, 23, "10.0.0.0/8")], [])).Code);
        Assert.Equal("InvalidPermission.NotFound", _group.Refuse(new Revoke(Id, true, [Tcp(22, 22, "10.0.0.0/8")], [])).Code);
        Assert.Equal("InvalidSecurityGroupRuleId.NotFound", _group.Refuse(new Revoke(Id, false, [], ["sgr-0000000000000ffff"])).Code);
        Assert.Single(_group.State!.RulesOf(false));
    }

    [Fact]
    public void In_the_default_vpc_revoke_removes_what_matches_and_ignores_the_rest()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8"));

        var revoked = Assert.IsType<RulesRevoked>(Assert.Single(_group.Execute(new Revoke(Id, false, [Tcp(22, 22, "10.0.0.0/8"), Tcp(23, 23, "10.0.0.0/8")], [], IgnoreUnknown: true))));

        Assert.Single(revoked.RuleIds);
        Assert.Empty(_group.Execute(new Revoke(Id, false, [Tcp(23, 23, "10.0.0.0/8")], [], IgnoreUnknown: true)));
    }

    [Fact]
    public void Revoking_the_default_egress_rule_leaves_no_outbound_rule()
    {
        Created();

        _group.Execute(new Revoke(Id, true, [new RuleSpec("-1", -1, -1, CidrIpv4: "0.0.0.0/0")], []));

        Assert.Empty(_group.State!.Rules);
    }

    [Fact]
    public void Modify_replaces_a_rule_in_place_and_refuses_a_duplicate()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8"), Tcp(80, 80, "10.0.0.0/8"));
        var ssh = _group.State!.RulesOf(false).First().SecurityGroupRuleId;

        _group.Execute(new ModifyRules(Id, [new RuleReplacement(ssh, Tcp(2222, 2222, "10.0.0.0/8"))]));

        Assert.Equal(2222, _group.State!.FindRule(ssh)!.Spec.FromPort);
        Assert.Equal("InvalidPermission.Duplicate", _group.Refuse(new ModifyRules(Id, [new RuleReplacement(ssh, Tcp(80, 80, "10.0.0.0/8"))])).Code);
        Assert.Equal("InvalidSecurityGroupRuleId.NotFound", _group.Refuse(new ModifyRules(Id, [new RuleReplacement("sgr-0000000000000ffff", Tcp(1, 1, "10.0.0.0/8"))])).Code);
    }

    [Fact]
    public void Descriptions_change_by_spec_or_by_id_and_a_repeat_is_a_no_op()
    {
        Created();
        Authorize(false, Tcp(22, 22, "10.0.0.0/8"));
        var ssh = _group.State!.RulesOf(false).Single().SecurityGroupRuleId;

        _group.Execute(new UpdateDescriptions(Id, false, [Tcp(22, 22, "10.0.0.0/8") with { Description = "ssh" }], []));
        Assert.Equal("ssh", _group.State!.FindRule(ssh)!.Spec.Description);
        Assert.Empty(_group.Execute(new UpdateDescriptions(Id, false, [Tcp(22, 22, "10.0.0.0/8") with { Description = "ssh" }], [])));

        _group.Execute(new UpdateDescriptions(Id, false, [], [new RuleDescriptionUpdate(ssh, "admin ssh")]));
        Assert.Equal("admin ssh", _group.State!.FindRule(ssh)!.Spec.Description);
        Assert.Equal("InvalidPermission.NotFound", _group.Refuse(new UpdateDescriptions(Id, false, [Tcp(23, 23, "10.0.0.0/8")], [])).Code);
    }

    [Fact]
    public void Tags_go_on_the_group_or_on_one_of_its_rules()
    {
        Created();
        var egress = _group.State!.Rules.Single().SecurityGroupRuleId;

        _group.Execute(new AddTags(Id, Id, ImmutableDictionary<string, string>.Empty.Add("Name", "web")));
        _group.Execute(new AddTags(Id, egress, ImmutableDictionary<string, string>.Empty.Add("Purpose", "all-out")));
        Assert.Empty(_group.Execute(new AddTags(Id, Id, ImmutableDictionary<string, string>.Empty.Add("Name", "web"))));
        _group.Execute(new RemoveTags(Id, Id, [new TagRemoval("Name")]));
        Assert.Empty(_group.Execute(new RemoveTags(Id, Id, [new TagRemoval("Name")])));

        Assert.Empty(_group.State!.Tags);
        Assert.Equal("all-out", _group.State.FindRule(egress)!.Tags["Purpose"]);
        Assert.Equal("InvalidParameterValue", _group.Refuse(new AddTags(Id, Id, ImmutableDictionary<string, string>.Empty.Add("aws:x", "y"))).Code);
    }

    [Fact]
    public void Delete_is_refused_while_something_depends_on_the_group()
    {
        Created();

        Assert.Equal("DependencyViolation", _group.Refuse(new Delete(Id, ["i-0123456789abcdef0"])).Code);
        Assert.IsType<Deleted>(Assert.Single(_group.Execute(new Delete(Id, []))));
        Assert.Null(_group.State);
    }

    [Fact]
    public void Commands_for_a_group_that_does_not_exist_are_InvalidGroup_NotFound() =>
        Assert.Equal("InvalidGroup.NotFound", _group.Refuse(new Authorize(Id, false, [Tcp(22, 22, "10.0.0.0/8")], RuleIds(1))).Code);
}

public sealed class SecurityGroupPermissionsTests
{
    private static PermissionRequest Permission(string? protocol, int? from, int? to, params PermissionPeer[] peers) => new(protocol, from, to, [.. peers]);

    private static readonly PermissionPeer Anywhere = new(CidrIpv4: "0.0.0.0/0");

    [Theory]
    [InlineData("tcp", "tcp")]
    [InlineData("TCP", "tcp")]
    [InlineData("6", "tcp")]
    [InlineData("17", "udp")]
    [InlineData("1", "icmp")]
    [InlineData("58", "icmpv6")]
    [InlineData("all", "-1")]
    [InlineData("-1", "-1")]
    [InlineData("50", "50")]
    [InlineData("050", "50")]
    public void Protocols_are_normalised_as_AWS_stores_them(string given, string stored) =>
        Assert.Equal(stored, SecurityGroupPermissions.NormalizeProtocol(given).Value);

    [Theory]
    [InlineData("foo")]
    [InlineData("256")]
    [InlineData("-2")]
    public void Unknown_protocols_are_refused(string given) =>
        Assert.Equal("InvalidParameterValue", SecurityGroupPermissions.NormalizeProtocol(given).Error!.Code);

    [Theory]
    [InlineData("tcp", null, 22)]
    [InlineData("tcp", 22, null)]
    [InlineData("udp", 100, 99)]
    [InlineData("tcp", 0, 65536)]
    [InlineData("tcp", -1, 22)]
    [InlineData("icmp", null, null)]
    [InlineData("icmp", -1, 3)]
    [InlineData("icmp", 256, 0)]
    public void Port_ranges_are_checked_per_protocol(string protocol, int? from, int? to) =>
        Assert.Equal("InvalidParameterValue", SecurityGroupPermissions.Expand(Permission(protocol, from, to, Anywhere)).Error!.Code);

    [Theory]
    [InlineData("-1", 0, 0, -1, -1)]
    [InlineData("50", 10, 20, -1, -1)]
    [InlineData("icmpv6", null, null, -1, -1)]
    [InlineData("icmp", 8, -1, 8, -1)]
    [InlineData("tcp", 0, 65535, 0, 65535)]
    public void Ports_are_stored_as_AWS_returns_them(string protocol, int? from, int? to, int storedFrom, int storedTo)
    {
        var spec = Assert.Single(SecurityGroupPermissions.Expand(Permission(protocol, from, to, Anywhere)).Value);
        Assert.Equal((storedFrom, storedTo), (spec.FromPort, spec.ToPort));
    }

    [Fact]
    public void Each_peer_becomes_its_own_rule_with_canonical_cidrs()
    {
        var specs = SecurityGroupPermissions.Expand(Permission("tcp", 443, 443,
            new PermissionPeer(CidrIpv4: "100.68.0.18/18", Description: "office"),
            new PermissionPeer(CidrIpv6: "2001:DB8:0:0:1::/32"),
            new PermissionPeer(PrefixListId: "pl-0123456789abcdef0"),
            new PermissionPeer(GroupId: "sg-0123456789abcdef0"))).Value;

        Assert.Equal<RuleSpec>(
        [
            new RuleSpec("tcp", 443, 443, CidrIpv4: "100.68.0.0/18", Description: "office"),
            new RuleSpec("tcp", 443, 443, CidrIpv6: "2001:db8::/32"),
            new RuleSpec("tcp", 443, 443, PrefixListId: "pl-0123456789abcdef0"),
            new RuleSpec("tcp", 443, 443, ReferencedGroupId: "sg-0123456789abcdef0"),
        ], specs);
    }

    [Theory]
    [InlineData("10.0.0.0/33", null, null, "InvalidParameterValue")]
    [InlineData("10.0.0/8", null, null, "InvalidParameterValue")]
    [InlineData(null, "2001:db8::/129", null, "InvalidParameterValue")]
    [InlineData(null, "10.0.0.0/8", null, "InvalidParameterValue")]
    [InlineData(null, null, "sg-nope", "InvalidGroupId.Malformed")]
    public void Malformed_peers_are_refused(string? cidr, string? cidrV6, string? groupId, string code) =>
        Assert.Equal(code, SecurityGroupPermissions.Expand(Permission("tcp", 22, 22, new PermissionPeer(cidr, cidrV6, GroupId: groupId))).Error!.Code);

    [Fact]
    public void A_rule_needs_exactly_one_peer()
    {
        Assert.Equal("MissingParameter", SecurityGroupPermissions.Expand(Permission("tcp", 22, 22)).Error!.Code);
        Assert.Equal("InvalidParameterCombination",
            SecurityGroupPermissions.Expand(Permission("tcp", 22, 22, new PermissionPeer(CidrIpv4: "10.0.0.0/8", GroupId: "sg-0123456789abcdef0"))).Error!.Code);
    }

    [Fact]
    public void The_same_rule_twice_in_one_request_is_a_duplicate() =>
        Assert.Equal("InvalidPermission.Duplicate", SecurityGroupPermissions.Expand(
            [Permission("tcp", 22, 22, new PermissionPeer(CidrIpv4: "10.0.0.1/8")), Permission("6", 22, 22, new PermissionPeer(CidrIpv4: "10.0.0.0/8"))]).Error!.Code);

    [Fact]
    public void Rule_descriptions_are_at_most_255_characters() =>
        Assert.Equal("InvalidParameterValue", SecurityGroupPermissions.Expand(Permission("tcp", 22, 22, new PermissionPeer(CidrIpv4: "10.0.0.0/8", Description: new string('d', 256)))).Error!.Code);
}
