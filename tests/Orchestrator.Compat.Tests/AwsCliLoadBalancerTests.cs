using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>A node whose clock runs at x1000: a load balancer's 60 s of provisioning pass before the CLI's first poll.</summary>
public sealed class FastNodeFixture() : NodeFixture(["--time-scale", "1000"]);

/// <summary>The AWS CLI, unchanged but for the endpoint, driving ELBv2 load balancers, listeners and rules (waiter included).</summary>
public sealed class AwsCliLoadBalancerTests(FastNodeFixture node) : IClassFixture<FastNodeFixture>
{
    [Fact]
    public async Task Load_balancer_wait_available_listener_with_fixed_response_rules_and_delete()
    {
        var vpc = (string)(await node.AwsOk("ec2", "create-vpc", "--cidr-block", "10.120.0.0/16"))["Vpc"]!["VpcId"]!;
        var subnets = new List<string>();
        foreach (var (zone, i) in new[] { ("us-east-1a", 1), ("us-east-1b", 2) })
            subnets.Add((string)(await node.AwsOk("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", $"10.120.{i}.0/24", "--availability-zone", zone))["Subnet"]!["SubnetId"]!);
        Assert.Contains("(InvalidConfigurationRequest)", await node.AwsFails("elbv2", "create-load-balancer", "--name", "cli-one-zone", "--subnets", subnets[0]));

        var created = (await node.AwsOk("elbv2", "create-load-balancer", "--name", "cli-web", "--subnets", subnets[0], subnets[1], "--tags", "Key=env,Value=test"))["LoadBalancers"]![0]!;
        var arn = (string)created["LoadBalancerArn"]!;
        Assert.Equal((vpc, "application", "internet-facing"), ((string)created["VpcId"]!, (string)created["Type"]!, (string)created["Scheme"]!));
        var (code, _, stderr) = await node.Aws("elbv2", "wait", "load-balancer-available", "--load-balancer-arns", arn);
        Assert.True(code == 0, stderr);
        Assert.Equal("active", (string)(await node.AwsOk("elbv2", "describe-load-balancers", "--names", "cli-web"))["LoadBalancers"]![0]!["State"]!["Code"]!);

        var listener = (string)(await node.AwsOk("elbv2", "create-listener", "--load-balancer-arn", arn, "--protocol", "HTTP", "--port", "80",
            "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=404,ContentType=text/plain,MessageBody=nothing here}"))["Listeners"]![0]!["ListenerArn"]!;
        var rule = (string)(await node.AwsOk("elbv2", "create-rule", "--listener-arn", listener, "--priority", "10",
            "--conditions", "Field=path-pattern,PathPatternConfig={Values=[/health]}", "Field=http-request-method,HttpRequestMethodConfig={Values=[GET]}",
            "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=ok}"))["Rules"]![0]!["RuleArn"]!;
        Assert.Contains("(PriorityInUse)", await node.AwsFails("elbv2", "create-rule", "--listener-arn", listener, "--priority", "10",
            "--conditions", "Field=path-pattern,Values=/x", "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}"));

        var rules = (await node.AwsOk("elbv2", "describe-rules", "--listener-arn", listener))["Rules"]!.AsArray();
        Assert.Equal(["10", "default"], rules.Select(r => (string)r!["Priority"]!));
        Assert.Equal("/health", (string)rules[0]!["Conditions"]![0]!["PathPatternConfig"]!["Values"]![0]!);
        Assert.Equal("nothing here", (string)rules[1]!["Actions"]![0]!["FixedResponseConfig"]!["MessageBody"]!);
        Assert.Equal("env", (string)(await node.AwsOk("elbv2", "describe-tags", "--resource-arns", arn))["TagDescriptions"]![0]!["Tags"]![0]!["Key"]!);

        await node.AwsOk("elbv2", "delete-rule", "--rule-arn", rule);
        await node.AwsOk("elbv2", "delete-listener", "--listener-arn", listener);
        await node.AwsOk("elbv2", "delete-load-balancer", "--load-balancer-arn", arn);
        Assert.Contains("(LoadBalancerNotFound)", await node.AwsFails("elbv2", "describe-load-balancers", "--load-balancer-arns", arn));
    }

