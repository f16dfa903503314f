using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Ec2;

/// <summary>One of the two summaries of DescribeInstanceStatus with its "reachability" detail (null where AWS sends none).</summary>
public sealed record StatusCheck(string Status, string? Reachability, DateTimeOffset? ImpairedSince)
{
    public static StatusCheck NotApplicable { get; } = new("not-applicable", null, null);
    public static StatusCheck Initializing { get; } = new("initializing", "initializing", null);
    public static StatusCheck Ok { get; } = new("ok", "passed", null);

    public static StatusCheck Impaired(DateTimeOffset since) => new("impaired", "failed", since);
}

public sealed record InstanceStatusView(
    string InstanceId,
    string AvailabilityZone,
    InstanceStateView InstanceState,
    StatusCheck SystemStatus,
    StatusCheck InstanceStatus);

/// <summary>
/// EC2 status checks, which see the host and the guest but never the application: a Failing app still
/// reads ok, which is why an EC2-only health check never replaces it. Our choices: a running instance
/// reads initializing for two minutes; an unavailable zone fails both checks (nothing reaches the host);
/// an impaired zone fails only the system check.
/// </summary>
public static class InstanceStatusChecks
{
    public static InstanceStatusView Summarize(Instance instance, AvailabilityZoneStatus? zone, DateTimeOffset now)
    {
        var (system, guest) = (instance, zone) switch
        {
            ({ State: not InstanceStateName.Running }, _) => (StatusCheck.NotApplicable, StatusCheck.NotApplicable),
            (_, { IsUp: false }) => (StatusCheck.Impaired(zone.Since), StatusCheck.Impaired(zone.Since)),
            (_, { State: AzState.Impaired }) => (StatusCheck.Impaired(zone.Since), StatusCheck.Ok),
            ({ RunningSince: { } since }, _) when now - since < InstanceTimings.StatusChecksInitializing => (StatusCheck.Initializing, StatusCheck.Initializing),
            _ => (StatusCheck.Ok, StatusCheck.Ok),
        };
        return new InstanceStatusView(instance.InstanceId, instance.AvailabilityZone, InstanceStateView.Of(instance.State), system, guest);
    }
}
