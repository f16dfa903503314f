using System.Collections.Immutable;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Domain.Tests.Elb;

public sealed class TargetBalancerTests
{
    private static readonly DateTimeOffset Now = TestRegion.Epoch;
    private static readonly ImmutableArray<string> TwoZones = ["us-east-1a", "us-east-1b"];

    private static RoutableTarget Target(string id, string state = TargetHealthStates.Healthy, string zone = "us-east-1a", DateTimeOffset? healthySince = null) =>
        new(id, 80, zone, state, healthySince ?? (state == TargetHealthStates.Healthy ? Now.AddHours(-1) : null));

    private static TargetGroupRouting Group(params RoutableTarget[] targets) =>
        new("arn:tg", "0123456789abcdef", "HTTP", TargetGroupAlgorithms.RoundRobin, 0, false, "lb_cookie", 86400, "use_load_balancer_configuration", [.. targets]);

    private static List<string> PickMany(TargetBalancer balancer, TargetGroupRouting group, int count, bool crossZone = true, string? entryZone = null, DateTimeOffset? at = null) =>
        [.. Enumerable.Range(0, count).Select(_ => balancer.Pick(group, TwoZones, crossZone, entryZone, at ?? Now)!.Target.Id)];

    [Fact]
    public void Round_robin_spreads_requests_evenly_over_healthy_targets_only()
    {
        var group = Group(Target("i-a"), Target("i-b"), Target("i-c", TargetHealthStates.Unhealthy), Target("i-d", TargetHealthStates.Initial));
        var picks = PickMany(new TargetBalancer(), group, 100);
        Assert.Equal(50, picks.Count(p => p == "i-a"));
        Assert.Equal(50, picks.Count(p => p == "i-b"));
    }

    [Fact]
    public void When_every_target_is_unhealthy_the_load_balancer_fails_open_to_all_of_them()
    {
        var group = Group(Target("i-a", TargetHealthStates.Unhealthy), Target("i-b", TargetHealthStates.Unhealthy));
        var balancer = new TargetBalancer();
        var pick = balancer.Pick(group, TwoZones, true, null, Now)!;
        Assert.True(pick.FailOpen);
        Assert.Equal(["i-a", "i-b"], PickMany(balancer, group, 10).Distinct().Order());
    }

    [Fact]
    public void Without_registered_targets_there_is_nothing_to_pick_and_draining_or_unused_targets_take_no_traffic()
    {
        Assert.Null(new TargetBalancer().Pick(Group(Target("i-a", TargetHealthStates.Initial)), TwoZones, true, null, Now)); // not yet checked: not failed open to
        Assert.Null(new TargetBalancer().Pick(Group(), TwoZones, true, null, Now));
        Assert.Null(new TargetBalancer().Pick(Group(Target("i-a", TargetHealthStates.Draining), Target("i-b", TargetHealthStates.Unused)), TwoZones, true, null, Now));
    }

    [Fact]
    public void With_cross_zone_off_a_node_routes_only_to_its_own_zone_and_with_it_on_to_every_zone()
    {
        var group = Group(Target("i-a", zone: "us-east-1a"), Target("i-b", zone: "us-east-1b"));
        Assert.Equal(["i-a"], PickMany(new TargetBalancer(), group, 6, crossZone: false, entryZone: "us-east-1a").Distinct());
        Assert.Equal(["i-a", "i-b"], PickMany(new TargetBalancer(), group, 6, crossZone: true, entryZone: "us-east-1a").Distinct().Order());
    }

    [Fact]
    public void Targets_in_zones_the_load_balancer_does_not_enable_take_no_traffic()
    {
        var group = Group(Target("i-a", zone: "us-east-1a"), Target("i-c", zone: "us-east-1c"));
        Assert.Equal(["i-a"], PickMany(new TargetBalancer(), group, 6).Distinct());
    }

