using Akka.Actor;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Logs;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Elb;

/// <summary>Target groups probing real instance entities in virtual time, with a stand-in load balancer router.</summary>
public sealed class TargetGroupEntityTests : EntityTestKit
{
    private const string VpcId = "vpc-0a1b2c3d4e5f60718";
    private static readonly string LoadBalancerArn = ElbArn.ForLoadBalancer("us-east-1", "000000000000", LoadBalancerTypes.Application, "web", "0123456789abcdef");

    private readonly Ec2Service _ec2;
    private readonly TargetGroupService _groups;
    private readonly Akka.TestKit.TestProbe _router;

    public TargetGroupEntityTests() : base([new EntityKind(ElbKinds.Router, _ => Props.Create(() => new ToEventStream()), RememberEntities: false)])
    {
        _ec2 = new Ec2Service(Services);
        _groups = new TargetGroupService(Services, "000000000000");
        var plan = new DefaultVpcPlan(1, VpcId, ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"]);
        Region.TryAdvance(Region.Current with { Version = Region.Current.Version + 1, DefaultVpc = plan });
        foreach (var command in DefaultVpc.Plan(plan.VpcId, plan.SubnetIds, Region.Current.Status))
            Assert.False(_ec2.Send<VpcState>(Ec2Kinds.Vpc, VpcId, command, default).Result.IsError);
        Touch(Ec2Kinds.Vpc, VpcId);
        _router = CreateTestProbe();
        Sys.EventStream.Subscribe(_router.Ref, typeof(LoadBalancerRouterMessages.TargetGroupChanged));
    }

    /// <summary>The stand-in for the load balancer's router: what it is told goes to the event stream, where the test listens.</summary>
    private sealed class ToEventStream : ReceiveActor
    {
        public ToEventStream() => ReceiveAny(message => Context.System.EventStream.Publish(message));
    }

    private async Task<string> Launch(string zone)
    {
        var result = await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", AvailabilityZone: zone));
        var id = Assert.Single(result.Value.Instances).InstanceId;
        Touch(Ec2Kinds.Instance, id);
        return id;
    }

    /// <summary>Three running instances, one per zone, registered in an HTTP group a load balancer routes to.</summary>
    private async Task<(TargetGroup Group, string[] Instances)> GroupWithThreeTargets()
    {
        string[] instances = [await Launch("us-east-1a"), await Launch("us-east-1b"), await Launch("us-east-1c")];
        Advance(InstanceTimings.Boot);
        var created = await _groups.Create("web", "HTTP", null, 80, VpcId, null, null, new HealthCheckRequest(), null);
        Assert.False(created.IsError, created.Error?.ToString());
        var group = created.Value;
        var registered = await _groups.Register(group.TargetGroupArn, [.. instances.Select(i => new TargetRegistration(i))]);
        Assert.False(registered.IsError, registered.Error?.ToString());
        await Use(group);
        return (group, instances);
    }

    private async Task Use(TargetGroup group)
    {
        var reply = await Router.Ask<object>(TargetGroupKinds.TargetGroup, group.TargetGroupId,
            new TargetGroupCommands.UseByLoadBalancer(group.TargetGroupId, LoadBalancerArn, ["us-east-1a", "us-east-1b", "us-east-1c"]), TimeSpan.FromSeconds(5));
        Assert.IsType<EntityReplies.Accepted>(reply);
    }

    /// <summary>Moves time a second at a time and lets every probe round that fell due finish before moving on.</summary>
    private async Task Step(TargetGroup group, TimeSpan by)
    {
        for (var i = 0; i < (int)by.TotalSeconds; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            await State(group);
            var gathering = PersistenceIds.For(TargetGroupKinds.TargetGroup, 1, group.TargetGroupId) + "/gather";
            AwaitCondition(() => !Clock.AnyPending(gathering), TimeSpan.FromSeconds(15)); // generous: the machine may be busy
            await State(group);
        }
    }

    private async Task<TargetGroup> State(TargetGroup group) =>
        (TargetGroup)((EntityReplies.Accepted)await Router.Ask<object>(TargetGroupKinds.TargetGroup, group.TargetGroupId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    private async Task<TargetHealthView> Health(TargetGroup group, string instanceId) =>
        Assert.Single((await _groups.Health(group.TargetGroupArn, [new TargetRegistration(instanceId)])).Value).Health;

    [Fact]
    public async Task Registered_running_instances_start_initial_and_are_healthy_after_the_first_passing_check()
    {
        var (group, instances) = await GroupWithThreeTargets();
        foreach (var id in instances)
            Assert.Equal(new TargetHealthView("initial", "Elb.RegistrationInProgress", "Target registration is in progress"), await Health(group, id));
        Assert.Equal(group.TargetGroupId, _router.ExpectMsg<LoadBalancerRouterMessages.TargetGroupChanged>().Routing.TargetGroupId);

        await Step(group, TimeSpan.FromSeconds(30));

        foreach (var id in instances)
            Assert.Equal(TargetHealthView.Healthy, await Health(group, id));
        var published = _router.FishForMessage<LoadBalancerRouterMessages.TargetGroupChanged>(m => m.Routing.Targets.All(t => t.State == "healthy"));
        Assert.Equal("0123456789abcdef", published.LoadBalancerId);
        Assert.Equal(3, published.Routing.Targets.Length);
    }

    [Fact]
    public async Task Health_changes_are_written_to_the_orchestrator_elb_log_group()
    {
        var (group, instances) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(30));

        var page = await new LogsService(Services, "000000000000").FilterEvents(
            new LogGroupQueries.FilterEvents(OrchestratorLogs.Elb, ["web"], null, null, null, null, null, null));
        Assert.False(page.IsError, page.Error?.ToString());
        Assert.Equal(instances.Select(id => $"{id} in tg web: initial -> healthy").Order(StringComparer.Ordinal),
            page.Value.Events.Select(e => e.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failing_application_turns_unhealthy_after_exactly_two_failed_checks_and_the_router_hears_of_it()
    {
        var (group, instances) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(30));
        Assert.Equal(TargetHealthView.Healthy, await Health(group, instances[0]));
        await Step(group, TimeSpan.FromSeconds(7)); // the failure starts between two rounds

        var failedAt = Clock.Now;
        Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, instances[0], new InstanceCommands.SetApplicationHealth(instances[0], ApplicationHealth.Failing), default)).IsError);
        var failedChecks = 0;
        var previous = 0;
        while ((await Health(group, instances[0])).State != "unhealthy")
        {
            Assert.True(Clock.Now - failedAt < TimeSpan.FromSeconds(65), "still not unhealthy 65 s after the failure");
            await Step(group, TimeSpan.FromSeconds(1));
            var failures = (await State(group)).Targets.Single(t => t.Id == instances[0]).Health.ConsecutiveFailures;
            if (failures != previous)
                failedChecks++;
            previous = failures;
        }

        Assert.Equal(2, failedChecks);
        Assert.InRange(Clock.Now - failedAt, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(65));
        Assert.Equal(new TargetHealthView("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"), await Health(group, instances[0]));
        Assert.Equal(TargetHealthView.Healthy, await Health(group, instances[1]));
        var published = _router.FishForMessage<LoadBalancerRouterMessages.TargetGroupChanged>(m => m.Routing.Targets.Any(t => t.Id == instances[0] && t.State == "unhealthy"));
        Assert.Equal(2, published.Routing.Targets.Count(t => t.State == "healthy"));
    }

    [Fact]
    public async Task A_stopped_instance_reads_unused_in_an_invalid_state()
    {
        var (group, instances) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(30));
        _ = await _ec2.ChangeState([instances[1]], i => new InstanceCommands.Stop(i));
        Advance(InstanceTimings.Stop);
        await Step(group, TimeSpan.FromSeconds(30));

        Assert.Equal(new TargetHealthView("unused", "Target.InvalidState", "Target is in the stopped state"), await Health(group, instances[1]));
        Assert.Equal(TargetHealthView.Healthy, await Health(group, instances[0]));
    }

