using System.Diagnostics;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Node.Tests;

/// <summary>The ELBv2 target group actions over HTTP (query protocol), with AWS's error codes, against an in-process node at x100.</summary>
public sealed class TargetGroupApiTests(ApiNodeFixture fixture) : IClassFixture<ApiNodeFixture>
{
    private static readonly XNamespace Elb = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static readonly XNamespace Ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private async Task<(HttpStatusCode Status, XElement Body)> Call(string service, string version, string action, params (string Name, string Value)[] parameters)
    {
        var body = string.Join('&', parameters.Prepend(("Version", version)).Prepend(("Action", action))
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        using var response = await fixture.Http.SendAsync(request);
        return (response.StatusCode, XElement.Parse(await response.Content.ReadAsStringAsync()));
    }

    private Task<(HttpStatusCode Status, XElement Body)> Elbv2(string action, params (string, string)[] parameters) =>
        Call("elasticloadbalancing", "2015-12-01", action, parameters);

    private async Task<XElement> Ok(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Elbv2(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} answered {(int)status}: {body}");
        return body;
    }

    private async Task<string> Fails(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Elbv2(action, parameters);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.Descendants(Elb + "Code").Single().Value;
    }

    private async Task<XElement> Ec2Ok(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Call("ec2", "2016-11-15", action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} answered {(int)status}: {body}");
        return body;
    }

    private async Task<string> CreateGroup(string name, string vpcId, params (string, string)[] extra)
    {
        var created = await Ok("CreateTargetGroup", [("Name", name), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpcId), .. extra]);
        return created.Descendants(Elb + "TargetGroupArn").Single().Value;
    }

    private async Task<string> DefaultVpc() =>
        (await Ec2Ok("DescribeVpcs", ("Filter.1.Name", "is-default"), ("Filter.1.Value.1", "true"))).Descendants(Ec2 + "vpcId").First().Value;

