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
/// Groups with every real entity in virtual time: the group's sweep asks EC2 instances and target
/// groups, its launcher calls EC2, and its events register, deregister and terminate instances.
/// </summary>
public sealed class AutoScalingGroupTests : EntityTestKit
{
    private const string Name = "web";
    private static readonly TimeSpan WallBound = TimeSpan.FromSeconds(5);
    private readonly Ec2Service _ec2;
    private readonly AutoScalingService _groups;
    private readonly string _vpcId;
    private readonly string[] _subnets;
    private readonly string _templateId;

    public AutoScalingGroupTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        _vpcId = _ec2.CreateVpc("10.90.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, _vpcId);
        _subnets = [.. new[] { "a", "b" }.Select((zone, i) => _ec2.CreateSubnet(_vpcId, $"10.90.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        _templateId = _ec2.CreateLaunchTemplate("web", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro")).Result.Value.LaunchTemplateId;
    }

    private async Task<AutoScalingGroup> Create(int min, int max, int? desired = null, string healthCheckType = "EC2", int grace = 0, ImmutableArray<string> targetGroups = default)
    {
        var created = await _groups.Create(Name, min, max, desired,
            new GroupRequest(LaunchTemplateId: _templateId, VpcZoneIdentifier: string.Join(',', _subnets), HealthCheckType: healthCheckType, HealthCheckGracePeriod: grace),
            targetGroups.IsDefault ? [] : targetGroups, [new GroupTag("team", "blue", true)]);
        Assert.False(created.IsError, created.Error?.ToString());
        return created.Value;
    }

    private async Task<AutoScalingGroup> Group() =>
        (AutoScalingGroup)(await Router.Ask<EntityReplies.Accepted>(AutoScalingKinds.Group, Name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    /// <summary>
    /// Moves simulated time a second at a time until the group satisfies the condition, letting each
    /// sweep and each launch finish before the next step; fails if it takes longer than within.
    /// </summary>
    private async Task<AutoScalingGroup> Until(Func<AutoScalingGroup, bool> condition, TimeSpan within, Func<AutoScalingGroup, Task>? eachStep = null)
    {
        var deadline = Clock.Now + within;
        var sweeps = PersistenceIds.For(AutoScalingKinds.Group, 1, Name) + "/gather";
        while (true)
        {
            var group = await Group();
            foreach (var instance in group.Instances)
                Touch(Ec2Kinds.Instance, instance.InstanceId);
            if (eachStep is not null)
                await eachStep(group);
            if (condition(group))
                return group;
            Assert.True(Clock.Now < deadline, $"the group did not get there within {within}: {string.Join(", ", group.Instances.Select(i => $"{i.InstanceId} {i.AvailabilityZone} {i.LifecycleState} {i.HealthStatus}"))}");
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            // Let each sweep and each launch report finish before time moves on. Never wait forever: a sweep
            // whose question went unanswered ends at its simulated timeout, which only a moving clock reaches.
            await Settled(() => Task.FromResult(!Clock.AnyPending(sweeps)));
            await Settled(async () => (await Group()).Instances.All(i => i.LifecycleState != LifecycleStates.Pending || i.InstanceType is not null));
        }
    }

    /// <summary>Polls until the work of this step is done, or the wall bound passes (then time moves on regardless).</summary>
    private static async Task Settled(Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow + WallBound;
        while (!await done() && DateTime.UtcNow < until)
            await Task.Delay(5);
    }

    private static Dictionary<string, int> InServiceByZone(AutoScalingGroup group) =>
        group.Instances.Where(i => i.LifecycleState == LifecycleStates.InService).GroupBy(i => i.AvailabilityZone).ToDictionary(g => g.Key, g => g.Count());

    private static bool Settled(AutoScalingGroup group, int count) =>
        group.Instances.Count == count && group.Instances.All(i => i.LifecycleState == LifecycleStates.InService);

    [Fact]
    public async Task A_group_of_two_launches_into_both_zones_and_scales_out_and_in_keeping_them_balanced()
    {
        await Create(min: 1, max: 6, desired: 2);
        var group = await Until(g => Settled(g, 2), TimeSpan.FromSeconds(40));
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 1, ["us-east-1b"] = 1 }, InServiceByZone(group));
        var launched = (await _ec2.Describe([.. group.Instances.Select(i => i.InstanceId)])).Value;
        Assert.All(launched, i => Assert.Equal((Name, "blue", "running"), (i.Tags["aws:autoscaling:groupName"], i.Tags["team"], i.State.Name)));
        Assert.All(group.Activities, a => Assert.Equal(Activities.Successful, a.StatusCode));

        Assert.False((await _groups.Send(Name, new AutoScalingCommands.SetDesiredCapacity(Name, 4, false))).IsError);
        group = await Until(g => Settled(g, 4), TimeSpan.FromSeconds(40));
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 2, ["us-east-1b"] = 2 }, InServiceByZone(group));

