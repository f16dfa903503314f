using System.Collections.Immutable;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Tests.AutoScaling;

/// <summary>
/// Story 2 of issue 6 in virtual time, in three zones (AutoScalingGroupTests covers the two-zone basics):
/// a network outage seen by the ELB checks, capacity moved to the zones still up and HealthyHostCount
/// back to desired; a power outage seen by the EC2 checks; the zone's return rebalanced launch first.
/// </summary>
public sealed class ZoneOutageStoryTests : EntityTestKit
{
    private const string Name = "zonal";
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    private static readonly TimeSpan WallBound = TimeSpan.FromSeconds(5);
    private readonly Ec2Service _ec2;
    private readonly AutoScalingService _groups;
    private readonly TargetGroupService _targetGroups;
    private readonly LoadBalancerService _balancers;
    private readonly string _vpcId;
    private readonly string[] _subnets;
    private readonly string _templateId;
    private string[] _gathers = [];

    public ZoneOutageStoryTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        _targetGroups = new TargetGroupService(Services, "000000000000");
        _balancers = new LoadBalancerService(Services, "us-east-1", "000000000000");
        _vpcId = _ec2.CreateVpc("10.72.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, _vpcId);
        _subnets = [.. Zones.Select((zone, i) => _ec2.CreateSubnet(_vpcId, $"10.72.{i}.0/24", zone, null, null).Result.Value.SubnetId)];
        _templateId = _ec2.CreateLaunchTemplate("zonal", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro")).Result.Value.LaunchTemplateId;
    }

    private async Task<AutoScalingGroup> Group() =>
        (AutoScalingGroup)(await Router.Ask<EntityReplies.Accepted>(AutoScalingKinds.Group, Name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    private async Task<AutoScalingGroup> Create(string healthCheckType, ImmutableArray<string> targetGroups)
    {
        var created = await _groups.Create(Name, 3, 6, 3,
            new GroupRequest(LaunchTemplateId: _templateId, VpcZoneIdentifier: string.Join(',', _subnets), HealthCheckType: healthCheckType, HealthCheckGracePeriod: 60),
            targetGroups, []);
        Assert.False(created.IsError, created.Error?.ToString());
        return created.Value;
    }

    /// <summary>In-service instances per zone, every zone counted even when empty.</summary>
    private static int[] InService(AutoScalingGroup group) =>
        [.. Zones.Select(z => group.Instances.Count(i => i.AvailabilityZone == z && i.LifecycleState == LifecycleStates.InService))];

    /// <summary>Moves simulated time a second at a time until the condition holds, letting each step's round trips finish; fails past within.</summary>
    private async Task<AutoScalingGroup> Until(Func<AutoScalingGroup, Task<bool>> condition, TimeSpan within)
    {
        var deadline = Clock.Now + within;
        while (true)
        {
            var group = await Group();
            foreach (var instance in group.Instances)
                Touch(Ec2Kinds.Instance, instance.InstanceId);
            if (await condition(group))
                return group;
            Assert.True(Clock.Now < deadline, $"not there within {within} (at {Clock.Now:HH:mm:ss}): "
                + string.Join(", ", group.Instances.Select(i => $"{i.InstanceId} {i.AvailabilityZone} {i.LifecycleState} {i.HealthStatus}")));
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            await Settled(() => Task.FromResult(!_gathers.Any(Clock.AnyPending)));
            await Settled(async () => (await Group()).Instances.All(i => i.LifecycleState != LifecycleStates.Pending || i.InstanceType is not null));
        }
    }

    private Task<AutoScalingGroup> Until(Func<AutoScalingGroup, bool> condition, TimeSpan within) => Until(g => Task.FromResult(condition(g)), within);

    private static async Task Settled(Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow + WallBound;
        while (!await done() && DateTime.UtcNow < until)
            await Task.Delay(5);
    }

    private async Task<string> HealthOf(string targetGroupArn, string instanceId) =>
        Assert.Single((await _targetGroups.Health(targetGroupArn, [new TargetRegistration(instanceId)])).Value).Health.State;

    [Fact]
    public async Task A_network_outage_fails_the_zone_targets_within_two_checks_the_group_replaces_them_elsewhere_and_rebalances_when_the_zone_returns()
    {
        var tg = (await _targetGroups.Create("zonal", "HTTP", null, 80, _vpcId, null, null, new HealthCheckRequest(), null)).Value;
        var lb = (await _balancers.Create(new CreateLoadBalancerRequest("zonal", _subnets, []))).Value;
        Assert.False((await _balancers.CreateListener(lb.LoadBalancerArn,
            new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(tg.TargetGroupArn)]), ImmutableDictionary<string, string>.Empty)).IsError);
        await Create("ELB", [tg.TargetGroupArn]);
        _gathers = [.. new[] { (AutoScalingKinds.Group, Name), (TargetGroupKinds.TargetGroup, tg.TargetGroupId) }
            .Select(k => PersistenceIds.For(k.Item1, 1, k.Item2) + "/gather")];
        var healthyHosts = new Dictionary<string, string>
        {
            ["LoadBalancer"] = ApplicationElbMetrics.DimensionOf(lb.LoadBalancerArn),
            ["TargetGroup"] = ApplicationElbMetrics.DimensionOf(tg.TargetGroupArn),
        };

        // One instance per zone, all healthy, past the grace period.
        var group = await Until(async g => InService(g) is [1, 1, 1]
            && (await Task.WhenAll(g.Instances.Select(i => HealthOf(tg.TargetGroupArn, i.InstanceId)))).All(s => s == TargetHealthStates.Healthy), TimeSpan.FromSeconds(120));
        await Until(_ => Clock.Now >= Start + ElbTimings.Provisioning + TimeSpan.FromSeconds(60), ElbTimings.Provisioning + TimeSpan.FromSeconds(60));
        var cut = group.Instances.Single(i => i.AvailabilityZone == "us-east-1c").InstanceId;

        // Two failed checks 30 s apart: the first comes within one interval of the cut, the second one interval later.
        SetZone("us-east-1c", AzState.Unavailable, OutageMode.Network);
        var outageAt = Clock.Now;
        // Draining means the sweep of the same second already saw it unhealthy and took it out.
        await Until(async _ => await HealthOf(tg.TargetGroupArn, cut) is TargetHealthStates.Unhealthy or TargetHealthStates.Draining, TimeSpan.FromSeconds(70));
        var unhealthyAfter = Clock.Now - outageAt;
        Assert.InRange(unhealthyAfter, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(61));
        Assert.Equal("running", (await _ec2.Describe([cut])).Value[0].State.Name); // the network is cut, not the power

        // The next sweep takes it out (the grace period is long over) and launches into a zone still up.
        var unhealthyAt = Clock.Now;
        group = await Until(g => g.Find(cut) is { LifecycleState: LifecycleStates.Terminating }, AutoScalingGroup.SweepInterval + TimeSpan.FromSeconds(1));
        Assert.Contains("ELB system health check failure", group.Activities.Last(a => a.InstanceId == cut).Cause);
        var replacement = group.Instances.Single(i => i.LifecycleState != LifecycleStates.Terminating && i.AvailabilityZone != "us-east-1c"
            && !group.Activities.Any(a => a.InstanceId == i.InstanceId && a.StartTime < outageAt));
        Assert.True(Clock.Now - unhealthyAt <= AutoScalingGroup.SweepInterval);

        // Back to three healthy hosts, as HealthyHostCount reports.
        await Until(async g => InService(g).Sum() == 3 && await HealthOf(tg.TargetGroupArn, replacement.InstanceId) == TargetHealthStates.Healthy, TimeSpan.FromSeconds(60));
        await Until(_ => Metrics.Points(ApplicationElbMetrics.Namespace, "HealthyHostCount", healthyHosts) is [.., var last] && last.Timestamp > Clock.Now - TimeSpan.FromMinutes(2)
            && last.Value == 3 && Metrics.Points(ApplicationElbMetrics.Namespace, "UnHealthyHostCount", healthyHosts)[^1].Value == 0, TimeSpan.FromMinutes(3));
        group = await Group();
        Assert.Equal(0, InService(group)[2]);

        // The zone returns: AZRebalance launches into it first (capacity over desired by one), then terminates the surplus.
        SetZone("us-east-1c", AzState.Available);
        var peak = 0;
        group = await Until(g =>
        {
            peak = Math.Max(peak, g.Capacity);
            return InService(g) is [1, 1, 1] && g.Capacity == 3;
        }, TimeSpan.FromMinutes(3));
        Assert.Equal(4, peak);
        var launched = group.Activities.Last(a => a.Cause.Contains("to balance instances in zones", StringComparison.Ordinal) && a.Description.StartsWith("Launching", StringComparison.Ordinal));
        var terminated = group.Activities.Last(a => a.Description.StartsWith("Terminating", StringComparison.Ordinal) && a.StartTime >= launched.StartTime);
        Assert.True(terminated.StartTime > launched.StartTime, "terminated before the balancing launch");
    }

    [Fact]
    public async Task A_power_outage_stops_the_zone_instances_and_the_ec2_checks_replace_them_in_the_other_zones_at_the_next_sweep()
    {
        await Create("EC2", []);
        _gathers = [PersistenceIds.For(AutoScalingKinds.Group, 1, Name) + "/gather"];
        var group = await Until(g => InService(g) is [1, 1, 1], TimeSpan.FromSeconds(60));
        var dark = group.Instances.Single(i => i.AvailabilityZone == "us-east-1b").InstanceId;

        SetZone("us-east-1b", AzState.Unavailable, OutageMode.Power);
        var outageAt = Clock.Now;
        Assert.Equal("stopping", (await _ec2.Describe([dark])).Value[0].State.Name); // the power goes at once
        group = await Until(g => g.Find(dark) is { LifecycleState: LifecycleStates.Terminating }, AutoScalingGroup.SweepInterval + TimeSpan.FromSeconds(1));
        Assert.Contains("in response to an EC2 health check indicating it has been terminated or stopped", group.Activities.Last(a => a.InstanceId == dark).Cause);
        Assert.True(Clock.Now - outageAt <= AutoScalingGroup.SweepInterval, "an EC2 health check waits for no grace period");

        group = await Until(g => InService(g).Sum() == 3 && g.Find(dark) is null, TimeSpan.FromSeconds(60));
        Assert.Equal(0, InService(group)[1]);
        Assert.Equal([1, 2], InService(group).Where(n => n > 0).Order());
    }
}
