using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using static Orchestrator.Domain.Elb.TargetGroupCommands;
using static Orchestrator.Domain.Elb.TargetGroupEvents;

namespace Orchestrator.Domain.Tests.Elb;

/// <summary>Target groups without actors: settings, attributes, registrations and the health state machine, one probe round at a time.</summary>
public sealed class TargetGroupTests
{
    private const string Id = "0123456789abcdef";
    private const string Vpc = "vpc-0a1b2c3d4e5f60718";
    private const string LoadBalancer = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/fedcba9876543210";
    private const string InstanceA = "i-0aaaaaaaaaaaaaaa1";
    private const string InstanceB = "i-0bbbbbbbbbbbbbbb2";

    private static readonly string Arn = ElbArn.ForTargetGroup("us-east-1", "000000000000", "web", Id);

    private static Create Http(HealthCheckRequest? check = null, string protocol = "HTTP", string targetType = "instance") =>
        new(Id, Arn, "web", protocol, null, 80, Vpc, targetType, "ipv4", check ?? new HealthCheckRequest());

    private static EntityHarness<TargetGroup, ITargetGroupCommand, ITargetGroupEvent> Harness(Create? create = null)
    {
        var harness = new EntityHarness<TargetGroup, ITargetGroupCommand, ITargetGroupEvent>(new TargetGroupBehavior());
        harness.Execute(create ?? Http());
        return harness;
    }

    /// <summary>A group a load balancer uses, with two instances registered in us-east-1a.</summary>
    private static EntityHarness<TargetGroup, ITargetGroupCommand, ITargetGroupEvent> InUse()
    {
        var harness = Harness();
        harness.Execute(new RegisterTargets(Id, [new TargetRegistration(InstanceA, null, "us-east-1a", InstanceA), new TargetRegistration(InstanceB, null, "us-east-1a", InstanceB)]));
        harness.Execute(new UseByLoadBalancer(Id, LoadBalancer, ["us-east-1a", "us-east-1b"]));
        return harness;
    }

    private static TargetProbe Pass(string id = InstanceA) => new(id, 80, ProbeVerdict.Passed);

    private static TargetProbe Fail(string id = InstanceA, string reason = TargetHealth.TimeoutReason) => new(id, 80, ProbeVerdict.Failed, reason, "Request timed out");

    private static TargetHealthView Health(EntityHarness<TargetGroup, ITargetGroupCommand, ITargetGroupEvent> harness, string id = InstanceA) =>
        harness.State!.HealthOf(harness.State.Targets.Single(t => t.Id == id));

    private static IReadOnlyList<ITargetGroupEvent> Round(EntityHarness<TargetGroup, ITargetGroupCommand, ITargetGroupEvent> harness, params TargetProbe[] probes)
    {
        harness.Now += TimeSpan.FromSeconds(30);
        return harness.Execute(new RecordProbes(Id, [.. probes]));
    }

    [Theory]
    [InlineData("HTTP", "instance", true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, "200")]
    [InlineData("HTTPS", "ip", true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, "200")]
    [InlineData("TCP", "instance", true, "TCP", "traffic-port", null, 30, 10, 5, 2, "200-399")]
    [InlineData("UDP", "instance", true, "TCP", "traffic-port", null, 30, 10, 5, 2, "200-399")]
    [InlineData("TLS", "ip", true, "TCP", "traffic-port", null, 30, 10, 5, 2, "200-399")]
    [InlineData("GENEVE", "instance", true, "TCP", "80", null, 10, 5, 5, 2, "200-399")]
    public void Health_check_defaults_follow_the_protocol(string protocol, string targetType, bool enabled, string checkProtocol, string port, string? path,
        int interval, int timeout, int healthy, int unhealthy, string matcher) =>
        Assert.Equal(new HealthCheckSettings(enabled, checkProtocol, port, path, interval, timeout, healthy, unhealthy, matcher, null),
            HealthChecks.Resolve(protocol, targetType, new HealthCheckRequest()).Value);

    [Fact]
    public void Network_groups_with_http_checks_wait_six_seconds_and_lambda_groups_do_not_check()
    {
        Assert.Equal(6, HealthChecks.Resolve("TCP", "instance", new HealthCheckRequest(Protocol: "HTTP")).Value.TimeoutSeconds);
        Assert.Equal("/", HealthChecks.Resolve("TCP", "instance", new HealthCheckRequest(Protocol: "HTTP")).Value.Path);
        Assert.False(HealthChecks.Resolve(null, "lambda", new HealthCheckRequest()).Value.Enabled);
    }

