using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Tests.AutoScaling;

/// <summary>Scheduled actions fire as the group's own deadlines, at their simulated instant, and the group launches what they ask for.</summary>
public sealed class ScheduledActionEntityTests : EntityTestKit
{
    private const string Name = "batch";
    private readonly AutoScalingService _groups;
    private readonly Ec2Service _ec2;
    private readonly string[] _subnets;
    private readonly string _templateId;

    public ScheduledActionEntityTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        var vpcId = _ec2.CreateVpc("10.60.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        _subnets = [.. new[] { "a", "b" }.Select((zone, i) => _ec2.CreateSubnet(vpcId, $"10.60.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        _templateId = _ec2.CreateLaunchTemplate("batch", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro")).Result.Value.LaunchTemplateId;
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
            Assert.True(Clock.Now < deadline, $"not there within {within}: desired {group.DesiredCapacity}, {group.Instances.Count} instances");
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while ((Clock.AnyPending(sweeps) || (await Group()).Instances.Any(i => i.LifecycleState == LifecycleStates.Pending && i.InstanceType is null))
                && DateTime.UtcNow < until)
                await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_one_time_and_a_recurring_action_change_capacity_at_their_simulated_times()
    {
        Assert.False((await _groups.Create(Name, 1, 4, 1, new GroupRequest(LaunchTemplateId: _templateId, VpcZoneIdentifier: string.Join(',', _subnets)), [], [])).IsError);
        var peak = Start.AddMinutes(5);
        Assert.False((await _groups.Send(Name, new AutoScalingCommands.PutScheduledAction(Name, "peak", peak, null, null, null, null, 3, null))).IsError);
        Assert.False((await _groups.Send(Name, new AutoScalingCommands.PutScheduledAction(Name, "trim", null, null, "20 * * * *", null, null, 1, null))).IsError);
        Assert.Equal("ValidationError", (await _groups.Send(Name, new AutoScalingCommands.PutScheduledAction(Name, "late", Start.AddMinutes(-1), null, null, null, null, 2, null))).Error?.Code);

        var group = await Until(g => g.DesiredCapacity == 3, TimeSpan.FromMinutes(6));
        Assert.StartsWith($"At {Activities.Stamp(peak)} a scheduled action update of AutoScalingGroup constraints to min: 1, max: 4, desired: 3", group.DesiredCause);
        Assert.Equal(["trim"], group.Scheduled.Select(a => a.Name)); // the one-time action is done
        group = await Until(g => g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) == 3, TimeSpan.FromMinutes(1));

        group = await Until(g => g.DesiredCapacity == 1, TimeSpan.FromMinutes(16));
        var trimmed = Start.AddMinutes(20);
        Assert.StartsWith($"At {Activities.Stamp(trimmed)} a scheduled action update", group.DesiredCause);
        Assert.Equal(trimmed.AddHours(1), group.Scheduled.Single().NextRun);
        await Until(g => g.Instances.Count == 1, TimeSpan.FromMinutes(2));
    }
}
