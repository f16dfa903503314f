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
}