    [Fact]
    public async Task A_network_outage_turns_the_zone_s_targets_unhealthy_by_timeout()
    {
        var (group, instances) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(30));
        SetZone("us-east-1c", AzState.Unavailable, OutageMode.Network);
        await Step(group, TimeSpan.FromSeconds(65));

        Assert.Equal(new TargetHealthView("unhealthy", "Target.Timeout", "Request timed out"), await Health(group, instances[2]));
        Assert.Equal(TargetHealthView.Healthy, await Health(group, instances[0]));
        Assert.Equal(TargetHealthView.Healthy, await Health(group, instances[1]));
    }

    [Fact]
    public async Task A_deregistered_target_drains_for_the_deregistration_delay_then_is_gone()
    {
        var (group, instances) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(30));
        Assert.False((await _groups.Deregister(group.TargetGroupArn, [new TargetRegistration(instances[0])])).IsError);

        Assert.Equal(TargetHealthView.Draining, await Health(group, instances[0]));
        await Step(group, TimeSpan.FromSeconds(299));
        Assert.Equal(TargetHealthView.Draining, await Health(group, instances[0]));
        await Step(group, TimeSpan.FromSeconds(1));

        Assert.Equal(TargetHealthView.NotRegistered, await Health(group, instances[0]));
        Assert.Equal(2, (await _groups.Health(group.TargetGroupArn, [])).Value.Count);
    }

    [Fact]
    public async Task Without_a_load_balancer_targets_are_unused_and_nobody_probes_them()
    {
        var instance = await Launch("us-east-1a");
        Advance(InstanceTimings.Boot);
        var group = (await _groups.Create("idle", "HTTP", null, 80, VpcId, null, null, new HealthCheckRequest(), null)).Value;
        _ = await _groups.Register(group.TargetGroupArn, [new TargetRegistration(instance)]);
        await Step(group, TimeSpan.FromSeconds(60));

        Assert.Equal(TargetHealthView.NotInUse, await Health(group, instance));
        Assert.Equal(TargetHealthRecord.Registered, (await State(group)).Targets.Single().Health);
    }

    [Fact]
    public async Task Steady_healthy_targets_persist_nothing_round_after_round()
    {
        var (group, _) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(150)); // five passes: every counter is at its threshold
        var persistenceId = PersistenceIds.For(TargetGroupKinds.TargetGroup, 1, group.TargetGroupId);
        var journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
        long Persisted()
        {
            var reader = CreateTestProbe();
            journal.Tell(new Akka.Persistence.ReplayMessages(0, long.MaxValue, 0, persistenceId, reader.Ref));
            return reader.FishForMessage<Akka.Persistence.RecoverySuccess>(_ => true).HighestSequenceNr;
        }
        var before = Persisted();

        await Step(group, TimeSpan.FromMinutes(10));

        Assert.Equal(before, Persisted());
        var state = await State(group);
        Assert.All(state.Targets, t => Assert.Equal(TargetHealthView.Healthy, state.HealthOf(t)));
    }

    [Fact]
    public async Task Ip_targets_are_probed_through_the_instance_holding_the_address_and_unknown_addresses_time_out()
    {
        var instance = await Launch("us-east-1b");
        Advance(InstanceTimings.Boot);
        var address = Assert.Single((await _ec2.Describe([instance])).Value).PrivateIpAddress!;
        var group = (await _groups.Create("by-ip", "HTTP", null, 80, VpcId, "ip", null, new HealthCheckRequest(), null)).Value;
        Assert.False((await _groups.Register(group.TargetGroupArn, [new TargetRegistration(address), new TargetRegistration("172.31.250.250", AvailabilityZone: "us-east-1a")])).IsError);
        await Use(group);
        await Step(group, TimeSpan.FromSeconds(60));

        var health = (await _groups.Health(group.TargetGroupArn, [])).Value.ToDictionary(d => d.Id);
        Assert.Equal(("us-east-1b", TargetHealthView.Healthy), (health[address].AvailabilityZone, health[address].Health));
        Assert.Equal(new TargetHealthView("unhealthy", "Target.Timeout", "Request timed out"), health["172.31.250.250"].Health);
        Assert.Equal("InvalidTarget", (await _groups.Register(group.TargetGroupArn, [new TargetRegistration("not-an-ip")])).Error?.Code);
    }

    [Fact]
    public async Task Load_balancers_hear_of_routing_changes_but_not_of_counters_moving()
    {
        var (group, instances) = await GroupWithThreeTargets();
        await Step(group, TimeSpan.FromSeconds(30));
        var state = await State(group);
        var target = state.Targets[0];
        var counted = new TargetGroupEvents.ProbesRecorded([target with { Health = target.Health with { ConsecutivePasses = 2 } }], Clock.Now);
        Assert.Empty(TargetGroupKinds.PublishRouting(state, counted));

        var sticky = new TargetGroupEvents.AttributesModified(state.Attributes.Add(TargetGroupAttributes.StickinessEnabled, "true"), Clock.Now);
        var published = Assert.Single(TargetGroupKinds.PublishRouting(state, sticky));
        Assert.Equal((ElbKinds.Router, "0123456789abcdef"), (published.Kind, published.EntityId));
        Assert.True(Assert.IsType<LoadBalancerRouterMessages.TargetGroupChanged>(published.Message).Routing.StickinessEnabled);

        var draining = new TargetGroupEvents.TargetsDeregistered([new TargetKey(instances[0], 80)], Clock.Now + TimeSpan.FromMinutes(5), Clock.Now);
        var routing = Assert.IsType<LoadBalancerRouterMessages.TargetGroupChanged>(Assert.Single(TargetGroupKinds.PublishRouting(state, draining)).Message).Routing;
        Assert.Equal("draining", routing.Targets.Single(t => t.Id == instances[0]).State);
    }

    [Fact]
    public async Task Tags_and_routing_are_served_by_the_group()
    {
        var (group, _) = await GroupWithThreeTargets();
        Assert.True(ElbArn.TryParse(group.TargetGroupArn, out var arn));
        var added = await _groups.AddTags(arn, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("team", "web").Add("tier", "front"));
        Assert.Equal(["team", "tier"], added.Value.Keys.Order());
        Assert.Equal(["team"], (await _groups.RemoveTags(arn, ["tier"])).Value.Keys);
        Assert.Equal("web", (await _groups.Tags(arn)).Value["team"]);

        var routing = await Router.Ask<TargetGroupRouting>(TargetGroupKinds.TargetGroup, group.TargetGroupId, new TargetGroupQueries.Routing(group.TargetGroupId), TimeSpan.FromSeconds(5));
        Assert.Equal(("round_robin", "lb_cookie", 86400, "use_load_balancer_configuration"), (routing.Algorithm, routing.StickinessType, routing.StickinessDurationSeconds, routing.CrossZone));
        Assert.All(routing.Targets, t => Assert.Equal("initial", t.State));
    }
}

