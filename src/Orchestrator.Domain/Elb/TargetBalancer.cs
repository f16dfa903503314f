using System.Collections.Immutable;

namespace Orchestrator.Domain.Elb;

/// <summary>The target chosen for one request, and whether it was chosen by failing open (every target unhealthy).</summary>
public sealed record TargetPick(RoutableTarget Target, bool FailOpen);

/// <summary>
/// Chooses targets as an ALB node does (aws-semantics 3.6): only healthy targets, in the entry zone
/// unless cross-zone is on; the unhealthy ones when none is healthy (fail-open); none at all when
/// nothing is registered or every target is still in its initial checks (the caller answers 503). Round robin is a smooth weighted round robin
/// whose weights are 1, or a linear ramp during slow start; least outstanding requests picks the
/// target with the fewest requests in flight. Deterministic, so tests and drills replay exactly;
/// weighted_random is served by the same weighted rotation. One instance belongs to one router (not thread safe).
/// </summary>
public sealed class TargetBalancer
{
    private const double MinimumSlowStartWeight = 0.01;

    private readonly Dictionary<string, double> _currentWeights = [];
    private readonly Dictionary<string, int> _outstanding = [];
    private readonly Dictionary<string, double> _groupWeights = [];

    public static string KeyOf(RoutableTarget target) => $"{target.Id}:{target.Port}";

    /// <summary>
    /// Picks a target of the group for a request entering through entryZone. A sticky target (from the
    /// AWSALB cookie) is kept while it is still a candidate; otherwise the rotation decides.
    /// </summary>
    public TargetPick? Pick(TargetGroupRouting group, ImmutableArray<string> enabledZones, bool crossZone, string? entryZone, DateTimeOffset now,
        string? stickyTargetKey = null)
    {
        var registered = group.Targets.Where(t => t.State is not (TargetHealthStates.Draining or TargetHealthStates.Unused)).ToList();
        if (registered.Count == 0)
            return null;
        var zoned = crossZone || entryZone is null ? registered : registered.Where(t => t.AvailabilityZone == entryZone || t.AvailabilityZone == "all").ToList();
        var inZones = zoned.Where(t => t.AvailabilityZone is null or "all" || enabledZones.Contains(t.AvailabilityZone)).ToList();
        var healthy = inZones.Where(t => t.State == TargetHealthStates.Healthy).ToList();
        var failOpen = healthy.Count == 0;
        var candidates = failOpen ? inZones.Where(t => t.State == TargetHealthStates.Unhealthy).ToList() : healthy;
        if (candidates.Count == 0)
            return null;
        if (stickyTargetKey is not null && group.StickinessEnabled && candidates.FirstOrDefault(t => KeyOf(t) == stickyTargetKey) is { } sticky)
            return new TargetPick(sticky, failOpen);
        var chosen = group.Algorithm == TargetGroupAlgorithms.LeastOutstandingRequests
            ? LeastOutstanding(candidates, group, now)
            : Rotate(candidates, t => Weight(t, group, now), KeyOf, _currentWeights);
        return new TargetPick(chosen, failOpen);
    }

