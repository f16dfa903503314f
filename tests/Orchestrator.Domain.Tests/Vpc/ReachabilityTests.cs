using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Domain.Vpc.VpcCommands;

namespace Orchestrator.Domain.Tests.Vpc;

/// <summary>
/// A VPC with a public and a private subnet in each of two zones, built through the VPC's own decider,
/// with a NAT gateway per zone (or one shared), and instances with security groups around it.
/// </summary>
internal sealed class TestNetwork
{
    public const string VpcId = "vpc-0a0a0a0a0a0a0a0a0";
    public const string PublicA = "subnet-0a1000000000000a1";
    public const string PublicB = "subnet-0b1000000000000b1";
    public const string PrivateA = "subnet-0a2000000000000a2";
    public const string PrivateB = "subnet-0b2000000000000b2";
    public const string PublicTable = "rtb-0100000000000000a";
    public const string PrivateTableA = "rtb-020000000000000a1";
    public const string PrivateTableB = "rtb-020000000000000b1";
    public const string Igw = "igw-0100000000000000a";
    public const string NatA = "nat-0a00000000000000a";
    public const string NatB = "nat-0b00000000000000b";
    public const string CustomAcl = "acl-0c0000000000000c1";

    private readonly EntityHarness<VpcState, IVpcCommand, IVpcEvent> _vpc = new(new VpcBehavior());
    private int _associations;

    public TestNetwork(bool natPerZone = true)
    {
        _vpc.Execute(new CreateVpc(VpcId, "10.0.0.0/16"));
        _vpc.Execute(new CreateSubnet(VpcId, PublicA, "10.0.0.0/24", "us-east-1a"));
        _vpc.Execute(new CreateSubnet(VpcId, PublicB, "10.0.1.0/24", "us-east-1b"));
        _vpc.Execute(new CreateSubnet(VpcId, PrivateA, "10.0.10.0/24", "us-east-1a"));
        _vpc.Execute(new CreateSubnet(VpcId, PrivateB, "10.0.11.0/24", "us-east-1b"));
        Table(PublicTable, Igw, RouteTarget.Gateway, PublicA, PublicB);
        if (natPerZone)
        {
            Table(PrivateTableA, NatA, RouteTarget.NatGateway, PrivateA);
            Table(PrivateTableB, NatB, RouteTarget.NatGateway, PrivateB);
        }
        else
            Table(PrivateTableA, NatA, RouteTarget.NatGateway, PrivateA, PrivateB);
        NatGateways = [Nat(NatA, PublicA, "us-east-1a", "10.0.0.5"), Nat(NatB, PublicB, "us-east-1b", "10.0.1.5")];
        Groups = [Group("sg-0000000000000a0b0", "default", SecurityGroup.InitialRules("sg-0000000000000a0b0", isDefault: true))];
    }

    public RegionStatus Region { get; set; } = TestRegion.AllAvailable;
    public ImmutableArray<InstanceView> Instances { get; set; } = [];
    public ImmutableArray<SecurityGroupView> Groups { get; set; }
    public ImmutableArray<NatGatewayView> NatGateways { get; set; }
    public ImmutableArray<InternetGatewayView> InternetGateways { get; set; } = [new(Igw, VpcId, Tags.None)];
    public ImmutableArray<ElasticAddressView> ElasticAddresses { get; set; } = [];

    public NetworkSnapshot Snapshot => new(_vpc.State!, Region, Instances, Groups, NatGateways, InternetGateways, ElasticAddresses);

    public void Execute(IVpcCommand command) => _vpc.Execute(command);

    public void Down(string zone, OutageMode mode = OutageMode.Power) => Region = TestRegion.With(TestRegion.Zone(zone, AzState.Unavailable, mode));

    public void UseAcl(string subnetId, string aclId, params NetworkAclEntryRequest[] entries)
    {
        if (_vpc.State!.FindNetworkAcl(aclId) is null)
            _vpc.Execute(new CreateNetworkAcl(VpcId, aclId));
        foreach (var entry in entries)
            _vpc.Execute(new CreateNetworkAclEntry(VpcId, aclId, entry));
        var association = _vpc.State!.NetworkAcls.SelectMany(a => a.Associations).First(a => a.SubnetId == subnetId);
        _vpc.Execute(new ReplaceNetworkAclAssociation(VpcId, association.AssociationId, aclId, $"aclassoc-0{++_associations:D16}"));
    }

