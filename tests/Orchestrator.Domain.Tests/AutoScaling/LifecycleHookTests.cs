using Orchestrator.Domain.AutoScaling;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Domain.Tests.AutoScaling;

/// <summary>Lifecycle hooks: the Pending:Wait and Terminating:Wait holds, their completion, heartbeats and timeouts.</summary>
public sealed class LifecycleHookTests
{
    private const string Name = "web";
    private static readonly string Arn = AutoScalingIds.GroupArn("us-east-1", "000000000000", "11111111-2222-3333-4444-555555555555", Name);
    private static readonly GroupSettings Settings = new(new GroupLaunchTemplate("lt-0123456789abcdef0", "web", "$Default"),
        [new GroupSubnet("subnet-a", "us-east-1a"), new GroupSubnet("subnet-b", "us-east-1b")], "EC2", 0, 300, [TerminationPolicies.Default], false);

    private readonly EntityHarness<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent> _group = new(new AutoScalingBehavior());

    private AutoScalingGroup Group => _group.State!;

    private static PutLifecycleHook Hook(string name, string transition, int? heartbeat = null, string? result = null) =>
        new(Name, name, transition, heartbeat, result, null, null, null);

    /// <summary>A sweep where every instance runs, except those given as terminated.</summary>
    private void Sweep(params string[] terminated) =>
        _group.Execute(new RecordSweep(Name, [.. Group.Instances.Select(i => new InstanceObservation(i.InstanceId, terminated.Contains(i.InstanceId) ? "terminated" : "running"))], []));

    private string Only(string state) => Assert.Single(Group.Instances, i => i.LifecycleState == state).InstanceId;

