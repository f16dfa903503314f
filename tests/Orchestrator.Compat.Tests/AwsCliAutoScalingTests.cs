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

    [Fact]
    public async Task A_target_tracking_policy_owns_its_two_alarms_until_it_is_deleted()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var subnet = (string)(await node.AwsOk("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}"))["Subnets"]![0]!["SubnetId"]!;
        var template = (string)(await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-tt",
            "--launch-template-data", """{"ImageId":"ami-0c02fb55956c7d316","InstanceType":"t3.micro","Monitoring":{"Enabled":true}}"""))["LaunchTemplate"]!["LaunchTemplateId"]!;
        await node.AwsOk("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-tt",
            "--launch-template", $"LaunchTemplateId={template}", "--min-size", "0", "--max-size", "4", "--desired-capacity", "0", "--vpc-zone-identifier", subnet);

        var put = await node.AwsOk("autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "cli-tt", "--policy-name", "cpu50",
            "--policy-type", "TargetTrackingScaling", "--estimated-instance-warmup", "120", "--target-tracking-configuration",
            """{"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageCPUUtilization"},"TargetValue":50.0}""");
        var policyArn = (string)put["PolicyARN"]!;
        Assert.StartsWith("arn:aws:autoscaling:us-east-1:", policyArn);
        Assert.EndsWith(":autoScalingGroupName/cli-tt:policyName/cpu50", policyArn);
        var alarms = put["Alarms"]!.AsArray().Select(a => (string)a!["AlarmName"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, alarms.Count);
        Assert.Matches("^TargetTracking-cli-tt-AlarmHigh-[0-9a-f-]{36}$", alarms[0]);
        Assert.Matches("^TargetTracking-cli-tt-AlarmLow-[0-9a-f-]{36}$", alarms[1]);
        Assert.All(put["Alarms"]!.AsArray(), a => Assert.Equal($"arn:aws:cloudwatch:us-east-1:000000000000:alarm:{(string)a!["AlarmName"]!}", (string)a!["AlarmARN"]!));

        var described = (await node.AwsOk(["cloudwatch", "describe-alarms", "--alarm-names", .. alarms]))["MetricAlarms"]!.AsArray();
        Assert.Equal(alarms, described.Select(a => (string)a!["AlarmName"]!).Order(StringComparer.Ordinal));
        var high = described.Single(a => (string)a!["AlarmName"]! == alarms[0])!;
        Assert.Equal(("CPUUtilization", "AWS/EC2", "Average", 60, 3, 50.0, "GreaterThanThreshold"), ((string)high["MetricName"]!, (string)high["Namespace"]!,
            (string)high["Statistic"]!, (int)high["Period"]!, (int)high["EvaluationPeriods"]!, (double)high["Threshold"]!, (string)high["ComparisonOperator"]!));
        Assert.Equal(policyArn, (string)high["AlarmActions"]![0]!);
        Assert.Equal("cli-tt", (string)high["Dimensions"]!.AsArray().Single(d => (string)d!["Name"]! == "AutoScalingGroupName")!["Value"]!);
        var low = described.Single(a => (string)a!["AlarmName"]! == alarms[1])!;
        Assert.Equal((15, 35.0, "LessThanThreshold"), ((int)low["EvaluationPeriods"]!, (double)low["Threshold"]!, (string)low["ComparisonOperator"]!));

        var policy = (await node.AwsOk("autoscaling", "describe-policies", "--auto-scaling-group-name", "cli-tt"))["ScalingPolicies"]![0]!;
        Assert.Equal(("cpu50", "TargetTrackingScaling", 120), ((string)policy["PolicyName"]!, (string)policy["PolicyType"]!, (int)policy["EstimatedInstanceWarmup"]!));
        var configuration = policy["TargetTrackingConfiguration"]!;
        Assert.Equal(("ASGAverageCPUUtilization", 50.0, false), ((string)configuration["PredefinedMetricSpecification"]!["PredefinedMetricType"]!,
            (double)configuration["TargetValue"]!, (bool)configuration["DisableScaleIn"]!));
        Assert.Equal(alarms, policy["Alarms"]!.AsArray().Select(a => (string)a!["AlarmName"]!).Order(StringComparer.Ordinal));
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "execute-policy", "--auto-scaling-group-name", "cli-tt", "--policy-name", "cpu50"));
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "cli-tt", "--policy-name", "bad",
            "--policy-type", "TargetTrackingScaling", "--target-tracking-configuration",
            """{"PredefinedMetricSpecification":{"PredefinedMetricType":"ALBRequestCountPerTarget"},"TargetValue":100.0}"""));

        await node.AwsOk("autoscaling", "delete-policy", "--auto-scaling-group-name", "cli-tt", "--policy-name", "cpu50");
        Assert.Empty((await node.AwsOk(["cloudwatch", "describe-alarms", "--alarm-names", .. alarms]))["MetricAlarms"]!.AsArray());
        Assert.Empty((await node.AwsOk("autoscaling", "describe-policies", "--auto-scaling-group-name", "cli-tt"))["ScalingPolicies"]!.AsArray());

        // With scale-in disabled the policy owns the high alarm only; deleting the group deletes it too.
        var outOnly = await node.AwsOk("autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "cli-tt", "--policy-name", "net-out",
            "--policy-type", "TargetTrackingScaling", "--target-tracking-configuration",
            """{"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageNetworkOut"},"TargetValue":1000000.0,"DisableScaleIn":true}""");
        var highOnly = (string)outOnly["Alarms"]!.AsArray().Single()!["AlarmName"]!;
        Assert.StartsWith("TargetTracking-cli-tt-AlarmHigh-", highOnly);
        Assert.Equal("NetworkOut", (string)(await node.AwsOk("cloudwatch", "describe-alarms", "--alarm-names", highOnly))["MetricAlarms"]![0]!["MetricName"]!);
        await node.AwsOk("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-tt");
        Assert.Empty((await node.AwsOk("cloudwatch", "describe-alarms", "--alarm-names", highOnly))["MetricAlarms"]!.AsArray());
    }

    [Fact]
    public async Task Scheduled_actions_are_put_described_and_deleted()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var subnet = (string)(await node.AwsOk("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}"))["Subnets"]![0]!["SubnetId"]!;
        var template = (string)(await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-sched",
            "--launch-template-data", """{"ImageId":"ami-0c02fb55956c7d316","InstanceType":"t3.micro"}"""))["LaunchTemplate"]!["LaunchTemplateId"]!;
        await node.AwsOk("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-sched",
            "--launch-template", $"LaunchTemplateId={template}", "--min-size", "0", "--max-size", "4", "--desired-capacity", "0", "--vpc-zone-identifier", subnet);

        await node.AwsOk("autoscaling", "put-scheduled-update-group-action", "--auto-scaling-group-name", "cli-sched", "--scheduled-action-name", "morning",
            "--recurrence", "0 8 * * MON-FRI", "--desired-capacity", "2", "--time-zone", "Europe/Paris");
        await node.AwsOk("autoscaling", "put-scheduled-update-group-action", "--auto-scaling-group-name", "cli-sched", "--scheduled-action-name", "launch-day",
            "--start-time", "2099-06-01T12:00:00Z", "--min-size", "1", "--max-size", "4");
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "put-scheduled-update-group-action", "--auto-scaling-group-name", "cli-sched",
            "--scheduled-action-name", "bad", "--recurrence", "0 8 * *", "--desired-capacity", "2"));

        var actions = (await node.AwsOk("autoscaling", "describe-scheduled-actions", "--auto-scaling-group-name", "cli-sched"))["ScheduledUpdateGroupActions"]!.AsArray();
        Assert.Equal(["morning", "launch-day"], actions.Select(a => (string)a!["ScheduledActionName"]!));
        var morning = actions[0]!;
        Assert.Equal(("0 8 * * MON-FRI", 2, "Europe/Paris"), ((string)morning["Recurrence"]!, (int)morning["DesiredCapacity"]!, (string)morning["TimeZone"]!));
        Assert.Contains(":scheduledUpdateGroupAction:", (string)morning["ScheduledActionARN"]!);
        var next = DateTimeOffset.Parse((string)morning["StartTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((8, 0), (TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Hour, next.Minute));
        Assert.Equal(DateTimeOffset.Parse("2099-06-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse((string)actions[1]!["StartTime"]!, System.Globalization.CultureInfo.InvariantCulture));

        await node.AwsOk("autoscaling", "delete-scheduled-action", "--auto-scaling-group-name", "cli-sched", "--scheduled-action-name", "launch-day");
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "delete-scheduled-action", "--auto-scaling-group-name", "cli-sched",
            "--scheduled-action-name", "launch-day"));
        var left = (await node.AwsOk("autoscaling", "describe-scheduled-actions", "--auto-scaling-group-name", "cli-sched", "--scheduled-action-names", "morning", "launch-day"))
            ["ScheduledUpdateGroupActions"]!.AsArray();
        Assert.Equal("morning", (string)Assert.Single(left)!["ScheduledActionName"]!);
        await node.AwsOk("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-sched");
    }

    [Fact]
    public async Task Traffic_sources_attach_describe_and_detach_the_group_s_target_groups()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var subnet = (string)(await node.AwsOk("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}"))["Subnets"]![0]!["SubnetId"]!;
        var template = (string)(await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-traffic",
            "--launch-template-data", """{"ImageId":"ami-0c02fb55956c7d316","InstanceType":"t3.micro"}"""))["LaunchTemplate"]!["LaunchTemplateId"]!;
        var targetGroup = (string)(await node.AwsOk("elbv2", "create-target-group", "--name", "cli-traffic", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc))
            ["TargetGroups"]![0]!["TargetGroupArn"]!;
        await node.AwsOk("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-traffic",
            "--launch-template", $"LaunchTemplateId={template}", "--min-size", "0", "--max-size", "2", "--desired-capacity", "0", "--vpc-zone-identifier", subnet);

        await node.AwsOk("autoscaling", "attach-traffic-sources", "--auto-scaling-group-name", "cli-traffic", "--traffic-sources", $"Identifier={targetGroup}");
        var sources = (await node.AwsOk("autoscaling", "describe-traffic-sources", "--auto-scaling-group-name", "cli-traffic"))["TrafficSources"]!.AsArray();
        var source = Assert.Single(sources)!;
        Assert.Equal((targetGroup, "elbv2"), ((string)source["Identifier"]!, (string)source["Type"]!));
        Assert.Equal([targetGroup], (await Group("cli-traffic"))["TargetGroupARNs"]!.AsArray().Select(a => (string)a!));
        Assert.Empty((await node.AwsOk("autoscaling", "describe-traffic-sources", "--auto-scaling-group-name", "cli-traffic", "--traffic-source-type", "vpc-lattice"))
            ["TrafficSources"]!.AsArray());
        Assert.Contains("(ValidationError)", await node.AwsFails("autoscaling", "attach-traffic-sources", "--auto-scaling-group-name", "cli-traffic",
            "--traffic-sources", "Identifier=my-classic-lb,Type=elb"));

        await node.AwsOk("autoscaling", "detach-traffic-sources", "--auto-scaling-group-name", "cli-traffic", "--traffic-sources", $"Identifier={targetGroup},Type=elbv2");
        Assert.Empty((await node.AwsOk("autoscaling", "describe-traffic-sources", "--auto-scaling-group-name", "cli-traffic"))["TrafficSources"]!.AsArray());
        await node.AwsOk("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-traffic", "--force-delete");
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_aws_error_codes_and_creates_nothing()
    {
        var vpc = (string)(await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"))["Vpcs"]![0]!["VpcId"]!;
        var subnet = (string)(await node.AwsOk("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}"))["Subnets"]![0]!["SubnetId"]!;
        var otherVpc = (string)(await node.AwsOk("ec2", "create-vpc", "--cidr-block", "10.200.0.0/16"))["Vpc"]!["VpcId"]!;
        var otherSubnet = (string)(await node.AwsOk("ec2", "create-subnet", "--vpc-id", otherVpc, "--cidr-block", "10.200.1.0/24"))["Subnet"]!["SubnetId"]!;
        var template = (string)(await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-bad-input",
            "--launch-template-data", """{"ImageId":"ami-0c02fb55956c7d316","InstanceType":"t3.micro"}"""))["LaunchTemplate"]!["LaunchTemplateId"]!;
        string[] Create(string templateId, string min, string max, string desired, string subnets) =>
            ["autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-bad-input", "--launch-template", $"LaunchTemplateId={templateId}",
                "--min-size", min, "--max-size", max, "--desired-capacity", desired, "--vpc-zone-identifier", subnets];

        Assert.Contains("Max bound, 1, must be greater than or equal to min bound, 3", await node.AwsFails(Create(template, "3", "1", "3", subnet)));
        Assert.Contains("(ValidationError)", await node.AwsFails(Create(template, "1", "3", "5", subnet)));
        Assert.Contains("Desired capacity:5 must be between the specified min size:1 and max size:3", await node.AwsFails(Create(template, "1", "3", "5", subnet)));
        var unknownTemplate = await node.AwsFails(Create("lt-0123456789abcdef0", "0", "1", "0", subnet));
        Assert.Contains("(ValidationError)", unknownTemplate);
        Assert.Contains("You must use a valid fully-formed launch template.", unknownTemplate);
        var mixedVpcs = await node.AwsFails(Create(template, "0", "1", "0", $"{subnet},{otherSubnet}"));
        Assert.Contains("(ValidationError)", mixedVpcs);
        Assert.Contains("must all belong to the same VPC", mixedVpcs);
        Assert.Empty((await node.AwsOk("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-bad-input"))["AutoScalingGroups"]!.AsArray());

        await node.AwsOk(Create(template, "0", "1", "0", subnet));
        var unknownType = await node.AwsFails("autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "cli-bad-input", "--policy-name", "odd",
            "--policy-type", "BogusScaling", "--adjustment-type", "ChangeInCapacity", "--scaling-adjustment", "1");
        Assert.Contains("(ValidationError)", unknownType);
        Assert.Contains("Invalid policy type BogusScaling", unknownType);
        Assert.Empty((await node.AwsOk("autoscaling", "describe-policies", "--auto-scaling-group-name", "cli-bad-input"))["ScalingPolicies"]!.AsArray());
        await node.AwsOk("autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-bad-input");
    }
}