    public InstanceView Launch(string id, string subnetId, string ip, string? publicIp = null, params string[] groups)
    {
        var subnet = _vpc.State!.FindSubnet(subnetId)!;
        var spec = new InstanceLaunchSpec(id, "r-0123456789abcdef0", "ami-0c02fb55956c7d316", "t3.micro", VpcId, subnetId, subnet.AvailabilityZone, ip, publicIp, [.. groups]);
        var instance = Instance.Launched(spec, TestRegion.Epoch, TestRegion.Epoch) with { State = InstanceStateName.Running };
        var view = InstanceView.From(instance, TestRegion.Name);
        Instances = Instances.Add(view);
        return view;
    }

    public static SecurityGroupView Group(string id, string name, IEnumerable<(bool IsEgress, RuleSpec Spec)> rules) =>
        new(id, VpcId, name, name, Tags.None, [.. rules.Select((r, i) => new SecurityGroupRule($"sgr-0{id[3..]}{i:D2}", r.IsEgress, r.Spec, Tags.None))]);

    /// <summary>A group with the usual all-outbound rule plus the given inbound ones.</summary>
    public SecurityGroupView AddGroup(string id, params RuleSpec[] inbound)
    {
        var group = Group(id, id, [(true, new RuleSpec("-1", -1, -1, CidrIpv4: "0.0.0.0/0")), .. inbound.Select(r => (false, r))]);
        Groups = Groups.Add(group);
        return group;
    }

    public void SetNat(string id, Func<NatGatewayView, NatGatewayView> change) =>
        NatGateways = [.. NatGateways.Select(n => n.NatGatewayId == id ? change(n) : n)];

    private void Table(string id, string target, string kind, params string[] subnets)
    {
        _vpc.Execute(new CreateRouteTable(VpcId, id));
        _vpc.Execute(new CreateRoute(VpcId, id, "0.0.0.0/0", new ResolvedRouteTarget(new RouteTarget(kind, target), VpcId)));
        foreach (var subnet in subnets)
            _vpc.Execute(new AssociateRouteTable(VpcId, id, subnet, $"rtbassoc-0{++_associations:D16}"));
    }

    private static NatGatewayView Nat(string id, string subnetId, string zone, string ip) =>
        new(id, VpcId, subnetId, zone, NatGatewayStates.Available, NatGateway.Public,
            new NatGatewayAddress("eni-0" + id[5..], ip, "eipalloc-0" + id[5..], "44.200.0." + ip[^1], "eipassoc-0" + id[5..]),
            null, TestRegion.Epoch, null, null, null, Tags.None);
}

public sealed class ReachabilityTests
{
    private const string Web = "i-0aaaaaaaaaaaaaaa1";
    private const string Db = "i-0bbbbbbbbbbbbbbb2";
    private const string Bastion = "i-0ccccccccccccccc3";
    private const string WebSg = "sg-0111111111111111a";
    private const string DbSg = "sg-0222222222222222b";

    private static readonly Flow Https = Flow.Tcp(443);
    private static readonly Flow Postgres = Flow.Tcp(5432);

    private static NetworkAclEntryRequest Entry(int number, bool egress, string protocol, string action, string cidr, int from = 0, int to = 65535) =>
        new(number, egress, protocol, action, cidr, protocol is "tcp" or "udp" ? new PortRange(from, to) : null, protocol == "icmp" ? new IcmpTypeCode(-1, -1) : null);

    /// <summary>A web server in private a, a database in private b that admits the web group on 5432, a bastion in public a with a public IP.</summary>
    private static TestNetwork Network(bool natPerZone = true)
    {
        var net = new TestNetwork(natPerZone);
        net.AddGroup(WebSg);
        net.AddGroup(DbSg, new RuleSpec("tcp", 5432, 5432, ReferencedGroupId: WebSg));
        net.Launch(Web, TestNetwork.PrivateA, "10.0.10.10", null, WebSg);
        net.Launch(Db, TestNetwork.PrivateB, "10.0.11.10", null, DbSg);
        net.Launch(Bastion, TestNetwork.PublicA, "10.0.0.10", "54.1.2.3", WebSg);
        return net;
    }

    [Fact]
    public void Private_instances_reach_the_internet_through_the_NAT_gateway_of_their_zone()
    {
        var net = Network();
        var verdict = Reachability.InstanceToInternet(net.Snapshot, Web, Https);
        Assert.True(verdict.Reachable, verdict.BlockedAt?.ToString());
        Assert.Equal($"{TestNetwork.NatA} in us-east-1a", verdict.Via);
        Assert.Contains(verdict.Hops, h => h is { Component: "route-table", ResourceId: TestNetwork.PrivateTableA });
        Assert.Contains(verdict.Hops, h => h is { Component: "internet-gateway", ResourceId: TestNetwork.Igw });
        Assert.All(verdict.Hops, h => Assert.True(h.Allowed));
    }

