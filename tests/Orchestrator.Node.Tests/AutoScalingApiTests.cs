using System.Net;
using System.Text;
using System.Xml.Linq;
using Orchestrator.Actors.Management;

namespace Orchestrator.Node.Tests;

/// <summary>The Auto Scaling actions over HTTP (query protocol), with AWS's error codes, against an in-process node at x100.</summary>
public sealed class AutoScalingApiTests(ApiNodeFixture fixture) : IClassFixture<ApiNodeFixture>
{
    private static readonly XNamespace As = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
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

    private async Task<XElement> Ok(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Call("autoscaling", "2011-01-01", action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} answered {(int)status}: {body}");
        return body;
    }

    private async Task<string> Fails(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Call("autoscaling", "2011-01-01", action, parameters);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.Descendants(As + "Code").Single().Value;
    }

    private async Task<XElement> Ec2Ok(string action, params (string, string)[] parameters)
    {
        var (status, body) = await Call("ec2", "2016-11-15", action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} answered {(int)status}: {body}");
        return body;
    }

    private async Task<(string Template, string[] Subnets)> Network(int octet)
    {
        var vpc = (await Ec2Ok("CreateVpc", ("CidrBlock", $"10.{octet}.0.0/16"))).Descendants(Ec2 + "vpcId").First().Value;
        var subnets = new List<string>();
        foreach (var (zone, i) in new[] { "a", "b" }.Select((z, i) => (z, i)))
            subnets.Add((await Ec2Ok("CreateSubnet", ("VpcId", vpc), ("CidrBlock", $"10.{octet}.{i}.0/24"), ("AvailabilityZone", "us-east-1" + zone)))
                .Descendants(Ec2 + "subnetId").First().Value);
        var template = (await Ec2Ok("CreateLaunchTemplate", ("LaunchTemplateName", $"asg-{octet}"), ("LaunchTemplateData.ImageId", "ami-0c02fb55956c7d316"),
            ("LaunchTemplateData.InstanceType", "t3.micro"))).Descendants(Ec2 + "launchTemplateId").First().Value;
        return (template, [.. subnets]);
    }

