using System.Xml.Linq;

namespace Orchestrator.Node.Tests;

/// <summary>ELBv2 load balancers, listeners, rules and tags over the query API of an in-process node, bad input included.</summary>
public sealed class LoadBalancerApiTests(LoadBalancerApiFixture api) : IClassFixture<LoadBalancerApiFixture>
{
    private static string Text(XElement body, string name) => body.Descendants(name).First().Value;

    private static IEnumerable<string> Texts(XElement body, string name) => body.Descendants(name).Select(e => e.Value);

    private async Task<(string Vpc, string[] Subnets)> Network(string prefix)
    {
        var vpc = Text((await api.Ec2("CreateVpc", ("CidrBlock", $"{prefix}.0.0/16"))).Body, "vpcId");
        var subnets = new List<string>();
        foreach (var (zone, i) in new[] { "a", "b", "c" }.Select((z, i) => (z, i)))
            subnets.Add(Text((await api.Ec2("CreateSubnet", ("VpcId", vpc), ("CidrBlock", $"{prefix}.{i}.0/24"), ("AvailabilityZone", "us-east-1" + zone))).Body, "subnetId"));
        return (vpc, [.. subnets]);
    }

    private async Task<string> LoadBalancer(string name, params string[] subnets) =>
        Text(await api.Ok("CreateLoadBalancer", [("Name", name), .. subnets.Select((s, i) => ($"Subnets.member.{i + 1}", s))]), "LoadBalancerArn");

    private static (string, string)[] FixedResponse(string prefix, string status) =>
        [($"{prefix}.member.1.Type", "fixed-response"), ($"{prefix}.member.1.FixedResponseConfig.StatusCode", status)];

    private static (string, string)[] Forward(string prefix, string targetGroupArn) =>
        [($"{prefix}.member.1.Type", "forward"), ($"{prefix}.member.1.TargetGroupArn", targetGroupArn)];

    private static (string, string)[] PathCondition(string path) =>
        [("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.PathPatternConfig.Values.member.1", path)];

    [Fact]
    public async Task A_load_balancer_is_created_described_becomes_active_and_is_deleted_idempotently()
    {
        var (vpc, subnets) = await Network("10.100");
        var created = await api.Ok("CreateLoadBalancer", ("Name", "api-web"), ("SubnetMappings.member.1.SubnetId", subnets[0]), ("SubnetMappings.member.2.SubnetId", subnets[1]));
        Assert.Equal("ValidationError", await api.Fails("CreateLoadBalancer", ("Name", "api-web-3"), ("Subnets.member.1", subnets[0]), ("SubnetMappings.member.1.SubnetId", subnets[1])));
        var arn = await LoadBalancer("api-web-2", subnets[0], subnets[1]);
        Assert.Equal("provisioning", Text(await api.Ok("DescribeLoadBalancers", ("LoadBalancerArns.member.1", arn)), "Code"));
        Assert.Equal(vpc, Text(created, "VpcId"));
        Assert.Matches(@"^api-web-2-\d{10}\.us-east-1\.elb\.amazonaws\.com$", Text(await api.Ok("DescribeLoadBalancers", ("Names.member.1", "api-web-2")), "DNSName"));

        var active = await NetworkApiFixture.Eventually(async () => Text(await api.Ok("DescribeLoadBalancers", ("LoadBalancerArns.member.1", arn)), "Code"), code => code == "active");
        Assert.Equal("active", active);
        var attributes = await api.Ok("DescribeLoadBalancerAttributes", ("LoadBalancerArn", arn));
        Assert.Contains("routing.http2.enabled", Texts(attributes, "Key"));
        Assert.Equal("InvalidConfigurationRequest", await api.Fails("ModifyLoadBalancerAttributes", ("LoadBalancerArn", arn),
            ("Attributes.member.1.Key", "load_balancing.cross_zone.enabled"), ("Attributes.member.1.Value", "false")));

        var page = await api.Ok("DescribeLoadBalancers", ("PageSize", "1"));
        Assert.Single(Texts(page, "LoadBalancerArn"));
        Assert.Equal("1", Text(page, "NextMarker"));

        await api.Ok("DeleteLoadBalancer", ("LoadBalancerArn", arn));
        await api.Ok("DeleteLoadBalancer", ("LoadBalancerArn", arn));
        Assert.Equal("LoadBalancerNotFound", await api.Fails("DescribeLoadBalancers", ("LoadBalancerArns.member.1", arn)));
        Assert.Equal("LoadBalancerNotFound", await api.Fails("DescribeLoadBalancers", ("Names.member.1", "no-such-lb")));
    }

