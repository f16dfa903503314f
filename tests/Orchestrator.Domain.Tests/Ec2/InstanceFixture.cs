using System.Collections.Immutable;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.InstanceCommands;

namespace Orchestrator.Domain.Tests.Ec2;

/// <summary>An instance driven through real commands into any of the six states.</summary>
internal static class InstanceFixture
{
    public const string InstanceId = "i-0123456789abcdef0";
    public const string Al2023 = "ami-0453ec754f44f9a4a";
    public const string Al2023Arm = "ami-0ed83e7a78a23014e";
    public const string Zone = "us-east-1a";

    public static InstanceLaunchSpec Spec(string instanceType = "t3.micro", string imageId = Al2023, string zone = Zone) =>
        new(InstanceId, "r-0123456789abcdef0", imageId, instanceType, "vpc-0a1b2c3d4e5f60718", "subnet-0aaaaaaaaaaaaaaaa", zone,
            "10.0.1.4", "54.210.1.2", ["sg-0123456789abcdef0"], KeyName: "drill", Tags: ImmutableDictionary<string, string>.Empty.Add("Name", "web"));

    public static EntityHarness<Instance, IInstanceCommand, IInstanceEvent> New() => new(new InstanceBehavior());

    public static EntityHarness<Instance, IInstanceCommand, IInstanceEvent> In(InstanceStateName state, InstanceLaunchSpec? spec = null)
    {
        var instance = New();
        instance.Execute(new Launch(spec ?? Spec()));
        switch (state)
        {
            case InstanceStateName.Pending:
                break;
            case InstanceStateName.Running:
                instance.Advance(InstanceTimings.Boot);
                break;
            case InstanceStateName.Stopping:
                instance.Advance(InstanceTimings.Boot);
                instance.Execute(new Stop(InstanceId));
                break;
            case InstanceStateName.Stopped:
                instance.Advance(InstanceTimings.Boot);
                instance.Execute(new Stop(InstanceId));
                instance.Advance(InstanceTimings.Stop);
                break;
            case InstanceStateName.ShuttingDown:
                instance.Advance(InstanceTimings.Boot);
                instance.Execute(new Terminate(InstanceId));
                break;
            case InstanceStateName.Terminated:
                instance.Advance(InstanceTimings.Boot);
                instance.Execute(new Terminate(InstanceId));
                instance.Advance(InstanceTimings.ShutDown);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
        Assert.Equal(state, instance.State!.State);
        return instance;
    }
}
