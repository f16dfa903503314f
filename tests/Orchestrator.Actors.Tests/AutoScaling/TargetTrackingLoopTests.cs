using System.Collections.Immutable;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Tests.AutoScaling;

/// <summary>
/// The elastic loop with every real entity in virtual time: a fluid load on an ALB raises the CPU of
/// the group's instances, their group-level CPU series breaches the target tracking policy's high
/// alarm, the alarm executes the policy, the group launches into the emptier zone, the new instance
/// registers, turns healthy and takes its share of the load; more load doubles the group at once
/// (proportional), and with the load gone the low alarm scales in one instance a minute. The policy
/// leaves EstimatedInstanceWarmup unset: warm-up falls back to the group's 300 s default cooldown.
/// </summary>
public sealed class TargetTrackingLoopTests : EntityTestKit
{
    private const string Name = "web";
    private const double Target = 50;
    private static readonly TimeSpan WallBound = TimeSpan.FromSeconds(5);
    private static readonly Dictionary<string, string> ByGroup = new() { ["AutoScalingGroupName"] = Name };
    private static readonly MetricKey GroupCpu = MetricKey.Of("AWS/EC2", "CPUUtilization", ByGroup);
    private readonly Ec2Service _ec2;
    private readonly AutoScalingService _groups;
    private readonly TargetGroupService _targetGroups;
    private readonly LoadBalancerService _balancers;
    private readonly string _vpcId;
    private readonly string[] _subnets;
    private readonly string _templateId;
    private string[] _gathers = [];
    private int _pumped;