    [Fact]
    public void A_launch_hook_holds_a_running_instance_in_pending_wait_until_continue_then_it_proceeds_and_goes_in_service()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 3, 1, [], []));
        _group.Execute(Hook("warm", LifecycleHooks.Launching));
        Assert.Equal(new LifecycleHook("warm", LifecycleHooks.Launching, 3600, LifecycleHooks.Abandon, null, null, null), Assert.Single(Group.Hooks));
        Sweep();
        var id = Only(LifecycleStates.PendingWait);
        var action = Assert.Single(Group.Find(id)!.Actions);
        Assert.Equal(_group.Now + TimeSpan.FromHours(1), action.Deadline);
        Assert.Matches("^[0-9a-f-]{36}$", action.Token);
        Assert.Equal(Activities.MidLifecycleAction, Group.Activities[^1].StatusCode);
        Assert.Equal(1, Group.Capacity); // a waiting instance counts: nothing else is launched

        Assert.Equal("ValidationError", _group.Refuse(new CompleteLifecycleAction(Name, "warm", "i-0000000000000000", null, "CONTINUE")).Code);
        Assert.Equal("ValidationError", _group.Refuse(new CompleteLifecycleAction(Name, "warm", id, null, "MAYBE")).Code);
        _group.Execute(new CompleteLifecycleAction(Name, "warm", null, action.Token, LifecycleHooks.Continue));
        Assert.Equal(LifecycleStates.PendingProceed, Group.Find(id)!.LifecycleState);
        Sweep();
        Assert.Equal(LifecycleStates.InService, Group.Find(id)!.LifecycleState);
    }

    [Fact]
    public void An_instance_waits_for_every_launch_hook_and_a_heartbeat_restarts_the_timeout()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 3, 1, [], []));
        _group.Execute(Hook("a", LifecycleHooks.Launching, heartbeat: 300));
        _group.Execute(Hook("b", LifecycleHooks.Launching, heartbeat: 600, result: LifecycleHooks.Continue));
        Sweep();
        var id = Only(LifecycleStates.PendingWait);
        _group.Execute(new CompleteLifecycleAction(Name, "b", id, null, LifecycleHooks.Continue));
        Assert.Equal((LifecycleStates.PendingWait, "a"), (Group.Find(id)!.LifecycleState, Assert.Single(Group.Find(id)!.Actions).HookName));

        _group.Advance(TimeSpan.FromSeconds(250));
        _group.Execute(new RecordLifecycleActionHeartbeat(Name, "a", id, null));
        _group.Advance(TimeSpan.FromSeconds(250)); // 500 s after the wait began, 250 s after the heartbeat
        Assert.Equal(LifecycleStates.PendingWait, Group.Find(id)!.LifecycleState);
        _group.Advance(TimeSpan.FromSeconds(60)); // the heartbeat's 300 s are over: ABANDON terminates it
        Assert.Equal(LifecycleStates.Terminating, Group.Find(id)!.LifecycleState);
        Assert.Contains("launch lifecycle action was abandoned", Group.Activities.Last(a => a.InstanceId == id).Cause);
        var replacement = Only(LifecycleStates.Pending);
        Assert.NotEqual(id, replacement);
    }

    [Fact]
    public void A_terminate_hook_holds_the_leaving_instance_in_terminating_wait_and_its_default_result_lets_it_go()
    {
        _group.Execute(new Create(Name, Arn, Settings, 0, 3, 2, [], []));
        Sweep();
        _group.Execute(Hook("drain-logs", LifecycleHooks.Terminating, heartbeat: 120, result: LifecycleHooks.Continue));
        _group.Execute(new SetDesiredCapacity(Name, 1, false));
        var leaving = Only(LifecycleStates.TerminatingWait);
        Assert.Equal(Activities.MidLifecycleAction, Group.Activities.Last(a => a.InstanceId == leaving).StatusCode);
        Sweep(); // still running: it waits
        Assert.Equal(LifecycleStates.TerminatingWait, Group.Find(leaving)!.LifecycleState);
        _group.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(LifecycleStates.TerminatingProceed, Group.Find(leaving)!.LifecycleState);
        Sweep(leaving);
        Assert.Null(Group.Find(leaving));
        Assert.Equal(Activities.Successful, Group.Activities.Last(a => a.InstanceId == leaving).StatusCode);
    }

    [Fact]
    public void Deleting_a_hook_abandons_the_launches_waiting_for_it_and_put_checks_its_fields()
    {
        _group.Execute(new Create(Name, Arn, Settings, 1, 3, 1, [], []));
        Assert.Equal("ValidationError", _group.Refuse(Hook("x", "autoscaling:EC2_INSTANCE_EXPLODING")).Code);
        Assert.Equal("ValidationError", _group.Refuse(Hook("x", LifecycleHooks.Launching, heartbeat: 10)).Code);
        Assert.Equal("ValidationError", _group.Refuse(Hook("x", LifecycleHooks.Launching, result: "MAYBE")).Code);
        Assert.Equal("ValidationError", _group.Refuse(new PutLifecycleHook(Name, "x", null, 60, null, null, null, null)).Code);
        Assert.Equal("ValidationError", _group.Refuse(new DeleteLifecycleHook(Name, "x")).Code);
        _group.Execute(Hook("warm", LifecycleHooks.Launching));
        _group.Execute(new PutLifecycleHook(Name, "warm", null, 90, null, "meta", null, null)); // an update keeps the transition
        Assert.Equal((LifecycleHooks.Launching, 90, "meta"), (Group.Hooks[0].Transition, Group.Hooks[0].HeartbeatTimeout, Group.Hooks[0].NotificationMetadata));
        Sweep();
        var id = Only(LifecycleStates.PendingWait);
        _group.Execute(new DeleteLifecycleHook(Name, "warm"));
        Assert.Empty(Group.Hooks);
        Assert.Equal(LifecycleStates.Terminating, Group.Find(id)!.LifecycleState);
        Assert.Single(Group.Instances, i => i.LifecycleState == LifecycleStates.Pending);
    }

    [Fact]
    public void A_forced_delete_ends_the_terminate_waits()
    {
        _group.Execute(new Create(Name, Arn, Settings, 0, 3, 2, [], []));
        Sweep();
        _group.Execute(Hook("hold", LifecycleHooks.Terminating));
        _group.Execute(new SetDesiredCapacity(Name, 1, false));
        var waiting = Only(LifecycleStates.TerminatingWait);
        _group.Execute(new Delete(Name, true));
        Assert.Equal(LifecycleStates.TerminatingProceed, Group.Find(waiting)!.LifecycleState);
        Assert.All(Group.Instances.Where(i => i.InstanceId != waiting), i => Assert.Equal(LifecycleStates.Terminating, i.LifecycleState));
    }
}
