using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Chaos;

public static class FaultKinds
{
    public const string AzOutage = "az-outage";
    public const string KillInstances = "kill-instances";
    public const string ImpairApp = "impair-app";
}

/// <summary>
/// One injected fault, as AWS FIS records an experiment action: what, on which target, when it
/// started, when it is due to end by itself (RestoreAt, a persisted deadline) and when it ended.
/// Instances are the ones it hit (killed or impaired); Mode, ErrorRate and Latency say how.
/// </summary>
public sealed record Fault(
    string FaultId,
    string Kind,
    string Target,
    DateTimeOffset StartedAt,
    DateTimeOffset? RestoreAt,
    ImmutableArray<string> Instances,
    OutageMode Mode = OutageMode.Power,
    double ErrorRate = 0,
    TimeSpan Latency = default,
    int? Seed = null,
    DateTimeOffset? EndedAt = null,
    string? EndReason = null)
{
    public bool IsActive => EndedAt is null;

    public string Describe() => Kind switch
    {
        FaultKinds.AzOutage => $"{Target} unavailable ({Mode.ToString().ToLowerInvariant()})",
        FaultKinds.KillInstances => $"{Target}: terminated {string.Join(", ", Instances)}{(Seed is { } seed ? $" (seed {seed})" : "")}",
        _ => $"{Target}: error rate {ErrorRate.ToString("0.###", CultureInfo.InvariantCulture)}, latency {SimDuration.Format(Latency)} on {string.Join(", ", Instances)}",
    };
}

/// <summary>Every fault of the region, active and past; Next numbers the next one.</summary>
public sealed record ChaosLedger(ImmutableList<Fault> Faults, long Next)
{
    public static readonly ChaosLedger Empty = new([], 1);

    public Fault? Find(string faultId) => Faults.Find(f => f.FaultId == faultId);

    public IEnumerable<Fault> Active => Faults.Where(f => f.IsActive);
}

public interface IChaosCommand;

public interface IChaosEvent;

public static class ChaosCommands
{
    public sealed record AzOutage(string Zone, OutageMode Mode, TimeSpan? For) : IChaosCommand;

    public sealed record AzRestore(string Zone) : IChaosCommand;

    /// <summary>The palette resolved the group's InService instances and chose the victims (see <see cref="ChaosTargets"/>).</summary>
    public sealed record KillInstances(string Group, ImmutableArray<string> InstanceIds, int Seed) : IChaosCommand;

    public sealed record ImpairApp(string Target, ImmutableArray<string> InstanceIds, double ErrorRate, TimeSpan Latency, TimeSpan? For) : IChaosCommand;

    /// <summary>Sent by the fault's own deadline when its --for has run out.</summary>
    public sealed record Expire(string FaultId) : IChaosCommand;
}

public static class ChaosEvents
{
    public sealed record FaultInjected(Fault Fault) : IChaosEvent;

    public sealed record FaultEnded(string FaultId, DateTimeOffset At, string Reason) : IChaosEvent;
}

/// <summary>The chaos ledger's rules: which faults may start, and when they end.</summary>
public sealed class ChaosBehavior : IEntityBehavior<ChaosLedger, IChaosCommand, IChaosEvent>
{
    public static readonly ChaosBehavior Instance = new();

    public const string EndedByRestore = "restored by az-restore";
    public const string EndedByDuration = "duration elapsed";
    public const string EndedAtOnce = "completed";

