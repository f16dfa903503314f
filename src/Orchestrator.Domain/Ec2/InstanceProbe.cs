using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Ec2;

public enum ProbeOutcome
{
    Healthy,
    Unhealthy,
    Timeout,
}

/// <summary>
/// How the instance answers one health-check request. Latency is how long the answer took, so the caller
/// can hold it against its own timeout (see <see cref="Within"/>); no response at all has an unbounded latency and no status code.
/// InstanceState is set when the instance is not running, so a checker can tell a stopped machine from an unreachable one.
/// </summary>
public sealed record ProbeAnswer(ProbeOutcome Outcome, TimeSpan Latency, int? HttpStatus, string? Reason, string? InstanceState = null)
{
    public const string TimeoutReason = "Target.Timeout";
    public const string ResponseCodeMismatchReason = "Target.ResponseCodeMismatch";

    public static ProbeAnswer NoResponse { get; } = new(ProbeOutcome.Timeout, TimeSpan.MaxValue, null, TimeoutReason);

    /// <summary>The answer as a checker with this timeout sees it: anything slower is a timeout.</summary>
    public ProbeAnswer Within(TimeSpan timeout) => Outcome != ProbeOutcome.Timeout && Latency > timeout ? NoResponse : this;
}

/// <summary>The pure answer of an instance to a health probe: no state is read besides the instance's and its zone's.</summary>
public static class InstanceProbe
{
    public static ProbeAnswer Answer(Instance? instance, AvailabilityZoneStatus? zone, DateTimeOffset now)
    {
        if (instance is null)
            return ProbeAnswer.NoResponse;
        if (instance.State != InstanceStateName.Running)
            return ProbeAnswer.NoResponse with { InstanceState = InstanceStateView.Of(instance.State).Name };
        if (zone is { IsUp: false } || instance.IsRebooting(now))
            return ProbeAnswer.NoResponse;
        return instance.ApplicationHealth switch
        {
            not ApplicationHealth.Failing when InstanceWorkload.Errs(instance, now) =>
                new(ProbeOutcome.Unhealthy, InstanceTimings.HealthyResponse, 500, ProbeAnswer.ResponseCodeMismatchReason),
            ApplicationHealth.Healthy => new(ProbeOutcome.Healthy, InstanceTimings.HealthyResponse, 200, null),
            ApplicationHealth.Failing => new(ProbeOutcome.Unhealthy, InstanceTimings.HealthyResponse, 500, ProbeAnswer.ResponseCodeMismatchReason),
            ApplicationHealth.Slow => new(ProbeOutcome.Healthy, instance.SlowResponseLatency, 200, null),
            _ => throw new ArgumentOutOfRangeException(nameof(instance), instance.ApplicationHealth, "unknown application health"),
        };
    }
}
