using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Tests;

public sealed class IdsTests
{
    [Theory]
    [InlineData("i-0123456789abcdef0", true)]
    [InlineData("i-1234abcd", true)]
    [InlineData("foobar", false)]
    [InlineData("i-XYZ", false)]
    [InlineData(null, false)]
    public void Instance_ids(string? id, bool wellFormed)
    {
        var result = Ec2Ids.Instance(id);
        Assert.Equal(wellFormed, !result.IsError);
        if (!wellFormed)
        {
            Assert.Equal("InvalidInstanceID.Malformed", result.Error!.Code);
            Assert.Equal($"Invalid id: \"{id}\"", result.Error.Message);
        }
    }

    [Fact]
    public void Launch_template_ids() =>
        Assert.Equal("InvalidLaunchTemplateId.Malformed", Ec2Ids.LaunchTemplate("lt-nope").Error!.Code);

    [Theory]
    [InlineData("vpc-0a1b2c3d4e5f60718", "subnet-0aaaaaaaaaaaaaaaa")]
    public void Vpc_and_subnet_ids_are_checked_against_their_own_prefix(string vpcId, string subnetId)
    {
        Assert.Equal(vpcId, VpcIds.Vpc(vpcId).Value);
        Assert.Equal(subnetId, VpcIds.Subnet(subnetId).Value);
        Assert.Equal("InvalidVpcID.Malformed", VpcIds.Vpc(subnetId).Error!.Code);
        Assert.Equal("InvalidSubnetID.Malformed", VpcIds.Subnet(vpcId).Error!.Code);
    }
}