    public Result<IReadOnlyList<IChaosEvent>> Decide(ChaosLedger? state, IChaosCommand command, DecisionContext context)
    {
        var ledger = state ?? ChaosLedger.Empty;
        var now = context.Now;
        switch (command)
        {
            case ChaosCommands.AzOutage outage:
                if (context.Region.Zone(outage.Zone) is null)
                    return UnknownZone(outage.Zone, context.Region);
                if (ledger.Active.Any(f => f.Kind == FaultKinds.AzOutage && f.Target == outage.Zone))
                    return AwsError.InvalidParameterValue($"an outage of {outage.Zone} is already active; restore it first");
                if (outage.For is { } duration && duration <= TimeSpan.Zero)
                    return AwsError.InvalidParameterValue("--for must be longer than zero");
                return Inject(new Fault(Id(ledger), FaultKinds.AzOutage, outage.Zone, now, now + outage.For, [], outage.Mode));
            case ChaosCommands.AzRestore restore:
                var outages = ledger.Active.Where(f => f.Kind == FaultKinds.AzOutage && f.Target == restore.Zone).ToList();
                if (outages.Count == 0)
                    return context.Region.Zone(restore.Zone) is null
                        ? UnknownZone(restore.Zone, context.Region)
                        : AwsError.InvalidParameterValue($"no chaos outage is active in {restore.Zone}");
                return Result<IReadOnlyList<IChaosEvent>>.Ok([.. outages.Select(f => new ChaosEvents.FaultEnded(f.FaultId, now, EndedByRestore))]);
            case ChaosCommands.KillInstances kill:
                if (kill.InstanceIds.IsDefaultOrEmpty)
                    return AwsError.InvalidParameterValue($"the group {kill.Group} has no InService instance to kill");
                var killId = Id(ledger);
                // Terminating is instantaneous for the fault: it ends as it starts, the group recovers on its own.
                return Decisions.Events<IChaosEvent>(
                    new ChaosEvents.FaultInjected(new Fault(killId, FaultKinds.KillInstances, kill.Group, now, null, kill.InstanceIds, Seed: kill.Seed)),
                    new ChaosEvents.FaultEnded(killId, now, EndedAtOnce));
            case ChaosCommands.ImpairApp impair:
                if (impair.InstanceIds.IsDefaultOrEmpty)
                    return AwsError.InvalidParameterValue($"{impair.Target} has no instance to impair");
                if (impair.ErrorRate is < 0 or > 1 || double.IsNaN(impair.ErrorRate))
                    return AwsError.InvalidParameterValue($"--error-rate must be between 0 and 1, got {impair.ErrorRate.ToString(CultureInfo.InvariantCulture)}");
                if (impair.Latency < TimeSpan.Zero || impair.For is { } impairFor && impairFor <= TimeSpan.Zero)
                    return AwsError.InvalidParameterValue("--latency must not be negative and --for must be longer than zero");
                return Inject(new Fault(Id(ledger), FaultKinds.ImpairApp, impair.Target, now, now + impair.For, impair.InstanceIds,
                    ErrorRate: impair.ErrorRate, Latency: impair.Latency));
            case ChaosCommands.Expire expire:
                return ledger.Find(expire.FaultId) is { IsActive: true, RestoreAt: { } due } && due <= now
                    ? Decisions.Events<IChaosEvent>(new ChaosEvents.FaultEnded(expire.FaultId, now, EndedByDuration))
                    : Decisions.None<IChaosEvent>();
            default:
                return AwsError.UnsupportedOperation($"unknown chaos command {command.GetType().Name}");
        }
    }

    public ChaosLedger? Evolve(ChaosLedger? state, IChaosEvent @event)
    {
        var ledger = state ?? ChaosLedger.Empty;
        return @event switch
        {
            ChaosEvents.FaultInjected e => ledger with { Faults = ledger.Faults.Add(e.Fault), Next = ledger.Next + 1 },
            ChaosEvents.FaultEnded e when ledger.Find(e.FaultId) is { } fault =>
                ledger with { Faults = ledger.Faults.Replace(fault, fault with { EndedAt = e.At, EndReason = e.Reason }) },
            _ => ledger,
        };
    }

    public IEnumerable<Deadline<IChaosCommand>> Deadlines(ChaosLedger? state) =>
        (state?.Active ?? []).Where(f => f.RestoreAt is not null)
            .Select(f => new Deadline<IChaosCommand>($"expire-{f.FaultId}", f.RestoreAt!.Value, new ChaosCommands.Expire(f.FaultId)));

    /// <summary>FIS-style experiment ids (EXP followed by the fault's number), unique within the ledger.</summary>
    private static string Id(ChaosLedger ledger) => $"EXP{ledger.Next.ToString("D14", CultureInfo.InvariantCulture)}";

    private static Result<IReadOnlyList<IChaosEvent>> Inject(Fault fault) => Decisions.Events<IChaosEvent>(new ChaosEvents.FaultInjected(fault));

    private static AwsError UnknownZone(string zone, RegionStatus region) =>
        AwsError.InvalidParameterValue($"The availability zone '{zone}' does not exist in region {region.Region}; zones are {string.Join(", ", region.Zones.Select(z => z.Name))}");
}

/// <summary>Which InService instances a kill hits: the same seed and group always choose the same ones.</summary>
public static class ChaosTargets
{
    public static Result<ImmutableArray<string>> Choose(IReadOnlyCollection<string> inService, int? count, double? percent, int seed)
    {
        if (count is null == percent is null)
            return AwsError.InvalidParameterCombination("give exactly one of --count N or --percent P");
        if (count is < 1 || percent is <= 0 or > 100)
            return AwsError.InvalidParameterValue("--count must be at least 1 and --percent in (0, 100]");
        // FIS rounds a percentage of targets up, so 1% of a small group still hits one instance.
        var wanted = count ?? (int)Math.Ceiling(inService.Count * percent!.Value / 100);
        return inService.OrderBy(id => Rank(seed, id)).ThenBy(id => id, StringComparer.Ordinal).Take(wanted).Order(StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>FNV-1a over the seed and the id: stable across processes and runtime versions, unlike string.GetHashCode.</summary>
    private static ulong Rank(int seed, string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in $"{seed.ToString(CultureInfo.InvariantCulture)}/{id}")
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