    [Fact]
    public async Task Bad_load_balancers_are_refused_with_the_codes_AWS_uses()
    {
        var (_, subnets) = await Network("10.101");
        var (_, otherVpcSubnets) = await Network("10.102");
        Assert.Equal("InvalidConfigurationRequest", await api.Fails("CreateLoadBalancer", ("Name", "one-zone"), ("Subnets.member.1", subnets[0])));
        Assert.Equal("SubnetNotFound", await api.Fails("CreateLoadBalancer", ("Name", "ghost"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", "subnet-0123456789abcdef0")));
        Assert.Equal("InvalidSubnet", await api.Fails("CreateLoadBalancer", ("Name", "two-vpcs"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", otherVpcSubnets[1])));
        Assert.Equal("InvalidSecurityGroup", await api.Fails("CreateLoadBalancer", ("Name", "bad-sg"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[1]),
            ("SecurityGroups.member.1", "sg-0123456789abcdef0")));
        Assert.Equal("ValidationError", await api.Fails("CreateLoadBalancer", ("Name", "-bad-name"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[1])));
        var dup = await LoadBalancer("dup", subnets[0], subnets[1]);
        Assert.Equal(dup, await LoadBalancer("dup", subnets[1], subnets[0])); // same settings: the same load balancer, as AWS answers
        Assert.Equal("DuplicateLoadBalancerName", await api.Fails("CreateLoadBalancer", ("Name", "dup"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[2])));
        Assert.Equal("ValidationError", await api.Fails("DescribeLoadBalancers", ("LoadBalancerArns.member.1", "arn:aws:ec2:us-east-1:000000000000:vpc/vpc-1")));
        var network = Text(await api.Ok("CreateLoadBalancer", ("Name", "one-zone-nlb"), ("Type", "network"), ("Subnets.member.1", subnets[0])), "LoadBalancerArn");
        Assert.Equal("UnsupportedProtocol", await api.Fails("CreateListener", [("LoadBalancerArn", network), ("Protocol", "HTTP"), ("Port", "80"), .. FixedResponse("DefaultActions", "200")]));
        const string Unknown = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/nope/0123456789abcdef";
        Assert.Equal("LoadBalancerNotFound", await api.Fails("DescribeLoadBalancerAttributes", ("LoadBalancerArn", Unknown)));
        Assert.Equal("ValidationError", await api.Fails("DescribeLoadBalancerAttributes", ("LoadBalancerArn", "not-an-arn")));
    }

    [Fact]
    public async Task Subnets_and_security_groups_can_be_changed()
    {
        var (vpc, subnets) = await Network("10.103");
        var arn = await LoadBalancer("movable", subnets[0], subnets[1]);
        var set = await api.Ok("SetSubnets", ("LoadBalancerArn", arn), ("Subnets.member.1", subnets[1]), ("Subnets.member.2", subnets[2]));
        Assert.Equal(["us-east-1b", "us-east-1c"], Texts(set, "ZoneName"));
        Assert.Equal("InvalidConfigurationRequest", await api.Fails("SetSubnets", ("LoadBalancerArn", arn), ("Subnets.member.1", subnets[1])));
        var (status, created) = await api.Ec2("CreateSecurityGroup", ("GroupName", "lb"), ("GroupDescription", "lb"), ("VpcId", vpc));
        Assert.True(status == System.Net.HttpStatusCode.OK, created.ToString());
        var group = Text(created, "groupId");
        Assert.Equal([group], Texts(await api.Ok("SetSecurityGroups", ("LoadBalancerArn", arn), ("SecurityGroups.member.1", group)), "member"));
    }

    [Fact]
    public async Task Listeners_and_rules_are_validated_described_modified_and_deleted()
    {
        var (vpc, subnets) = await Network("10.104");
        var arn = await LoadBalancer("routes", subnets[0], subnets[1]);
        var listener = Text(await api.Ok("CreateListener", [("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", "80"), .. FixedResponse("DefaultActions", "404")]), "ListenerArn");
        Assert.Equal("DuplicateListener", await api.Fails("CreateListener", [("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", "80"), .. FixedResponse("DefaultActions", "404")]));
        Assert.Equal("ValidationError", await api.Fails("CreateListener", [("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", "0"), .. FixedResponse("DefaultActions", "404")]));
        Assert.Equal("ValidationError", await api.Fails("CreateListener", [("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", "81"), .. FixedResponse("DefaultActions", "302")]));
        Assert.Equal("InvalidLoadBalancerAction", await api.Fails("CreateListener", [("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", "82"),
            .. FixedResponse("DefaultActions", "200"), ("DefaultActions.member.2.Type", "redirect"), ("DefaultActions.member.2.RedirectConfig.StatusCode", "HTTP_301")]));

        var web = await api.TargetGroup(vpc);
        var rule = Text(await api.Ok("CreateRule", [("ListenerArn", listener), ("Priority", "10"), .. PathCondition("/api/*"), .. Forward("Actions", web)]), "RuleArn");
        Assert.Equal("PriorityInUse", await api.Fails("CreateRule", [("ListenerArn", listener), ("Priority", "10"), .. PathCondition("/other/*"), .. FixedResponse("Actions", "200")]));
        Assert.Equal("TargetGroupNotFound", await api.Fails("CreateRule", [("ListenerArn", listener), ("Priority", "11"), .. PathCondition("/x"),
            .. Forward("Actions", "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0123456789abcdef")]));
        Assert.Equal("InvalidConfigurationRequest", await api.Fails("CreateRule", [("ListenerArn", listener), ("Priority", "12"), .. PathCondition("/y"),
            .. Forward("Actions", await api.TargetGroup("vpc-0123456789abcdef0"))]));
        Assert.Equal("InvalidConfigurationRequest", await api.Fails("CreateRule", [("ListenerArn", listener), ("Priority", "13"), .. PathCondition("/z"),
            .. Forward("Actions", await api.TargetGroup(vpc, "HTTP", "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/other/0123456789abcdef"))]));
        Assert.Equal("IncompatibleProtocols", await api.Fails("CreateRule", [("ListenerArn", listener), ("Priority", "14"), .. PathCondition("/w"),
            .. Forward("Actions", await api.TargetGroup(vpc, "TCP"))]));

        var rules = await api.Ok("DescribeRules", ("ListenerArn", listener));
        Assert.Equal(["10", "default"], Texts(rules, "Priority"));
        Assert.Equal(["false", "true"], Texts(rules, "IsDefault"));
        Assert.Equal(web, Text(await api.Ok("DescribeRules", ("RuleArns.member.1", rule)), "TargetGroupArn"));
        var defaultRule = rules.Descendants("member").First(m => m.Element("IsDefault")?.Value == "true").Element("RuleArn")!.Value;
        Assert.Equal("OperationNotPermitted", await api.Fails("DeleteRule", ("RuleArn", defaultRule)));

        var second = Text(await api.Ok("CreateRule", [("ListenerArn", listener), ("Priority", "20"), .. PathCondition("/b/*"), .. FixedResponse("Actions", "200")]), "RuleArn");
        var swapped = await api.Ok("SetRulePriorities", ("RulePriorities.member.1.RuleArn", rule), ("RulePriorities.member.1.Priority", "30"),
            ("RulePriorities.member.2.RuleArn", second), ("RulePriorities.member.2.Priority", "5"));
        Assert.Equal(["30", "5"], Texts(swapped, "Priority").Order(StringComparer.Ordinal));
        await api.Ok("ModifyRule", [("RuleArn", second), .. FixedResponse("Actions", "503")]);
        Assert.Equal("503", Text(await api.Ok("DescribeRules", ("RuleArns.member.1", second)), "StatusCode"));
        await api.Ok("DeleteRule", ("RuleArn", second));
        Assert.Equal("RuleNotFound", await api.Fails("DescribeRules", ("RuleArns.member.1", second)));

        var modified = await api.Ok("ModifyListener", ("ListenerArn", listener), ("Port", "8080"));
        Assert.Equal("8080", Text(modified, "Port"));
        Assert.Equal([listener], Texts(await api.Ok("DescribeListeners", ("LoadBalancerArn", arn)), "ListenerArn"));
        Assert.Equal("routing.http.response.server.enabled", Text(await api.Ok("DescribeListenerAttributes", ("ListenerArn", listener)), "Key"));
        await api.Ok("DeleteListener", ("ListenerArn", listener));
        Assert.Equal("ListenerNotFound", await api.Fails("DescribeListeners", ("ListenerArns.member.1", listener)));
        Assert.Equal("ListenerNotFound", await api.Fails("CreateRule", [("ListenerArn", listener), ("Priority", "1"), .. PathCondition("/"), .. FixedResponse("Actions", "200")]));
    }

    [Fact]
    public async Task Tags_on_load_balancers_listeners_and_rules()
    {
        var (_, subnets) = await Network("10.105");
        var arn = await LoadBalancer("tagged", subnets[0], subnets[1]);
        var listener = Text(await api.Ok("CreateListener", [("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", "80"), .. FixedResponse("DefaultActions", "404")]), "ListenerArn");
        await api.Ok("AddTags", ("ResourceArns.member.1", arn), ("ResourceArns.member.2", listener), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "web"));
        var described = await api.Ok("DescribeTags", ("ResourceArns.member.1", arn), ("ResourceArns.member.2", listener));
        Assert.Equal(["web", "web"], Texts(described, "Value"));
        Assert.Equal("DuplicateTagKeys", await api.Fails("AddTags", ("ResourceArns.member.1", arn), ("Tags.member.1.Key", "a"), ("Tags.member.1.Value", "1"),
            ("Tags.member.2.Key", "a"), ("Tags.member.2.Value", "2")));
        var many = Enumerable.Range(0, 50).SelectMany(i => new[] { ($"Tags.member.{i + 1}.Key", $"k{i}"), ($"Tags.member.{i + 1}.Value", "v") });
        Assert.Equal("TooManyTags", await api.Fails("AddTags", [("ResourceArns.member.1", arn), .. many]));
        await api.Ok("RemoveTags", ("ResourceArns.member.1", arn), ("TagKeys.member.1", "team"));
        Assert.Empty(Texts(await api.Ok("DescribeTags", ("ResourceArns.member.1", arn)), "Key"));
        Assert.Equal("TargetGroupNotFound", await api.Fails("DescribeTags", ("ResourceArns.member.1", "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0123456789abcdef")));
        Assert.Equal("ListenerNotFound", await api.Fails("DescribeTags", ("ResourceArns.member.1", listener.Replace(listener[^16..], "0123456789abcdef"))));
    }
}
