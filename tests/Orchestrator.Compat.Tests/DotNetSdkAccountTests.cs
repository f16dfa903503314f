using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;

namespace Orchestrator.Compat.Tests;

/// <summary>The .NET SDK, signing for real, against a node with its own account id: every owner and ARN names that account.</summary>
public sealed class DotNetSdkAccountTests(VerifyingNodeFixture node) : IClassFixture<VerifyingNodeFixture>, IDisposable
{
    private const string Account = "123456789012";

    private readonly AmazonEC2Client _ec2 = new(new BasicAWSCredentials("test", "test"), new AmazonEC2Config
    {
        ServiceURL = node.Endpoint,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    public void Dispose() => _ec2.Dispose();

    [Fact]
    public async Task Vpcs_subnets_templates_and_interfaces_are_owned_by_the_callers_account()
    {
        var vpc = (await _ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.50.0.0/16" })).Vpc;
        Assert.Equal(Account, vpc.OwnerId);
        var subnet = (await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.50.1.0/24" })).Subnet;
        Assert.Equal(Account, subnet.OwnerId);
        Assert.Equal($"arn:aws:ec2:us-east-1:{Account}:subnet/{subnet.SubnetId}", subnet.SubnetArn);
        Assert.All((await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs, v => Assert.Equal(Account, v.OwnerId));

        var template = (await _ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = "owned",
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = "ami-0c02fb55956c7d316", InstanceType = InstanceType.T3Micro },
        })).LaunchTemplate;
        Assert.Equal($"arn:aws:iam::{Account}:root", template.CreatedBy);

        var run = await _ec2.RunInstancesAsync(new RunInstancesRequest
        {
            LaunchTemplate = new LaunchTemplateSpecification { LaunchTemplateId = template.LaunchTemplateId },
            MinCount = 1,
            MaxCount = 1,
            SubnetId = subnet.SubnetId,
        });
        Assert.Equal(Account, run.Reservation.OwnerId);
        var eni = Assert.Single(Assert.Single(run.Reservation.Instances).NetworkInterfaces);
        Assert.Equal(Account, eni.OwnerId);
        // Describe reads the read model, which follows the launch a moment later (as AWS's eventual consistency does).
        var filter = new DescribeNetworkInterfacesRequest { Filters = [new Amazon.EC2.Model.Filter("network-interface-id", [eni.NetworkInterfaceId])] };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        List<NetworkInterface> described;
        while ((described = (await _ec2.DescribeNetworkInterfacesAsync(filter)).NetworkInterfaces ?? []).Count == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(Account, Assert.Single(described).Attachment.InstanceOwnerId);
    }
}
