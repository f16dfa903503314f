using System.Globalization;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Domain.Elb;

/// <summary>Where the health checks have brought a target (draining and unused are decided by the group, not by probes).</summary>
public enum TargetProbeState
{
    Initial,
    Healthy,
    Unhealthy,
}

/// <summary>
/// What the probes have established about one target. The consecutive counters stop at their
/// thresholds, so a target that stays healthy (or unhealthy) for the same reason records nothing.
/// InvalidState is the instance's state when the last probe found it stopped or terminated.
/// </summary>
public sealed record TargetHealthRecord(
    TargetProbeState State,
    string? Reason,
    string? Description,
    int ConsecutivePasses,
    int ConsecutiveFailures,
    string? InvalidState,
    DateTimeOffset? HealthySince)
{
    public static TargetHealthRecord Registered { get; } = new(TargetProbeState.Initial, null, null, 0, 0, null, null);
}

public enum ProbeVerdict
{
    Passed,
    Failed,
    InvalidState,
}

/// <summary>One target's probe result of one round; Reason and Description name the failure, or the instance state for InvalidState.</summary>
public sealed record TargetProbe(string TargetId, int Port, ProbeVerdict Verdict, string? Reason = null, string? Description = null);

/// <summary>The TargetHealth element of DescribeTargetHealth.</summary>
public sealed record TargetHealthView(string State, string? Reason, string? Description)
{
    public static TargetHealthView Healthy { get; } = new(TargetHealthStates.Healthy, null, null);

    public static TargetHealthView NotRegistered { get; } = new(TargetHealthStates.Unused, "Target.NotRegistered", "Target is not registered to the target group");

    public static TargetHealthView NotInUse { get; } =
        new(TargetHealthStates.Unused, "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");

    public static TargetHealthView ZoneNotEnabled { get; } =
        new(TargetHealthStates.Unused, "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer");

    public static TargetHealthView Draining { get; } = new(TargetHealthStates.Draining, "Target.DeregistrationInProgress", "Target deregistration is in progress");

    public static TargetHealthView HealthCheckDisabled { get; } =
        new(TargetHealthStates.Unavailable, "Target.HealthCheckDisabled", "Health checks are not enabled for this target");
}

public static class TargetHealthStates
{
    public const string Initial = "initial";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string Unused = "unused";
    public const string Draining = "draining";
    public const string Unavailable = "unavailable";
}

/// <summary>The target health state machine of aws-semantics 3.5, one probe at a time.</summary>
public static class TargetHealth
{
    public const string TimeoutReason = "Target.Timeout";
    public const string ResponseCodeMismatchReason = "Target.ResponseCodeMismatch";
    public const string FailedHealthChecksReason = "Target.FailedHealthChecks";
    public const string InvalidStateReason = "Target.InvalidState";

    /// <summary>
    /// A target's record after one probe. From initial one pass is enough (ALB); from unhealthy it
    /// takes HealthyThresholdCount consecutive passes; UnhealthyThresholdCount consecutive failures
    /// make it unhealthy with the reason of the last one. A stopped or terminated instance is
    /// unused until it answers again, and then starts over from initial.
    /// </summary>
    public static TargetHealthRecord Step(TargetHealthRecord record, TargetProbe probe, HealthCheckSettings settings, DateTimeOffset now)
    {
        if (probe.Verdict == ProbeVerdict.InvalidState)
            return record.InvalidState == probe.Reason ? record : TargetHealthRecord.Registered with { InvalidState = probe.Reason };
        var current = record.InvalidState is null ? record : TargetHealthRecord.Registered;
        if (probe.Verdict == ProbeVerdict.Passed)
        {
            var passes = Math.Min(current.ConsecutivePasses + 1, settings.HealthyThresholdCount);
            var healthy = current.State == TargetProbeState.Healthy
                || current.State == TargetProbeState.Initial
                || passes >= settings.HealthyThresholdCount;
            return healthy
                ? current with
                {
                    State = TargetProbeState.Healthy, Reason = null, Description = null, ConsecutivePasses = passes, ConsecutiveFailures = 0,
                    HealthySince = current.State == TargetProbeState.Healthy ? current.HealthySince : now,
                }
                : current with { ConsecutivePasses = passes, ConsecutiveFailures = 0 };
        }
        var failures = Math.Min(current.ConsecutiveFailures + 1, settings.UnhealthyThresholdCount);
        if (failures >= settings.UnhealthyThresholdCount)
            return current with
            {
                State = TargetProbeState.Unhealthy, Reason = probe.Reason, Description = probe.Description,
                ConsecutivePasses = 0, ConsecutiveFailures = failures, HealthySince = null,
            };
        return current.State == TargetProbeState.Initial
            ? current with { Reason = "Elb.InitialHealthChecking", Description = "Initial health checks in progress", ConsecutivePasses = 0, ConsecutiveFailures = failures }
            : current with { ConsecutivePasses = 0, ConsecutiveFailures = failures };
    }

    /// <summary>
    /// The answer as the checker sees it when the network drops the probe (a security group or network
    /// ACL in the way): no response, so it times out, though a stopped target still reads as stopped.
    /// </summary>
    public static ProbeAnswer? Unreachable(ProbeAnswer? answer) => answer is null ? null : ProbeAnswer.NoResponse with { InstanceState = answer.InstanceState };

    /// <summary>
    /// How the group reads an instance's answer (null: none by the timeout). HTTP checks compare the
    /// status with the matcher; a TCP check only needs a connection, and its only failure reason is FailedHealthChecks.
    /// </summary>
    public static TargetProbe Classify(string targetId, int port, ProbeAnswer? answer, HealthCheckSettings settings)
    {
        if (answer?.InstanceState is { } state && InvalidStateOf(state) is { } invalid)
            return new(targetId, port, ProbeVerdict.InvalidState, invalid, $"Target is in the {invalid} state");
        var seen = answer?.Within(settings.Timeout) ?? ProbeAnswer.NoResponse;
        if (!settings.UsesHttp)
            return seen.Outcome == ProbeOutcome.Timeout
                ? new(targetId, port, ProbeVerdict.Failed, FailedHealthChecksReason, "Health checks failed")
                : new(targetId, port, ProbeVerdict.Passed);
        if (seen is { Outcome: ProbeOutcome.Timeout } or { HttpStatus: null })
            return new(targetId, port, ProbeVerdict.Failed, TimeoutReason, "Request timed out");
        var status = seen.HttpStatus.Value;
        return settings.Matches(status)
            ? new(targetId, port, ProbeVerdict.Passed)
            : new(targetId, port, ProbeVerdict.Failed, ResponseCodeMismatchReason,
                $"Health checks failed with these codes: [{status.ToString(CultureInfo.InvariantCulture)}]");
    }

    /// <summary>AWS names only two invalid states: a stopping instance reads stopped, a shutting-down one terminated.</summary>
    private static string? InvalidStateOf(string instanceState) => instanceState switch
    {
        "stopping" or "stopped" => "stopped",
        "shutting-down" or "terminated" => "terminated",
        _ => null,
    };
}
