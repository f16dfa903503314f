using System.Collections.Immutable;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class LaunchPlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SubnetView Subnet(string zone, long free) =>
        new($"subnet-{zone}", "vpc-1", "172.31.0.0/20", "available", zone, "use1-az1", free, true, true, ImmutableDictionary<string, string>.Empty);

    private static readonly IReadOnlyList<SubnetView> Defaults = [Subnet("us-east-1a", 4000), Subnet("us-east-1b", 4090), Subnet("us-east-1c", 4090)];

    private static RegionStatus Region(string? down = null)
    {
        var region = RegionStatus.AllAvailable("us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c"], Now);
        return down is null ? region : region with { Zones = [.. region.Zones.Select(z => z.Name == down ? z with { State = AzState.Unavailable } : z)] };
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 2)]
    public void Counts_out_of_order_are_invalid(int min, int max) =>
        Assert.Equal("InvalidParameterValue", LaunchPlacement.CheckCounts(min, max)?.Code);

    [Fact]
    public void Without_a_zone_the_default_subnet_with_most_free_addresses_among_zones_that_are_up_is_chosen()
    {
        Assert.Equal("us-east-1b", LaunchPlacement.DefaultSubnet(Defaults, Region(), null).Value.AvailabilityZone);
        Assert.Equal("us-east-1c", LaunchPlacement.DefaultSubnet(Defaults, Region(down: "us-east-1b"), null).Value.AvailabilityZone);
        Assert.Equal("us-east-1a", LaunchPlacement.DefaultSubnet(Defaults, Region(), "us-east-1a").Value.AvailabilityZone);
        Assert.Equal("InvalidParameterValue", LaunchPlacement.DefaultSubnet(Defaults, Region(), "us-east-1z").Error?.Code);
        Assert.Equal("VPCIdNotSpecified", LaunchPlacement.DefaultSubnet([], Region(), null).Error?.Code);
    }

    [Fact]
    public void A_zone_that_is_down_takes_no_launch()
    {
        Assert.Null(LaunchPlacement.CheckZoneCapacity("t3.micro", "us-east-1a", Region()));
        var error = LaunchPlacement.CheckZoneCapacity("t3.micro", "us-east-1a", Region(down: "us-east-1a"));
        Assert.Equal("InsufficientInstanceCapacity", error?.Code);
        Assert.Contains("us-east-1b", error!.Message);
    }
}