/// <summary>
/// Instances that never answer (a stand-in kind that swallows every probe): only the simulated
/// clock ends a round, at HealthCheckTimeoutSeconds, and its silence reads Target.Timeout.
/// </summary>
public sealed class TargetGroupProbeTimeoutTests : EntityTestKit
{
    private const string GroupId = "00000000000000aa";
    private const string Instance = "i-0ccccccccccccccc3";
    private static readonly string GroupArn = ElbArn.ForTargetGroup("us-east-1", "000000000000", "silent", GroupId);

    public TargetGroupProbeTimeoutTests() : base(
    [
        new EntityKind(Ec2Kinds.Instance, _ => Props.Create(() => new Silent()), RememberEntities: false),
        new EntityKind(ElbKinds.Router, _ => Props.Create(() => new Silent()), RememberEntities: false),
    ])
    {
    }

    /// <summary>Swallows everything: instances that never answer, and a router nobody reads here.</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private async Task Send(ITargetGroupCommand command) =>
        Assert.IsType<EntityReplies.Accepted>(await Router.Ask<object>(TargetGroupKinds.TargetGroup, GroupId, command, TimeSpan.FromSeconds(5)));

    private async Task<TargetGroup> State() =>
        (TargetGroup)((EntityReplies.Accepted)await Router.Ask<object>(TargetGroupKinds.TargetGroup, GroupId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    private async Task Second()
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        await State();
    }

    /// <summary>The timed-out round's result travels from the gatherer to the group after the deadline fired: waits for it to land.</summary>
    private async Task<RegisteredTarget> Recorded(int failures)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var target = (await State()).Targets.Single();
            if (target.Health.ConsecutiveFailures == failures)
                return target;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no round recorded failure {failures}");
    }

