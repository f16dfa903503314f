using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Tests.AutoScaling;

/// <summary>An instance refresh on the virtual clock: the group moves to the template's new version through EC2, keeping its minimum healthy in service.</summary>
public sealed class InstanceRefreshEntityTests : EntityTestKit
{
    private const string Name = "refreshed";
    private readonly AutoScalingService _groups;
    private readonly Ec2Service _ec2;
    private readonly string[] _subnets;
    private readonly string _templateId;

    public InstanceRefreshEntityTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        var vpcId = _ec2.CreateVpc("10.63.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        _subnets = [.. new[] { "a", "b" }.Select((zone, i) => _ec2.CreateSubnet(vpcId, $"10.63.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        _templateId = _ec2.CreateLaunchTemplate("refreshed", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro")).Result.Value.LaunchTemplateId;
    }

    private async Task<AutoScalingGroup> Group() =>
        (AutoScalingGroup)(await Router.Ask<EntityReplies.Accepted>(AutoScalingKinds.Group, Name, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    /// <summary>Moves a second at a time, letting each sweep finish, until the condition holds (failing past within); every state seen goes through check.</summary>
    private async Task<AutoScalingGroup> Until(Func<AutoScalingGroup, bool> condition, TimeSpan within, Action<AutoScalingGroup>? check = null)
    {
        var deadline = Clock.Now + within;
        var sweeps = PersistenceIds.For(AutoScalingKinds.Group, 1, Name) + "/gather";
        while (true)
        {
            var group = await Group();
            check?.Invoke(group);
            foreach (var instance in group.Instances)
                Touch(Ec2Kinds.Instance, instance.InstanceId);
            if (condition(group))
                return group;
            Assert.True(Clock.Now < deadline, $"not there within {within}: {string.Join(", ", group.Instances.Select(i => $"{i.LifecycleState} v{i.LaunchTemplateVersion}"))}");
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while ((Clock.AnyPending(sweeps) || (await Group()).Instances.Any(i => i.LifecycleState == LifecycleStates.Pending && i.InstanceType is null))
                && DateTime.UtcNow < until)
                await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_refresh_moves_every_instance_to_the_new_template_version_keeping_half_in_service()
    {
        Assert.Null((await _groups.Create(Name, 0, 6, 4, new GroupRequest(LaunchTemplateId: _templateId, LaunchTemplateVersion: "$Latest",
            VpcZoneIdentifier: string.Join(',', _subnets)), [], [])).Error);
        var group = await Until(g => g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) == 4, TimeSpan.FromSeconds(30));
        Assert.All(group.Instances, i => Assert.Equal("1", i.LaunchTemplateVersion));
        var original = group.Instances.Select(i => i.InstanceId).ToHashSet();

        var created = await Router.Ask<object>(Ec2Kinds.LaunchTemplate, _templateId,
            new LaunchTemplateCommands.CreateVersion(_templateId, new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.small")), TimeSpan.FromSeconds(5));
        Assert.IsType<EntityReplies.Accepted>(created);
        var started = await _groups.StartRefresh(Name, 50, 20);
        Assert.Null(started.Error);
        Assert.Equal(("2", InstanceRefreshes.Pending, 4), (started.Value.TargetVersion, started.Value.Status, started.Value.InstancesToUpdate));

        var lowest = 4;
        group = await Until(g => g.Refreshes[0].Status == InstanceRefreshes.Successful, TimeSpan.FromMinutes(10),
            g => lowest = Math.Min(lowest, g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService)));
        Assert.True(lowest >= 2, $"only {lowest} in service during the refresh");
        Assert.Equal(4, group.Instances.Count);
        Assert.All(group.Instances, i => Assert.Equal((LifecycleStates.InService, "2", "t3.small"), (i.LifecycleState, i.LaunchTemplateVersion, i.InstanceType)));
        Assert.DoesNotContain(group.Instances, i => original.Contains(i.InstanceId));
        Assert.Equal((100, 0), (group.Refreshes[0].PercentageComplete, group.Refreshes[0].InstancesToUpdate));
        Assert.Equal("ActiveInstanceRefreshNotFound", (await _groups.Send(Name, new AutoScalingCommands.CancelInstanceRefresh(Name))).Error?.Code);
    }
}
