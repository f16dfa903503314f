using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.InstanceCommands;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class InstanceViewTests
{
    [Theory]
    [InlineData(InstanceStateName.Pending, 0, "pending")]
    [InlineData(InstanceStateName.Running, 16, "running")]
    [InlineData(InstanceStateName.ShuttingDown, 32, "shutting-down")]
    [InlineData(InstanceStateName.Terminated, 48, "terminated")]
    [InlineData(InstanceStateName.Stopping, 64, "stopping")]
    [InlineData(InstanceStateName.Stopped, 80, "stopped")]
    public void State_codes_and_names_are_the_API_ones(InstanceStateName state, int code, string name)
    {
        Assert.Equal(new InstanceStateView(code, name), InstanceStateView.Of(state));
        Assert.Equal(new InstanceStateView(code, name), InstanceView.From(InstanceFixture.In(state).State!, "us-east-1").State);
    }

    [Fact]
    public void A_running_instance_describes_with_addresses_dns_names_and_image_facts()
    {
        var view = InstanceView.From(InstanceFixture.In(InstanceStateName.Running).State!, "us-east-1");

        Assert.Equal(InstanceFixture.InstanceId, view.InstanceId);
        Assert.Equal("r-0123456789abcdef0", view.ReservationId);
        Assert.Equal("t3.micro", view.InstanceType);
        Assert.Equal(TestRegion.Epoch, view.LaunchTime);
        Assert.Equal("us-east-1a", view.AvailabilityZone);
        Assert.Equal("default", view.Tenancy);
        Assert.Equal("10.0.1.4", view.PrivateIpAddress);
        Assert.Equal("ip-10-0-1-4.ec2.internal", view.PrivateDnsName);
        Assert.Equal("54.210.1.2", view.PublicIpAddress);
        Assert.Equal("ec2-54-210-1-2.compute-1.amazonaws.com", view.PublicDnsName);
        Assert.Equal("subnet-0aaaaaaaaaaaaaaaa", view.SubnetId);
        Assert.Equal("vpc-0a1b2c3d4e5f60718", view.VpcId);
        Assert.Equal("sg-0123456789abcdef0", Assert.Single(view.SecurityGroupIds));
        Assert.Equal("drill", view.KeyName);
        Assert.Equal("disabled", view.MonitoringState);
        Assert.Equal("", view.StateTransitionReason);
        Assert.Null(view.StateReason);
        Assert.Equal("x86_64", view.Architecture);
        Assert.Equal("ebs", view.RootDeviceType);
        Assert.Equal("/dev/xvda", view.RootDeviceName);
        Assert.Equal("hvm", view.VirtualizationType);
        Assert.Null(view.Platform);
        Assert.Equal("Linux/UNIX", view.PlatformDetails);
        Assert.Equal("web", view.Tags["Name"]);
    }

    [Fact]
    public void Other_regions_use_compute_internal_and_regional_public_names()
    {
        var view = InstanceView.From(InstanceFixture.In(InstanceStateName.Running).State!, "eu-west-1");
        Assert.Equal("ip-10-0-1-4.eu-west-1.compute.internal", view.PrivateDnsName);
        Assert.Equal("ec2-54-210-1-2.eu-west-1.compute.amazonaws.com", view.PublicDnsName);
    }

    [Fact]
    public void Detailed_monitoring_reads_enabled()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Execute(new SetMonitoring(InstanceFixture.InstanceId, true));
        Assert.Equal("enabled", InstanceView.From(instance.State!, "us-east-1").MonitoringState);
    }

    [Fact]
    public void A_stopped_instance_keeps_its_private_address_but_not_its_public_one()
    {
        var view = InstanceView.From(InstanceFixture.In(InstanceStateName.Stopped).State!, "us-east-1");
        Assert.Equal("10.0.1.4", view.PrivateIpAddress);
        Assert.Null(view.PublicIpAddress);
        Assert.Equal("", view.PublicDnsName);
        Assert.Equal("Client.UserInitiatedShutdown", view.StateReason!.Code);
        Assert.StartsWith("User initiated (", view.StateTransitionReason);
    }

    [Fact]
    public void A_terminated_instance_has_lost_its_network_identity()
    {
        var view = InstanceView.From(InstanceFixture.In(InstanceStateName.Terminated).State!, "us-east-1");
        Assert.Null(view.PrivateIpAddress);
        Assert.Equal("", view.PrivateDnsName);
        Assert.Null(view.PublicIpAddress);
        Assert.Equal("", view.PublicDnsName);
        Assert.Null(view.SubnetId);
        Assert.Null(view.VpcId);
    }

    [Fact]
    public void Windows_images_describe_as_windows()
    {
        var spec = InstanceFixture.Spec(imageId: "ami-0e3c2921641a4a215");
        var view = InstanceView.From(InstanceFixture.In(InstanceStateName.Running, spec).State!, "us-east-1");
        Assert.Equal("windows", view.Platform);
        Assert.Equal("Windows", view.PlatformDetails);
        Assert.Equal("/dev/sda1", view.RootDeviceName);
    }
}
