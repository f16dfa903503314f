using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Actors.Tests.AutoScaling;

/// <summary>Lifecycle hooks on the virtual clock: launches wait in Pending:Wait, leavers in Terminating:Wait, and heartbeat timeouts are the group's own deadlines.</summary>
public sealed class LifecycleHookEntityTests : EntityTestKit
{
    private const string Name = "hooked";
    private readonly AutoScalingService _groups;
    private readonly string[] _subnets;
    private readonly string _templateId;

    public LifecycleHookEntityTests()
    {
        var ec2 = new Ec2Service(Services);
        _groups = new AutoScalingService(Services, "000000000000");
        var vpcId = ec2.CreateVpc("10.61.0.0/16", null, null).Result.Value.VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        _subnets = [.. new[] { "a", "b" }.Select((zone, i) => ec2.CreateSubnet(vpcId, $"10.61.{i}.0/24", "us-east-1" + zone, null, null).Result.Value.SubnetId)];
        _templateId = ec2.CreateLaunchTemplate("hooked", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro")).Result.Value.LaunchTemplateId;
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
            Assert.True(Clock.Now < deadline, $"not there within {within}: {string.Join(", ", group.Instances.Select(i => $"{i.InstanceId} {i.LifecycleState}"))}");
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while ((Clock.AnyPending(sweeps) || (await Group()).Instances.Any(i => i.LifecycleState == LifecycleStates.Pending && i.InstanceType is null))
                && DateTime.UtcNow < until)
                await Task.Delay(5);
        }
    }

    private async Task Send(IAutoScalingCommand command) => Assert.Null((await _groups.Send(Name, command)).Error);

    [Fact]
    public async Task Launches_wait_for_their_hook_and_a_timed_out_abandon_replaces_them_and_leavers_wait_until_their_default_continue()
    {
        Assert.Null((await _groups.Create(Name, 1, 3, 1, new GroupRequest(LaunchTemplateId: _templateId, VpcZoneIdentifier: string.Join(',', _subnets)), [], [])).Error);
        await Send(new PutLifecycleHook(Name, "warm", LifecycleHooks.Launching, 300, null, null, null, null));
        await Send(new PutLifecycleHook(Name, "flush", LifecycleHooks.Terminating, 120, LifecycleHooks.Continue, null, null, null));

        var group = await Until(g => g.Instances is [{ LifecycleState: LifecycleStates.PendingWait }], TimeSpan.FromSeconds(30));
        var first = group.Instances[0].InstanceId;
        await Send(new CompleteLifecycleAction(Name, "warm", first, null, LifecycleHooks.Continue));
        await Until(g => g.Find(first) is { LifecycleState: LifecycleStates.InService }, TimeSpan.FromSeconds(15));

        // A second launch nobody completes: after its 300 s heartbeat timeout ABANDON terminates it and a replacement launches.
        await Send(new SetDesiredCapacity(Name, 2, false));
        group = await Until(g => g.Instances.Any(i => i.LifecycleState == LifecycleStates.PendingWait), TimeSpan.FromSeconds(30));
        var second = group.Instances.Single(i => i.LifecycleState == LifecycleStates.PendingWait);
        var waitedFrom = Clock.Now;
        group = await Until(g => g.Find(second.InstanceId) is not { LifecycleState: LifecycleStates.PendingWait }, TimeSpan.FromSeconds(320));
        Assert.True(Clock.Now - waitedFrom >= TimeSpan.FromSeconds(298), $"abandoned after {Clock.Now - waitedFrom}");
        Assert.Contains(group.Instances, i => i.InstanceId != first && i.InstanceId != second.InstanceId);
        await Until(g => g.Find(second.InstanceId) is null, TimeSpan.FromMinutes(4)); // past the terminate hook, EC2 terminated it
        var third = (await Until(g => g.Instances.Any(i => i.LifecycleState == LifecycleStates.PendingWait), TimeSpan.FromSeconds(30)))
            .Instances.Single(i => i.LifecycleState == LifecycleStates.PendingWait).InstanceId;
        await Send(new CompleteLifecycleAction(Name, "warm", third, null, LifecycleHooks.Continue));
        await Until(g => g.Instances.Count(i => i.LifecycleState == LifecycleStates.InService) == 2, TimeSpan.FromSeconds(15));

        // Scale in: the leaver runs on in Terminating:Wait until its 120 s elapse, then CONTINUE lets EC2 terminate it.
        await Send(new SetDesiredCapacity(Name, 1, false));
        group = await Group();
        var leaver = group.Instances.Single(i => i.LifecycleState == LifecycleStates.TerminatingWait).InstanceId;
        var heldFrom = Clock.Now;
        await Until(g => g.Find(leaver) is not { LifecycleState: LifecycleStates.TerminatingWait }, TimeSpan.FromSeconds(130));
        Assert.True(Clock.Now - heldFrom >= TimeSpan.FromSeconds(119), $"let go after {Clock.Now - heldFrom}");
        group = await Until(g => g.Find(leaver) is null, TimeSpan.FromMinutes(2));
        Assert.Equal(LifecycleStates.InService, Assert.Single(group.Instances).LifecycleState);
    }
}
