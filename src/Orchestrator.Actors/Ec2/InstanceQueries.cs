using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Ec2;

/// <summary>Questions an instance answers from its state, its zone and its application model, without persisting anything.</summary>
public static class InstanceQueries
{
    /// <summary>A health check reaching the instance (a target group's probe). Answered with a ProbeAnswer.</summary>
    public sealed record Probe(string InstanceId);

    /// <summary>
    /// A request a load balancer forwards, the instance offered this many requests per second; Sequence numbers
    /// the requests sent to it, so the overloaded share is refused evenly. Answered with a ServedRequest.
    /// </summary>
    public sealed record Serve(string InstanceId, double OfferedPerSecond, long Sequence);

    /// <summary>DescribeInstanceStatus for one instance. Answered with an InstanceStatusView.</summary>
    public sealed record Status(string InstanceId);

    /// <summary>The billing meter now. Answered with a BillingReport.</summary>
    public sealed record Billing(string InstanceId);

    public sealed record BillingReport(string InstanceId, string InstanceType, long BilledSeconds, decimal CostUsd, DateTimeOffset At);

    public static object? Answer(Instance? instance, object query, DecisionContext context) => query switch
    {
        // A probe to an instance that does not exist (terminated and gone) gets no answer at all, as on a network.
        Probe => InstanceProbe.Answer(instance, instance is null ? null : context.Region.Zone(instance.AvailabilityZone), context.Now),
        Serve serve => InstanceWorkload.Serve(instance, instance is null ? null : context.Region.Zone(instance.AvailabilityZone), serve.OfferedPerSecond,
            IsRefused(instance, serve), context.Now),
        Status status => instance is null
            ? new EntityReplies.Rejected(Ec2Errors.InstanceNotFound(status.InstanceId))
            : InstanceStatusChecks.Summarize(instance, context.Region.Zone(instance.AvailabilityZone), context.Now),
        Billing billing => instance is null
            ? new EntityReplies.Rejected(Ec2Errors.InstanceNotFound(billing.InstanceId))
            : new BillingReport(instance.InstanceId, instance.InstanceType, instance.BilledSeconds(context.Now), instance.CostUsd(context.Now), context.Now),
        _ => null,
    };

    /// <summary>Request n is refused when the refused share's running total crosses a whole number at n: evenly spread, no randomness.</summary>
    private static bool IsRefused(Instance? instance, Serve serve)
    {
        if (instance is null)
            return false;
        var share = InstanceWorkload.RefusedShare(instance.InstanceType, serve.OfferedPerSecond);
        return Math.Floor((serve.Sequence + 1) * share) > Math.Floor(serve.Sequence * share);
    }
}
