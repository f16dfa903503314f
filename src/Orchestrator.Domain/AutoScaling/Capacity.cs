using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>Where to launch and what to terminate (aws-semantics 4.4, 4.5): AZ balance first, then the termination policies.</summary>
public static class Capacity
{
    /// <summary>The subnet of the enabled, available zone with the fewest counted instances (the first named on a tie); null when every zone is down.</summary>
    public static GroupSubnet? LaunchSubnet(AutoScalingGroup group, RegionStatus region)
    {
        var counts = CountsByZone(group);
        return group.Settings.Subnets
            .Where(s => region.Zone(s.AvailabilityZone) is not { IsUp: false })
            .DistinctBy(s => s.AvailabilityZone)
            .Select((subnet, order) => (subnet, order))
            .OrderBy(s => counts.GetValueOrDefault(s.subnet.AvailabilityZone))
            .ThenBy(s => s.order)
            .Select(s => s.subnet)
            .FirstOrDefault();
    }

    /// <summary>
    /// The instance scale-in takes: from the zone with the most counted instances that has one not
    /// protected, narrowed by each termination policy in turn, Default last; the lowest id breaks a
    /// tie where AWS picks at random, so runs repeat.
    /// </summary>
    public static GroupInstance? ScaleInVictim(AutoScalingGroup group, DateTimeOffset now)
    {
        var counts = CountsByZone(group);
        var candidates = group.Instances.Where(i => i.Counts && !i.ProtectedFromScaleIn).ToList();
        if (candidates.Count == 0)
            return null;
        var zone = candidates.Select(i => i.AvailabilityZone).Distinct().OrderByDescending(z => counts[z]).ThenBy(z => z, StringComparer.Ordinal).First();
        var remaining = candidates.Where(i => i.AvailabilityZone == zone).ToList();
        foreach (var policy in group.Settings.TerminationPolicies.Append(TerminationPolicies.Default))
            remaining = Narrow(remaining, policy, group.Settings.LaunchTemplate, now);
        return remaining.OrderBy(i => i.InstanceId, StringComparer.Ordinal).First();
    }

    private static List<GroupInstance> Narrow(List<GroupInstance> candidates, string policy, GroupLaunchTemplate current, DateTimeOffset now) => policy switch
    {
        TerminationPolicies.OldestInstance => KeepBest(candidates, i => -i.LaunchedAt.UtcTicks),
        TerminationPolicies.NewestInstance => KeepBest(candidates, i => i.LaunchedAt.UtcTicks),
        TerminationPolicies.OldestLaunchTemplate => OldestTemplate(candidates, current),
        TerminationPolicies.ClosestToNextInstanceHour => KeepBest(candidates, i => (now - i.LaunchedAt).Ticks % TimeSpan.TicksPerHour),
        TerminationPolicies.Default => KeepBest(OldestTemplate(candidates, current), i => (now - i.LaunchedAt).Ticks % TimeSpan.TicksPerHour),
        _ => candidates, // launch configurations and allocation strategies do not exist here: nothing to narrow by
    };

    /// <summary>Instances not on the group's current template version first, then the lowest version.</summary>
    private static List<GroupInstance> OldestTemplate(List<GroupInstance> candidates, GroupLaunchTemplate current)
    {
        var outdated = candidates.Where(i => i.LaunchTemplateVersion != current.Version && int.TryParse(current.Version, out _)).ToList();
        var pool = outdated.Count > 0 ? outdated : candidates;
        return KeepBest(pool, i => int.TryParse(i.LaunchTemplateVersion, out var v) ? -v : 0);
    }

    private static List<GroupInstance> KeepBest(List<GroupInstance> candidates, Func<GroupInstance, long> score)
    {
        if (candidates.Count == 0)
            return candidates;
        var best = candidates.Max(score);
        return [.. candidates.Where(i => score(i) == best)];
    }

    /// <summary>
    /// The zone AZRebalance launches into: the available zone with the fewest instances, when it has
    /// at least two fewer than the fullest. The launch may take the group over its maximum by 10% or
    /// one instance, whichever is larger.
    /// </summary>
    public static GroupSubnet? RebalanceSubnet(AutoScalingGroup group, RegionStatus region)
    {
        var counts = CountsByZone(group);
        var up = group.Settings.Subnets.Where(s => region.Zone(s.AvailabilityZone) is not { IsUp: false }).DistinctBy(s => s.AvailabilityZone).ToList();
        if (up.Count < 2)
            return null;
        var fullest = up.Max(s => counts.GetValueOrDefault(s.AvailabilityZone));
        var emptiest = up.OrderBy(s => counts.GetValueOrDefault(s.AvailabilityZone)).First();
        if (fullest - counts.GetValueOrDefault(emptiest.AvailabilityZone) < 2)
            return null;
        return group.Capacity + 1 <= group.MaxSize + RebalanceAllowance(group.MaxSize) ? emptiest : null;
    }

    public static int RebalanceAllowance(int maxSize) => Math.Max(1, maxSize / 10);

    public static Dictionary<string, int> CountsByZone(AutoScalingGroup group) =>
        group.Instances.Where(i => i.Counts).GroupBy(i => i.AvailabilityZone).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
