using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Orchestrator.Actors.Ec2;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>One in-memory node with its AWS endpoint, shared by the security group API tests.</summary>
public sealed class ApiNodeFixture : IAsyncLifetime
{
    private WebApplication _api = null!;

    public OrchestratorNode Node { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new NodeOptions { Persistence = PersistenceMode.Memory, NodePort = 0, TimeScale = 100, ApiPort = port, AccountId = "123456789012" };
        Node = await OrchestratorNode.Start(options, Modules.All(options), _ => { }, CancellationToken.None);
        _api = await ApiServer.Start(options, Node);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _api.DisposeAsync();
        await Node.DisposeAsync();
    }
}

/// <summary>The security group actions over HTTP, as the EC2 query protocol carries them, with AWS's error codes.</summary>
public sealed class SecurityGroupApiTests(ApiNodeFixture fixture) : IClassFixture<ApiNodeFixture>
{
    private static readonly XNamespace Ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private async Task<(HttpStatusCode Status, XElement Body)> Call(string action, params (string Name, string Value)[] parameters)
    {
        var body = string.Join('&', parameters.Prepend(("Version", "2016-11-15")).Prepend(("Action", action))
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        using var response = await fixture.Http.SendAsync(request);
        return (response.StatusCode, XElement.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<XElement> Ok(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Call(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action}: {status} {body}");
        return body;
    }

    private async Task<string> Fails(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Call(action, parameters);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.Descendants("Code").Single().Value;
    }

    private static string Value(XElement element, string name) => element.Element(Ec2 + name)!.Value;

    private static IEnumerable<XElement> Items(XElement element, string list) => element.Element(Ec2 + list)?.Elements(Ec2 + "item") ?? [];

    private async Task<string> NewVpc() => Value((await Ok("CreateVpc", ("CidrBlock", "10.20.0.0/16"))).Element(Ec2 + "vpc")!, "vpcId");

    private async Task<string> NewGroup(string vpcId, string name) =>
        Value(await Ok("CreateSecurityGroup", ("GroupName", name), ("GroupDescription", name + " tier"), ("VpcId", vpcId)), "groupId");

    [Fact]
    public async Task The_default_vpc_has_a_default_group_that_admits_itself_and_cannot_be_deleted()
    {
        var described = await Ok("DescribeSecurityGroups", ("GroupName.1", "default"));

        var group = Assert.Single(Items(described, "securityGroupInfo"));
        var groupId = Value(group, "groupId");
        Assert.Equal("default VPC security group", Value(group, "groupDescription"));
        Assert.Equal("123456789012", Value(group, "ownerId"));
        var inbound = Assert.Single(Items(group, "ipPermissions"));
        Assert.Equal("-1", Value(inbound, "ipProtocol"));
        Assert.Null(inbound.Element(Ec2 + "fromPort"));
        Assert.Equal(groupId, Value(Assert.Single(Items(inbound, "groups")), "groupId"));
        Assert.Equal("0.0.0.0/0", Value(Assert.Single(Items(Assert.Single(Items(group, "ipPermissionsEgress")), "ipRanges")), "cidrIp"));
        Assert.Equal("CannotDelete", await Fails("DeleteSecurityGroup", ("GroupName", "default")));
    }

    [Fact]
    public async Task Create_authorize_with_a_group_reference_describe_revoke_and_delete()
    {
        var vpcId = await NewVpc();
        var created = await Ok("CreateSecurityGroup", ("GroupName", "app"), ("GroupDescription", "app tier"), ("VpcId", vpcId),
            ("TagSpecification.1.ResourceType", "security-group"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "app"));
        var app = Value(created, "groupId");
        Assert.Equal($"arn:aws:ec2:us-east-1:123456789012:security-group/{app}", Value(created, "securityGroupArn"));
        var db = await NewGroup(vpcId, "db");
        Assert.Equal("InvalidGroup.Duplicate", await Fails("CreateSecurityGroup", ("GroupName", "db"), ("GroupDescription", "again"), ("VpcId", vpcId)));

        var authorized = await Ok("AuthorizeSecurityGroupIngress", ("GroupId", db),
            ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "5432"), ("IpPermissions.1.ToPort", "5432"),
            ("IpPermissions.1.Groups.1.GroupId", app), ("IpPermissions.1.Groups.1.Description", "from app"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "10.20.1.7/24"));
        Assert.Equal("true", Value(authorized, "return"));
        var rules = Items(authorized, "securityGroupRuleSet").ToList();
        Assert.Equal(2, rules.Count);
        Assert.All(rules, r => Assert.StartsWith("sgr-", Value(r, "securityGroupRuleId")));
        var fromApp = rules.Single(r => r.Element(Ec2 + "referencedGroupInfo") is not null);
        Assert.Equal(app, Value(fromApp.Element(Ec2 + "referencedGroupInfo")!, "groupId"));
        Assert.Equal("10.20.1.0/24", Value(rules.Single(r => r != fromApp), "cidrIpv4"));
        Assert.Equal("InvalidPermission.Duplicate", await Fails("AuthorizeSecurityGroupIngress", ("GroupId", db),
            ("IpProtocol", "6"), ("FromPort", "5432"), ("ToPort", "5432"), ("CidrIp", "10.20.1.0/24")));

        var filtered = await Ok("DescribeSecurityGroups", ("Filter.1.Name", "ip-permission.group-name"), ("Filter.1.Value.1", "ap*"),
            ("Filter.2.Name", "vpc-id"), ("Filter.2.Value.1", vpcId));
        var group = Assert.Single(Items(filtered, "securityGroupInfo"));
        Assert.Equal(db, Value(group, "groupId"));
        var permission = Assert.Single(Items(group, "ipPermissions"));
        Assert.Equal(("tcp", "5432", "5432"), (Value(permission, "ipProtocol"), Value(permission, "fromPort"), Value(permission, "toPort")));
        Assert.Equal("from app", Value(Assert.Single(Items(permission, "groups")), "description"));
        Assert.Equal("10.20.1.0/24", Value(Assert.Single(Items(permission, "ipRanges")), "cidrIp"));
        var tagged = await Ok("DescribeSecurityGroups", ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "app"));
        Assert.Equal(app, Value(Assert.Single(Items(tagged, "securityGroupInfo")), "groupId"));

        var dbRules = await Ok("DescribeSecurityGroupRules", ("Filter.1.Name", "group-id"), ("Filter.1.Value.1", db));
        Assert.Equal(3, Items(dbRules, "securityGroupRuleSet").Count());

        Assert.Equal("DependencyViolation", await Fails("DeleteSecurityGroup", ("GroupId", app)));
        var revoked = await Ok("RevokeSecurityGroupIngress", ("GroupId", db), ("SecurityGroupRuleId.1", Value(fromApp, "securityGroupRuleId")));
        Assert.Equal(app, Value(Assert.Single(Items(revoked, "revokedSecurityGroupRuleSet")), "referencedGroupId"));
        Assert.Equal("InvalidPermission.NotFound", await Fails("RevokeSecurityGroupIngress", ("GroupId", db),
            ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "5432"), ("IpPermissions.1.ToPort", "5432"), ("IpPermissions.1.Groups.1.GroupId", app)));

        var deleted = await Ok("DeleteSecurityGroup", ("GroupId", app));
        Assert.Equal(app, Value(deleted, "groupId"));
        Assert.Equal("InvalidGroup.NotFound", await Fails("DescribeSecurityGroups", ("GroupId.1", app)));
    }

