using System.Collections.Immutable;

namespace Orchestrator.Domain.Ec2;

/// <summary>
/// Instance usage billing: only running time is billed, per second, with a 60-second minimum for
/// each start. A reboot does not open a new period. Closed periods are kept as billed seconds per
/// instance type, so a type change while stopped bills each period at its own type's price.
/// </summary>
public sealed record BillingMeter(
    ImmutableDictionary<string, long> ClosedSecondsByType,
    DateTimeOffset? PeriodStartedAt,
    string? PeriodInstanceType)
{
    public static readonly TimeSpan MinimumPerStart = TimeSpan.FromSeconds(60);

    public static BillingMeter Idle { get; } = new(ImmutableDictionary<string, long>.Empty, null, null);

    public BillingMeter StartPeriod(DateTimeOffset at, string instanceType) =>
        PeriodStartedAt is null ? this with { PeriodStartedAt = at, PeriodInstanceType = instanceType } : this;

    public BillingMeter EndPeriod(DateTimeOffset at)
    {
        if (PeriodStartedAt is not { } start || PeriodInstanceType is not { } type)
            return this;
        var seconds = BillableSeconds(at - start) + ClosedSecondsByType.GetValueOrDefault(type);
        return new BillingMeter(ClosedSecondsByType.SetItem(type, seconds), null, null);
    }

    public long BilledSeconds(DateTimeOffset now) => BilledSecondsByType(now).Values.Sum();

    public decimal CostUsd(DateTimeOffset now) =>
        BilledSecondsByType(now).Sum(entry => entry.Value * (InstanceTypes.Find(entry.Key)?.OnDemandHourlyUsd ?? 0m) / 3600m);

    /// <summary>Whole seconds, rounded up, never under the per-start minimum: 20 s bills 60 s, 3 min 40 s bills 220 s.</summary>
    public static long BillableSeconds(TimeSpan runningTime) =>
        (long)Math.Ceiling(Math.Max(runningTime.TotalSeconds, MinimumPerStart.TotalSeconds));

    private ImmutableDictionary<string, long> BilledSecondsByType(DateTimeOffset now) =>
        PeriodStartedAt is { } start && PeriodInstanceType is { } type
            ? ClosedSecondsByType.SetItem(type, ClosedSecondsByType.GetValueOrDefault(type) + BillableSeconds(now - start))
            : ClosedSecondsByType;
}
