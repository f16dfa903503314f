using System.Collections.Immutable;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Ec2;

/// <summary>How an instance answered one request that a load balancer forwarded to it.</summary>
public enum ServeOutcome
{
    /// <summary>The application answered (StatusCode says how).</summary>
    Answered,

    /// <summary>Nothing answered: the instance is not running or its zone is unreachable (the ALB waits out its connect timeout, then 504).</summary>
    NoResponse,

    /// <summary>The host is up but nothing listens while it reboots: the connection is reset (the ALB answers 502).</summary>
    Refused,
}

/// <summary>
/// One request's answer: the status the application sent, how long it took, and the instance's
/// utilisation while serving at the offered rate (what CPUUtilization reports).
/// </summary>
public sealed record ServedRequest(ServeOutcome Outcome, int StatusCode, TimeSpan Latency, double CpuPercent);

/// <summary>
/// A share of an offered flow as the instance answered it (the fluid model): SuccessShare answered
/// 2xx, ErrorShare answered ErrorStatus (500 from a failing application, 503 refused by an overloaded one).
/// </summary>
public sealed record ServedLoad(ServeOutcome Outcome, double SuccessShare, double ErrorShare, int ErrorStatus, TimeSpan Latency, double CpuPercent);

/// <summary>One load balancer's last report of the requests per second it sends an instance.</summary>
public sealed record LoadReport(double PerSecond, DateTimeOffset At);

/// <summary>
/// The load offered to an instance, per load balancer routing to it, as last reported. A report older
/// than Freshness no longer counts: that balancer stopped sending. Volatile: an instance that restarts
/// starts idle, as a rebooted machine's queue is empty.
/// </summary>
public sealed record OfferedLoad(ImmutableDictionary<string, LoadReport> BySource)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    public static OfferedLoad None { get; } = new(ImmutableDictionary<string, LoadReport>.Empty);

    public OfferedLoad Report(string source, double perSecond, DateTimeOffset at) => new(BySource.SetItem(source, new LoadReport(perSecond, at)));

    public double PerSecond(DateTimeOffset now) => BySource.Values.Where(r => now - r.At <= Freshness).Sum(r => r.PerSecond);
}

/// <summary>
/// The queueing model of an instance's application: each request costs a fixed CPU time, so a
/// machine serves vCPUs / cost requests per second. Below saturation latency grows as in an M/M/1
/// queue per vCPU (service time / (1 - utilisation)); past it the excess is refused with 503 in
/// proportion (1 - 1/utilisation), and latency sits at its ceiling. A Failing application answers
/// 500, a Slow one answers late. Our model, not AWS's: AWS has no such thing to copy.
/// </summary>
public static class InstanceWorkload
{
    /// <summary>CPU seconds one request costs: a t3.micro (2 vCPUs) saturates at 200 requests per second.</summary>
    public static readonly TimeSpan CpuPerRequest = TimeSpan.FromMilliseconds(10);

    public const double IdleCpuPercent = 0.5;

    /// <summary>Latency stops growing here: a saturated queue is bounded by the requests it refuses.</summary>
    private const double LatencyCeilingFactor = 50;

    public static double CapacityPerSecond(string instanceType) =>
        (InstanceTypes.Find(instanceType)?.VCpus ?? 1) / CpuPerRequest.TotalSeconds;

    /// <summary>Offered requests per second over capacity; above 1 the instance is overloaded.</summary>
    public static double Utilisation(string instanceType, double offeredPerSecond) =>
        Math.Max(0, offeredPerSecond) / CapacityPerSecond(instanceType);

    public static double CpuPercent(string instanceType, double offeredPerSecond) =>
        Math.Min(100, IdleCpuPercent + (100 - IdleCpuPercent) * Math.Min(1, Utilisation(instanceType, offeredPerSecond)));

    /// <summary>
    /// Whether the request or health check at this instant is one of the impaired application's
    /// errors (its ErrorRate): a hash of the instance and the instant stands in for chance, so the
    /// model stays deterministic and replays the same way.
    /// </summary>
    public static bool Errs(Instance instance, DateTimeOffset at)
    {
        if (instance.ErrorRate <= 0)
            return false;
        var hash = 14695981039346656037UL;
        foreach (var c in $"{instance.InstanceId}@{at.UtcTicks}")
            hash = (hash ^ c) * 1099511628211UL;
        return hash % 10_000 < instance.ErrorRate * 10_000;
    }