    [Theory]
    [InlineData(4, null, null, "ValidationError")]
    [InlineData(301, null, null, "ValidationError")]
    [InlineData(null, 1, null, "ValidationError")]
    [InlineData(null, 121, null, "ValidationError")]
    [InlineData(10, 10, null, "InvalidConfigurationRequest")]
    [InlineData(null, null, 1, "ValidationError")]
    [InlineData(null, null, 11, "ValidationError")]
    public void Health_check_ranges_are_enforced(int? interval, int? timeout, int? threshold, string code) =>
        Assert.Equal(code, HealthChecks.Resolve("HTTP", "instance",
            new HealthCheckRequest(IntervalSeconds: interval, TimeoutSeconds: timeout, HealthyThresholdCount: threshold)).Error?.Code);

    [Theory]
    [InlineData("200-499", true)]
    [InlineData("200,302", true)]
    [InlineData("500", false)]
    [InlineData("199", false)]
    [InlineData("300-200", false)]
    public void Application_matchers_stay_within_200_to_499(string matcher, bool valid) =>
        Assert.Equal(valid, !HealthChecks.Resolve("HTTP", "instance", new HealthCheckRequest(MatcherHttpCode: matcher)).IsError);

    [Theory]
    [InlineData("")]
    [InlineData("-web")]
    [InlineData("web-")]
    [InlineData("web_1")]
    [InlineData("a-name-that-is-longer-than-32-chars")]
    public void Names_are_32_alphanumerics_or_inner_hyphens(string name) =>
        Assert.Equal("ValidationError", TargetGroupBehavior.Validate(Http() with { Name = name })?.Code);

    [Fact]
    public void Protocol_port_and_vpc_are_required_except_for_lambda()
    {
        Assert.Equal("ValidationError", TargetGroupBehavior.Validate(Http() with { Port = null })?.Code);
        Assert.Equal("ValidationError", TargetGroupBehavior.Validate(Http() with { Protocol = null })?.Code);
        Assert.Equal("ValidationError", TargetGroupBehavior.Validate(Http() with { VpcId = null })?.Code);
        Assert.Equal("ValidationError", TargetGroupBehavior.Validate(Http() with { Port = 70000 })?.Code);
        Assert.Null(TargetGroupBehavior.Validate(Http() with { Protocol = null, Port = null, VpcId = null, TargetType = "lambda" }));
        Assert.Equal("InvalidConfigurationRequest", TargetGroupBehavior.Validate(Http(new HealthCheckRequest(Protocol: "TCP")))?.Code);
    }