    [Fact]
    public void With_a_NAT_gateway_per_zone_an_outage_of_one_zone_keeps_egress_in_the_other()
    {
        var net = Network();
        net.Down("us-east-1a");
        var egress = Reachability.SubnetEgress(net.Snapshot, Https).ToDictionary(e => e.SubnetId);

        Assert.True(egress[TestNetwork.PrivateB].HasEgress, egress[TestNetwork.PrivateB].Explanation);
        Assert.Equal($"{TestNetwork.NatB} in us-east-1b", egress[TestNetwork.PrivateB].Via);
        Assert.True(egress[TestNetwork.PublicB].HasEgress);
        Assert.Equal(TestNetwork.Igw, egress[TestNetwork.PublicB].Via);
        Assert.False(egress[TestNetwork.PrivateA].HasEgress);
        Assert.False(egress[TestNetwork.PublicA].HasEgress);
        Assert.True(Reachability.InstanceToInternet(net.Snapshot, Db, Https).Reachable);
    }

    [Fact]
    public void With_one_shared_NAT_gateway_an_outage_of_its_zone_cuts_egress_in_every_private_subnet_and_names_the_gateway()
    {
        var net = Network(natPerZone: false);
        Assert.True(Reachability.InstanceToInternet(net.Snapshot, Db, Https).Reachable);

        net.Down("us-east-1a", OutageMode.Network);
        var egress = Reachability.SubnetEgress(net.Snapshot, Https).ToDictionary(e => e.SubnetId);
        Assert.False(egress[TestNetwork.PrivateA].HasEgress);
        Assert.False(egress[TestNetwork.PrivateB].HasEgress);
        Assert.True(egress[TestNetwork.PublicB].HasEgress);

        var verdict = Reachability.InstanceToInternet(net.Snapshot, Db, Https);
        Assert.False(verdict.Reachable);
        var blocked = verdict.BlockedAt!;
        Assert.Equal(("nat-gateway", TestNetwork.NatA), (blocked.Component, blocked.ResourceId));
        Assert.Contains($"NAT gateway {TestNetwork.NatA} in us-east-1a unavailable", blocked.Explanation);
        // The route itself stays active, as AWS shows it: the hop before the gateway is the route table's.
        Assert.Contains(verdict.Hops, h => h is { Component: "route-table", Allowed: true });
    }

    [Fact]
    public void A_NAT_gateway_that_is_pending_deleted_or_private_gives_no_egress()
    {
        var net = Network();
        net.SetNat(TestNetwork.NatB, n => n with { State = NatGatewayStates.Pending });
        Assert.Contains("pending", Reachability.InstanceToInternet(net.Snapshot, Db, Https).BlockedAt!.Explanation);
        net.SetNat(TestNetwork.NatB, n => n with { State = NatGatewayStates.Deleted });
        Assert.Contains("blackhole", Reachability.InstanceToInternet(net.Snapshot, Db, Https).BlockedAt!.Explanation);
        net.SetNat(TestNetwork.NatB, n => n with { State = NatGatewayStates.Available, ConnectivityType = NatGateway.Private });
        Assert.Contains("private NAT gateway", Reachability.InstanceToInternet(net.Snapshot, Db, Https).BlockedAt!.Explanation);
    }

    [Fact]
    public void An_instance_in_a_public_subnet_needs_a_public_address_and_an_attached_gateway()
    {
        var net = Network();
        var verdict = Reachability.InstanceToInternet(net.Snapshot, Bastion, Https);
        Assert.True(verdict.Reachable);
        Assert.Equal(TestNetwork.Igw, verdict.Via);

        net.Launch("i-0dddddddddddddddd4", TestNetwork.PublicA, "10.0.0.11", null, WebSg);
        var noAddress = Reachability.InstanceToInternet(net.Snapshot, "i-0dddddddddddddddd4", Https);
        Assert.Contains("no public IP address", noAddress.BlockedAt!.Explanation);
        net.ElasticAddresses = [new ElasticAddressView("eipalloc-0123456789abcdef0", "44.200.9.9", "vpc", "us-east-1", "eipassoc-0123456789abcdef0", "i-0dddddddddddddddd4", null, "10.0.0.11", Tags.None)];
        Assert.True(Reachability.InstanceToInternet(net.Snapshot, "i-0dddddddddddddddd4", Https).Reachable);

        net.InternetGateways = [new InternetGatewayView(TestNetwork.Igw, null, Tags.None)];
        var detached = Reachability.InstanceToInternet(net.Snapshot, Bastion, Https).BlockedAt!;
        Assert.Equal("internet-gateway", detached.Component);
        Assert.Contains("blackhole", detached.Explanation);
    }

