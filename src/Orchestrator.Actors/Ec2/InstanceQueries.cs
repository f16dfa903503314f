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
    /// A request a load balancer (Source) forwards, offering the instance this many requests per second in all;
    /// Sequence numbers the requests it sent, so the overloaded share is refused evenly. Answered with a ServedRequest.
    /// </summary>
    public sealed record Serve(string InstanceId, string Source, double OfferedPerSecond, long Sequence);

    /// <summary>A load balancer's fluid flow: it offers this many requests per second now. Answered with a ServedLoad.</summary>
    public sealed record Offer(string InstanceId, string Source, double OfferedPerSecond);

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

    /// <summary>
    /// Requests and flows a load balancer sends: answered from the instance's model at the load all balancers
    /// offer it together, which the instance remembers (volatile) for its CPU and network metrics.
    /// </summary>
    public static Remembered? Remember(Instance? instance, object query, DecisionContext context, object? memory)
    {
        var load = memory as OfferedLoad ?? OfferedLoad.None;
        var zone = instance is null ? null : context.Region.Zone(instance.AvailabilityZone);
        switch (query)
        {
            case Serve serve:
                load = load.Report(serve.Source, serve.OfferedPerSecond, context.Now);
                var total = load.PerSecond(context.Now);
                return new Remembered(InstanceWorkload.Serve(instance, zone, total, IsRefused(instance, total, serve.Sequence), context.Now), load);
            case Offer offer:
                load = load.Report(offer.Source, offer.OfferedPerSecond, context.Now);
                return new Remembered(InstanceWorkload.ServeFlow(instance, zone, load.PerSecond(context.Now), context.Now), load);
            default:
                return null;
        }
    }

    /// <summary>Request n is refused when the refused share's running total crosses a whole number at n: evenly spread, no randomness.</summary>
    private static bool IsRefused(Instance? instance, double offeredPerSecond, long sequence)
    {
        if (instance is null)
            return false;
        var share = InstanceWorkload.RefusedShare(instance.InstanceType, offeredPerSecond);
        return Math.Floor((sequence + 1) * share) > Math.Floor(sequence * share);
    }
}
