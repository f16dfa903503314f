using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.InstanceCommands;
using static Orchestrator.Domain.Ec2.InstanceStateName;

namespace Orchestrator.Domain.Tests.Ec2;

/// <summary>aws-semantics 1.2, cell by cell: every state against every user command.</summary>
public sealed class InstanceTransitionTableTests
{
    private const string NoOp = "no-op";
    private const string Incorrect = "IncorrectInstanceState";

    public static TheoryData<string, InstanceStateName, string> Table()
    {
        var table = new TheoryData<string, InstanceStateName, string>();
        void Row(string command, string pending, string running, string stopping, string stopped, string shuttingDown, string terminated)
        {
            table.Add(command, Pending, pending);
            table.Add(command, Running, running);
            table.Add(command, Stopping, stopping);
            table.Add(command, Stopped, stopped);
            table.Add(command, ShuttingDown, shuttingDown);
            table.Add(command, Terminated, terminated);
        }
        Row("Start", NoOp, NoOp, Incorrect, "pending", Incorrect, Incorrect);
        Row("Stop", Incorrect, "stopping", NoOp, NoOp, Incorrect, Incorrect);
        Row("StopForce", Incorrect, "stopping", "stopped", NoOp, Incorrect, Incorrect);
        Row("Reboot", Incorrect, "running", Incorrect, Incorrect, NoOp, NoOp);
        Row("Terminate", "shutting-down", "shutting-down", "shutting-down", "shutting-down", NoOp, NoOp);
        return table;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_command_in_each_state(string command, InstanceStateName from, string expected)
    {
        var instance = InstanceFixture.In(from);
        var before = instance.State!;
        var result = instance.Decide(Command(command));

        switch (expected)
        {
            case NoOp:
                Assert.False(result.IsError, result.Error?.ToString());
                Assert.Empty(result.Value);
                Assert.Equal(new InstanceStateChange(before.InstanceId, InstanceStateView.Of(from), InstanceStateView.Of(from)),
                    InstanceStateChange.Between(before, before));
                break;
            case Incorrect:
                Assert.True(result.IsError);
                Assert.Equal("IncorrectInstanceState", result.Error!.Code);
                Assert.Equal($"This instance '{InstanceFixture.InstanceId}' is not in a state from which it can be {Participle(command)}.", result.Error.Message);
                break;
            default:
                Assert.False(result.IsError, result.Error?.ToString());
                Assert.NotEmpty(result.Value);
                instance.Apply(result.Value);
                Assert.Equal(expected, InstanceStateView.Of(instance.State!.State).Name);
                var change = InstanceStateChange.Between(before, instance.State);
                Assert.Equal(InstanceStateView.Of(from), change.PreviousState);
                Assert.Equal(expected, change.CurrentState.Name);
                break;
        }
    }

    [Theory]
    [InlineData(Pending, "running")]
    [InlineData(Stopping, "stopped")]
    [InlineData(ShuttingDown, "terminated")]
    public void Transitional_states_finish_on_their_deadline(InstanceStateName from, string to)
    {
        var instance = InstanceFixture.In(from);
        var deadline = Assert.Single(new InstanceBehavior().Deadlines(instance.State));
        Assert.Equal(InstanceBehavior.TransitionDeadlineKey, deadline.Key);
        Assert.Equal(instance.State!.TransitionCompletesAt, deadline.At);

        instance.Now = deadline.At;
        instance.Execute(deadline.Command);

        Assert.Equal(to, InstanceStateView.Of(instance.State!.State).Name);
    }

    public static TheoryData<InstanceStateName, string> DeadlineCommandsInEveryState()
    {
        var data = new TheoryData<InstanceStateName, string>();
        foreach (var state in Enum.GetValues<InstanceStateName>())
            foreach (var command in new[] { "CompleteBoot", "CompleteStop", "CompleteTermination", "Expire" })
                data.Add(state, command);
        return data;
    }

    [Theory]
    [MemberData(nameof(DeadlineCommandsInEveryState))]
    public void A_deadline_command_acts_only_in_its_own_state_and_only_when_due(InstanceStateName state, string command)
    {
        var instance = InstanceFixture.In(state);
        var owner = command switch
        {
            "CompleteBoot" => Pending,
            "CompleteStop" => Stopping,
            "CompleteTermination" => ShuttingDown,
            _ => Terminated,
        };
        IInstanceCommand deadlineCommand = command switch
        {
            "CompleteBoot" => new CompleteBoot(InstanceFixture.InstanceId),
            "CompleteStop" => new CompleteStop(InstanceFixture.InstanceId),
            "CompleteTermination" => new CompleteTermination(InstanceFixture.InstanceId),
            _ => new Expire(InstanceFixture.InstanceId),
        };

        Assert.Empty(instance.Execute(deadlineCommand)); // early (or stale): nothing happens

        instance.Now += TimeSpan.FromHours(2);
        var events = instance.Execute(deadlineCommand);
        Assert.Equal(state == owner, events.Count > 0);
    }

    [Fact]
    public void A_terminated_instance_disappears_an_hour_later()
    {
        var instance = InstanceFixture.In(Terminated);
        var expiry = Assert.Single(new InstanceBehavior().Deadlines(instance.State));
        Assert.Equal(InstanceBehavior.ExpiryDeadlineKey, expiry.Key);
        Assert.Equal(instance.Now + InstanceTimings.TerminatedVisibility, expiry.At);

        instance.Advance(InstanceTimings.TerminatedVisibility);

        Assert.Null(instance.State);
        Assert.IsType<InstanceEvents.Expired>(instance.History[^1]);
        var error = instance.Refuse(new Start(InstanceFixture.InstanceId));
        Assert.Equal("InvalidInstanceID.NotFound", error.Code);
        Assert.Equal($"The instance ID '{InstanceFixture.InstanceId}' does not exist", error.Message);
    }

    [Theory]
    [InlineData(Running)]
    [InlineData(Stopped)]
    public void Steady_states_wait_for_nothing(InstanceStateName state) =>
        Assert.Empty(new InstanceBehavior().Deadlines(InstanceFixture.In(state).State));

    [Fact]
    public void Commands_for_an_unknown_instance_are_InvalidInstanceID_NotFound()
    {
        var instance = InstanceFixture.New();
        foreach (var name in new[] { "Start", "Stop", "StopForce", "Reboot", "Terminate" })
            Assert.Equal("InvalidInstanceID.NotFound", instance.Refuse(Command(name)).Code);
    }

    private static IInstanceCommand Command(string name) => name switch
    {
        "Start" => new Start(InstanceFixture.InstanceId),
        "Stop" => new Stop(InstanceFixture.InstanceId),
        "StopForce" => new Stop(InstanceFixture.InstanceId, Force: true),
        "Reboot" => new Reboot(InstanceFixture.InstanceId),
        "Terminate" => new Terminate(InstanceFixture.InstanceId),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static string Participle(string command) => command switch
    {
        "Start" => "started",
        "Stop" or "StopForce" => "stopped",
        "Reboot" => "rebooted",
        _ => "terminated",
    };
}