    [Fact]
    public void A_sticky_target_keeps_its_requests_while_healthy_and_loses_them_when_not()
    {
        var group = Group(Target("i-a"), Target("i-b")) with { StickinessEnabled = true };
        var balancer = new TargetBalancer();
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal("i-b", balancer.Pick(group, TwoZones, true, null, Now, "i-b:80")!.Target.Id));
        var unhealthy = Group(Target("i-a"), Target("i-b", TargetHealthStates.Unhealthy)) with { StickinessEnabled = true };
        Assert.Equal("i-a", balancer.Pick(unhealthy, TwoZones, true, null, Now, "i-b:80")!.Target.Id);
    }

    [Fact]
    public void Slow_start_ramps_a_newly_healthy_target_linearly_to_a_full_share()
    {
        var group = Group(Target("i-old"), Target("i-new", healthySince: Now.AddSeconds(-25))) with { SlowStartSeconds = 100 };
        var early = PickMany(new TargetBalancer(), group, 1000);
        Assert.Equal(200, early.Count(p => p == "i-new")); // weight 0.25 against 1: a fifth of the requests
        var later = PickMany(new TargetBalancer(), group, 1000, at: Now.AddSeconds(75));
        Assert.Equal(500, later.Count(p => p == "i-new"));
    }

    [Fact]
    public void Least_outstanding_requests_prefers_the_target_with_fewer_requests_in_flight()
    {
        var group = Group(Target("i-a"), Target("i-b")) with { Algorithm = TargetGroupAlgorithms.LeastOutstandingRequests };
        var balancer = new TargetBalancer();
        var first = balancer.Pick(group, TwoZones, true, null, Now)!.Target;
        balancer.Started(first);
        balancer.Started(first);
        var second = balancer.Pick(group, TwoZones, true, null, Now)!.Target;
        Assert.NotEqual(first.Id, second.Id);
        balancer.Completed(first);
        balancer.Completed(first);
        Assert.Equal(0, balancer.Outstanding(first));
    }

    [Fact]
    public void Weighted_target_groups_share_requests_by_weight_and_weight_zero_gets_none()
    {
        var balancer = new TargetBalancer();
        var picks = Enumerable.Range(0, 100).Select(_ => balancer.PickGroup([("blue", 80), ("green", 20), ("red", 0)])).ToList();
        Assert.Equal(80, picks.Count(p => p == "blue"));
        Assert.Equal(20, picks.Count(p => p == "green"));
        Assert.Null(balancer.PickGroup([("red", 0)]));
    }

    [Fact]
    public void A_flow_is_shared_like_requests_and_a_zone_without_targets_loses_its_share_when_cross_zone_is_off()
    {
        var group = Group(Target("i-a", zone: "us-east-1a"), Target("i-b", zone: "us-east-1a"), Target("i-c", zone: "us-east-1b", state: TargetHealthStates.Unhealthy));
        var crossZone = TargetBalancer.Shares(group, TwoZones, true, TwoZones, Now).ToDictionary(s => s.Target.Id, s => s.Share);
        Assert.Equal(new Dictionary<string, double> { ["i-a"] = 0.5, ["i-b"] = 0.5 }, crossZone);

        // Zone b's node has only an unhealthy target: it fails open to it; zone a's node splits its half.
        var zonal = TargetBalancer.Shares(group, TwoZones, false, TwoZones, Now).ToDictionary(s => s.Target.Id, s => s.Share);
        Assert.Equal(new Dictionary<string, double> { ["i-a"] = 0.25, ["i-b"] = 0.25, ["i-c"] = 0.5 }, zonal);

        var onlyA = Group(Target("i-a", zone: "us-east-1a"));
        Assert.Equal(0.5, TargetBalancer.Shares(onlyA, TwoZones, false, TwoZones, Now).Sum(s => s.Share));
        Assert.Empty(TargetBalancer.Shares(Group(), TwoZones, true, TwoZones, Now));
    }
}