    [Fact]
    public async Task The_terraform_flow_replaces_the_default_egress_rule_and_updates_descriptions()
    {
        var vpcId = await NewVpc();
        var web = await NewGroup(vpcId, "web");

        await Ok("RevokeSecurityGroupEgress", ("GroupId", web), ("IpPermissions.1.IpProtocol", "-1"), ("IpPermissions.1.FromPort", "0"),
            ("IpPermissions.1.ToPort", "0"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"));
        await Ok("AuthorizeSecurityGroupEgress", ("GroupId", web), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "443"),
            ("IpPermissions.1.ToPort", "443"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"), ("IpPermissions.1.IpRanges.1.Description", "https"));
        await Ok("UpdateSecurityGroupRuleDescriptionsEgress", ("GroupId", web), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "443"),
            ("IpPermissions.1.ToPort", "443"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"), ("IpPermissions.1.IpRanges.1.Description", "https out"));

        var rules = Items(await Ok("DescribeSecurityGroupRules", ("Filter.1.Name", "group-id"), ("Filter.1.Value.1", web)), "securityGroupRuleSet").ToList();
        var rule = Assert.Single(rules);
        Assert.Equal(("true", "https out"), (Value(rule, "isEgress"), Value(rule, "description")));

        var ruleId = Value(rule, "securityGroupRuleId");
        await Ok("ModifySecurityGroupRules", ("GroupId", web), ("SecurityGroupRule.1.SecurityGroupRuleId", ruleId),
            ("SecurityGroupRule.1.SecurityGroupRule.IpProtocol", "tcp"), ("SecurityGroupRule.1.SecurityGroupRule.FromPort", "8443"),
            ("SecurityGroupRule.1.SecurityGroupRule.ToPort", "8443"), ("SecurityGroupRule.1.SecurityGroupRule.CidrIpv4", "0.0.0.0/0"));
        var modified = Assert.Single(Items(await Ok("DescribeSecurityGroupRules", ("SecurityGroupRuleId.1", ruleId)), "securityGroupRuleSet"));
        Assert.Equal("8443", Value(modified, "fromPort"));
        Assert.Null(modified.Element(Ec2 + "description"));
    }

    [Fact]
    public async Task A_group_an_instance_uses_cannot_be_deleted()
    {
        var described = await Ok("DescribeSecurityGroups", ("GroupName.1", "default"));
        var vpcId = Value(Items(described, "securityGroupInfo").Single(), "vpcId");
        var groupId = await NewGroup(vpcId, "in-use");
        await Ok("RunInstances", ("ImageId", "ami-0c02fb55956c7d316"), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"),
            ("SecurityGroupId.1", groupId));

        Assert.Equal("DependencyViolation", await Fails("DeleteSecurityGroup", ("GroupId", groupId)));
    }

    [Fact]
    public async Task The_default_group_of_a_vpc_is_created_once_and_deleted_only_with_the_vpc()
    {
        var vpcId = await NewVpc();
        var service = new SecurityGroupService(fixture.Node.Services);

        var first = await service.CreateDefaultSecurityGroup(vpcId);
        var again = await service.CreateDefaultSecurityGroup(vpcId);

        Assert.Equal(first.Value.GroupId, again.Value.GroupId);
        (string, string)[] defaultOfVpc = [("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpcId), ("Filter.2.Name", "group-name"), ("Filter.2.Value.1", "default")];
        Assert.Single(Items(await Ok("DescribeSecurityGroups", defaultOfVpc), "securityGroupInfo"));
        Assert.Equal("CannotDelete", await Fails("DeleteSecurityGroup", ("GroupId", first.Value.GroupId)));
        Assert.True((await service.DeleteDefaultSecurityGroup(vpcId)).Value);
        Assert.True((await service.DeleteDefaultSecurityGroup(vpcId)).Value);
        Assert.Empty(Items(await Ok("DescribeSecurityGroups", defaultOfVpc), "securityGroupInfo"));
    }

    [Fact]
    public async Task Describe_pages_with_MaxResults_and_NextToken_after_filtering()
    {
        var vpcId = await NewVpc();
        for (var i = 0; i < 6; i++)
            await NewGroup(vpcId, $"page-{i}");

        (string, string)[] filters = [("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpcId), ("Filter.2.Name", "group-name"), ("Filter.2.Value.1", "page-*")];
        var first = await Ok("DescribeSecurityGroups", [.. filters, ("MaxResults", "5")]);
        Assert.Equal(5, Items(first, "securityGroupInfo").Count());
        var second = await Ok("DescribeSecurityGroups", [.. filters, ("MaxResults", "5"), ("NextToken", Value(first, "nextToken"))]);
        Assert.Single(Items(second, "securityGroupInfo"));
        Assert.Null(second.Element(Ec2 + "nextToken"));
    }

    [Theory]
    [InlineData("DeleteSecurityGroup", "DryRun=false", "MissingParameter")]
    [InlineData("CreateSecurityGroup", "GroupName=x", "MissingParameter")]
    [InlineData("CreateSecurityGroup", "GroupName=default&GroupDescription=d", "InvalidParameterValue")]
    [InlineData("CreateSecurityGroup", "GroupName=sg-x&GroupDescription=d", "InvalidParameterValue")]
    [InlineData("CreateSecurityGroup", "GroupName=x&GroupDescription=d&VpcId=vpc-bad", "InvalidVpcID.Malformed")]
    [InlineData("CreateSecurityGroup", "GroupName=x&GroupDescription=d&VpcId=vpc-0123456789abcdef0", "InvalidVpcID.NotFound")]
    [InlineData("DescribeSecurityGroups", "GroupId.1=sg-bad", "InvalidGroupId.Malformed")]
    [InlineData("DescribeSecurityGroups", "GroupId.1=sg-0123456789abcdef0", "InvalidGroup.NotFound")]
    [InlineData("DescribeSecurityGroups", "GroupName.1=nope", "InvalidGroup.NotFound")]
    [InlineData("DescribeSecurityGroups", "Filter.1.Name=nope&Filter.1.Value.1=x", "InvalidParameterValue")]
    [InlineData("DescribeSecurityGroups", "MaxResults=5&GroupName.1=default&GroupId.1=sg-0123456789abcdef0", "InvalidParameterCombination")]
    [InlineData("DescribeSecurityGroups", "MaxResults=2", "InvalidParameterValue")]
    [InlineData("DescribeSecurityGroupRules", "SecurityGroupRuleId.1=sgr-0123456789abcdef0", "InvalidSecurityGroupRuleId.NotFound")]
    [InlineData("DescribeSecurityGroupRules", "SecurityGroupRuleId.1=sgr-x", "InvalidSecurityGroupRuleId.Malformed")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupId=sg-bad&IpProtocol=tcp&FromPort=1&ToPort=1&CidrIp=10.0.0.0/8", "InvalidGroupId.Malformed")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupId=sg-0123456789abcdef0&IpProtocol=tcp&FromPort=1&ToPort=1&CidrIp=10.0.0.0/8", "InvalidGroup.NotFound")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupName=default&IpProtocol=foo&FromPort=1&ToPort=1&CidrIp=10.0.0.0/8", "InvalidParameterValue")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupName=default&IpProtocol=tcp&CidrIp=10.0.0.0/8", "InvalidParameterValue")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupName=default&IpProtocol=tcp&FromPort=80&ToPort=79&CidrIp=10.0.0.0/8", "InvalidParameterValue")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupName=default&IpProtocol=tcp&FromPort=1&ToPort=1&CidrIp=10.0.0.0/33", "InvalidParameterValue")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupName=default&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=1&IpPermissions.1.ToPort=1&IpPermissions.1.Groups.1.GroupId=sg-0123456789abcdef0", "InvalidGroup.NotFound")]
    [InlineData("AuthorizeSecurityGroupIngress", "GroupName=default&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=1&IpPermissions.1.ToPort=1&IpPermissions.1.Ipv6Ranges.1.CidrIpv6=zz::/64", "InvalidParameterValue")]
    [InlineData("AuthorizeSecurityGroupEgress", "IpProtocol=tcp&FromPort=1&ToPort=1&CidrIp=10.0.0.0/8", "MissingParameter")]
    [InlineData("RevokeSecurityGroupIngress", "GroupName=default&SecurityGroupRuleId.1=sgr-bad", "InvalidSecurityGroupRuleId.Malformed")]
    [InlineData("RevokeSecurityGroupEgress", "GroupId=sg-0123456789abcdef0&SecurityGroupRuleId.1=sgr-0123456789abcdef0", "InvalidGroup.NotFound")]
    [InlineData("DeleteSecurityGroup", "GroupId=sg-0123456789abcdef0", "InvalidGroup.NotFound")]
    [InlineData("DeleteSecurityGroup", "GroupId=nope", "InvalidGroupId.Malformed")]
    public async Task Bad_requests_get_AWS_error_codes_and_400(string action, string query, string code)
    {
        var parameters = query.Split('&').Select(p => p.Split('=', 2)).Select(p => (p[0], p[1])).ToArray();
        Assert.Equal(code, await Fails(action, parameters));
    }
}
