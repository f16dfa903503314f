using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Ec2;

/// <summary>Questions an instance answers from its state, its zone and its application model, without persisting anything.</summary>
public static class InstanceQueries
{
    /// <summary>A health check reaching the instance (a target group's probe). Answered with a ProbeAnswer.</summary>
    public sealed record Probe(string InstanceId);

    /// <summary>DescribeInstanceStatus for one instance. Answered with an InstanceStatusView.</summary>
    public sealed record Status(string InstanceId);

    /// <summary>The billing meter now. Answered with a BillingReport.</summary>
    public sealed record Billing(string InstanceId);

    public sealed record BillingReport(string InstanceId, string InstanceType, long BilledSeconds, decimal CostUsd, DateTimeOffset At);

    public static object? Answer(Instance? instance, object query, DecisionContext context) => query switch
    {
        // A probe to an instance that does not exist (terminated and gone) gets no answer at all, as on a network.
        Probe => InstanceProbe.Answer(instance, instance is null ? null : context.Region.Zone(instance.AvailabilityZone), context.Now),
        Status status => instance is null
            ? new EntityReplies.Rejected(Ec2Errors.InstanceNotFound(status.InstanceId))
            : InstanceStatusChecks.Summarize(instance, context.Region.Zone(instance.AvailabilityZone), context.Now),
        Billing billing => instance is null
            ? new EntityReplies.Rejected(Ec2Errors.InstanceNotFound(billing.InstanceId))
            : new BillingReport(instance.InstanceId, instance.InstanceType, instance.BilledSeconds(context.Now), instance.CostUsd(context.Now), context.Now),
        _ => null,
    };
}
