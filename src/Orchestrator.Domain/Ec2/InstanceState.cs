using System.Globalization;

namespace Orchestrator.Domain.Ec2;

/// <summary>The six states the EC2 API knows. There is deliberately no rebooting state: a rebooting instance reads running.</summary>
public enum InstanceStateName
{
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

/// <summary>The API's InstanceState: the low-byte code and the hyphenated name.</summary>
public sealed record InstanceStateView(int Code, string Name)
{
    public static InstanceStateView Of(InstanceStateName state) => state switch
    {
        InstanceStateName.Pending => new(0, "pending"),
        InstanceStateName.Running => new(16, "running"),
        InstanceStateName.ShuttingDown => new(32, "shutting-down"),
        InstanceStateName.Terminated => new(48, "terminated"),
        InstanceStateName.Stopping => new(64, "stopping"),
        InstanceStateName.Stopped => new(80, "stopped"),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown instance state"),
    };
}

/// <summary>The StateReason element: why the instance is in its state, for the states that carry one.</summary>
public sealed record StateReason(string Code, string Message)
{
    public static StateReason Pending { get; } = new("pending", "pending");

    /// <summary>AWS reports the same reason for a user stop and a user terminate.</summary>
    public static StateReason UserInitiatedShutdown { get; } = new("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");

    /// <summary>
    /// Our choice for a zone power interruption: AWS has no dedicated code, and Server.InternalError is the
    /// server-side code that reads right without implying a scheduled retirement (Server.ScheduledStop).
    /// </summary>
    public static StateReason PowerInterruption(string availabilityZone) =>
        new("Server.InternalError", $"Server.InternalError: Power interruption in Availability Zone {availabilityZone}");
}

/// <summary>The StateTransitionReason text: "User initiated (2013-03-01 17:24:16 GMT)".</summary>
public static class TransitionReasons
{
    public static string UserInitiated(DateTimeOffset at) => $"User initiated ({Stamp(at)})";

    /// <summary>Our wording for changes the simulated AWS side makes, such as a zone power interruption.</summary>
    public static string ServerInitiated(DateTimeOffset at) => $"Server initiated ({Stamp(at)})";

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
}

/// <summary>How the application on the instance answers health checks; a fault-injection knob, invisible to EC2 itself.</summary>
public enum ApplicationHealth
{
    Healthy,
    Failing,
    Slow,
}