    [Fact]
    public void A_subnet_without_a_default_route_has_no_route_to_the_internet()
    {
        var net = Network();
        net.Execute(new DeleteRoute(TestNetwork.VpcId, TestNetwork.PrivateTableB, "0.0.0.0/0"));
        var blocked = Reachability.InstanceToInternet(net.Snapshot, Db, Https).BlockedAt!;
        Assert.Equal(("route-table", TestNetwork.PrivateTableB), (blocked.Component, blocked.ResourceId));
        Assert.Contains("no route to 0.0.0.0/0", blocked.Explanation);
    }

    [Fact]
    public void The_longest_prefix_wins_over_the_default_route()
    {
        var net = Network();
        var table = net.Snapshot.Vpc.FindRouteTable(TestNetwork.PrivateTableA)!;
        Assert.Equal(RouteTarget.Local, Reachability.LongestPrefixMatch(table, Cidr.Parse("10.0.11.10/32").Value)!.Target.Kind);
        Assert.Equal(TestNetwork.NatA, Reachability.LongestPrefixMatch(table, Cidr.Parse("8.8.8.8/32").Value)!.Target.Id);
        net.Execute(new CreateRoute(TestNetwork.VpcId, TestNetwork.PrivateTableA, "8.8.0.0/16",
            new ResolvedRouteTarget(new RouteTarget(RouteTarget.Gateway, TestNetwork.Igw), TestNetwork.VpcId)));
        table = net.Snapshot.Vpc.FindRouteTable(TestNetwork.PrivateTableA)!;
        Assert.Equal(TestNetwork.Igw, Reachability.LongestPrefixMatch(table, Cidr.Parse("8.8.8.8/32").Value)!.Target.Id);
        Assert.Equal(TestNetwork.NatA, Reachability.LongestPrefixMatch(table, Cidr.Parse("9.9.9.9/32").Value)!.Target.Id);
    }

    [Fact]
    public void Security_group_references_admit_members_of_the_referenced_group_only()
    {
        var net = Network();
        var allowed = Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres);
        Assert.True(allowed.Reachable, allowed.BlockedAt?.ToString());
        Assert.Contains(allowed.Hops, h => h.Component == "security-group" && h.ResourceId == DbSg && h.Explanation.Contains(WebSg, StringComparison.Ordinal));

