using Akka.Actor;
using Akka.TestKit;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.CloudWatch;

/// <summary>A metric alarm evaluating its series every simulated minute, and its EC2 stop action reaching the instance.</summary>
public sealed class MetricAlarmEntityTests : EntityTestKit
{
    private const string Name = "cpu-high";
    private const string StopAction = "arn:aws:automate:us-east-1:ec2:stop";
    private readonly Ec2Service _ec2;
    private readonly AlarmService _alarms;

    public MetricAlarmEntityTests()
    {
        _ec2 = new Ec2Service(Services);
        _alarms = new AlarmService(Services, "000000000000");
        const string vpcId = "vpc-0a1b2c3d4e5f60718";
        var plan = new DefaultVpcPlan(1, vpcId, ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"]);
        Region.TryAdvance(Region.Current with { Version = Region.Current.Version + 1, DefaultVpc = plan });
        foreach (var command in DefaultVpc.Plan(plan.VpcId, plan.SubnetIds, Region.Current.Status))
            Assert.False(_ec2.Send<VpcState>(Ec2Kinds.Vpc, vpcId, command, default).Result.IsError);
        Touch(Ec2Kinds.Vpc, vpcId);
    }

    private async Task<string> Launch()
    {
        var launched = await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", AvailabilityZone: "us-east-1a"));
        var id = Assert.Single(launched.Value.Instances).InstanceId;
        Touch(Ec2Kinds.Instance, id);
        return id;
    }

    private static MetricKey Metric(string instanceId) => MetricKey.Of("Custom", "CPU", [KeyValuePair.Create("InstanceId", instanceId)]);

    private Task Datapoint(MetricKey key, double value) =>
        Router.Ask<object>(CloudWatchKinds.MetricSeries, key.EntityId(),
            new MetricSeriesCommands.Record(key, [new Sample(Clock.Now, 60, Aggregate.OfValues("None", [new ValueCount(value, 1)]))]), TimeSpan.FromSeconds(5));

    private async Task<MetricAlarm> Alarm() =>
        (MetricAlarm)((EntityReplies.Accepted)await Router.Ask<object>(AlarmKinds.MetricAlarm, Name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    /// <summary>
    /// Moves to the next whole minute plus <paramref name="seconds"/>, giving the evaluation at the
    /// boundary a moment of wall time to gather its series' answer before simulated time moves on.
    /// </summary>
    private async Task NextMinute(int seconds = 0)
    {
        var boundary = Start.AddMinutes(Math.Floor((Clock.Now - Start).TotalMinutes) + 1);
        Advance(boundary - Clock.Now);
        await Task.Delay(300);
        Advance(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public async Task Alarms_at_the_third_breaching_boundary_runs_its_stop_action_and_returns_to_ok_when_data_drops()
    {
        var instance = await Launch();
        Advance(InstanceTimings.Boot);
        var metric = Metric(instance);
        var put = await _alarms.Put(new PutMetricAlarmInput(Name, null, null, [], [StopAction], [], "Custom", "CPU", [("InstanceId", instance)], 60, "Average", null,
            null, 3, 3, 70, ComparisonOperators.GreaterThanThreshold, null));
        Assert.False(put.IsError, put.Error?.ToString());
        Assert.Equal(AlarmStates.InsufficientData, put.Value.StateValue);

        // Clock.Now is 09:00:10: datapoints at 09:00:30, 09:01:30 and 09:02:30 breach.
        Advance(TimeSpan.FromSeconds(20));
        await Datapoint(metric, 80);
        await NextMinute(30);
        Assert.NotEqual(AlarmStates.Alarm, (await Alarm()).StateValue);
        await Datapoint(metric, 90);
        await NextMinute(30);
        Assert.NotEqual(AlarmStates.Alarm, (await Alarm()).StateValue);
        await Datapoint(metric, 75);
        Advance(TimeSpan.FromSeconds(29));
        Assert.NotEqual(AlarmStates.Alarm, (await Alarm()).StateValue);
        Assert.Equal("running", (await _ec2.Describe([instance])).Value[0].State.Name);

        await NextMinute();
        await AwaitAssertAsync(async () => Assert.Equal(AlarmStates.Alarm, (await Alarm()).StateValue), TimeSpan.FromSeconds(3));
        var alarm = await Alarm();
        Assert.Equal(Start.AddMinutes(3), alarm.StateUpdatedTimestamp);
        Assert.StartsWith("Threshold Crossed: 3 out of the last 3 datapoints [75.0", alarm.StateReason);
        Assert.Contains(alarm.History, h => h.HistoryItemType == AlarmHistoryTypes.Action && h.HistorySummary.Contains(StopAction, StringComparison.Ordinal));
        await AwaitAssertAsync(async () => Assert.NotEqual("running", (await _ec2.Describe([instance])).Value[0].State.Name), TimeSpan.FromSeconds(3));
        Advance(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5));
        Assert.Equal("stopped", (await _ec2.Describe([instance])).Value[0].State.Name);

        // 09:05:xx: a low datapoint makes the three most recent 75, -, 10 ... back to OK at the next boundary.
        await Datapoint(metric, 10);
        await NextMinute();
        await AwaitAssertAsync(async () => Assert.Equal(AlarmStates.Ok, (await Alarm()).StateValue), TimeSpan.FromSeconds(3));
        var described = await _alarms.Describe(new AlarmFilter([], "cpu", AlarmStates.Ok, null, null, null, null));
        Assert.Equal(Name, Assert.Single(described.Value.MetricAlarms).Config.AlarmName);
    }
}

/// <summary>A scaling-policy action reaching the group's entity (a recording stand-in here) at the transition and again every minute in ALARM.</summary>
public sealed class MetricAlarmScalingTests : EntityTestKit
{
    private const string GroupArn = "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:6d5f7c2e-0000-4000-8000-000000000001:autoScalingGroupName/web";
    private readonly TestProbe _groups;

    public MetricAlarmScalingTests() : base([new EntityKind(AutoScalingKinds.Group, _ => Props.Create(() => new ToEventStream()), RememberEntities: false)])
    {
        _groups = CreateTestProbe();
        Sys.EventStream.Subscribe(_groups.Ref, typeof(AutoScalingCommands.ExecutePolicy));
    }

    private sealed class ToEventStream : ReceiveActor
    {
        public ToEventStream() => ReceiveAny(message => Context.System.EventStream.Publish(message));
    }

    [Fact]
    public async Task A_policy_action_is_delivered_with_the_breach_and_repeated_each_minute_while_in_alarm()
    {
        var policyArn = AutoScalingIds.PolicyArn(GroupArn, "scale-out");
        var alarms = new AlarmService(Services, "000000000000");
        var put = await alarms.Put(new PutMetricAlarmInput("busy", null, null, [], [policyArn], [], "Custom", "Busy", [("AutoScalingGroupName", "web")], 60, "Maximum",
            null, null, 1, 1, 70, ComparisonOperators.GreaterThanThreshold, null));
        Assert.False(put.IsError, put.Error?.ToString());
        var key = MetricKey.Of("Custom", "Busy", [KeyValuePair.Create("AutoScalingGroupName", "web")]);
        for (var minute = 0; minute < 3; minute++)
        {
            await Router.Ask<object>(CloudWatchKinds.MetricSeries, key.EntityId(),
                new MetricSeriesCommands.Record(key, [new Sample(Clock.Now, 60, Aggregate.OfValues("None", [new ValueCount(90 + minute, 1)]))]), TimeSpan.FromSeconds(5));
            Advance(TimeSpan.FromMinutes(1));
            var delivered = _groups.ExpectMsg<AutoScalingCommands.ExecutePolicy>(TimeSpan.FromSeconds(3));
            Assert.Equal(("web", "scale-out", true, 90.0 + minute, 70.0), (delivered.GroupName, delivered.PolicyName, delivered.HonorCooldown, delivered.MetricValue, delivered.BreachThreshold));
        }
        Assert.Equal(("web", "scale-out"), AlarmKinds.PolicyOf(policyArn)!.Value);
    }

    [Theory]
    [InlineData("stop", typeof(InstanceCommands.Stop))]
    [InlineData("terminate", typeof(InstanceCommands.Terminate))]
    [InlineData("reboot", typeof(InstanceCommands.Reboot))]
    [InlineData("recover", typeof(InstanceCommands.Reboot))]
    public void Each_ec2_action_reaches_the_instance_its_dimension_names(string action, Type command)
    {
        var arn = $"arn:aws:automate:us-east-1:ec2:{action}";
        var config = MetricAlarmConfig.Validate(new PutMetricAlarmInput("cpu", null, null, [], [arn], [], "AWS/EC2", "CPUUtilization",
            [("InstanceId", "i-0123456789abcdef0")], 60, "Average", null, null, 1, 1, 70, ComparisonOperators.GreaterThanThreshold, null)).Value;
        var before = new MetricAlarm(MetricAlarm.Arn("us-east-1", "000000000000", "cpu"), config, AlarmStates.Ok, "", null, Start, Start, Start, null, []);
        var changed = new MetricAlarmEvents.StateChanged(AlarmStates.Ok, AlarmStates.Alarm, "breach", null, 80, [arn], Start);

        var outbound = Assert.Single(AlarmKinds.Actions(before, changed));

        Assert.Equal((Ec2Kinds.Instance, "i-0123456789abcdef0"), (outbound.Kind, outbound.EntityId));
        Assert.IsType(command, outbound.Message);
    }
}