    public TargetTrackingLoopTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        _targetGroups = new TargetGroupService(Services, "000000000000");
        _balancers = new LoadBalancerService(Services, "us-east-1", "000000000000");
        _vpcId = _ec2.CreateVpc("10.70.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, _vpcId);
        _subnets = [.. new[] { "a", "b" }.Select((zone, i) => _ec2.CreateSubnet(_vpcId, $"10.70.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        // Target tracking on ASGAverageCPUUtilization needs one-minute data: the template asks for detailed monitoring.
        _templateId = _ec2.CreateLaunchTemplate("web", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro", Monitoring: true)).Result.Value.LaunchTemplateId;
    }

    private async Task<AutoScalingGroup> Group() =>
        (AutoScalingGroup)(await Router.Ask<EntityReplies.Accepted>(AutoScalingKinds.Group, Name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    private async Task<MetricAlarm> Alarm(string name) =>
        (MetricAlarm)(await Router.Ask<EntityReplies.Accepted>(AlarmKinds.MetricAlarm, name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    /// <summary>The group's CPU as CloudWatch aggregates it: the average of its instances' points, per minute.</summary>
    private SortedDictionary<DateTimeOffset, double> GroupCpuByMinute() =>
        new(Metrics.Points("AWS/EC2", "CPUUtilization", ByGroup).GroupBy(p => p.Timestamp).ToDictionary(g => g.Key, g => g.Average(p => p.Value)));

    /// <summary>
    /// Moves simulated time a second at a time until the condition holds (failing past within). Each
    /// step lets the round trips that fell due finish (sweeps, health checks, alarm evaluations,
    /// launches), then hands the group's new CPU points to CloudWatch, as a node's metric sink does.
    /// </summary>
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
            Assert.True(Clock.Now < deadline, $"not there within {within} (at {Clock.Now:HH:mm:ss}): desired {group.DesiredCapacity}, "
                + string.Join(", ", group.Instances.Select(i => $"{i.InstanceId} {i.AvailabilityZone} {i.LifecycleState}")));
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            await Settled(() => Task.FromResult(!_gathers.Any(Clock.AnyPending)));
            await Settled(async () => (await Group()).Instances.All(i => i.LifecycleState != LifecycleStates.Pending || i.InstanceType is not null));
            await Pump();
        }
    }

    private Task<AutoScalingGroup> Until(Func<AutoScalingGroup, bool> condition, TimeSpan within) => Until(g => Task.FromResult(condition(g)), within);

    private async Task Pump()
    {
        var points = Metrics.Points("AWS/EC2", "CPUUtilization", ByGroup);
        if (points.Count == _pumped)
            return;
        var samples = points.Skip(_pumped).Select(p => new Sample(p.Timestamp, p.StorageResolutionSeconds, Aggregate.OfValues(p.Unit, [new ValueCount(p.Value, 1)])));
        _pumped = points.Count;
        await Router.Ask<object>(CloudWatchKinds.MetricSeries, GroupCpu.EntityId(), new MetricSeriesCommands.Record(GroupCpu, [.. samples]), TimeSpan.FromSeconds(5));
    }

    /// <summary>Polls until the work of this step is done, or the wall bound passes (then time moves on regardless).</summary>
    private static async Task Settled(Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow + WallBound;
        while (!await done() && DateTime.UtcNow < until)
            await Task.Delay(5);
    }

    private async Task<string> HealthOf(string targetGroupArn, string instanceId) =>
        Assert.Single((await _targetGroups.Health(targetGroupArn, [new TargetRegistration(instanceId)])).Value).Health.State;

    [Fact]
    public async Task Load_scales_the_group_out_in_proportion_after_three_breaching_minutes_and_in_gradually_after_fifteen_quiet_ones()
    {
        var tg = (await _targetGroups.Create("web", "HTTP", null, 80, _vpcId, null, null, new HealthCheckRequest(), null)).Value;
        var lb = (await _balancers.Create(new CreateLoadBalancerRequest("web", _subnets, []))).Value;
        Assert.False((await _balancers.CreateListener(lb.LoadBalancerArn,
            new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(tg.TargetGroupArn)]), ImmutableDictionary<string, string>.Empty)).IsError);
        var created = await _groups.Create(Name, 1, 6, 1,
            new GroupRequest(LaunchTemplateId: _templateId, VpcZoneIdentifier: string.Join(',', _subnets), HealthCheckType: "ELB", HealthCheckGracePeriod: 60),
            [tg.TargetGroupArn], []);
        Assert.False(created.IsError, created.Error?.ToString());
        var policy = await _groups.PutPolicy(Name, new ScalingPolicy("cpu50", AutoScalingIds.PolicyArn(created.Value.Arn, "cpu50"), PolicyTypes.TargetTrackingScaling,
            "", null, null, null, [], null, null, true, new TargetTrackingConfiguration(PredefinedMetricTypes.ASGAverageCPUUtilization, null, null, Target, false)));
        Assert.False(policy.IsError, policy.Error?.ToString());
        var high = policy.Value.Alarms!.Single(a => a.AlarmName.Contains("-AlarmHigh-", StringComparison.Ordinal)).AlarmName;
        var low = policy.Value.Alarms!.Single(a => a.AlarmName.Contains("-AlarmLow-", StringComparison.Ordinal)).AlarmName;
        var described = await new AlarmService(Services, "000000000000").Describe(new AlarmFilter([], $"TargetTracking-{Name}-", null, null, null, null, null));
        Assert.Equal([high, low], described.Value.MetricAlarms.Select(a => a.Config.AlarmName).OrderBy(n => n.Contains("Low", StringComparison.Ordinal)));
        _gathers = [.. new[] { (AutoScalingKinds.Group, Name), (TargetGroupKinds.TargetGroup, tg.TargetGroupId), (AlarmKinds.MetricAlarm, high), (AlarmKinds.MetricAlarm, low) }
            .Select(k => PersistenceIds.For(k.Item1, 1, k.Item2) + "/gather")];

        // One instance in service behind a healthy target, the load balancer active.
        var group = await Until(async g => g.Instances is [{ LifecycleState: LifecycleStates.InService } only]
            && await HealthOf(tg.TargetGroupArn, only.InstanceId) == TargetHealthStates.Healthy, ElbTimings.Provisioning + TimeSpan.FromSeconds(30));
        var first = group.Instances[0];
        Assert.Equal("enabled", (await _ec2.Describe([first.InstanceId])).Value[0].MonitoringState);
        await Until(_ => Clock.Now >= Start + ElbTimings.Provisioning + TimeSpan.FromSeconds(5), ElbTimings.Provisioning + TimeSpan.FromSeconds(10));

        // 160 requests per second on one t3.micro (200 per second at saturation): about 80% CPU, over the 50% target.
        Assert.False((await _balancers.OfferLoad(lb.LoadBalancerArn, 160)).IsError);
        var loadedCpu = InstanceWorkload.CpuPercent("t3.micro", 160);
        await Until(async _ => (await Alarm(high)).StateValue == AlarmStates.Alarm, TimeSpan.FromMinutes(6));
        var breaching = GroupCpuByMinute().First(p => p.Value > Target);
        Assert.Equal(loadedCpu, breaching.Value, 6);
        var alarmedAt = (await Alarm(high)).StateUpdatedTimestamp;
        // Three one-minute points over the target: the third one's minute is over three minutes after the first began,
        // and the evaluation on that boundary or the next sees it.
        Assert.InRange(alarmedAt, breaching.Key + TimeSpan.FromMinutes(3), breaching.Key + TimeSpan.FromMinutes(4));

        // The alarm's action reaches the group at once: ceil(1 × 80 / 50) = 2, the new instance in the other zone.
        group = await Until(g => g.DesiredCapacity == 2 && g.Instances.Count == 2, TimeSpan.FromSeconds(2));
        Assert.Contains($"a monitor alarm {high} in state ALARM triggered policy cpu50 changing the desired capacity from 1 to 2", group.DesiredCause);
        var second = group.Instances.Single(i => i.InstanceId != first.InstanceId);
        Assert.NotEqual(first.AvailabilityZone, second.AvailabilityZone);

        // It boots, goes in service (registered as it does), and the first passing health check makes its target healthy.
        await Until(async g => g.Find(second.InstanceId) is { LifecycleState: LifecycleStates.InService }
            && await HealthOf(tg.TargetGroupArn, second.InstanceId) == TargetHealthStates.Healthy, TimeSpan.FromSeconds(60));
        Assert.True(Clock.Now - alarmedAt <= InstanceTimings.Boot + AutoScalingGroup.SweepInterval + TimeSpan.FromSeconds(31), "healthy within boot, a sweep and one check interval");

        // The load spreads over both: each at 80 requests per second, the group's CPU back under the target, the high alarm OK.
        var spreadCpu = InstanceWorkload.CpuPercent("t3.micro", 80);
        await Until(async _ => (await Alarm(high)).StateValue == AlarmStates.Ok, TimeSpan.FromMinutes(3));
        await Until(_ => GroupCpuByMinute().Values.Last() is var cpu && Math.Abs(cpu - spreadCpu) < 1e-6, TimeSpan.FromMinutes(2));
        foreach (var id in new[] { first.InstanceId, second.InstanceId })
            Assert.Equal(spreadCpu, Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = id })[^1].Value, 6);
        // About 40%: above the low alarm's 35, so the group holds (repeats of the high alarm while the new one warmed added nothing).
        await Until(_ => Clock.Now >= alarmedAt + TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(8));
        group = await Group();
        Assert.Equal(2, group.DesiredCapacity);
        Assert.NotEqual(AlarmStates.Alarm, (await Alarm(low)).StateValue);

        // 380 requests per second: each of the two at 190, about 95% CPU. ceil(2 × 95 / 50) = 4 at once, one more in each zone.
        Assert.False((await _balancers.OfferLoad(lb.LoadBalancerArn, 380)).IsError);
        var raisedAt = Clock.Now;
        await Until(async _ => (await Alarm(high)).StateValue == AlarmStates.Alarm, TimeSpan.FromMinutes(6));
        var again = GroupCpuByMinute().First(p => p.Key >= raisedAt - TimeSpan.FromMinutes(1) && p.Value > Target);
        Assert.Equal(InstanceWorkload.CpuPercent("t3.micro", 190), again.Value, 6);
        var realarmedAt = (await Alarm(high)).StateUpdatedTimestamp;
        Assert.InRange(realarmedAt, again.Key + TimeSpan.FromMinutes(3), again.Key + TimeSpan.FromMinutes(4));
        group = await Until(g => g.DesiredCapacity == 4, TimeSpan.FromSeconds(2));
        Assert.Contains("changing the desired capacity from 2 to 4", group.DesiredCause);
        group = await Until(g => g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) == 4, TimeSpan.FromSeconds(30));
        Assert.Equal([2, 2], group.Instances.GroupBy(i => i.AvailabilityZone).Select(z => z.Count()));
        await Until(async _ => (await Alarm(high)).StateValue == AlarmStates.Ok, TimeSpan.FromMinutes(3));
        var quarterCpu = InstanceWorkload.CpuPercent("t3.micro", 95);
        await Until(_ => GroupCpuByMinute().Values.Last() is var cpu && Math.Abs(cpu - quarterCpu) < 1e-6, TimeSpan.FromMinutes(2));
        // Past the 300 s warm-up the group still holds at 4: about 48% is under the target and over the low threshold.
        await Until(_ => Clock.Now >= realarmedAt + TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(7));
        Assert.Equal(4, (await Group()).DesiredCapacity);

        // The load stops: CPU falls to idle, and after fifteen points under 35% the low alarm scales in, one instance
        // per action (at most 10%, at least one), repeated each minute while it stays in ALARM, down to min 1.
        Assert.False((await _balancers.OfferLoad(lb.LoadBalancerArn, 0)).IsError);
        var stoppedAt = Clock.Now;
        group = await Until(g => g.DesiredCapacity < 4, TimeSpan.FromMinutes(18));
        Assert.Equal(3, group.DesiredCapacity);
        var quiet = GroupCpuByMinute().First(p => p.Key >= stoppedAt - TimeSpan.FromMinutes(1) && p.Value < Target * TargetTracking.LowThresholdFactor);
        Assert.Equal(InstanceWorkload.IdleCpuPercent, quiet.Value, 6);
        var scaledInAt = (await Alarm(low)).StateUpdatedTimestamp;
        Assert.Equal(AlarmStates.Alarm, (await Alarm(low)).StateValue);
        Assert.InRange(scaledInAt, quiet.Key + TimeSpan.FromMinutes(15), quiet.Key + TimeSpan.FromMinutes(16));
        Assert.InRange(Clock.Now, scaledInAt, scaledInAt + TimeSpan.FromSeconds(2));
        Assert.Contains($"a monitor alarm {low} in state ALARM triggered policy cpu50 changing the desired capacity from 4 to 3", group.DesiredCause);
        group = await Until(g => g.DesiredCapacity == 2, TimeSpan.FromSeconds(62));
        Assert.Equal(scaledInAt + TimeSpan.FromMinutes(1), Clock.Now - TimeSpan.FromSeconds(Clock.Now.Second));
        group = await Until(g => g.DesiredCapacity == 1, TimeSpan.FromSeconds(62));
        Assert.Equal(scaledInAt + TimeSpan.FromMinutes(2), Clock.Now - TimeSpan.FromSeconds(Clock.Now.Second));

        // The instances taken out drain from the target group first, then EC2 terminates them; min 1 holds however long the alarm repeats.
        var leaving = group.Instances.Where(i => i.LifecycleState == LifecycleStates.Terminating).ToList();
        Assert.Equal(3, leaving.Count);
        Assert.Equal(TargetHealthStates.Draining, await HealthOf(tg.TargetGroupArn, leaving[^1].InstanceId));
        group = await Until(g => g.Instances.Count == 1, TimeSpan.FromSeconds(330));
        foreach (var gone in leaving)
            Assert.Equal("terminated", (await _ec2.Describe([gone.InstanceId])).Value[0].State.Name);
        Assert.Equal((1, LifecycleStates.InService), (group.DesiredCapacity, group.Instances[0].LifecycleState));
    }
}