    [Fact]
    public void Attributes_default_per_type_and_modify_checks_ranges()
    {
        var harness = Harness();
        var all = TargetGroupAttributes.Effective("HTTP", "instance", harness.State!.Attributes).ToDictionary();
        Assert.Equal(("300", "false", "lb_cookie", "86400", "0", "round_robin", "use_load_balancer_configuration"),
            (all["deregistration_delay.timeout_seconds"], all["stickiness.enabled"], all["stickiness.type"], all["stickiness.lb_cookie.duration_seconds"],
             all["slow_start.duration_seconds"], all["load_balancing.algorithm.type"], all["load_balancing.cross_zone.enabled"]));
        Assert.Equal("source_ip", TargetGroupAttributes.Effective("TCP", "instance", []).ToDictionary()["stickiness.type"]);

        harness.Execute(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty.Add("deregistration_delay.timeout_seconds", "0")));
        Assert.Equal(TimeSpan.Zero, harness.State.DeregistrationDelay);
        Assert.Empty(harness.Execute(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty.Add("deregistration_delay.timeout_seconds", "0"))));
        foreach (var (key, value) in new[] { ("deregistration_delay.timeout_seconds", "3601"), ("slow_start.duration_seconds", "29"), ("slow_start.duration_seconds", "901"),
                     ("load_balancing.algorithm.type", "random"), ("stickiness.type", "source_ip"), ("unknown.key", "1") })
            Assert.Equal("ValidationError", harness.Refuse(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty.Add(key, value))).Code);
        Assert.Equal("InvalidConfigurationRequest", harness.Refuse(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty
            .Add("load_balancing.algorithm.type", "least_outstanding_requests").Add("slow_start.duration_seconds", "60"))).Code);
    }

    [Fact]
    public void Registering_again_is_a_no_op_and_the_same_instance_may_use_several_ports()
    {
        var harness = Harness();
        harness.Execute(new RegisterTargets(Id, [new TargetRegistration(InstanceA), new TargetRegistration(InstanceA, 8080)]));
        Assert.Empty(harness.Execute(new RegisterTargets(Id, [new TargetRegistration(InstanceA)])));
        Assert.Equal([80, 8080], harness.State!.Targets.Select(t => t.Port));
        Assert.Equal("InvalidTarget", harness.Refuse(new RegisterTargets(Id, [new TargetRegistration("10.0.0.1")])).Code);
    }

    [Fact]
    public void A_group_holds_at_most_a_thousand_targets()
    {
        var harness = Harness(Http(targetType: "ip"));
        harness.Execute(new RegisterTargets(Id, [.. Enumerable.Range(0, 1000).Select(i => new TargetRegistration($"10.0.{i / 250}.{i % 250 + 1}"))]));
        Assert.Equal("TooManyTargets", harness.Refuse(new RegisterTargets(Id, [new TargetRegistration("10.0.9.9")])).Code);
    }

    [Fact]
    public void Targets_of_a_group_no_load_balancer_uses_are_unused_and_not_checked()
    {
        var harness = Harness();
        harness.Execute(new RegisterTargets(Id, [new TargetRegistration(InstanceA, null, "us-east-1a", InstanceA)]));
        Assert.Equal(TargetHealthView.NotInUse, Health(harness));
        Assert.Empty(new TargetGroupBehavior().Deadlines(harness.State));
        Assert.Empty(Round(harness, Pass()));
    }

    [Fact]
    public void A_load_balancer_makes_targets_initial_and_checked_every_interval_except_in_zones_it_does_not_enable()
    {
        var harness = InUse();
        Assert.Equal(new TargetHealthView("initial", "Elb.RegistrationInProgress", "Target registration is in progress"), Health(harness));
        var round = Assert.Single(new TargetGroupBehavior().Deadlines(harness.State));
        Assert.Equal((TimeSpan.FromSeconds(30), harness.State!.CreatedAt), (round.Every, round.At));
        Assert.Equal(round.At + TimeSpan.FromSeconds(60), round.NextAfter(round.At + TimeSpan.FromSeconds(30)));

        harness.Execute(new UseByLoadBalancer(Id, LoadBalancer, ["us-east-1b"]));
        Assert.Equal(TargetHealthView.ZoneNotEnabled, Health(harness));
        harness.Execute(new ReleaseByLoadBalancer(Id, LoadBalancer));
        Assert.Equal(TargetHealthView.NotInUse, Health(harness));
    }

    [Fact]
    public void One_pass_makes_an_initial_target_healthy()
    {
        var harness = InUse();
        var recorded = Assert.IsType<ProbesRecorded>(Assert.Single(Round(harness, Pass(), Fail(InstanceB))));
        Assert.Equal(2, recorded.Targets.Length);
        Assert.Equal(TargetHealthView.Healthy, Health(harness));
        Assert.Equal(harness.Now, harness.State!.Targets[0].Health.HealthySince);
        Assert.Equal(new TargetHealthView("initial", "Elb.InitialHealthChecking", "Initial health checks in progress"), Health(harness, InstanceB));
        Round(harness, Pass(), Fail(InstanceB));
        Assert.Equal(new TargetHealthView("unhealthy", "Target.Timeout", "Request timed out"), Health(harness, InstanceB));
    }

    [Fact]
    public void Unhealthy_threshold_consecutive_failures_make_a_healthy_target_unhealthy_with_the_last_reason()
    {
        var harness = InUse();
        Round(harness, Pass());
        Round(harness, Fail());
        Assert.Equal(TargetHealthView.Healthy, Health(harness));
        Round(harness, Pass()); // the streak is broken
        Round(harness, Fail());
        Assert.Equal(TargetHealthView.Healthy, Health(harness));
        Round(harness, new TargetProbe(InstanceA, 80, ProbeVerdict.Failed, TargetHealth.ResponseCodeMismatchReason, "Health checks failed with these codes: [500]"));
        Assert.Equal(new TargetHealthView("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"), Health(harness));
        Assert.Null(harness.State!.Targets[0].Health.HealthySince);
    }

    [Fact]
    public void An_unhealthy_target_needs_healthy_threshold_consecutive_passes()
    {
        var harness = InUse();
        Round(harness, Fail());
        Round(harness, Fail());
        for (var pass = 1; pass < 5; pass++)
        {
            Round(harness, Pass());
            Assert.Equal("unhealthy", Health(harness).State);
            Assert.Equal(pass, harness.State!.Targets[0].Health.ConsecutivePasses);
        }
        Round(harness, Pass());
        Assert.Equal(TargetHealthView.Healthy, Health(harness));
    }

    [Fact]
    public void Counters_stop_at_their_thresholds_so_steady_targets_record_nothing()
    {
        var harness = InUse();
        // Passes count up to the healthy threshold (5), failures to the unhealthy one (2): then nothing moves.
        for (var i = 0; i < 5; i++)
            Assert.Single(Round(harness, Pass(), Fail(InstanceB)));
        for (var i = 0; i < 10; i++)
            Assert.Empty(Round(harness, Pass(), Fail(InstanceB)));
        Assert.Equal((5, 0), (harness.State!.Targets[0].Health.ConsecutivePasses, harness.State.Targets[0].Health.ConsecutiveFailures));
        Assert.Equal((0, 2), (harness.State.Targets[1].Health.ConsecutivePasses, harness.State.Targets[1].Health.ConsecutiveFailures));
        // A new reason for the same unhealthy target is worth recording.
        Assert.Single(Round(harness, Pass(), Fail(InstanceB, TargetHealth.FailedHealthChecksReason)));
    }

    [Fact]
    public void A_stopped_instance_is_unused_until_it_answers_again_and_then_starts_over()
    {
        var harness = InUse();
        Round(harness, Pass());
        Round(harness, new TargetProbe(InstanceA, 80, ProbeVerdict.InvalidState, "stopped", "Target is in the stopped state"));
        Assert.Equal(new TargetHealthView("unused", "Target.InvalidState", "Target is in the stopped state"), Health(harness));
        Assert.Empty(Round(harness, new TargetProbe(InstanceA, 80, ProbeVerdict.InvalidState, "stopped", "Target is in the stopped state")));
        Round(harness, Pass());
        Assert.Equal(TargetHealthView.Healthy, Health(harness));
    }

    [Fact]
    public void Probe_answers_are_classified_by_timeout_matcher_and_instance_state()
    {
        var http = HealthChecks.Resolve("HTTP", "instance", new HealthCheckRequest()).Value;
        Assert.Equal(ProbeVerdict.Passed, TargetHealth.Classify(InstanceA, 80, new ProbeAnswer(ProbeOutcome.Healthy, TimeSpan.FromMilliseconds(5), 200, null), http).Verdict);
        Assert.Equal(new TargetProbe(InstanceA, 80, ProbeVerdict.Failed, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"),
            TargetHealth.Classify(InstanceA, 80, new ProbeAnswer(ProbeOutcome.Unhealthy, TimeSpan.FromMilliseconds(5), 500, "Target.ResponseCodeMismatch"), http));
        Assert.Equal("Target.Timeout", TargetHealth.Classify(InstanceA, 80, new ProbeAnswer(ProbeOutcome.Healthy, TimeSpan.FromSeconds(6), 200, null), http).Reason);
        Assert.Equal("Target.Timeout", TargetHealth.Classify(InstanceA, 80, null, http).Reason);
        // A probe the network drops (security group, network ACL) times out; a stopped target still reads as stopped.
        Assert.Equal("Target.Timeout", TargetHealth.Classify(InstanceA, 80, TargetHealth.Unreachable(new ProbeAnswer(ProbeOutcome.Healthy, TimeSpan.FromMilliseconds(5), 200, null)), http).Reason);
        Assert.Equal(ProbeVerdict.InvalidState, TargetHealth.Classify(InstanceA, 80, TargetHealth.Unreachable(ProbeAnswer.NoResponse with { InstanceState = "stopped" }), http).Verdict);
        Assert.Equal(new TargetProbe(InstanceA, 80, ProbeVerdict.InvalidState, "terminated", "Target is in the terminated state"),
            TargetHealth.Classify(InstanceA, 80, ProbeAnswer.NoResponse with { InstanceState = "shutting-down" }, http));
        var tcp = HealthChecks.Resolve("TCP", "instance", new HealthCheckRequest()).Value;
        Assert.Equal(ProbeVerdict.Passed, TargetHealth.Classify(InstanceA, 80, new ProbeAnswer(ProbeOutcome.Unhealthy, TimeSpan.FromMilliseconds(5), 500, null), tcp).Verdict);
        Assert.Equal("Target.FailedHealthChecks", TargetHealth.Classify(InstanceA, 80, null, tcp).Reason);
    }

    [Fact]
    public void Deregistered_targets_drain_for_the_delay_then_are_gone()
    {
        var harness = InUse();
        Round(harness, Pass());
        harness.Execute(new DeregisterTargets(Id, [new TargetRegistration(InstanceA)]));
        Assert.Equal(TargetHealthView.Draining, Health(harness));
        Assert.Empty(Round(harness, Pass())); // draining targets are no longer checked
        harness.Advance(TimeSpan.FromSeconds(269));
        Assert.Equal(TargetHealthView.Draining, Health(harness));
        harness.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([InstanceB], harness.State!.Targets.Select(t => t.Id));
        Assert.Empty(harness.Execute(new DeregisterTargets(Id, [new TargetRegistration(InstanceA)])));
    }

    [Fact]
    public void A_group_in_use_cannot_be_deleted()
    {
        var harness = InUse();
        Assert.Equal("ResourceInUse", harness.Refuse(new Delete(Id)).Code);
        harness.Execute(new ReleaseByLoadBalancer(Id, LoadBalancer));
        harness.Execute(new Delete(Id));
        Assert.Null(harness.State);
        Assert.Equal("TargetGroupNotFound", harness.Refuse(new RegisterTargets(Id, [new TargetRegistration(InstanceA)])).Code);
    }
}