    /// <summary>
    /// The fluid counterpart of <see cref="Pick"/>: the share of a flow each target receives when DNS
    /// spreads clients evenly over the entry zones and each zone's node balances as Pick does
    /// (weights, slow start, fail-open). A zone with nothing to route to loses its share (the
    /// load balancer answers 503 there), so the shares can add up to less than one.
    /// </summary>
    public static IReadOnlyList<(RoutableTarget Target, double Share)> Shares(TargetGroupRouting group, ImmutableArray<string> enabledZones, bool crossZone,
        IReadOnlyList<string> entryZones, DateTimeOffset now)
    {
        var registered = group.Targets.Where(t => t.State is not (TargetHealthStates.Draining or TargetHealthStates.Unused)).ToList();
        if (registered.Count == 0 || entryZones.Count == 0)
            return [];
        var shares = new Dictionary<string, (RoutableTarget Target, double Share)>(StringComparer.Ordinal);
        foreach (var entryZone in entryZones)
        {
            var zoned = crossZone ? registered : registered.Where(t => t.AvailabilityZone == entryZone || t.AvailabilityZone == "all").ToList();
            var inZones = zoned.Where(t => t.AvailabilityZone is null or "all" || enabledZones.Contains(t.AvailabilityZone)).ToList();
            var healthy = inZones.Where(t => t.State == TargetHealthStates.Healthy).ToList();
            var candidates = healthy.Count > 0 ? healthy : inZones.Where(t => t.State == TargetHealthStates.Unhealthy).ToList();
            if (candidates.Count == 0)
                continue;
            var total = candidates.Sum(t => Weight(t, group, now));
            foreach (var target in candidates)
            {
                var share = Weight(target, group, now) / total / entryZones.Count;
                var key = KeyOf(target);
                shares[key] = (target, shares.GetValueOrDefault(key).Share + share);
            }
        }
        return [.. shares.Values];
    }

    /// <summary>Chooses among a forward action's weighted target groups (weights 0–999; weight 0 never receives traffic).</summary>
    public string? PickGroup(IReadOnlyList<(string TargetGroupArn, int Weight)> groups)
    {
        var eligible = groups.Where(g => g.Weight > 0).ToList();
        return eligible.Count switch
        {
            0 => null,
            1 => eligible[0].TargetGroupArn,
            _ => Rotate(eligible, g => g.Weight, g => g.TargetGroupArn, _groupWeights).TargetGroupArn,
        };
    }

    public void Started(RoutableTarget target) => _outstanding[KeyOf(target)] = _outstanding.GetValueOrDefault(KeyOf(target)) + 1;

    public void Completed(RoutableTarget target)
    {
        var key = KeyOf(target);
        if (_outstanding.GetValueOrDefault(key) <= 1)
            _outstanding.Remove(key);
        else
            _outstanding[key]--;
    }

    public int Outstanding(RoutableTarget target) => _outstanding.GetValueOrDefault(KeyOf(target));

    private RoutableTarget LeastOutstanding(List<RoutableTarget> candidates, TargetGroupRouting group, DateTimeOffset now)
    {
        var fewest = candidates.Min(t => _outstanding.GetValueOrDefault(KeyOf(t)));
        return Rotate(candidates.Where(t => _outstanding.GetValueOrDefault(KeyOf(t)) == fewest).ToList(), t => Weight(t, group, now), KeyOf, _currentWeights);
    }

    /// <summary>A target that became healthy less than the slow-start duration ago gets a share growing linearly to a full one.</summary>
    public static double Weight(RoutableTarget target, TargetGroupRouting group, DateTimeOffset now)
    {
        if (group.SlowStartSeconds <= 0 || target.State != TargetHealthStates.Healthy || target.HealthySince is not { } since)
            return 1;
        var elapsed = (now - since).TotalSeconds;
        return elapsed >= group.SlowStartSeconds ? 1 : Math.Max(MinimumSlowStartWeight, elapsed / group.SlowStartSeconds);
    }

    /// <summary>Smooth weighted round robin (as nginx does it): every candidate gains its weight, the richest is chosen and pays the total.</summary>
    private static T Rotate<T>(IReadOnlyList<T> candidates, Func<T, double> weightOf, Func<T, string> keyOf, Dictionary<string, double> current)
    {
        var total = 0.0;
        T best = candidates[0];
        var bestWeight = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            var weight = weightOf(candidate);
            total += weight;
            var key = keyOf(candidate);
            var next = current.GetValueOrDefault(key) + weight;
            current[key] = next;
            if (next > bestWeight)
                (best, bestWeight) = (candidate, next);
        }
        current[keyOf(best)] = bestWeight - total;
        return best;
    }
}

public static class TargetGroupAlgorithms
{
    public const string RoundRobin = "round_robin";
    public const string LeastOutstandingRequests = "least_outstanding_requests";
    public const string WeightedRandom = "weighted_random";
}
