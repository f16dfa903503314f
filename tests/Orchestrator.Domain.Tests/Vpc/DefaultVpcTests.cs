using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class DefaultVpcTests
{
    private const string VpcId = "vpc-0defa017000000000";
    private static readonly string[] SubnetIds = [.. Enumerable.Range(1, 6).Select(i => $"subnet-{i:x17}")];

    [Fact]
    public void The_plan_is_one_default_VPC_and_one_slash_20_per_zone_in_order()
    {
        var plan = DefaultVpc.Plan(VpcId, SubnetIds, TestRegion.AllAvailable);

        var vpc = Assert.IsType<VpcCommands.CreateVpc>(plan[0]);
        Assert.Equal(new VpcCommands.CreateVpc(VpcId, "172.31.0.0/16", IsDefault: true), vpc);
        var subnets = plan.Skip(1).Cast<VpcCommands.CreateSubnet>().ToList();
        Assert.Equal(
            ["172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20", "172.31.48.0/20", "172.31.64.0/20", "172.31.80.0/20"],
            subnets.Select(s => s.CidrBlock));
        Assert.Equal(TestRegion.ZoneNames, subnets.Select(s => s.AvailabilityZone));
        Assert.Equal(SubnetIds, subnets.Select(s => s.SubnetId));
        Assert.All(subnets, s => Assert.True(s.DefaultForAz && s.MapPublicIpOnLaunch));
        Assert.All(plan, command => Assert.Equal(VpcId, command.EntityId));
    }

    [Fact]
    public void The_plan_applies_cleanly_and_describes_like_AWS()
    {
        var vpc = new EntityHarness<VpcState, IVpcCommand, IVpcEvent>(new VpcBehavior());
        foreach (var command in DefaultVpc.Plan(VpcId, SubnetIds, TestRegion.AllAvailable))
            Assert.NotEmpty(vpc.Execute(command));

        Assert.True(VpcView.From(vpc.State!).IsDefault);
        var views = SubnetView.AllOf(vpc.State!);
        Assert.Equal(6, views.Length);
        Assert.All(views, v => Assert.Equal(4091, v.AvailableIpAddressCount));
        Assert.Equal(["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"], views.Select(v => v.AvailabilityZoneId));
        Assert.Equal(SubnetIds[2], vpc.State!.DefaultSubnetFor("us-east-1c")!.SubnetId);
    }

    [Fact]
    public void The_plan_needs_one_subnet_id_per_zone() =>
        Assert.Throws<ArgumentException>(() => DefaultVpc.Plan(VpcId, SubnetIds[..2], TestRegion.AllAvailable));
}
