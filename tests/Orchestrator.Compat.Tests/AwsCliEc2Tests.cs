using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI and boto3, unchanged but for the endpoint, driving EC2 instances that are the node's entities.</summary>
public sealed class AwsCliEc2Tests(NodeFixture node) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Zones_and_default_subnets_are_described()
    {
        var zones = await node.AwsOk("ec2", "describe-availability-zones");
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], zones["AvailabilityZones"]!.AsArray().Select(z => (string)z!["ZoneName"]!));
        var subnets = await node.AwsOk("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true");
        Assert.Equal(3, subnets["Subnets"]!.AsArray().Count);
        Assert.All(subnets["Subnets"]!.AsArray(), s => Assert.InRange((int)s!["AvailableIpAddressCount"]!, 4000, 4091));
        var vpcs = await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true");
        Assert.Equal("172.31.0.0/16", (string)vpcs["Vpcs"]![0]!["CidrBlock"]!);
    }

    [Fact]
    public async Task Run_wait_describe_stop_and_terminate_like_on_aws()
    {
        var run = await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.micro", "--count", "2",
            "--placement", "AvailabilityZone=us-east-1b", "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=compat}]");
        var instances = run["Instances"]!.AsArray();
        Assert.Equal(2, instances.Count);
        Assert.All(instances, i => Assert.Equal("pending", (string)i!["State"]!["Name"]!));
        var ids = instances.Select(i => (string)i!["InstanceId"]!).ToArray();

        await node.AwsOk(["ec2", "wait", "instance-running", "--instance-ids", .. ids]);
        var running = await node.AwsOk("ec2", "describe-instances", "--filters", "Name=tag:Name,Values=compat", "Name=instance-state-name,Values=running");
        var described = running["Reservations"]!.AsArray().SelectMany(r => r!["Instances"]!.AsArray()).ToList();
        Assert.Equal(ids.Order(), described.Select(i => (string)i!["InstanceId"]!).Order());
        Assert.All(described, i => Assert.Equal("us-east-1b", (string)i!["Placement"]!["AvailabilityZone"]!));
        Assert.All(described, i => Assert.StartsWith("172.31.16.", (string)i!["PrivateIpAddress"]!));

        var stop = await node.AwsOk("ec2", "stop-instances", "--instance-ids", ids[0]);
        Assert.Equal("stopping", (string)stop["StoppingInstances"]![0]!["CurrentState"]!["Name"]!);
        await node.AwsOk("ec2", "wait", "instance-stopped", "--instance-ids", ids[0]);
        var terminate = await node.AwsOk(["ec2", "terminate-instances", "--instance-ids", .. ids]);
        Assert.All(terminate["TerminatingInstances"]!.AsArray(), t => Assert.Equal("shutting-down", (string)t!["CurrentState"]!["Name"]!));
        await node.AwsOk(["ec2", "wait", "instance-terminated", "--instance-ids", .. ids]);
    }

    [Fact]
    public async Task Vpc_and_subnets_are_created_validated_used_and_deleted()
    {
        var vpc = (string)(await node.AwsOk("ec2", "create-vpc", "--cidr-block", "10.40.0.0/16",
            "--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=lab}]"))["Vpc"]!["VpcId"]!;
        var subnet = (await node.AwsOk("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.40.1.0/24", "--availability-zone", "us-east-1c"))["Subnet"]!;
        Assert.Equal((251, "us-east-1c"), ((int)subnet["AvailableIpAddressCount"]!, (string)subnet["AvailabilityZone"]!));
        var subnetId = (string)subnet["SubnetId"]!;

        Assert.Contains("(InvalidSubnet.Conflict)", await node.AwsFails("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.40.1.128/25"));
        Assert.Contains("(InvalidSubnet.Range)", await node.AwsFails("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.41.0.0/24"));
        Assert.Contains("(InvalidVpc.Range)", await node.AwsFails("ec2", "create-vpc", "--cidr-block", "10.0.0.0/8"));
        Assert.Contains("(InvalidVpcID.NotFound)", await node.AwsFails("ec2", "create-subnet", "--vpc-id", "vpc-0123456789abcdef0", "--cidr-block", "10.0.0.0/24"));

        var run = await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.micro", "--subnet-id", subnetId);
        Assert.Equal("10.40.1.4", (string)run["Instances"]![0]!["PrivateIpAddress"]!);
        Assert.Contains("(DependencyViolation)", await node.AwsFails("ec2", "delete-vpc", "--vpc-id", vpc));
        var described = await node.AwsOk("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=lab");
        Assert.Equal(vpc, (string)described["Vpcs"]![0]!["VpcId"]!);

        var instance = (string)run["Instances"]![0]!["InstanceId"]!;
        await node.AwsOk("ec2", "terminate-instances", "--instance-ids", instance);
        await node.AwsOk("ec2", "wait", "instance-terminated", "--instance-ids", instance);
        await node.AwsOk("ec2", "delete-subnet", "--subnet-id", subnetId);
        await node.AwsOk("ec2", "delete-vpc", "--vpc-id", vpc);
        Assert.Contains("(InvalidVpcID.NotFound)", await node.AwsFails("ec2", "describe-vpcs", "--vpc-ids", vpc));
    }

    [Fact]
    public async Task Status_checks_monitoring_types_and_images()
    {
        var id = (string)(await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.micro"))["Instances"]![0]!["InstanceId"]!;
        await node.AwsOk("ec2", "wait", "instance-running", "--instance-ids", id);
        var status = (await node.AwsOk("ec2", "describe-instance-status", "--instance-ids", id))["InstanceStatuses"]![0]!;
        Assert.Contains((string)status["InstanceStatus"]!["Status"]!, new[] { "initializing", "ok" });
        Assert.Equal("running", (string)status["InstanceState"]!["Name"]!);

        var monitor = await node.AwsOk("ec2", "monitor-instances", "--instance-ids", id);
        Assert.Equal("pending", (string)monitor["InstanceMonitorings"]![0]!["Monitoring"]!["State"]!);
        var described = await node.AwsOk("ec2", "describe-instances", "--instance-ids", id);
        Assert.Equal("enabled", (string)described["Reservations"]![0]!["Instances"]![0]!["Monitoring"]!["State"]!);

        var type = (await node.AwsOk("ec2", "describe-instance-types", "--instance-types", "t3.micro"))["InstanceTypes"]![0]!;
        Assert.Equal((2, 1024), ((int)type["VCpuInfo"]!["DefaultVCpus"]!, (int)type["MemoryInfo"]!["SizeInMiB"]!));
        var images = (await node.AwsOk("ec2", "describe-images", "--owners", "amazon"))["Images"]!.AsArray();
        Assert.Contains(images, i => (string)i!["ImageId"]! == "ami-0c02fb55956c7d316");
        Assert.Contains("(InvalidAMIID.NotFound)", await node.AwsFails("ec2", "describe-images", "--image-ids", "ami-0123456789abcdef0"));
    }

    [Fact]
    public async Task Launch_templates_with_versions_drive_run_instances()
    {
        var template = (await node.AwsOk("ec2", "create-launch-template", "--launch-template-name", "cli-web",
            "--launch-template-data", "{\"ImageId\":\"ami-0c02fb55956c7d316\",\"InstanceType\":\"t3.micro\",\"Monitoring\":{\"Enabled\":true}}"))["LaunchTemplate"]!;
        var id = (string)template["LaunchTemplateId"]!;
        Assert.Equal(1, (int)template["LatestVersionNumber"]!);
        Assert.Contains("(InvalidLaunchTemplateName.AlreadyExistsException)",
            await node.AwsFails("ec2", "create-launch-template", "--launch-template-name", "cli-web", "--launch-template-data", "{\"InstanceType\":\"t3.nano\"}"));

        var version = (await node.AwsOk("ec2", "create-launch-template-version", "--launch-template-id", id, "--source-version", "1",
            "--launch-template-data", "{\"InstanceType\":\"t3.small\"}"))["LaunchTemplateVersion"]!;
        Assert.Equal((2, "t3.small", "ami-0c02fb55956c7d316"), ((int)version["VersionNumber"]!, (string)version["LaunchTemplateData"]!["InstanceType"]!, (string)version["LaunchTemplateData"]!["ImageId"]!));

        var fromDefault = (await node.AwsOk("ec2", "run-instances", "--launch-template", $"LaunchTemplateId={id}"))["Instances"]![0]!;
        Assert.Equal(("t3.micro", "enabled"), ((string)fromDefault["InstanceType"]!, (string)fromDefault["Monitoring"]!["State"]!));
        var fromLatest = (await node.AwsOk("ec2", "run-instances", "--launch-template", "LaunchTemplateName=cli-web,Version=$Latest"))["Instances"]![0]!;
        Assert.Equal("t3.small", (string)fromLatest["InstanceType"]!);

        await node.AwsOk("ec2", "modify-launch-template", "--launch-template-id", id, "--default-version", "2");
        var described = (await node.AwsOk("ec2", "describe-launch-templates", "--launch-template-names", "cli-web"))["LaunchTemplates"]![0]!;
        Assert.Equal(2, (int)described["DefaultVersionNumber"]!);
        var versions = (await node.AwsOk("ec2", "describe-launch-template-versions", "--launch-template-id", id))["LaunchTemplateVersions"]!.AsArray();
        Assert.Equal([1, 2], versions.Select(v => (int)v!["VersionNumber"]!));

        await node.AwsOk("ec2", "delete-launch-template", "--launch-template-id", id);
        Assert.Contains("(InvalidLaunchTemplateName.NotFoundException)", await node.AwsFails("ec2", "describe-launch-templates", "--launch-template-names", "cli-web"));
    }

    [Theory]
    [InlineData("InvalidInstanceID.Malformed", "ec2", "stop-instances", "--instance-ids", "i-bad")]
    [InlineData("InvalidInstanceID.NotFound", "ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0")]
    [InlineData("InvalidAMIID.Malformed", "ec2", "run-instances", "--image-id", "image-1", "--instance-type", "t3.micro")]
    [InlineData("InvalidParameterValue", "ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t9.mega")]
    [InlineData("InvalidParameterValue", "ec2", "describe-instances", "--filters", "Name=no-such-filter,Values=x")]
    [InlineData("InvalidAction", "ec2", "describe-customer-gateways")]
    public async Task Bad_input_gets_the_aws_error_code(string code, params string[] args) =>
        Assert.Contains($"({code})", await node.AwsFails(args));

    [Fact]
    public async Task Boto3_paginates_describe_instances()
    {
        await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.nano", "--count", "7",
            "--tag-specifications", "ResourceType=instance,Tags=[{Key=Group,Value=paged}]");
        const string Script = """
            import json, os, boto3
            ec2 = boto3.client('ec2', endpoint_url=os.environ['ENDPOINT'])
            pages = ec2.get_paginator('describe_instances').paginate(
                Filters=[{'Name': 'tag:Group', 'Values': ['paged']}], PaginationConfig={'PageSize': 5})
            sizes = [sum(len(r['Instances']) for r in page['Reservations']) for page in pages]
            print(json.dumps(sizes))
            """;
        var (code, stdout, stderr) = await node.Run("python3", "-c", Script);
        Assert.True(code == 0, stderr);
        Assert.Equal([5, 2], JsonNode.Parse(stdout)!.AsArray().Select(n => (int)n!));
    }
}