    /// <summary>The share of requests an overloaded instance refuses.</summary>
    public static double RefusedShare(string instanceType, double offeredPerSecond)
    {
        var utilisation = Utilisation(instanceType, offeredPerSecond);
        return utilisation <= 1 ? 0 : 1 - 1 / utilisation;
    }

    public static TimeSpan Latency(string instanceType, double offeredPerSecond)
    {
        var utilisation = Math.Min(Utilisation(instanceType, offeredPerSecond), 1);
        var factor = Math.Min(LatencyCeilingFactor, 1 / (1 - utilisation));
        return CpuPerRequest * factor;
    }

    /// <summary>
    /// The answer to one request. refused says whether this request is one of the refused share (the
    /// caller spreads refusals evenly over requests, so the model stays deterministic).
    /// </summary>
    public static ServedRequest Serve(Instance? instance, AvailabilityZoneStatus? zone, double offeredPerSecond, bool refused, DateTimeOffset now)
    {
        if (instance is not { State: InstanceStateName.Running } || zone is { IsUp: false })
            return new ServedRequest(ServeOutcome.NoResponse, 0, TimeSpan.Zero, 0);
        if (instance.IsRebooting(now))
            return new ServedRequest(ServeOutcome.Refused, 0, TimeSpan.Zero, 0);
        var cpu = CpuPercent(instance.InstanceType, offeredPerSecond);
        var latency = Latency(instance.InstanceType, offeredPerSecond);
        return instance.ApplicationHealth switch
        {
            ApplicationHealth.Failing => new ServedRequest(ServeOutcome.Answered, 500, latency, cpu),
            _ when Errs(instance, now) => new ServedRequest(ServeOutcome.Answered, 500, latency, cpu),
            ApplicationHealth.Slow => new ServedRequest(ServeOutcome.Answered, 200, instance.SlowResponseLatency + latency, cpu),
            _ when refused => new ServedRequest(ServeOutcome.Answered, 503, latency, cpu),
            _ => new ServedRequest(ServeOutcome.Answered, 200, latency, cpu),
        };
    }

    /// <summary>How an instance answers a whole flow at the offered rate: the fluid counterpart of <see cref="Serve"/>.</summary>
    public static ServedLoad ServeFlow(Instance? instance, AvailabilityZoneStatus? zone, double offeredPerSecond, DateTimeOffset now)
    {
        if (instance is not { State: InstanceStateName.Running } || zone is { IsUp: false })
            return new ServedLoad(ServeOutcome.NoResponse, 0, 0, 0, TimeSpan.Zero, 0);
        if (instance.IsRebooting(now))
            return new ServedLoad(ServeOutcome.Refused, 0, 0, 0, TimeSpan.Zero, 0);
        var cpu = CpuPercent(instance.InstanceType, offeredPerSecond);
        var latency = Latency(instance.InstanceType, offeredPerSecond);
        return instance.ApplicationHealth switch
        {
            ApplicationHealth.Failing => new ServedLoad(ServeOutcome.Answered, 0, 1, 500, latency, cpu),
            ApplicationHealth.Slow => new ServedLoad(ServeOutcome.Answered, 1 - instance.ErrorRate, instance.ErrorRate, instance.ErrorRate > 0 ? 500 : 0, instance.SlowResponseLatency + latency, cpu),
            _ when instance.ErrorRate > 0 => new ServedLoad(ServeOutcome.Answered, 1 - instance.ErrorRate, instance.ErrorRate, 500, latency, cpu),
            _ => RefusedShare(instance.InstanceType, offeredPerSecond) is var refused and > 0
                ? new ServedLoad(ServeOutcome.Answered, 1 - refused, refused, 503, latency, cpu)
                : new ServedLoad(ServeOutcome.Answered, 1, 0, 0, latency, cpu),
        };
    }
}