    /// <summary>The documented flow of issue 4 with the CLI alone: targets go initial -> healthy, a failing application and a stopped instance drop out.</summary>
    [Fact]
    public async Task Targets_behind_a_load_balancer_turn_healthy_then_drop_out_when_the_app_fails_or_the_instance_stops()
    {
        var vpc = (string)(await node.AwsOk("ec2", "create-vpc", "--cidr-block", "10.121.0.0/16"))["Vpc"]!["VpcId"]!;
        var subnets = new List<string>();
        foreach (var (zone, i) in new[] { ("us-east-1a", 1), ("us-east-1b", 2) })
            subnets.Add((string)(await node.AwsOk("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", $"10.121.{i}.0/24", "--availability-zone", zone))["Subnet"]!["SubnetId"]!);
        var instances = new List<string>();
        foreach (var subnet in subnets)
            instances.Add((string)(await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.micro", "--subnet-id", subnet))["Instances"]![0]!["InstanceId"]!);
        var (ran, _, ranErr) = await node.Aws(["ec2", "wait", "instance-running", "--instance-ids", .. instances]);
        Assert.True(ran == 0, ranErr);

        var group = (string)(await node.AwsOk("elbv2", "create-target-group", "--name", "cli-app", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc))["TargetGroups"]![0]!["TargetGroupArn"]!;
        var lb = (string)(await node.AwsOk("elbv2", "create-load-balancer", "--name", "cli-app", "--subnets", subnets[0], subnets[1]))["LoadBalancers"]![0]!["LoadBalancerArn"]!;
        await node.AwsOk("elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "80", "--default-actions", $"Type=forward,TargetGroupArn={group}");
        await node.AwsOk(["elbv2", "register-targets", "--target-group-arn", group, "--targets", .. instances.Select(i => $"Id={i}")]);
        var health = (await node.AwsOk("elbv2", "describe-target-health", "--target-group-arn", group))["TargetHealthDescriptions"]!.AsArray();
        // At x1000 the first check (30 s simulated) may already have passed: initial or healthy, never anything else.
        Assert.All(health, h => Assert.Contains((string)h!["TargetHealth"]!["State"]!, new[] { "initial", "healthy" }));

        var (waited, _, waitErr) = await node.Aws("elbv2", "wait", "target-in-service", "--target-group-arn", group);
        Assert.True(waited == 0, waitErr);

        using var http = new HttpClient();
        var failing = await http.PostAsJsonAsync($"http://127.0.0.1:{node.ManagementPort}/_orchestrator/commands", new { line = $"ec2 app-health {instances[0]} failing" });
        Assert.True(failing.IsSuccessStatusCode, await failing.Content.ReadAsStringAsync());
        var unhealthy = await Eventually(async () => (await node.AwsOk("elbv2", "describe-target-health", "--target-group-arn", group, "--targets", $"Id={instances[0]}"))
            ["TargetHealthDescriptions"]![0]!["TargetHealth"]!, h => (string)h["State"]! == "unhealthy");
        Assert.Equal("Target.ResponseCodeMismatch", (string)unhealthy["Reason"]!);

        await node.AwsOk("ec2", "stop-instances", "--instance-ids", instances[1]);
        var stopped = await Eventually(async () => (await node.AwsOk("elbv2", "describe-target-health", "--target-group-arn", group, "--targets", $"Id={instances[1]}"))
            ["TargetHealthDescriptions"]![0]!["TargetHealth"]!, h => (string)h["State"]! == "unused");
        Assert.Equal("Target.InvalidState", (string)stopped["Reason"]!);
    }

    private static async Task<JsonNode> Eventually(Func<Task<JsonNode>> read, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            value = await read();
        }
        Assert.True(done(value), $"not reached within 60 s: {value.ToJsonString()}");
        return value;
    }
}
