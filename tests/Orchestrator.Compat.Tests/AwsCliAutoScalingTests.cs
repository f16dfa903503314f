using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI, unchanged but for the endpoint, keeping a group's capacity: create, describe, scale, wait for InService, force-delete.</summary>
public sealed class AwsCliAutoScalingTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private async Task<JsonNode> Group(string name) =>
        (await node.AwsOk("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", name))["AutoScalingGroups"]![0]!;

    /// <summary>Polls describe-auto-scaling-groups (the CLI has no waiter for it) until this many instances are InService.</summary>
    private async Task<JsonNode> UntilInService(string name, int count)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var group = await Group(name);
            if (group["Instances"]!.AsArray().Count(i => (string)i!["LifecycleState"]! == "InService") == count)
                return group;
            await Task.Delay(250);
        }
        Assert.Fail($"{name} never had {count} instances in service");
        return null!;
    }

    [Fact]
    public async Task A_group_launches_into_its_zones_scales_and_is_force_deleted()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var subnets = (await node.AwsOk("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}"))["Subnets"]!.AsArray()
            .OrderBy(s => (string)s!["AvailabilityZone"]!).Take(2).Select(s => (string)s!["SubnetId"]!).ToList();
        var template = (string)(await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-asg",
            "--launch-template-data", """{"ImageId":"ami-0c02fb55956c7d316","InstanceType":"t3.micro"}"""))["LaunchTemplate"]!["LaunchTemplateId"]!;

        await node.AwsOk("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-web",
            "--launch-template", $"LaunchTemplateId={template},Version=$Latest", "--min-size", "1", "--max-size", "4", "--desired-capacity", "2",
            "--vpc-zone-identifier", string.Join(',', subnets), "--tags", "Key=team,Value=blue,PropagateAtLaunch=true");
        Assert.Contains("(AlreadyExists)", await node.AwsFails("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-web",
            "--launch-template", $"LaunchTemplateId={template}", "--min-size", "1", "--max-size", "4", "--vpc-zone-identifier", subnets[0]));
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-bad",
            "--launch-template", $"LaunchTemplateId={template}", "--min-size", "3", "--max-size", "1", "--vpc-zone-identifier", subnets[0]));

        var group = await UntilInService("cli-web", 2);
        Assert.Equal("$Latest", (string)group["LaunchTemplate"]!["Version"]!);
        Assert.Equal(2, group["Instances"]!.AsArray().Select(i => (string)i!["AvailabilityZone"]!).Distinct().Count());
        var instanceId = (string)group["Instances"]![0]!["InstanceId"]!;
        var tags = (await node.AwsOk("ec2", "describe-instances", "--instance-ids", instanceId))["Reservations"]![0]!["Instances"]![0]!["Tags"]!.AsArray();
        Assert.Contains(tags, t => (string)t!["Key"]! == "aws:autoscaling:groupName" && (string)t["Value"]! == "cli-web");

        await node.AwsOk("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "cli-web", "--desired-capacity", "3");
        await UntilInService("cli-web", 3);
        var activities = (await node.AwsOk("autoscaling", "describe-scaling-activities", "--auto-scaling-group-name", "cli-web"))["Activities"]!.AsArray();
        Assert.Contains(activities, a => ((string)a!["Description"]!).StartsWith("Launching a new EC2 instance: i-", StringComparison.Ordinal));

        Assert.Contains("(ResourceInUse)", await node.AwsFails("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-web"));
        await node.AwsOk("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-web", "--force-delete");
        for (var attempt = 0; attempt < 120 && (await node.AwsOk("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-web"))["AutoScalingGroups"]!.AsArray().Count > 0; attempt++)
            await Task.Delay(250);
        Assert.Empty((await node.AwsOk("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-web"))["AutoScalingGroups"]!.AsArray());
        await node.AwsOk("ec2", "wait", "instance-terminated", "--instance-ids", instanceId);
    }
}
