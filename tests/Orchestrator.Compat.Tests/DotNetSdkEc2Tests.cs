using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Ec2Filter = Amazon.EC2.Model.Filter;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS SDK for .NET (AWSSDK.EC2 v4), configured only with the node's URL, driving the EC2 instance lifecycle.</summary>
public sealed class DotNetSdkEc2Tests(NodeFixture node) : IClassFixture<NodeFixture>, IDisposable
{
    private const string Image = "ami-0c02fb55956c7d316";

    private readonly AmazonEC2Client _ec2 = new(new BasicAWSCredentials("test", "test"), new AmazonEC2Config
    {
        ServiceURL = node.Endpoint,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    public void Dispose() => _ec2.Dispose();

    [Fact]
    public async Task Zones_vpc_and_subnet()
    {
        var zones = await _ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest());
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], zones.AvailabilityZones.Select(z => z.ZoneName));
        Assert.All(zones.AvailabilityZones, z => Assert.Equal(AvailabilityZoneState.Available, z.State));

        var vpc = (await _ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.42.0.0/16" })).Vpc;
        Assert.Matches("^vpc-[0-9a-f]{17}$", vpc.VpcId);
        Assert.Equal("000000000000", vpc.OwnerId);
        var subnet = (await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.42.1.0/24", AvailabilityZone = "us-east-1c" })).Subnet;
        Assert.Equal(vpc.VpcId, subnet.VpcId);
        Assert.Equal("us-east-1c", subnet.AvailabilityZone);
        Assert.Equal(251, subnet.AvailableIpAddressCount);

        var described = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Ec2Filter("vpc-id", [vpc.VpcId])] });
        Assert.Equal(subnet.SubnetId, Assert.Single(described.Subnets).SubnetId);

        var account = await _ec2.DescribeAccountAttributesAsync(new DescribeAccountAttributesRequest { AttributeNames = ["default-vpc"] });
        var defaultVpc = Assert.Single(account.AccountAttributes);
        Assert.Matches("^vpc-[0-9a-f]{17}$", Assert.Single(defaultVpc.AttributeValues).AttributeValue);
    }

    [Fact]
    public async Task Run_poll_modify_stop_and_terminate()
    {
        var vpc = (await _ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.43.0.0/16" })).Vpc;
        var subnet = (await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.43.2.0/24", AvailabilityZone = "us-east-1a" })).Subnet;
        var run = await _ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = Image,
            InstanceType = InstanceType.T3Micro,
            MinCount = 1,
            MaxCount = 1,
            SubnetId = subnet.SubnetId,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("Name", "sdk")] }],
        });
        var launched = Assert.Single(run.Reservation.Instances);
        var id = launched.InstanceId;
        Assert.Equal(InstanceStateName.Pending, launched.State.Name);
        Assert.Equal("10.43.2.4", launched.PrivateIpAddress);

        var running = await WaitFor(id, InstanceStateName.Running);
        Assert.True(running.SourceDestCheck);
        var eni = Assert.Single(running.NetworkInterfaces);
        Assert.Equal(0, eni.Attachment.DeviceIndex);
        Assert.Equal(AttachmentStatus.Attached, eni.Attachment.Status);
        Assert.Equal(HttpTokensState.Optional, running.MetadataOptions.HttpTokens);
        Assert.Equal(2, running.CpuOptions.ThreadsPerCore);

        var filtered = await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Ec2Filter("tag:Name", ["sdk"]), new Ec2Filter("instance-state-name", ["running"]), new Ec2Filter("subnet-id", [subnet.SubnetId])],
        });
        Assert.Equal(id, Assert.Single(Assert.Single(filtered.Reservations).Instances).InstanceId);
        var interfaces = await _ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [new Ec2Filter("attachment.instance-id", [id])] });
        Assert.Equal(eni.NetworkInterfaceId, Assert.Single(interfaces.NetworkInterfaces).NetworkInterfaceId);

        await _ec2.ModifyInstanceAttributeAsync(new ModifyInstanceAttributeRequest { InstanceId = id, DisableApiTermination = true });
        var protectedAttribute = await _ec2.DescribeInstanceAttributeAsync(new DescribeInstanceAttributeRequest { InstanceId = id, Attribute = InstanceAttributeName.DisableApiTermination });
        Assert.True(protectedAttribute.InstanceAttribute.DisableApiTermination);
        var refused = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] }));
        Assert.Equal("OperationNotPermitted", refused.ErrorCode);
        await _ec2.ModifyInstanceAttributeAsync(new ModifyInstanceAttributeRequest { InstanceId = id, Attribute = InstanceAttributeName.DisableApiTermination, Value = "false" });

        var stopping = await _ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [id] });
        Assert.Equal(InstanceStateName.Stopping, Assert.Single(stopping.StoppingInstances).CurrentState.Name);
        await WaitFor(id, InstanceStateName.Stopped);
        await _ec2.ModifyInstanceAttributeAsync(new ModifyInstanceAttributeRequest { InstanceId = id, InstanceType = "t3.small" });
        var type = await _ec2.DescribeInstanceAttributeAsync(new DescribeInstanceAttributeRequest { InstanceId = id, Attribute = InstanceAttributeName.InstanceType });
        Assert.Equal("t3.small", type.InstanceAttribute.InstanceType);

        var terminating = await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] });
        Assert.Equal(InstanceStateName.ShuttingDown, Assert.Single(terminating.TerminatingInstances).CurrentState.Name);
        var terminated = await WaitFor(id, InstanceStateName.Terminated);
        Assert.Equal("t3.small", terminated.InstanceType.Value);
    }

    [Fact]
    public async Task Errors_carry_the_EC2_code_and_status()
    {
        var missing = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0123456789abcdef0"] }));
        Assert.Equal("InvalidInstanceID.NotFound", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("i-0123456789abcdef0", missing.Message, StringComparison.Ordinal);

        var malformed = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = ["i-nope"] }));
        Assert.Equal("InvalidInstanceID.Malformed", malformed.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    /// <summary>Polls DescribeInstances until the state is reached or a generous deadline passes (the node runs at x20).</summary>
    private async Task<Instance> WaitFor(string instanceId, InstanceStateName state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var described = await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] });
            var instance = Assert.Single(Assert.Single(described.Reservations).Instances);
            if (instance.State.Name == state)
                return instance;
            Assert.True(DateTime.UtcNow < deadline, $"{instanceId} still {instance.State.Name.Value}, not {state.Value}; node output:\n{node.Output}");
            await Task.Delay(100);
        }
    }
}
