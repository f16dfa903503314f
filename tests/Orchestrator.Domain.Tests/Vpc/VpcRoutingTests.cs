using System.Collections.Immutable;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Domain.Vpc.VpcCommands;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class VpcRoutingTests
{
    private const string VpcId = "vpc-0a1b2c3d4e5f60718";
    private const string SubnetA = "subnet-0aaaaaaaaaaaaaaaa";
    private const string SubnetB = "subnet-0bbbbbbbbbbbbbbbb";
    private const string Table = "rtb-0cccccccccccccccc";
    private const string Gateway = "igw-0dddddddddddddddd";
    private const string Nat = "nat-0eeeeeeeeeeeeeeee";

    private readonly EntityHarness<VpcState, IVpcCommand, IVpcEvent> _vpc = new(new VpcBehavior());

    public VpcRoutingTests()
    {
        _vpc.Execute(new CreateVpc(VpcId, "10.0.0.0/16"));
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a"));
        _vpc.Execute(new CreateSubnet(VpcId, SubnetB, "10.0.2.0/24", "us-east-1b"));
        _vpc.Execute(new CreateRouteTable(VpcId, Table));
    }

    private static ResolvedRouteTarget AttachedGateway(string vpcId = VpcId) => new(new RouteTarget(RouteTarget.Gateway, Gateway), vpcId);

    [Fact]
    public void A_new_VPC_has_a_main_table_with_the_local_route_and_a_default_ACL_allowing_all()
    {
        var vpc = _vpc.State!;
        var main = Assert.IsType<RouteTable>(vpc.MainRouteTable());
        var local = Assert.Single(main.Routes);
        Assert.Equal(("10.0.0.0/16", RouteTarget.Local, Route.OriginCreateRouteTable), (local.DestinationCidrBlock, local.Target.Kind, local.Origin));
        Assert.Equal(main, vpc.RouteTableOf(SubnetA));
        var acl = Assert.IsType<NetworkAcl>(vpc.DefaultNetworkAcl());
        Assert.Equal([SubnetA, SubnetB], acl.Associations.Select(a => a.SubnetId));
        Assert.All(acl.Entries, e => Assert.Equal((100, "-1", "allow", "0.0.0.0/0"), (e.RuleNumber, e.Protocol, e.RuleAction, e.CidrBlock)));
        Assert.Equal(VpcRouting.MainRouteTableId(VpcId), main.RouteTableId); // derived: a retried creation names the same table
    }

    [Fact]
    public void Routes_are_unique_per_destination_and_the_longest_prefix_is_kept_canonical()
    {
        _vpc.Execute(new CreateRoute(VpcId, Table, "0.0.0.0/0", AttachedGateway()));
        Assert.Equal("RouteAlreadyExists", _vpc.Refuse(new CreateRoute(VpcId, Table, "0.0.0.0/0", AttachedGateway())).Code);
        _vpc.Execute(new ReplaceRoute(VpcId, Table, "0.0.0.0/0", new ResolvedRouteTarget(new RouteTarget(RouteTarget.NatGateway, Nat), VpcId)));
        Assert.Equal(Nat, _vpc.State!.FindRouteTable(Table)!.FindRoute("0.0.0.0/0")!.Target.Id);
        _vpc.Execute(new CreateRoute(VpcId, Table, "192.168.7.9/16", AttachedGateway()));
        Assert.NotNull(_vpc.State!.FindRouteTable(Table)!.FindRoute("192.168.0.0/16"));
    }

    [Fact]
    public void Routes_are_refused_as_AWS_refuses_them()
    {
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateRoute(VpcId, Table, "0.0.0.0/0", AttachedGateway("vpc-0ffffffffffffffff"))).Code);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateRoute(VpcId, Table, "10.0.5.0/24", AttachedGateway())).Code);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateRoute(VpcId, Table, "not-a-cidr", AttachedGateway())).Code);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateRoute(VpcId, Table, "169.254.168.0/24", AttachedGateway())).Code);
        Assert.Equal("InvalidRoute.NotFound", _vpc.Refuse(new ReplaceRoute(VpcId, Table, "0.0.0.0/0", AttachedGateway())).Code);
        Assert.Equal("InvalidRoute.NotFound", _vpc.Refuse(new DeleteRoute(VpcId, Table, "0.0.0.0/0")).Code);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new DeleteRoute(VpcId, Table, "10.0.0.0/16")).Code);
        Assert.Equal("InvalidRouteTableID.NotFound", _vpc.Refuse(new CreateRoute(VpcId, "rtb-0123456789abcdef0", "0.0.0.0/0", AttachedGateway())).Code);
    }

    [Fact]
    public void A_subnet_has_one_explicit_table_and_moves_by_replacing_its_association()
    {
        _vpc.Execute(new AssociateRouteTable(VpcId, Table, SubnetA, "rtbassoc-0000000000000000a"));
        Assert.Equal(Table, _vpc.State!.RouteTableOf(SubnetA)!.RouteTableId);
        Assert.Equal("Resource.AlreadyAssociated", _vpc.Refuse(new AssociateRouteTable(VpcId, VpcRouting.MainRouteTableId(VpcId), SubnetA, "rtbassoc-0000000000000000b")).Code);
        Assert.Equal("DependencyViolation", _vpc.Refuse(new DeleteRouteTable(VpcId, Table)).Code);

        _vpc.Execute(new ReplaceRouteTableAssociation(VpcId, "rtbassoc-0000000000000000a", VpcRouting.MainRouteTableId(VpcId), "rtbassoc-0000000000000000c"));
        Assert.Equal(VpcRouting.MainRouteTableId(VpcId), _vpc.State!.RouteTableOf(SubnetA)!.RouteTableId);
        _vpc.Execute(new DisassociateRouteTable(VpcId, "rtbassoc-0000000000000000c"));
        _vpc.Execute(new DeleteRouteTable(VpcId, Table));
        Assert.Null(_vpc.State!.FindRouteTable(Table));
    }

    [Fact]
    public void Replacing_the_main_association_makes_another_table_main_and_the_main_one_cannot_be_disassociated()
    {
        var mainAssociation = _vpc.State!.MainRouteTable()!.Associations.Single().AssociationId;
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new DisassociateRouteTable(VpcId, mainAssociation)).Code);
        _vpc.Execute(new ReplaceRouteTableAssociation(VpcId, mainAssociation, Table, "rtbassoc-0000000000000000d"));
        Assert.Equal(Table, _vpc.State!.MainRouteTable()!.RouteTableId);
        Assert.Equal(Table, _vpc.State!.RouteTableOf(SubnetB)!.RouteTableId);
    }

    [Fact]
    public void Network_ACL_entries_follow_the_AWS_rules()
    {
        const string Acl = "acl-0aaaaaaaaaaaaaaaa";
        _vpc.Execute(new CreateNetworkAcl(VpcId, Acl));
        Assert.Empty(_vpc.State!.FindNetworkAcl(Acl)!.Entries); // a custom ACL denies everything until entries are added
        var https = new NetworkAclEntryRequest(100, false, "tcp", "allow", "0.0.0.0/0", new PortRange(443, 443));
        _vpc.Execute(new CreateNetworkAclEntry(VpcId, Acl, https));
        Assert.Equal("6", _vpc.State!.FindNetworkAcl(Acl)!.FindEntry(100, false)!.Protocol);
        Assert.Equal("NetworkAclEntryAlreadyExists", _vpc.Refuse(new CreateNetworkAclEntry(VpcId, Acl, https with { RuleAction = "deny" })).Code);
        _vpc.Execute(new CreateNetworkAclEntry(VpcId, Acl, https with { Egress = true })); // the same number in the other direction is another rule
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateNetworkAclEntry(VpcId, Acl, https with { RuleNumber = 32767 })).Code);
        Assert.Equal("MissingParameter", _vpc.Refuse(new CreateNetworkAclEntry(VpcId, Acl, https with { RuleNumber = 110, PortRange = null })).Code);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateNetworkAclEntry(VpcId, Acl, https with { RuleNumber = 120, RuleAction = "maybe" })).Code);
        Assert.Equal("MissingParameter", _vpc.Refuse(new CreateNetworkAclEntry(VpcId, Acl, new NetworkAclEntryRequest(130, false, "icmp", "allow", "0.0.0.0/0"))).Code);
        Assert.Equal("InvalidNetworkAclEntry.NotFound", _vpc.Refuse(new DeleteNetworkAclEntry(VpcId, Acl, 200, false)).Code);
        _vpc.Execute(new ReplaceNetworkAclEntry(VpcId, Acl, https with { RuleAction = "deny" }));
        Assert.Equal("deny", _vpc.State!.FindNetworkAcl(Acl)!.FindEntry(100, false)!.RuleAction);
    }

    [Fact]
    public void A_network_ACL_limit_counts_the_implicit_deny()
    {
        const string Acl = "acl-0aaaaaaaaaaaaaaaa";
        _vpc.Execute(new CreateNetworkAcl(VpcId, Acl));
        for (var rule = 1; rule < NetworkAclRules.MaxEntriesPerDirection; rule++)
            _vpc.Execute(new CreateNetworkAclEntry(VpcId, Acl, new NetworkAclEntryRequest(rule, false, "-1", "allow", $"10.{rule}.0.0/16")));
        Assert.Equal("NetworkAclEntryLimitExceeded", _vpc.Refuse(new CreateNetworkAclEntry(VpcId, Acl, new NetworkAclEntryRequest(500, false, "-1", "allow", "0.0.0.0/0"))).Code);
    }

    [Fact]
    public void Subnets_move_between_ACLs_and_a_used_or_default_ACL_cannot_be_deleted()
    {
        const string Acl = "acl-0aaaaaaaaaaaaaaaa";
        _vpc.Execute(new CreateNetworkAcl(VpcId, Acl));
        var defaultAcl = _vpc.State!.DefaultNetworkAcl()!;
        var association = defaultAcl.Associations.Single(a => a.SubnetId == SubnetA).AssociationId;
        _vpc.Execute(new ReplaceNetworkAclAssociation(VpcId, association, Acl, "aclassoc-0000000000000000a"));
        Assert.Equal(Acl, _vpc.State!.NetworkAclOf(SubnetA)!.NetworkAclId);
        Assert.Equal("DependencyViolation", _vpc.Refuse(new DeleteNetworkAcl(VpcId, Acl)).Code);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new DeleteNetworkAcl(VpcId, defaultAcl.NetworkAclId)).Code);
        _vpc.Execute(new DeleteSubnet(VpcId, SubnetA)); // its associations go with it
        _vpc.Execute(new DeleteNetworkAcl(VpcId, Acl));
    }

    [Fact]
    public void Custom_tables_and_ACLs_keep_the_VPC_alive()
    {
        _vpc.Execute(new DeleteSubnet(VpcId, SubnetA));
        _vpc.Execute(new DeleteSubnet(VpcId, SubnetB));
        Assert.Equal("DependencyViolation", _vpc.Refuse(new DeleteVpc(VpcId)).Code);
        _vpc.Execute(new DeleteRouteTable(VpcId, Table));
        _vpc.Execute(new DeleteVpc(VpcId));
        Assert.Null(_vpc.State);
    }

    [Fact]
    public void Attributes_and_tags_change_once_and_refuse_what_AWS_refuses()
    {
        Assert.False(_vpc.State!.EnableDnsHostnames);
        Assert.Single(_vpc.Execute(new ModifyVpcAttribute(VpcId, VpcAttributes.EnableDnsHostnames, true)));
        Assert.Empty(_vpc.Execute(new ModifyVpcAttribute(VpcId, VpcAttributes.EnableDnsHostnames, true)));
        _vpc.Execute(new ModifyVpcAttribute(VpcId, VpcAttributes.EnableDnsHostnames, false));
        _vpc.Execute(new ModifyVpcAttribute(VpcId, VpcAttributes.EnableDnsSupport, false));
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new ModifyVpcAttribute(VpcId, VpcAttributes.EnableDnsHostnames, true)).Code);

        _vpc.Execute(new ModifySubnetAttribute(VpcId, SubnetA, SubnetAttributes.PrivateDnsHostnameTypeOnLaunch, "resource-name"));
        Assert.Equal("resource-name", _vpc.State!.FindSubnet(SubnetA)!.PrivateDnsHostnameTypeOnLaunch);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new ModifySubnetAttribute(VpcId, SubnetA, SubnetAttributes.MapPublicIpOnLaunch, "perhaps")).Code);

        _vpc.Execute(new TagResource(VpcId, Table, ImmutableDictionary<string, string>.Empty.Add("Name", "public")));
        Assert.Equal("public", _vpc.State!.FindRouteTable(Table)!.Tags["Name"]);
        _vpc.Execute(new UntagResource(VpcId, Table, [new("Name", "other")])); // a value that does not match leaves the tag
        Assert.True(_vpc.State!.FindRouteTable(Table)!.Tags.ContainsKey("Name"));
        _vpc.Execute(new UntagResource(VpcId, Table, [new("Name")]));
        Assert.Empty(_vpc.State!.FindRouteTable(Table)!.Tags);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new TagResource(VpcId, SubnetA, ImmutableDictionary<string, string>.Empty.Add("aws:x", "y"))).Code);
        Assert.Equal("InvalidRouteTableID.NotFound", _vpc.Refuse(new TagResource(VpcId, "rtb-0123456789abcdef0", ImmutableDictionary<string, string>.Empty.Add("a", "b"))).Code);
    }
}