        net.Launch("i-0eeeeeeeeeeeeeee5", TestNetwork.PrivateA, "10.0.10.11", null, DbSg);
        var stranger = Reachability.InstanceToInstance(net.Snapshot, "i-0eeeeeeeeeeeeeee5", Db, Postgres).BlockedAt!;
        Assert.Equal(("security-group", DbSg), (stranger.Component, stranger.ResourceId));
        Assert.Equal($"security group {DbSg} has no inbound rule allowing tcp 5432 from 10.0.10.11/32", stranger.Explanation);
        Assert.False(Reachability.InstanceToInstance(net.Snapshot, Web, Db, Flow.Tcp(22)).Reachable);
    }

    [Fact]
    public void Security_groups_are_stateful_so_replies_need_no_outbound_rule_but_new_connections_do()
    {
        var net = Network();
        // The database's group keeps no outbound rule at all: its replies still flow back.
        net.Groups = [.. net.Groups.Select(g => g.GroupId == DbSg ? g with { Rules = [.. g.Rules.Where(r => !r.IsEgress)] } : g)];
        Assert.True(Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).Reachable);
        var outbound = Reachability.InstanceToInternet(net.Snapshot, Db, Https).BlockedAt!;
        Assert.Equal(("security-group", DbSg), (outbound.Component, outbound.ResourceId));
        Assert.Contains("no outbound rule", outbound.Explanation);
    }

    [Fact]
    public void Network_ACL_rules_apply_lowest_number_first_and_the_first_match_decides()
    {
        var net = Network();
        net.UseAcl(TestNetwork.PrivateB, TestNetwork.CustomAcl,
            Entry(100, false, "tcp", "deny", "10.0.10.0/24", 5432, 5432),
            Entry(200, false, "tcp", "allow", "10.0.0.0/16"),
            Entry(100, true, "-1", "allow", "0.0.0.0/0"));
        var denied = Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).BlockedAt!;
        Assert.Equal(("network-acl", TestNetwork.CustomAcl), (denied.Component, denied.ResourceId));
        Assert.StartsWith($"network ACL {TestNetwork.CustomAcl} rule 100 denies inbound tcp 5432 from 10.0.10.10/32", denied.Explanation);

        // The same rules the other way round: the allow now comes first and wins.
        net.Execute(new ReplaceNetworkAclEntry(TestNetwork.VpcId, TestNetwork.CustomAcl, Entry(100, false, "tcp", "allow", "10.0.0.0/16")));
        net.Execute(new ReplaceNetworkAclEntry(TestNetwork.VpcId, TestNetwork.CustomAcl, Entry(200, false, "tcp", "deny", "10.0.10.0/24", 5432, 5432)));
        Assert.True(Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).Reachable);
    }

    [Fact]
    public void A_custom_ACL_denies_everything_until_rules_are_added()
    {
        var net = Network();
        net.UseAcl(TestNetwork.PrivateB, TestNetwork.CustomAcl);
        var blocked = Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).BlockedAt!;
        Assert.Contains("rule * denies inbound tcp 5432", blocked.Explanation);
    }

    [Fact]
    public void Network_ACLs_are_stateless_so_replies_need_the_ephemeral_ports_allowed_back()
    {
        var net = Network();
        // Inbound 5432 allowed, outbound only to 5432-ish service ports: the reply to the client's ephemeral port is denied.
        net.UseAcl(TestNetwork.PrivateB, TestNetwork.CustomAcl,
            Entry(100, false, "tcp", "allow", "10.0.0.0/16", 5432, 5432),
            Entry(100, true, "tcp", "allow", "10.0.0.0/16", 1, 1023));
        var reply = Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).BlockedAt!;
        Assert.Equal("network-acl", reply.Component);
        Assert.Contains("reply outbound tcp 32768-61000 to 10.0.10.10/32", reply.Explanation);

        // Windows' range (49152-65535) leaves Linux clients' lower ephemeral ports denied.
        net.Execute(new CreateNetworkAclEntry(TestNetwork.VpcId, TestNetwork.CustomAcl, Entry(110, true, "tcp", "allow", "10.0.0.0/16", 49152, 65535)));
        Assert.Contains("(ports 32768-49151)", Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).BlockedAt!.Explanation);
        net.Execute(new CreateNetworkAclEntry(TestNetwork.VpcId, TestNetwork.CustomAcl, Entry(120, true, "tcp", "allow", "10.0.0.0/16", 1024, 65535)));
        Assert.True(Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).Reachable);
    }

    [Fact]
    public void NAT_egress_needs_the_NAT_subnet_ACL_to_let_replies_in_on_the_gateway_ports()
    {
        var net = Network();
        net.UseAcl(TestNetwork.PublicB, TestNetwork.CustomAcl,
            Entry(100, false, "tcp", "allow", "10.0.0.0/16", 443, 443),
            Entry(100, true, "-1", "allow", "0.0.0.0/0"));
        var blocked = Reachability.InstanceToInternet(net.Snapshot, Db, Https).BlockedAt!;
        Assert.Contains("reply inbound tcp 1024-65535 from 0.0.0.0/0", blocked.Explanation);
        net.Execute(new CreateNetworkAclEntry(TestNetwork.VpcId, TestNetwork.CustomAcl, Entry(200, false, "tcp", "allow", "0.0.0.0/0", 1024, 65535)));
        Assert.True(Reachability.InstanceToInternet(net.Snapshot, Db, Https).Reachable);
    }

    [Fact]
    public void Traffic_inside_one_subnet_crosses_no_ACL()
    {
        var net = Network();
        net.Launch("i-0fffffffffffffff6", TestNetwork.PrivateB, "10.0.11.11", null, WebSg);
        net.UseAcl(TestNetwork.PrivateB, TestNetwork.CustomAcl);
        Assert.True(Reachability.InstanceToInstance(net.Snapshot, "i-0fffffffffffffff6", Db, Postgres).Reachable);
        Assert.False(Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).Reachable);
    }

    [Fact]
    public void Instances_that_are_stopped_or_in_a_failed_zone_are_unreachable()
    {
        var net = Network();
        net.Down("us-east-1b", OutageMode.Network);
        var blocked = Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).BlockedAt!;
        Assert.Equal(("availability-zone", "us-east-1b"), (blocked.Component, blocked.ResourceId));
        Assert.Contains("network outage", blocked.Explanation);

        net = Network();
        net.Instances = [.. net.Instances.Select(i => i.InstanceId == Db ? i with { State = InstanceStateView.Of(InstanceStateName.Stopped) } : i)];
        Assert.Equal("the instance is stopped", Reachability.InstanceToInstance(net.Snapshot, Web, Db, Postgres).BlockedAt!.Explanation);
    }

    [Fact]
    public void ICMP_echo_follows_the_ICMP_rules()
    {
        var net = Network();
        var ping = Flow.Of("icmp", null).Value;
        Assert.False(Reachability.InstanceToInstance(net.Snapshot, Web, Db, ping).Reachable);
        net.Groups = [.. net.Groups.Select(g => g.GroupId == DbSg
            ? g with { Rules = g.Rules.Add(new SecurityGroupRule("sgr-0999999999999999a", false, new RuleSpec("icmp", 8, -1, CidrIpv4: "10.0.0.0/16"), Tags.None)) }
            : g)];
        Assert.True(Reachability.InstanceToInstance(net.Snapshot, Web, Db, ping).Reachable);
    }

    [Fact]
    public void A_load_balancer_health_check_needs_the_target_group_to_admit_the_balancer_group_and_the_ACLs_both_ways()
    {
        const string AlbSg = "sg-0333333333333333c";
        var net = Network();
        net.AddGroup(AlbSg, new RuleSpec("tcp", 80, 80, CidrIpv4: "0.0.0.0/0"));
        ImmutableArray<string> subnets = [TestNetwork.PublicA, TestNetwork.PublicB];
        var blocked = Reachability.LoadBalancerToInstance(net.Snapshot, "app/web/0123456789abcdef", [AlbSg], subnets, Web, Flow.Tcp(80));
        Assert.False(blocked.Reachable);
        Assert.Equal($"security group {WebSg} has no inbound rule allowing tcp 80 from 10.0.1.0/24", blocked.BlockedAt!.Explanation);

        net.Groups = [.. net.Groups.Select(g => g.GroupId == WebSg
            ? g with { Rules = g.Rules.Add(new SecurityGroupRule("sgr-0888888888888888a", false, new RuleSpec("tcp", 80, 80, ReferencedGroupId: AlbSg), Tags.None)) }
            : g)];
        Assert.True(Reachability.LoadBalancerToInstance(net.Snapshot, "app/web/0123456789abcdef", [AlbSg], subnets, Web, Flow.Tcp(80)).Reachable);

        // The balancer's nodes take replies on 1024-65535: an ACL letting back only Linux's ephemeral range blocks them.
        net.UseAcl(TestNetwork.PrivateA, TestNetwork.CustomAcl,
            Entry(100, false, "tcp", "allow", "10.0.0.0/16", 80, 80),
            Entry(100, true, "tcp", "allow", "10.0.0.0/16", 32768, 61000));
        var replies = Reachability.LoadBalancerToInstance(net.Snapshot, "app/web/0123456789abcdef", [AlbSg], subnets, Web, Flow.Tcp(80)).BlockedAt!;
        Assert.Contains("reply outbound tcp 1024-65535", replies.Explanation);
        Assert.Contains("(ports 1024-32767,61001-65535)", replies.Explanation);

        // A node in a failed zone does not check; the other zone's node still does.
        net.Execute(new ReplaceNetworkAclEntry(TestNetwork.VpcId, TestNetwork.CustomAcl, Entry(100, true, "tcp", "allow", "10.0.0.0/16", 1024, 65535)));
        net.Down("us-east-1b");
        Assert.True(Reachability.LoadBalancerToInstance(net.Snapshot, "app/web/0123456789abcdef", [AlbSg], subnets, Web, Flow.Tcp(80)).Reachable);
    }

    [Fact]
    public void Flows_are_validated_as_the_API_would()
    {
        Assert.Equal("MissingParameter", Flow.Of("tcp", null).Error?.Code);
        Assert.Equal("InvalidParameterValue", Flow.Of("tcp", 70000).Error?.Code);
        Assert.Equal("InvalidParameterValue", Flow.Of("gre", null).Error?.Code);
        Assert.Equal(new Flow("udp", 53), Flow.Of("UDP", 53).Value);
    }
}
