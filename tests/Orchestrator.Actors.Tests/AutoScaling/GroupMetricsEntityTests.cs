using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Actors.Tests.AutoScaling;

/// <summary>Group metrics on the virtual clock: one datapoint a minute per enabled metric, stamped with the minute it describes, until disabled.</summary>
public sealed class GroupMetricsEntityTests : EntityTestKit
{
    private const string Name = "measured";
    private readonly AutoScalingService _groups;
    private readonly string[] _subnets;
    private readonly string _templateId;

    public GroupMetricsEntityTests()
    {
        var ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        var vpcId = ec2.CreateVpc("10.62.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        _subnets = [.. new[] { "a", "b" }.Select((zone, i) => ec2.CreateSubnet(vpcId, $"10.62.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        _templateId = ec2.CreateLaunchTemplate("measured", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro")).Result.Value.LaunchTemplateId;
    }

    private async Task<AutoScalingGroup> Group() =>
        (AutoScalingGroup)(await Router.Ask<EntityReplies.Accepted>(AutoScalingKinds.Group, Name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    /// <summary>Moves a second at a time, letting each sweep finish, until the condition holds (failing past within).</summary>
    private async Task<AutoScalingGroup> Until(Func<AutoScalingGroup, bool> condition, TimeSpan within)
    {
        var deadline = Clock.Now + within;
        var sweeps = PersistenceIds.For(AutoScalingKinds.Group, 1, Name) + "/gather";
        while (true)
        {
            var group = await Group();
            foreach (var instance in group.Instances)
                Touch(Ec2Kinds.Instance, instance.InstanceId);
            if (condition(group))
                return group;
            Assert.True(Clock.Now < deadline, $"not there within {within}");
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while ((Clock.AnyPending(sweeps) || (await Group()).Instances.Any(i => i.LifecycleState == LifecycleStates.Pending && i.InstanceType is null))
                && DateTime.UtcNow < until)
                await Task.Delay(5);
        }
    }

    private IReadOnlyList<Metrics.MetricDatum> Points(string metric) =>
        Metrics.Points(GroupMetrics.Namespace, metric, new Dictionary<string, string> { ["AutoScalingGroupName"] = Name });

    [Fact]
    public async Task Enabled_metrics_are_published_each_minute_and_stop_when_disabled()
    {
        Assert.Null((await _groups.Create(Name, 1, 4, 2, new GroupRequest(LaunchTemplateId: _templateId, VpcZoneIdentifier: string.Join(',', _subnets)), [], [])).Error);
        Assert.Null((await _groups.Send(Name, new EnableMetricsCollection(Name, ["GroupInServiceInstances", "GroupDesiredCapacity"], "1Minute"))).Error);
        await Until(g => g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) == 2, TimeSpan.FromSeconds(30));
        var enabledAt = Clock.Now;
        await Until(_ => Clock.Now >= enabledAt + TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));

        var inService = Points("GroupInServiceInstances");
        Assert.True(inService.Count >= 2, $"{inService.Count} points");
        Assert.All(inService, p => Assert.Equal((0, 0, "None", 60), (p.Timestamp.Second, p.Timestamp.Millisecond, p.Unit, p.StorageResolutionSeconds)));
        Assert.Equal(2, inService[^1].Value);
        Assert.True(inService[^1].Timestamp <= Clock.Now - TimeSpan.FromMinutes(1), "stamped with the start of its minute");
        Assert.Equal(2, Points("GroupDesiredCapacity")[^1].Value);
        Assert.Empty(Points("GroupMaxSize")); // not enabled

        Assert.Null((await _groups.Send(Name, new DisableMetricsCollection(Name, []))).Error);
        var published = Points("GroupInServiceInstances").Count;
        var disabledAt = Clock.Now;
        await Until(_ => Clock.Now >= disabledAt + TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
        Assert.Equal(published, Points("GroupInServiceInstances").Count);
    }
}