    private async Task<string> RunningInstance()
    {
        var run = await Ec2Ok("RunInstances", ("ImageId", "ami-0c02fb55956c7d316"), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"));
        var id = run.Descendants(Ec2 + "instanceId").First().Value;
        await Until(async () => (await Ec2Ok("DescribeInstances", ("InstanceId.1", id))).Descendants(Ec2 + "name").Any(n => n.Value == "running"));
        return id;
    }

    /// <summary>Simulated time runs at x100 here: waits on the wall clock for what the node does in its own time.</summary>
    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in 30 s");
            await Task.Delay(50);
        }
    }

    private async Task<XElement> Health(string arn, params string[] targets) =>
        await Ok("DescribeTargetHealth", [("TargetGroupArn", arn), .. targets.Select((t, i) => ($"Targets.member.{i + 1}.Id", t))]);

    private static string State(XElement health) => health.Descendants(Elb + "State").Single().Value;

    [Fact]
    public async Task Create_answers_the_http_defaults_and_describe_finds_by_name_arn_and_pages()
    {
        var vpc = await DefaultVpc();
        var created = await Ok("CreateTargetGroup", ("Name", "api-defaults"), ("Protocol", "HTTP"), ("Port", "8080"), ("VpcId", vpc));
        var group = created.Descendants(Elb + "member").First();
        Assert.Matches("^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-defaults/[0-9a-f]{16}$", group.Element(Elb + "TargetGroupArn")!.Value);
        Assert.Equal(("HTTP", "traffic-port", "/", "30", "5", "5", "2", "200"), (group.Element(Elb + "HealthCheckProtocol")!.Value, group.Element(Elb + "HealthCheckPort")!.Value,
            group.Element(Elb + "HealthCheckPath")!.Value, group.Element(Elb + "HealthCheckIntervalSeconds")!.Value, group.Element(Elb + "HealthCheckTimeoutSeconds")!.Value,
            group.Element(Elb + "HealthyThresholdCount")!.Value, group.Element(Elb + "UnhealthyThresholdCount")!.Value, group.Element(Elb + "Matcher")!.Element(Elb + "HttpCode")!.Value));
        Assert.Equal("instance", group.Element(Elb + "TargetType")!.Value);
        var arn = group.Element(Elb + "TargetGroupArn")!.Value;
        var tcp = await Ok("CreateTargetGroup", ("Name", "api-defaults-tcp"), ("Protocol", "TCP"), ("Port", "443"), ("VpcId", vpc));
        Assert.Equal(("TCP", "10", "200-399"), (tcp.Descendants(Elb + "HealthCheckProtocol").Single().Value, tcp.Descendants(Elb + "HealthCheckTimeoutSeconds").Single().Value,
            tcp.Descendants(Elb + "HttpCode").Single().Value));

        Assert.Equal(arn, (await Ok("DescribeTargetGroups", ("Names.member.1", "api-defaults"))).Descendants(Elb + "TargetGroupArn").Single().Value);
        Assert.Equal("api-defaults", (await Ok("DescribeTargetGroups", ("TargetGroupArns.member.1", arn))).Descendants(Elb + "TargetGroupName").Single().Value);
        var first = await Ok("DescribeTargetGroups", ("PageSize", "1"));
        Assert.Single(first.Descendants(Elb + "TargetGroupArn"));
        var marker = first.Descendants(Elb + "NextMarker").Single().Value;
        var second = await Ok("DescribeTargetGroups", ("PageSize", "1"), ("Marker", marker));
        Assert.NotEqual(first.Descendants(Elb + "TargetGroupArn").Single().Value, second.Descendants(Elb + "TargetGroupArn").Single().Value);

        Assert.Equal("TargetGroupNotFound", await Fails("DescribeTargetGroups", ("Names.member.1", "nobody-has-this")));
        Assert.Equal("TargetGroupNotFound", await Fails("DescribeTargetGroups", ("TargetGroupArns.member.1", arn[..^16] + "0000000000000000")));
        Assert.Equal("TargetGroupNotFound", await Fails("DeleteTargetGroup", ("TargetGroupArn", arn[..^16] + "0000000000000000")));
        Assert.Equal("DuplicateTargetGroupName", await Fails("CreateTargetGroup", ("Name", "api-defaults"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc)));
    }

    [Theory]
    [InlineData("Port", "0", "ValidationError")]
    [InlineData("Port", "70000", "ValidationError")]
    [InlineData("HealthCheckIntervalSeconds", "1", "ValidationError")]
    [InlineData("HealthCheckTimeoutSeconds", "30", "InvalidConfigurationRequest")]
    [InlineData("HealthyThresholdCount", "11", "ValidationError")]
    [InlineData("Name", "-leading-hyphen", "ValidationError")]
    [InlineData("Name", "a-name-that-is-much-longer-than-32-chars", "ValidationError")]
    [InlineData("Protocol", "HTTP&HealthCheckProtocol=TCP", "InvalidConfigurationRequest")]
    public async Task Bad_input_is_refused_with_aws_codes_and_creates_nothing(string name, string value, string code)
    {
        var vpc = await DefaultVpc();
        var parameters = new Dictionary<string, string> { ["Name"] = "bad-input", ["Protocol"] = "HTTP", ["Port"] = "80", ["VpcId"] = vpc };
        if (value.Split('&') is [var first, var second])
        {
            parameters[name] = first;
            parameters[second.Split('=')[0]] = second.Split('=')[1];
        }
        else
            parameters[name] = value;
        Assert.Equal(code, await Fails("CreateTargetGroup", [.. parameters.Select(kv => (kv.Key, kv.Value))]));
        Assert.Equal("TargetGroupNotFound", await Fails("DescribeTargetGroups", ("Names.member.1", "bad-input")));
    }

    [Fact]
    public async Task Targets_must_be_running_instances_of_the_group_s_vpc_and_unknown_ones_read_not_registered()
    {
        var instance = await RunningInstance();
        var otherVpc = (await Ec2Ok("CreateVpc", ("CidrBlock", "10.77.0.0/16"))).Descendants(Ec2 + "vpcId").First().Value;
        var elsewhere = await CreateGroup("api-other-vpc", otherVpc);
        Assert.Equal("InvalidTarget", await Fails("RegisterTargets", ("TargetGroupArn", elsewhere), ("Targets.member.1.Id", instance)));
        Assert.Equal("InvalidTarget", await Fails("RegisterTargets", ("TargetGroupArn", elsewhere), ("Targets.member.1.Id", "i-0123456789abcdef0")));

        var arn = await CreateGroup("api-targets", await DefaultVpc());
        await Ok("RegisterTargets", ("TargetGroupArn", arn), ("Targets.member.1.Id", instance), ("Targets.member.2.Id", instance), ("Targets.member.2.Port", "8080"));
        await Ok("RegisterTargets", ("TargetGroupArn", arn), ("Targets.member.1.Id", instance)); // again: nothing changes
        var all = await Health(arn);
        Assert.Equal(["80", "8080"], all.Descendants(Elb + "HealthCheckPort").Select(p => p.Value).Order());
        Assert.All(all.Descendants(Elb + "TargetHealth"), h => Assert.Equal(("unused", "Target.NotInUse"), (h.Element(Elb + "State")!.Value, h.Element(Elb + "Reason")!.Value)));

        var unknown = await Health(arn, "i-0123456789abcdef0");
        Assert.Equal(("unused", "Target.NotRegistered"), (State(unknown), unknown.Descendants(Elb + "Reason").Single().Value));
        Assert.Equal("InvalidTarget", await Fails("DescribeTargetHealth", ("TargetGroupArn", arn), ("Targets.member.1.Id", "not-an-instance")));
        Assert.Equal("ValidationError", await Fails("RegisterTargets", ("TargetGroupArn", arn), ("Targets.member.1.Id", instance), ("Targets.member.1.Port", "0")));

        await Ok("DeregisterTargets", ("TargetGroupArn", arn), ("Targets.member.1.Id", instance));
        Assert.All((await Health(arn)).Descendants(Elb + "State"), s => Assert.Equal("draining", s.Value));
    }

    [Fact]
    public async Task Attributes_list_every_default_and_modify_validates_values()
    {
        var arn = await CreateGroup("api-attributes", await DefaultVpc());
        var attributes = (await Ok("DescribeTargetGroupAttributes", ("TargetGroupArn", arn))).Descendants(Elb + "member")
            .ToDictionary(m => m.Element(Elb + "Key")!.Value, m => m.Element(Elb + "Value")!.Value);
        Assert.Equal("300", attributes["deregistration_delay.timeout_seconds"]);
        Assert.Equal("lb_cookie", attributes["stickiness.type"]);
        Assert.Equal("86400", attributes["stickiness.lb_cookie.duration_seconds"]);
        Assert.Equal("round_robin", attributes["load_balancing.algorithm.type"]);
        Assert.Equal("use_load_balancer_configuration", attributes["load_balancing.cross_zone.enabled"]);
        Assert.Equal("1", attributes["target_group_health.dns_failover.minimum_healthy_targets.count"]);

        var modified = await Ok("ModifyTargetGroupAttributes", ("TargetGroupArn", arn),
            ("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), ("Attributes.member.1.Value", "30"));
        Assert.Equal("30", modified.Descendants(Elb + "Value").Single().Value);
        Assert.Equal("ValidationError", await Fails("ModifyTargetGroupAttributes", ("TargetGroupArn", arn),
            ("Attributes.member.1.Key", "deregistration_delay.timeout_seconds"), ("Attributes.member.1.Value", "4000")));
        Assert.Equal("ValidationError", await Fails("ModifyTargetGroupAttributes", ("TargetGroupArn", arn),
            ("Attributes.member.1.Key", "slow_start.duration_seconds"), ("Attributes.member.1.Value", "10")));
        Assert.Equal("ValidationError", await Fails("ModifyTargetGroupAttributes", ("TargetGroupArn", arn),
            ("Attributes.member.1.Key", "no.such.attribute"), ("Attributes.member.1.Value", "1")));

        var changed = await Ok("ModifyTargetGroup", ("TargetGroupArn", arn), ("HealthCheckIntervalSeconds", "10"), ("HealthCheckPath", "/healthz"));
        Assert.Equal(("10", "/healthz"), (changed.Descendants(Elb + "HealthCheckIntervalSeconds").Single().Value, changed.Descendants(Elb + "HealthCheckPath").Single().Value));
        Assert.Equal("InvalidConfigurationRequest", await Fails("ModifyTargetGroup", ("TargetGroupArn", arn), ("HealthCheckTimeoutSeconds", "10")));
    }

    /// <summary>
    /// A stand-in for the load balancer (built elsewhere) starts using the group: the target is
    /// checked, turns healthy, and the AWS CLI's target-in-service waiter sees it; the group is then in use.
    /// </summary>
    [Fact]
    public async Task A_group_in_use_checks_its_targets_until_the_cli_waiter_sees_them_in_service()
    {
        var instance = await RunningInstance();
        var arn = await CreateGroup("api-in-service", await DefaultVpc());
        await Ok("RegisterTargets", ("TargetGroupArn", arn), ("Targets.member.1.Id", instance));
        Assert.True(ElbArn.TryParse(arn, out var parsed));
        var loadBalancer = ElbArn.ForLoadBalancer("us-east-1", "123456789012", LoadBalancerTypes.Application, "web", "0123456789abcdef");
        var zones = fixture.Node.Services.Region.Current.Status.Zones.Select(z => z.Name).ToArray();
        Assert.IsType<EntityReplies.Accepted>(await fixture.Node.Services.Router.Ask<object>(TargetGroupKinds.TargetGroup, parsed.Id,
            new TargetGroupCommands.UseByLoadBalancer(parsed.Id, loadBalancer, [.. zones]), TimeSpan.FromSeconds(10)));

        // The waiter polls every 15 wall seconds: let the first check pass before it looks, so it succeeds on its first poll.
        await Until(async () => State(await Health(arn, instance)) == "healthy");
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--endpoint-url", fixture.Http.BaseAddress!.ToString(), "elbv2", "wait", "target-in-service", "--target-group-arn", arn, "--targets", $"Id={instance}"])
            info.ArgumentList.Add(arg);
        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        using var aws = Process.Start(info)!;
        var stderr = aws.StandardError.ReadToEndAsync();
        await aws.WaitForExitAsync();
        Assert.True(aws.ExitCode == 0, await stderr);
        Assert.Equal("healthy", State(await Health(arn, instance)));

        Assert.Equal("ResourceInUse", await Fails("DeleteTargetGroup", ("TargetGroupArn", arn)));
        Assert.IsType<EntityReplies.Accepted>(await fixture.Node.Services.Router.Ask<object>(TargetGroupKinds.TargetGroup, parsed.Id,
            new TargetGroupCommands.ReleaseByLoadBalancer(parsed.Id, loadBalancer), TimeSpan.FromSeconds(10)));
        await Ok("DeleteTargetGroup", ("TargetGroupArn", arn));
        Assert.Equal("TargetGroupNotFound", await Fails("DescribeTargetGroups", ("TargetGroupArns.member.1", arn)));
    }
}