    private async Task<XElement> Describe(string name) =>
        (await Ok("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", name))).Descendants(As + "AutoScalingGroups").Single().Elements(As + "member").Single();

    [Fact]
    public async Task A_group_is_created_described_scaled_and_force_deleted()
    {
        var (template, subnets) = await Network(61);
        await Ok("CreateAutoScalingGroup", ("AutoScalingGroupName", "api-web"), ("LaunchTemplate.LaunchTemplateId", template), ("MinSize", "1"), ("MaxSize", "4"),
            ("DesiredCapacity", "2"), ("VPCZoneIdentifier", string.Join(',', subnets)),
            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue"), ("Tags.member.1.PropagateAtLaunch", "true"));
        var group = await Describe("api-web");
        Assert.Equal(("2", "300", "0", "EC2", "$Default"), (group.Element(As + "DesiredCapacity")!.Value, group.Element(As + "DefaultCooldown")!.Value,
            group.Element(As + "HealthCheckGracePeriod")!.Value, group.Element(As + "HealthCheckType")!.Value,
            group.Element(As + "LaunchTemplate")!.Element(As + "Version")!.Value));
        Assert.Matches("^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName/api-web$", group.Element(As + "AutoScalingGroupARN")!.Value);

        // x100: a 10 s sweep is 100 ms of wall time, so polling sees them in service within seconds.
        for (var attempt = 0; attempt < 100 && (await Describe("api-web")).Descendants(As + "LifecycleState").Count(s => s.Value == "InService") < 2; attempt++)
            await Task.Delay(100);
        group = await Describe("api-web");
        Assert.Equal(["us-east-1a", "us-east-1b"], group.Descendants(As + "Instances").Single().Elements(As + "member").Select(m => m.Element(As + "AvailabilityZone")!.Value).Order());
        Assert.All(group.Descendants(As + "LifecycleState"), s => Assert.Equal("InService", s.Value));

        await Ok("SetDesiredCapacity", ("AutoScalingGroupName", "api-web"), ("DesiredCapacity", "3"));
        Assert.Equal("3", (await Describe("api-web")).Element(As + "DesiredCapacity")!.Value);
        var activities = await Ok("DescribeScalingActivities", ("AutoScalingGroupName", "api-web"));
        Assert.Contains(activities.Descendants(As + "Cause"), c => c.Value.Contains("a user request explicitly set group desired capacity changing the desired capacity from 2 to 3", StringComparison.Ordinal));
        var instances = await Ok("DescribeAutoScalingInstances");
        Assert.True(instances.Descendants(As + "AutoScalingGroupName").Count(n => n.Value == "api-web") >= 2);

        var shown = await fixture.Node.Commands.Execute(CommandRequest.Parse("asg show api-web"), CancellationToken.None);
        Assert.True(shown.Ok, shown.Text);
        Assert.Contains("desired 3", shown.Text);
        Assert.Contains("us-east-1a: ", shown.Text);
        var standby = group.Descendants(As + "InstanceId").First().Value;
        await Ok("EnterStandby", ("AutoScalingGroupName", "api-web"), ("InstanceIds.member.1", standby), ("ShouldDecrementDesiredCapacity", "true"));
        Assert.Equal(("2", "Standby"), ((await Describe("api-web")).Element(As + "DesiredCapacity")!.Value,
            (await Describe("api-web")).Descendants(As + "member").First(m => m.Element(As + "InstanceId")?.Value == standby).Element(As + "LifecycleState")!.Value));
        await Ok("ExitStandby", ("AutoScalingGroupName", "api-web"), ("InstanceIds.member.1", standby));
        var set = await fixture.Node.Commands.Execute(CommandRequest.Parse("asg set-desired api-web 4"), CancellationToken.None);
        Assert.True(set.Ok, set.Text);
        Assert.Equal("4", (await Describe("api-web")).Element(As + "DesiredCapacity")!.Value);

        Assert.Equal("ResourceInUse", await Fails("DeleteAutoScalingGroup", ("AutoScalingGroupName", "api-web")));
        await Ok("DeleteAutoScalingGroup", ("AutoScalingGroupName", "api-web"), ("ForceDelete", "true"));
        for (var attempt = 0; attempt < 100 && (await Ok("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", "api-web"))).Descendants(As + "AutoScalingGroupName").Any(); attempt++)
            await Task.Delay(100);
        Assert.Empty((await Ok("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", "api-web"))).Descendants(As + "AutoScalingGroupName"));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_aws_error_codes()
    {
        var (template, subnets) = await Network(62);
        (string, string)[] Group(string name, string min, string max, string templateId, string subnet) =>
            [("AutoScalingGroupName", name), ("LaunchTemplate.LaunchTemplateId", templateId), ("MinSize", min), ("MaxSize", max), ("VPCZoneIdentifier", subnet)];
        Assert.Equal("ValidationError", await Fails("CreateAutoScalingGroup", Group("bad", "3", "1", template, subnets[0])));
        Assert.Equal("ValidationError", await Fails("CreateAutoScalingGroup", Group("bad", "1", "2", "lt-0123456789abcdef0", subnets[0])));
        Assert.Equal("ValidationError", await Fails("CreateAutoScalingGroup", Group("bad", "1", "2", template, "subnet-0123456789abcdef0")));
        Assert.Equal("ValidationError", await Fails("CreateAutoScalingGroup", [.. Group("bad", "1", "2", template, subnets[0]), ("DesiredCapacity", "5")]));
        await Ok("CreateAutoScalingGroup", Group("dup", "0", "2", template, subnets[0]));
        Assert.Equal("AlreadyExists", await Fails("CreateAutoScalingGroup", Group("dup", "0", "2", template, subnets[0])));
        Assert.Equal("ValidationError", await Fails("SetDesiredCapacity", ("AutoScalingGroupName", "dup"), ("DesiredCapacity", "3")));
        Assert.Equal("ValidationError", await Fails("SetDesiredCapacity", ("AutoScalingGroupName", "missing"), ("DesiredCapacity", "1")));
        Assert.Equal("ValidationError", await Fails("PutScalingPolicy", ("AutoScalingGroupName", "dup"), ("PolicyName", "tt"), ("PolicyType", "TargetTrackingScaling")));
        Assert.Equal("ValidationError", await Fails("PutScalingPolicy", ("AutoScalingGroupName", "dup"), ("PolicyName", "x"), ("PolicyType", "Nonsense"),
            ("AdjustmentType", "ChangeInCapacity"), ("ScalingAdjustment", "1")));
        Assert.Equal("InvalidNextToken", await Fails("DescribeAutoScalingGroups", ("NextToken", "zzz")));
        await Ok("DeleteAutoScalingGroup", ("AutoScalingGroupName", "dup"));
    }

    [Fact]
    public async Task Policies_are_put_described_executed_and_deleted()
    {
        var (template, subnets) = await Network(63);
        await Ok("CreateAutoScalingGroup", ("AutoScalingGroupName", "pol"), ("LaunchTemplate.LaunchTemplateName", "asg-63"), ("MinSize", "0"), ("MaxSize", "10"),
            ("VPCZoneIdentifier", subnets[0]));
        var arn = (await Ok("PutScalingPolicy", ("AutoScalingGroupName", "pol"), ("PolicyName", "out"), ("AdjustmentType", "ExactCapacity"), ("ScalingAdjustment", "0"))).Descendants(As + "PolicyARN").Single().Value;
        Assert.Contains(":scalingPolicy:", arn);
        await Ok("PutScalingPolicy", ("AutoScalingGroupName", "pol"), ("PolicyName", "step"), ("PolicyType", "StepScaling"), ("AdjustmentType", "ChangeInCapacity"),
            ("StepAdjustments.member.1.MetricIntervalLowerBound", "0"), ("StepAdjustments.member.1.ScalingAdjustment", "0"));
        var policies = await Ok("DescribePolicies", ("AutoScalingGroupName", "pol"));
        Assert.Equal(["out", "step"], policies.Descendants(As + "PolicyName").Select(p => p.Value).Order());
        await Ok("ExecutePolicy", ("PolicyName", arn));
        await Ok("ExecutePolicy", ("AutoScalingGroupName", "pol"), ("PolicyName", "step"), ("MetricValue", "60"), ("BreachThreshold", "50"));
        Assert.Equal("ValidationError", await Fails("ExecutePolicy", ("AutoScalingGroupName", "pol"), ("PolicyName", "step")));
        await Ok("DeletePolicy", ("AutoScalingGroupName", "pol"), ("PolicyName", "out"));
        Assert.Equal(["step"], (await Ok("DescribePolicies", ("AutoScalingGroupName", "pol"))).Descendants(As + "PolicyName").Select(p => p.Value));
        await Ok("CreateOrUpdateTags", ("Tags.member.1.ResourceId", "pol"), ("Tags.member.1.ResourceType", "auto-scaling-group"), ("Tags.member.1.Key", "env"),
            ("Tags.member.1.Value", "test"), ("Tags.member.1.PropagateAtLaunch", "false"));
        var tags = await Ok("DescribeTags", ("Filters.member.1.Name", "auto-scaling-group"), ("Filters.member.1.Values.member.1", "pol"));
        Assert.Equal("test", tags.Descendants(As + "Value").Single().Value);
        await Ok("CreateAutoScalingGroup", ("AutoScalingGroupName", "pol2"), ("LaunchTemplate.LaunchTemplateName", "asg-63"), ("MinSize", "0"), ("MaxSize", "1"),
            ("VPCZoneIdentifier", subnets[1]));
        var first = await Ok("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", "pol"), ("AutoScalingGroupNames.member.2", "pol2"), ("MaxRecords", "1"));
        Assert.Equal(["pol"], first.Descendants(As + "AutoScalingGroupName").Select(n => n.Value).Distinct());
        var next = first.Descendants(As + "NextToken").Single().Value;
        var second = await Ok("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", "pol"), ("AutoScalingGroupNames.member.2", "pol2"), ("MaxRecords", "1"), ("NextToken", next));
        Assert.Equal(["pol2"], second.Descendants(As + "AutoScalingGroupName").Select(n => n.Value).Distinct());
        Assert.Empty(second.Descendants(As + "NextToken"));
        var tagged = await Ok("DescribeAutoScalingGroups", ("Filters.member.1.Name", "tag-key"), ("Filters.member.1.Values.member.1", "env"));
        Assert.Equal(["pol"], tagged.Descendants(As + "AutoScalingGroups").Single().Elements(As + "member").Select(m => m.Element(As + "AutoScalingGroupName")!.Value));
        await Ok("DeleteAutoScalingGroup", ("AutoScalingGroupName", "pol2"));

        await Ok("SuspendProcesses", ("AutoScalingGroupName", "pol"), ("ScalingProcesses.member.1", "Launch"));
        Assert.Equal("Launch", (await Describe("pol")).Descendants(As + "ProcessName").Single().Value);
        await Ok("DeleteAutoScalingGroup", ("AutoScalingGroupName", "pol"));
    }
}