        Assert.False((await _groups.Send(Name, new AutoScalingCommands.SetDesiredCapacity(Name, 1, false))).IsError);
        group = await Group();
        var terminating = group.Instances.Where(i => i.LifecycleState == LifecycleStates.Terminating).ToList();
        Assert.Equal(3, terminating.Count);
        Assert.Equal([1, 2], terminating.GroupBy(i => i.AvailabilityZone).Select(z => z.Count()).Order()); // balance first: two from one zone, one from the other
        group = await Until(g => Settled(g, 1), TimeSpan.FromSeconds(40));
        Assert.Contains(group.Activities, a => a.Cause.Contains("shrinking the capacity from 4 to 1", StringComparison.Ordinal));
        foreach (var gone in terminating)
            Assert.Equal("terminated", (await _ec2.Describe([gone.InstanceId])).Value[0].State.Name);
    }

    [Fact]
    public async Task A_stopped_instance_is_replaced_at_the_next_health_check()
    {
        await Create(min: 2, max: 2, grace: 300);
        var group = await Until(g => Settled(g, 2), TimeSpan.FromSeconds(40));
        var stopped = group.Instances[0];
        Assert.False((await _ec2.ChangeState([stopped.InstanceId], id => new InstanceCommands.Stop(id))).IsError);
        var stoppedAt = Clock.Now;
        await Until(g => g.Find(stopped.InstanceId) is { LifecycleState: LifecycleStates.Terminating }, TimeSpan.FromSeconds(30));
        Assert.True(Clock.Now - stoppedAt <= TimeSpan.FromSeconds(25), "the grace period does not delay an EC2 health check");
        group = await Until(g => Settled(g, 2) && g.Find(stopped.InstanceId) is null, TimeSpan.FromSeconds(60));
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 1, ["us-east-1b"] = 1 }, InServiceByZone(group));
    }

    [Fact]
    public async Task With_elb_checks_a_failing_application_is_replaced_once_its_target_is_unhealthy_and_the_grace_period_is_over()
    {
        var targetGroups = new TargetGroupService(Services, "000000000000");
        var balancers = new LoadBalancerService(Services, "us-east-1", "000000000000");
        var tg = (await targetGroups.Create("web", "HTTP", null, 80, _vpcId, null, null, new HealthCheckRequest(), null)).Value;
        var lb = await balancers.Create(new CreateLoadBalancerRequest("web", _subnets, []));
        Assert.False(lb.IsError, lb.Error?.ToString());
        Assert.False((await balancers.CreateListener(lb.Value.LoadBalancerArn,
            new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(tg.TargetGroupArn)]), ImmutableDictionary<string, string>.Empty)).IsError);

        await Create(min: 2, max: 2, healthCheckType: "ELB", grace: 300, targetGroups: [tg.TargetGroupArn]);
        var group = await Until(g => Settled(g, 2), TimeSpan.FromSeconds(40));
        var launchedAt = group.Instances.Max(i => i.LaunchedAt);
        var health = await targetGroups.Health(tg.TargetGroupArn, []);
        Assert.Equal(group.Instances.Select(i => i.InstanceId).Order(), health.Value.Select(t => t.Id).Order()); // registered on the way in service

        var failing = group.Instances[0].InstanceId;
        Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, failing, new InstanceCommands.SetApplicationHealth(failing, ApplicationHealth.Failing), default)).IsError);
        var unhealthyAt = (DateTimeOffset?)null;
        await Until(g => g.Find(failing) is { LifecycleState: LifecycleStates.Terminating }, TimeSpan.FromSeconds(400), async _ =>
        {
            if (unhealthyAt is null && (await targetGroups.Health(tg.TargetGroupArn, [new TargetRegistration(failing)])).Value[0].Health.State == "unhealthy")
                unhealthyAt = Clock.Now;
        });
        Assert.NotNull(unhealthyAt);
        Assert.True(unhealthyAt < launchedAt + TimeSpan.FromSeconds(300), "the target turned unhealthy within the grace period");
        Assert.InRange(Clock.Now, launchedAt + TimeSpan.FromSeconds(300), launchedAt + TimeSpan.FromSeconds(311)); // the first sweep after the grace period
        Assert.Equal(TargetHealthStates.Draining, (await targetGroups.Health(tg.TargetGroupArn, [new TargetRegistration(failing)])).Value[0].Health.State);
        var terminating = (await Group()).Activities.Last(a => a.InstanceId == failing);
        Assert.Contains("ELB system health check failure", terminating.Cause);
        Assert.Equal(Activities.WaitingForELBConnectionDraining, terminating.StatusCode);

        // The replacement goes in service while the old target drains; EC2 terminates the old instance only once it has drained (300 s by default).
        var drainingFrom = Clock.Now;
        await Until(g => g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) == 2, TimeSpan.FromSeconds(60));
        Assert.Equal("running", (await _ec2.Describe([failing])).Value[0].State.Name);
        await Until(g => Settled(g, 2) && g.Find(failing) is null, TimeSpan.FromSeconds(330));
        Assert.True(Clock.Now - drainingFrom >= TimeSpan.FromSeconds(300), "terminated before the deregistration delay was over");
        Assert.Equal("terminated", (await _ec2.Describe([failing])).Value[0].State.Name);
        Assert.Equal(Activities.Successful, (await Group()).Activities.Last(a => a.InstanceId == failing).StatusCode);
    }

    [Fact]
    public async Task A_network_outage_is_seen_by_the_elb_checks_and_capacity_moves_to_the_other_zone()
    {
        var targetGroups = new TargetGroupService(Services, "000000000000");
        var balancers = new LoadBalancerService(Services, "us-east-1", "000000000000");
        var tg = (await targetGroups.Create("net", "HTTP", null, 80, _vpcId, null, null, new HealthCheckRequest(), null)).Value;
        var lb = (await balancers.Create(new CreateLoadBalancerRequest("net", _subnets, []))).Value;
        Assert.False((await balancers.CreateListener(lb.LoadBalancerArn,
            new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(tg.TargetGroupArn)]), ImmutableDictionary<string, string>.Empty)).IsError);
        await Create(min: 2, max: 2, healthCheckType: "ELB", targetGroups: [tg.TargetGroupArn]);
        var group = await Until(g => Settled(g, 2), TimeSpan.FromSeconds(40));
        var cut = group.Instances.Single(i => i.AvailabilityZone == "us-east-1b").InstanceId;
        var healthy = false;
        await Until(_ => healthy, TimeSpan.FromSeconds(120), async _ =>
            healthy = (await targetGroups.Health(tg.TargetGroupArn, [new TargetRegistration(cut)])).Value[0].Health.State == "healthy");

        SetZone("us-east-1b", AzState.Unavailable, OutageMode.Network);
        var outageAt = Clock.Now;
        group = await Until(g => InServiceByZone(g).GetValueOrDefault("us-east-1a") == 2, TimeSpan.FromSeconds(150));
        Assert.True(Clock.Now - outageAt >= TimeSpan.FromSeconds(30), "replaced before the target could have failed its checks");
        Assert.Contains("ELB system health check failure", group.Activities.Last(a => a.InstanceId == cut).Cause);
        Assert.Equal(LifecycleStates.Terminating, group.Find(cut)!.LifecycleState); // still draining
    }

    [Fact]
    public async Task A_power_outage_moves_capacity_to_the_other_zone_and_the_group_rebalances_when_it_returns()
    {
        await Create(min: 2, max: 2);
        await Until(g => Settled(g, 2), TimeSpan.FromSeconds(40));
        SetZone("us-east-1b", AzState.Unavailable, OutageMode.Power);
        var group = await Until(g => Settled(g, 2) && InServiceByZone(g).GetValueOrDefault("us-east-1a") == 2, TimeSpan.FromSeconds(90));

        SetZone("us-east-1b", AzState.Available);
        var peak = 0;
        group = await Until(g => Settled(g, 2) && InServiceByZone(g).GetValueOrDefault("us-east-1b") == 1, TimeSpan.FromSeconds(90), g =>
        {
            peak = Math.Max(peak, g.Capacity);
            return Task.CompletedTask;
        });
        Assert.Equal(new Dictionary<string, int> { ["us-east-1a"] = 1, ["us-east-1b"] = 1 }, InServiceByZone(group));
        Assert.Equal(3, peak); // launched first, over max by one, then terminated
        Assert.Contains(group.Activities, a => a.Cause.Contains("to balance instances in zones", StringComparison.Ordinal));
    }
}
