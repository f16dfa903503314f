using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI driving lifecycle hooks: put and describe them, hold a launch in Pending:Wait, heartbeat and complete it, delete the hook.</summary>
public sealed class AwsCliLifecycleHookTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private async Task<JsonNode> Until(string name, Func<JsonArray, bool> condition, string what)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var group = (await node.AwsOk("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", name))["AutoScalingGroups"]![0]!;
            if (condition(group["Instances"]!.AsArray()))
                return group;
            await Task.Delay(250);
        }
        Assert.Fail($"{name} never had {what}");
        return null!;
    }

    [Fact]
    public async Task A_launch_waits_in_pending_wait_until_the_cli_completes_its_lifecycle_action()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var subnet = (string)(await node.AwsOk("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}"))["Subnets"]![0]!["SubnetId"]!;
        var template = (string)(await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-hooks",
            "--launch-template-data", """{"ImageId":"ami-0c02fb55956c7d316","InstanceType":"t3.micro"}"""))["LaunchTemplate"]!["LaunchTemplateId"]!;
        await node.AwsOk("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-hooks",
            "--launch-template", $"LaunchTemplateId={template}", "--min-size", "0", "--max-size", "2", "--desired-capacity", "0", "--vpc-zone-identifier", subnet);

        await node.AwsOk("autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "warm",
            "--lifecycle-transition", "autoscaling:EC2_INSTANCE_LAUNCHING", "--notification-metadata", "warm-up");
        await node.AwsOk("autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "flush",
            "--lifecycle-transition", "autoscaling:EC2_INSTANCE_TERMINATING", "--heartbeat-timeout", "7200", "--default-result", "CONTINUE");
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "cli-hooks",
            "--lifecycle-hook-name", "bad", "--lifecycle-transition", "autoscaling:EC2_INSTANCE_LAUNCHING", "--heartbeat-timeout", "10"));
        var hooks = (await node.AwsOk("autoscaling", "describe-lifecycle-hooks", "--auto-scaling-group-name", "cli-hooks"))["LifecycleHooks"]!.AsArray();
        Assert.Equal(["flush", "warm"], hooks.Select(h => (string)h!["LifecycleHookName"]!).Order(StringComparer.Ordinal));
        var warm = hooks.Single(h => (string)h!["LifecycleHookName"]! == "warm")!;
        Assert.Equal(("autoscaling:EC2_INSTANCE_LAUNCHING", 3600, 172800, "ABANDON", "warm-up", "cli-hooks"), ((string)warm["LifecycleTransition"]!, (int)warm["HeartbeatTimeout"]!,
            (int)warm["GlobalTimeout"]!, (string)warm["DefaultResult"]!, (string)warm["NotificationMetadata"]!, (string)warm["AutoScalingGroupName"]!));
        var types = (await node.AwsOk("autoscaling", "describe-lifecycle-hook-types"))["LifecycleHookTypes"]!.AsArray().Select(t => (string)t!).ToList();
        Assert.Equal(["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"], types);

        await node.AwsOk("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "cli-hooks", "--desired-capacity", "1");
        var group = await Until("cli-hooks", i => i.Count == 1 && (string)i[0]!["LifecycleState"]! == "Pending:Wait", "an instance in Pending:Wait");
        var instanceId = (string)group["Instances"]![0]!["InstanceId"]!;
        await node.AwsOk("autoscaling", "record-lifecycle-action-heartbeat", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "warm", "--instance-id", instanceId);
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "complete-lifecycle-action", "--auto-scaling-group-name", "cli-hooks",
            "--lifecycle-hook-name", "flush", "--instance-id", instanceId, "--lifecycle-action-result", "CONTINUE"));
        await node.AwsOk("autoscaling", "complete-lifecycle-action", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "warm",
            "--instance-id", instanceId, "--lifecycle-action-result", "CONTINUE");
        await Until("cli-hooks", i => i.Count == 1 && (string)i[0]!["LifecycleState"]! == "InService", "its instance in service");

        // Scale in: the terminate hook holds the instance (for up to 2 simulated hours) until the CLI lets it go.
        await node.AwsOk("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "cli-hooks", "--desired-capacity", "0");
        Assert.Equal("Terminating:Wait", (string)(await node.AwsOk("autoscaling", "describe-auto-scaling-instances", "--instance-ids", instanceId))
            ["AutoScalingInstances"]![0]!["LifecycleState"]!);
        await node.AwsOk("autoscaling", "complete-lifecycle-action", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "flush",
            "--instance-id", instanceId, "--lifecycle-action-result", "CONTINUE");
        await Until("cli-hooks", i => i.Count == 0, "no instance left");

        await node.AwsOk("autoscaling", "delete-lifecycle-hook", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "warm");
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "delete-lifecycle-hook", "--auto-scaling-group-name", "cli-hooks", "--lifecycle-hook-name", "warm"));
        Assert.Equal(["flush"], (await node.AwsOk("autoscaling", "describe-lifecycle-hooks", "--auto-scaling-group-name", "cli-hooks"))["LifecycleHooks"]!
            .AsArray().Select(h => (string)h!["LifecycleHookName"]!));
        await node.AwsOk("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-hooks", "--force-delete");
    }
}
