using System.Xml.Linq;

namespace Orchestrator.Node.Tests;

/// <summary>Route tables, network ACLs, VPC and subnet attributes and tags over the EC2 query API of an in-process node.</summary>
public sealed class VpcNetworkApiTests(NetworkApiFixture api) : IClassFixture<NetworkApiFixture>
{
    private static string Text(XElement body, string name) => body.Descendants(name).First().Value;

    private static IEnumerable<string> Texts(XElement body, string name) => body.Descendants(name).Select(e => e.Value);

    private async Task<(string VpcId, string SubnetId)> VpcWithSubnet(string cidr)
    {
        var vpc = Text(await api.Ok("CreateVpc", ("CidrBlock", $"{cidr}.0.0/16")), "vpcId");
        var subnet = Text(await api.Ok("CreateSubnet", ("VpcId", vpc), ("CidrBlock", $"{cidr}.1.0/24"), ("AvailabilityZone", "us-east-1a")), "subnetId");
        return (vpc, subnet);
    }

    [Fact]
    public async Task A_new_VPC_is_described_with_its_main_table_default_ACL_and_default_security_group()
    {
        var (vpc, subnet) = await VpcWithSubnet("10.90");
        var main = await api.Ok("DescribeRouteTables", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpc), ("Filter.2.Name", "association.main"), ("Filter.2.Value.1", "true"));
        Assert.Single(main.Descendants("routeTableId").Select(e => e.Value).Distinct());
        Assert.Equal(["local"], Texts(main, "gatewayId"));
        var acl = await api.Ok("DescribeNetworkAcls", ("Filter.1.Name", "default"), ("Filter.1.Value.1", "true"), ("Filter.2.Name", "vpc-id"), ("Filter.2.Value.1", vpc));
        Assert.Equal([subnet], Texts(acl, "subnetId"));
        Assert.Equal(["100", "32767", "100", "32767"], Texts(acl, "ruleNumber"));
        var groups = await api.Ok("DescribeSecurityGroups", ("Filter.1.Name", "group-name"), ("Filter.1.Value.1", "default"), ("Filter.2.Name", "vpc-id"), ("Filter.2.Value.1", vpc));
        Assert.Single(Texts(groups, "groupName"), n => n == "default");
    }

    [Fact]
    public async Task Public_and_private_routing_through_gateways_with_blackholes_when_they_go()
    {
        var (vpc, subnet) = await VpcWithSubnet("10.91");
        var igw = Text(await api.Ok("CreateInternetGateway"), "internetGatewayId");
        var table = Text(await api.Ok("CreateRouteTable", ("VpcId", vpc)), "routeTableId");
        Assert.Equal("InvalidParameterValue", await api.Fails("CreateRoute", ("RouteTableId", table), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", igw)));
        await api.Ok("AttachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpc));
        await api.Ok("CreateRoute", ("RouteTableId", table), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", igw));
        Assert.Equal("RouteAlreadyExists", await api.Fails("CreateRoute", ("RouteTableId", table), ("DestinationCidrBlock", "0.0.0.0/0"), ("GatewayId", igw)));
        Assert.Equal("MissingParameter", await api.Fails("CreateRoute", ("RouteTableId", table), ("DestinationCidrBlock", "10.9.0.0/16")));
        Assert.Equal("InvalidParameterCombination", await api.Fails("CreateRoute", ("RouteTableId", table), ("DestinationCidrBlock", "10.9.0.0/16"), ("GatewayId", igw), ("NatGatewayId", "nat-0123456789abcdef0")));
        Assert.Equal("InvalidGatewayID.NotFound", await api.Fails("CreateRoute", ("RouteTableId", table), ("DestinationCidrBlock", "10.9.0.0/16"), ("GatewayId", "igw-0123456789abcdef0")));
        var association = Text(await api.Ok("AssociateRouteTable", ("RouteTableId", table), ("SubnetId", subnet)), "associationId");
        Assert.Equal("Resource.AlreadyAssociated", await api.Fails("AssociateRouteTable", ("RouteTableId", table), ("SubnetId", subnet)));
        var byAssociation = await api.Ok("DescribeRouteTables", ("Filter.1.Name", "association.route-table-association-id"), ("Filter.1.Value.1", association));
        Assert.Equal([table], Texts(byAssociation, "routeTableId").Distinct());
        Assert.Equal(["associated", "active", "active"], Texts(byAssociation, "state"));

        await api.Ok("DetachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpc));
        var after = await api.Ok("DescribeRouteTables", ("RouteTableId.1", table));
        Assert.Contains("blackhole", Texts(after, "state"));
        Assert.Equal("DependencyViolation", await api.Fails("DeleteRouteTable", ("RouteTableId", table)));
        await api.Ok("DisassociateRouteTable", ("AssociationId", association));
        await api.Ok("DeleteRoute", ("RouteTableId", table), ("DestinationCidrBlock", "0.0.0.0/0"));
        await api.Ok("DeleteRouteTable", ("RouteTableId", table));
        Assert.Equal("InvalidRouteTableID.NotFound", await api.Fails("DescribeRouteTables", ("RouteTableId.1", table)));
    }

    [Fact]
    public async Task Network_ACL_entries_and_associations_over_the_API()
    {
        var (vpc, subnet) = await VpcWithSubnet("10.92");
        var acl = Text(await api.Ok("CreateNetworkAcl", ("VpcId", vpc)), "networkAclId");
        await api.Ok("CreateNetworkAclEntry", ("NetworkAclId", acl), ("RuleNumber", "100"), ("Protocol", "6"), ("RuleAction", "allow"), ("Egress", "false"),
            ("CidrBlock", "0.0.0.0/0"), ("PortRange.From", "443"), ("PortRange.To", "443"));
        Assert.Equal("NetworkAclEntryAlreadyExists", await api.Fails("CreateNetworkAclEntry", ("NetworkAclId", acl), ("RuleNumber", "100"), ("Protocol", "-1"),
            ("RuleAction", "deny"), ("Egress", "false"), ("CidrBlock", "0.0.0.0/0")));
        Assert.Equal("InvalidParameterValue", await api.Fails("CreateNetworkAclEntry", ("NetworkAclId", acl), ("RuleNumber", "40000"), ("Protocol", "-1"),
            ("RuleAction", "deny"), ("Egress", "false"), ("CidrBlock", "0.0.0.0/0")));
        var current = await api.Ok("DescribeNetworkAcls", ("Filter.1.Name", "association.subnet-id"), ("Filter.1.Value.1", subnet));
        var association = current.Descendants("networkAclAssociationId").First().Value;
        var moved = Text(await api.Ok("ReplaceNetworkAclAssociation", ("AssociationId", association), ("NetworkAclId", acl)), "newAssociationId");
        var described = await api.Ok("DescribeNetworkAcls", ("NetworkAclId.1", acl));
        Assert.Equal([moved], Texts(described, "networkAclAssociationId"));
        Assert.Contains("443", Texts(described, "from"));
        Assert.Equal("DependencyViolation", await api.Fails("DeleteNetworkAcl", ("NetworkAclId", acl)));
        Assert.Equal("InvalidNetworkAclID.NotFound", await api.Fails("DeleteNetworkAcl", ("NetworkAclId", "acl-0123456789abcdef0")));
    }

    [Fact]
    public async Task Attributes_and_tags_over_the_API()
    {
        var (vpc, subnet) = await VpcWithSubnet("10.93");
        Assert.Equal("false", Text(await api.Ok("DescribeVpcAttribute", ("VpcId", vpc), ("Attribute", "enableDnsHostnames")), "value"));
        await api.Ok("ModifyVpcAttribute", ("VpcId", vpc), ("EnableDnsHostnames.Value", "true"));
        Assert.Equal("true", Text(await api.Ok("DescribeVpcAttribute", ("VpcId", vpc), ("Attribute", "enableDnsHostnames")), "value"));
        Assert.Equal("InvalidParameterCombination", await api.Fails("ModifyVpcAttribute", ("VpcId", vpc), ("EnableDnsHostnames.Value", "true"), ("EnableDnsSupport.Value", "true")));
        Assert.Equal("InvalidParameterValue", await api.Fails("DescribeVpcAttribute", ("VpcId", vpc), ("Attribute", "colour")));
        await api.Ok("ModifySubnetAttribute", ("SubnetId", subnet), ("MapPublicIpOnLaunch.Value", "true"));
        Assert.Equal("true", Text(await api.Ok("DescribeSubnets", ("SubnetId.1", subnet)), "mapPublicIpOnLaunch"));

        await api.Ok("CreateTags", ("ResourceId.1", vpc), ("ResourceId.2", subnet), ("Tag.1.Key", "Team"), ("Tag.1.Value", "web"));
        var tags = await api.Ok("DescribeTags", ("Filter.1.Name", "key"), ("Filter.1.Value.1", "Team"));
        Assert.Equal(new[] { subnet, vpc }.Order(StringComparer.Ordinal), Texts(tags, "resourceId").Where(id => id == vpc || id == subnet).Order(StringComparer.Ordinal));
        Assert.Equal("InvalidID", await api.Fails("CreateTags", ("ResourceId.1", "bogus-123"), ("Tag.1.Key", "a"), ("Tag.1.Value", "b")));
        Assert.Equal("InvalidSubnetID.NotFound", await api.Fails("CreateTags", ("ResourceId.1", "subnet-0123456789abcdef0"), ("Tag.1.Key", "a"), ("Tag.1.Value", "b")));
        await api.Ok("DeleteTags", ("ResourceId.1", vpc), ("Tag.1.Key", "Team"));
        var left = await api.Ok("DescribeTags", ("Filter.1.Name", "resource-id"), ("Filter.1.Value.1", vpc));
        Assert.Empty(Texts(left, "key"));
    }

    [Fact]
    public async Task CreateDefaultVpc_refuses_while_one_exists_and_rebuilds_it_after_it_was_deleted()
    {
        Assert.Equal("DefaultVpcAlreadyExists", await api.Fails("CreateDefaultVpc"));
        var old = Text(await api.Ok("DescribeVpcs", ("Filter.1.Name", "is-default"), ("Filter.1.Value.1", "true")), "vpcId");
        foreach (var subnet in Texts(await api.Ok("DescribeSubnets", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", old)), "subnetId").ToList())
            await api.Ok("DeleteSubnet", ("SubnetId", subnet));
        var igw = Text(await api.Ok("DescribeInternetGateways", ("Filter.1.Name", "attachment.vpc-id"), ("Filter.1.Value.1", old)), "internetGatewayId");
        await api.Ok("DetachInternetGateway", ("InternetGatewayId", igw), ("VpcId", old));
        await api.Ok("DeleteVpc", ("VpcId", old));
        Assert.Equal("VPCIdNotSpecified", await api.Fails("RunInstances", ("ImageId", "ami-0c02fb55956c7d316"), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1")));

        var created = await api.Ok("CreateDefaultVpc");
        var vpc = Text(created, "vpcId");
        Assert.Equal("172.31.0.0/16", Text(created, "cidrBlock"));
        Assert.Equal("true", Text(created, "isDefault"));
        var subnets = await api.Ok("DescribeSubnets", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpc), ("Filter.2.Name", "default-for-az"), ("Filter.2.Value.1", "true"));
        Assert.NotEmpty(Texts(subnets, "subnetId"));
        var main = await api.Ok("DescribeRouteTables", ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpc), ("Filter.2.Name", "route.destination-cidr-block"), ("Filter.2.Value.1", "0.0.0.0/0"));
        Assert.StartsWith("igw-", Texts(main, "gatewayId").Single(g => g != "local"), StringComparison.Ordinal);
        var launched = await api.Ok("RunInstances", ("ImageId", "ami-0c02fb55956c7d316"), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"));
        Assert.Equal(vpc, Text(launched, "vpcId"));
    }
}