    private bool Gathering => Clock.AnyPending(PersistenceIds.For(TargetGroupKinds.TargetGroup, 1, GroupId) + "/gather");

    [Fact]
    public async Task A_round_nobody_answers_ends_at_the_timeout_in_simulated_time_as_a_timeout()
    {
        await Send(new TargetGroupCommands.Create(GroupId, GroupArn, "silent", "HTTP", null, 80, "vpc-0a1b2c3d4e5f60718", "instance", "ipv4", new HealthCheckRequest()));
        await Send(new TargetGroupCommands.RegisterTargets(GroupId, [new TargetRegistration(Instance, null, "us-east-1a", Instance)]));
        await Send(new TargetGroupCommands.UseByLoadBalancer(GroupId, "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0123456789abcdef", ["us-east-1a"]));

        for (var second = 1; second <= 30; second++)
            await Second();
        Assert.True(Gathering, "the first round should be waiting for its probe");
        for (var second = 1; second < 5; second++)
        {
            await Second();
            Assert.True(Gathering, $"the round ended {second} s in, before its 5 s timeout");
        }
        await Second();
        var target = await Recorded(1);
        Assert.Equal((TargetProbeState.Initial, "Elb.InitialHealthChecking"), (target.Health.State, target.Health.Reason));

        for (var second = 0; second < 30; second++)
            await Second();
        await Recorded(2);
        var state = await State();
        Assert.Equal(new TargetHealthView("unhealthy", "Target.Timeout", "Request timed out"), state.HealthOf(state.Targets.Single()));
    }
}
