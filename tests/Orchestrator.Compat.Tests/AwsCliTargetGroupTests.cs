using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI, unchanged but for the endpoint, managing a target group and its targets.</summary>
public sealed class AwsCliTargetGroupTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task A_group_is_created_targets_registered_described_and_deregistered()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var instance = (string)(await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.micro"))["Instances"]![0]!["InstanceId"]!;
        await node.AwsOk("ec2", "wait", "instance-running", "--instance-ids", instance);

        var created = (await node.AwsOk("elbv2", "create-target-group", "--name", "cli-web", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc,
            "--health-check-path", "/health", "--tags", "Key=team,Value=web"))["TargetGroups"]![0]!;
        var arn = (string)created["TargetGroupArn"]!;
        Assert.Equal(("/health", 30, 5, "200"), ((string)created["HealthCheckPath"]!, (int)created["HealthCheckIntervalSeconds"]!,
            (int)created["HealthCheckTimeoutSeconds"]!, (string)created["Matcher"]!["HttpCode"]!));
        Assert.Contains("(DuplicateTargetGroupName)", await node.AwsFails("elbv2", "create-target-group", "--name", "cli-web", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc));
        Assert.Contains("(TargetGroupNotFound)", await node.AwsFails("elbv2", "describe-target-groups", "--names", "cli-nothing"));
        Assert.Equal(arn, (string)(await node.AwsOk("elbv2", "describe-target-groups", "--names", "cli-web"))["TargetGroups"]![0]!["TargetGroupArn"]!);

        await node.AwsOk("elbv2", "register-targets", "--target-group-arn", arn, "--targets", $"Id={instance}", $"Id={instance},Port=8080");
        var health = (await node.AwsOk("elbv2", "describe-target-health", "--target-group-arn", arn))["TargetHealthDescriptions"]!.AsArray();
        Assert.Equal(["80", "8080"], health.Select(d => (string)d!["HealthCheckPort"]!).Order());
        // No load balancer routes to this group (yet): its targets are unused and not checked.
        Assert.All(health, d => Assert.Equal("Target.NotInUse", (string)d!["TargetHealth"]!["Reason"]!));
        Assert.Contains("(InvalidTarget)", await node.AwsFails("elbv2", "register-targets", "--target-group-arn", arn, "--targets", "Id=i-0123456789abcdef0"));

        // 100 s of simulated time is 5 s of wall time at x20: long enough to see the target draining even when CLI calls are slow on a busy machine.
        await node.AwsOk("elbv2", "modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=deregistration_delay.timeout_seconds,Value=100");
        await node.AwsOk("elbv2", "deregister-targets", "--target-group-arn", arn, "--targets", $"Id={instance},Port=8080");
        var draining = (await node.AwsOk("elbv2", "describe-target-health", "--target-group-arn", arn, "--targets", $"Id={instance},Port=8080"))["TargetHealthDescriptions"]![0]!;
        Assert.Equal("draining", (string)draining["TargetHealth"]!["State"]!);
        await node.AwsOk("elbv2", "wait", "target-deregistered", "--target-group-arn", arn, "--targets", $"Id={instance},Port=8080");
        Assert.Single((await node.AwsOk("elbv2", "describe-target-health", "--target-group-arn", arn))["TargetHealthDescriptions"]!.AsArray());

        await node.AwsOk("elbv2", "delete-target-group", "--target-group-arn", arn);
        Assert.Contains("(TargetGroupNotFound)", await node.AwsFails("elbv2", "describe-target-groups", "--target-group-arns", arn));
    }
}
