using System.Text;
using Akka.Actor;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Chaos;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Chaos;

/// <summary>
/// The chaos ledger and drills with real instances in virtual time: zone changes go to the region
/// snapshot as the controller's would, command lines through a command host holding the chaos,
/// drill and ec2 palettes.
/// </summary>
public sealed class ChaosEntityTests : EntityTestKit
{
    private const string AccountId = "000000000000";
    private static readonly TimeSpan WallBound = TimeSpan.FromSeconds(5);
    private readonly Ec2Service _ec2;
    private readonly CommandHost _host;

    public ChaosEntityTests() : this(new Wiring())
    {
    }

    private ChaosEntityTests(Wiring wiring) : base(wiring.Kinds())
    {
        wiring.Kit = this;
        _ec2 = new Ec2Service(Services);
        _host = new CommandHost([new ChaosPalette(Services), new DrillPalette(Services, _ => { }), new Ec2Palette(_ec2, Services)]);
        var plan = new DefaultVpcPlan(1, "vpc-0a1b2c3d4e5f60718", ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"]);
        Region.TryAdvance(Region.Current with { Version = Region.Current.Version + 1, DefaultVpc = plan });
        foreach (var command in DefaultVpc.Plan(plan.VpcId, plan.SubnetIds, Region.Current.Status))
            Assert.False(_ec2.Send<VpcState>(Ec2Kinds.Vpc, plan.VpcId, command, default).Result.IsError);
        Touch(Ec2Kinds.Vpc, plan.VpcId);
    }

    /// <summary>
    /// The kinds are made before the kit's services exist; the test's port stands in for the node's
    /// (the region controller and the command host) and reaches the kit once it is built.
    /// </summary>
    private sealed class Wiring : IChaosPort
    {
        public ChaosEntityTests? Kit { get; set; }

        public IEnumerable<EntityKind> Kinds() =>
        [
            new(ChaosKinds.Ledger, id => Props.Create(() => new ChaosLedgerActor(id, Ready.Services, this)), RememberEntities: true),
            new(ChaosKinds.Drill, id => Props.Create(() => new DrillActor(id, Ready.Services, this)), RememberEntities: true),
        ];

        private ChaosEntityTests Ready => Kit ?? throw new InvalidOperationException("the test kit is not built yet");

        public Task SetZone(string zone, AzState state, OutageMode mode, CancellationToken cancellationToken)
        {
            Ready.ApplyZone(zone, state, mode);
            return Task.CompletedTask;
        }

        public Task<CommandResponse> Execute(string line, CancellationToken cancellationToken) => Ready._host.Execute(CommandRequest.Parse(line), cancellationToken);

        public Task<string?> Observe(Expectation expectation) => new DrillObserver(Ready.Services, AccountId).Observe(expectation);

        public Task WriteLog(string stream, string message)
        {
            OrchestratorLogs.Write(Ready.Services, AccountId, ChaosKinds.LogGroup, stream, message);
            return Task.CompletedTask;
        }
    }

    /// <summary>What the region controller does for a zone, seen by every entity through the EventStream.</summary>
    private void ApplyZone(string zone, AzState state, OutageMode mode)
    {
        var current = Region.Current;
        var next = current with
        {
            Version = current.Version + 1,
            Status = current.Status with { Zones = [.. current.Status.Zones.Select(z => z.Name == zone ? z with { State = state, Mode = mode, Since = Clock.Now } : z)] },
        };
        Region.TryAdvance(next);
        Sys.EventStream.Publish(new RegionChanged(next));
    }

    private async Task<CommandResponse> Run(string line) => await _host.Execute(CommandRequest.Parse(line), CancellationToken.None);

    private AvailabilityZoneStatus Zone(string name) => Region.Current.Status.Zone(name)!;

    private async Task<T> StateOf<T>(string kind, string id) =>
        (T)((EntityReplies.Accepted)await Router.Ask<object>(kind, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    private Task<ChaosLedger> Ledger() => StateOf<ChaosLedger>(ChaosKinds.Ledger, ChaosKinds.LedgerId);

    private async Task<string> Launch(string zone)
    {
        var launched = await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", AvailabilityZone: zone));
        Assert.False(launched.IsError, launched.Error?.ToString());
        var id = Assert.Single(launched.Value.Instances).InstanceId;
        Touch(Ec2Kinds.Instance, id);
        return id;
    }

    /// <summary>Polls until the asynchronous part of a step (a deadline's effect) is done; never longer than the wall bound.</summary>
    private static async Task Eventually(Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow + WallBound;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"not done within {WallBound.TotalSeconds} s of wall time: {what}");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task An_az_outage_for_10m_restores_exactly_ten_simulated_minutes_later()
    {
        var started = await Run("chaos az-outage us-east-1a --for 10m");

        Assert.True(started.Ok, started.Text);
        Assert.Equal((AzState.Unavailable, OutageMode.Power), (Zone("us-east-1a").State, Zone("us-east-1a").Mode));
        var fault = Assert.Single((await Ledger()).Faults);
        Assert.Equal((Start, Start.AddMinutes(10)), (fault.StartedAt, fault.RestoreAt!.Value));

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.True((await Ledger()).Faults.Single().IsActive);
        Assert.Equal(AzState.Unavailable, Zone("us-east-1a").State);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => Task.FromResult(Zone("us-east-1a").State == AzState.Available), "the zone comes back");
        Assert.Equal(Start.AddMinutes(10), Zone("us-east-1a").Since);
        var ended = (await Ledger()).Faults.Single();
        Assert.Equal((Start.AddMinutes(10), ChaosBehavior.EndedByDuration), (ended.EndedAt!.Value, ended.EndReason));

        var list = await Run("chaos list");
        Assert.Contains($"{fault.FaultId} ended", list.Text);
        Assert.Single(((ChaosPalette.FaultsReport)list.Data!).Faults);
    }

    [Fact]
    public async Task The_timed_restore_is_a_persisted_deadline_that_fires_after_the_ledger_restarts()
    {
        Assert.True((await Run("chaos az-outage us-east-1b --mode network --for 5m")).Ok);
        var ledger = await Sys.ActorSelection($"/user/local-{ChaosKinds.Ledger}/{ChaosKinds.LedgerId}").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(ledger);
        ledger.Tell(PoisonPill.Instance);
        ExpectTerminated(ledger);

        Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal((AzState.Unavailable, OutageMode.Network), (Zone("us-east-1b").State, Zone("us-east-1b").Mode));

        // The ledger's kind remembers its entity: started again (here by a query), it recovers the deadline and fires it at once.
        Assert.True((await Ledger()).Faults.Single().IsActive);
        Clock.Advance(TimeSpan.Zero); // the virtual clock delivers an overdue deadline when asked to move, as the node's scheduler does at once
        await Eventually(() => Task.FromResult(Zone("us-east-1b").State == AzState.Available), "the overdue restore fires after recovery");
        var fault = (await Ledger()).Faults.Single();
        Assert.Equal((Start.AddMinutes(6), ChaosBehavior.EndedByDuration), (fault.EndedAt!.Value, fault.EndReason));
    }

    [Fact]
    public async Task Drill_observations_read_zones_groups_target_groups_and_alarms()
    {
        var observer = new DrillObserver(Services, AccountId);
        var alarms = new AlarmService(Services, AccountId);
        var put = await alarms.Put(new PutMetricAlarmInput("cpu-high", null, null, [], [], [], "Custom", "CPU", [], 60, "Average", null,
            null, 3, 3, 70, ComparisonOperators.GreaterThanThreshold, null));
        Assert.False(put.IsError, put.Error?.ToString());
        var targetGroup = await new TargetGroupService(Services, AccountId).Create("web", "HTTP", null, 80, "vpc-0a1b2c3d4e5f60718", null, null, new HealthCheckRequest(), null);
        Assert.False(targetGroup.IsError, targetGroup.Error?.ToString());
        await Launch("us-east-1b");
        Advance(InstanceTimings.Boot);
        ApplyZone("us-east-1a", AzState.Unavailable, OutageMode.Network);
        // Set last: the alarm's next evaluation (at a minute boundary, without data) would set it back, as in AWS.
        Assert.False((await alarms.SetState("cpu-high", AlarmStates.Alarm, "drill test", null)).IsError);

        Task<string?> Observe(string text) => observer.Observe(Expectation.Parse(text));

        Assert.Equal("ALARM", await Observe("alarm cpu-high state ALARM"));
        Assert.Equal("0", await Observe("target-group web healthy >= 1"));
        Assert.Equal("unavailable", await Observe("zone us-east-1a state unavailable"));
        Assert.Equal("1", await Observe("zone us-east-1b running >= 1"));
        Assert.Null(await Observe("alarm nope state OK"));
        Assert.Null(await Observe("target-group nope healthy >= 1"));
        Assert.Null(await Observe("asg nope in-service >= 1"));
        Assert.Null(await Observe("zone eu-west-1a state available"));
    }

    [Fact]
    public async Task A_long_ledger_is_snapshotted_and_recovers_whole()
    {
        for (var i = 0; i < 55; i++)
        {
            Assert.True((await Run("chaos az-outage us-east-1c")).Ok);
            Assert.True((await Run("chaos az-restore us-east-1c")).Ok);
        }
        Assert.True((await Run("chaos az-outage us-east-1c --for 1m")).Ok);
        var ledger = await Sys.ActorSelection($"/user/local-{ChaosKinds.Ledger}/{ChaosKinds.LedgerId}").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(ledger);
        ledger.Tell(PoisonPill.Instance);
        ExpectTerminated(ledger);

        var recovered = await Ledger();

        Assert.Equal(56, recovered.Faults.Count);
        Assert.Equal(55, recovered.Faults.Count(f => f.EndReason == ChaosBehavior.EndedByRestore));
        Assert.Equal("EXP00000000000057", ChaosBehavior.Instance.Decide(recovered, new ChaosCommands.AzOutage("us-east-1a", OutageMode.Power, null), new(Clock.Now, Region.Current.Status)).Value
            .OfType<ChaosEvents.FaultInjected>().Single().Fault.FaultId);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually(() => Task.FromResult(Zone("us-east-1c").State == AzState.Available), "the last outage ends on time after recovery");
    }

    [Fact]
    public async Task Az_restore_ends_the_outage_and_the_zone_s_instances_stop_and_start_again()
    {
        var inA = await Launch("us-east-1a");
        Advance(InstanceTimings.Boot);

        Assert.True((await Run("chaos az-outage us-east-1a")).Ok);
        Settle();
        Advance(InstanceTimings.Stop);
        Assert.Equal(InstanceStateName.Stopped, (await StateOf<Instance>(Ec2Kinds.Instance, inA)).State);
        Assert.Contains("already active", (await Run("chaos az-outage us-east-1a")).Text);

        var restored = await Run("chaos az-restore us-east-1a");
        Assert.True(restored.Ok, restored.Text);
        Assert.Equal(AzState.Available, Zone("us-east-1a").State);
        Settle();
        Advance(InstanceTimings.Boot);
        Assert.Equal(InstanceStateName.Running, (await StateOf<Instance>(Ec2Kinds.Instance, inA)).State);
        Assert.Equal(ChaosBehavior.EndedByRestore, (await Ledger()).Faults.Single().EndReason);
        Assert.False((await Run("chaos az-restore us-east-1a")).Ok);
    }

    [Fact]
    public async Task Impair_app_sets_the_instance_s_error_rate_and_latency_and_lifts_them_after_its_duration()
    {
        var id = await Launch("us-east-1c");
        Advance(InstanceTimings.Boot);

        var impaired = await Run($"chaos impair-app {id} --error-rate 100% --for 2m");
        Assert.True(impaired.Ok, impaired.Text);
        Settle();
        var failing = await StateOf<Instance>(Ec2Kinds.Instance, id);
        Assert.Equal((ApplicationHealth.Failing, 1.0), (failing.ApplicationHealth, failing.ErrorRate));

        Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually(async () => (await StateOf<Instance>(Ec2Kinds.Instance, id)).ApplicationHealth == ApplicationHealth.Healthy, "the impairment is lifted");
        Assert.Equal(0, (await StateOf<Instance>(Ec2Kinds.Instance, id)).ErrorRate);

        Assert.True((await Run($"chaos impair-app {id} --latency 8s")).Ok);
        Settle();
        var slow = await StateOf<Instance>(Ec2Kinds.Instance, id);
        Assert.Equal((ApplicationHealth.Slow, TimeSpan.FromSeconds(8)), (slow.ApplicationHealth, slow.SlowResponseLatency));
        Assert.Equal("InvalidInstanceID.NotFound", (await Run("chaos impair-app i-0123456789abcdef0 --error-rate 0.5")).Error?.Code);
    }

    private async Task<AutoScalingGroup> Group(string name) => await StateOf<AutoScalingGroup>(AutoScalingKinds.Group, name);

    /// <summary>Moves simulated time a second at a time until the group satisfies the condition, letting each sweep finish first.</summary>
    private async Task<AutoScalingGroup> UntilGroup(string name, Func<AutoScalingGroup, bool> condition, TimeSpan within)
    {
        var deadline = Clock.Now + within;
        var sweeps = PersistenceIds.For(AutoScalingKinds.Group, 1, name) + "/gather";
        while (true)
        {
            var group = await Group(name);
            foreach (var instance in group.Instances)
                Touch(Ec2Kinds.Instance, instance.InstanceId);
            if (condition(group))
                return group;
            Assert.True(Clock.Now < deadline, $"the group did not get there within {within}: {string.Join(", ", group.Instances.Select(i => $"{i.InstanceId} {i.LifecycleState}"))}");
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            await Eventually(() => Task.FromResult(!Clock.AnyPending(sweeps)), "the group's sweep");
            await Eventually(async () => (await Group(name)).Instances.All(i => i.LifecycleState != LifecycleStates.Pending || i.InstanceType is not null), "the group's launches");
        }
    }

    private static IEnumerable<string> InService(AutoScalingGroup group) =>
        group.Instances.Where(i => i.LifecycleState == LifecycleStates.InService).Select(i => i.InstanceId);

    [Fact]
    public async Task Kill_instances_terminates_the_instances_the_seed_chooses_and_the_group_replaces_them()
    {
        var template = await _ec2.CreateLaunchTemplate("web", new LaunchTemplateData("ami-0c02fb55956c7d316", "t3.micro"));
        var created = await new AutoScalingService(Services, AccountId).Create("web", 3, 3, 3,
            new GroupRequest(LaunchTemplateId: template.Value.LaunchTemplateId, VpcZoneIdentifier: "subnet-0000000000000000a,subnet-0000000000000000b", HealthCheckType: "EC2"), [], []);
        Assert.False(created.IsError, created.Error?.ToString());
        var before = InService(await UntilGroup("web", g => InService(g).Count() == 3, TimeSpan.FromMinutes(1))).ToList();

        var killed = await Run("chaos kill-instances --group web --count 2 --seed 5");

        Assert.True(killed.Ok, killed.Text);
        var fault = (await Ledger()).Faults.Single();
        Assert.Equal(ChaosTargets.Choose(before, 2, null, 5).Value.ToArray(), fault.Instances.ToArray());
        Settle();
        foreach (var id in fault.Instances)
            Assert.Equal(InstanceStateName.ShuttingDown, (await StateOf<Instance>(Ec2Kinds.Instance, id)).State);
        var after = await UntilGroup("web", g => InService(g).Count() == 3 && !InService(g).Intersect(fault.Instances).Any(), TimeSpan.FromMinutes(3));
        Assert.Contains(before.Except(fault.Instances).Single(), InService(after));
        var usage = await Assert.ThrowsAsync<CommandUsageException>(() => Run("chaos kill-instances --group web"));
        Assert.Contains("exactly one of --count N or --percent P", usage.Message);
        Assert.Contains("not found", (await Run("chaos kill-instances --group nope --count 1")).Text);
    }

    private const string OutageDrill = """
        name: power-outage
        steps:
          - at: 30s
            action: chaos az-outage us-east-1a --for 10m
            expect:
              - zone us-east-1a state unavailable
              - zone us-east-1a running == 0 within 2m
              - zone us-east-1b running >= 1
          - at: 11m
            expect:
              - zone us-east-1a state available within 1m
              - zone us-east-1a running >= 2 within 3m
        """;

    private const string FailingDrill = """
        name: too-hopeful
        steps:
          - at: 0s
            action: chaos az-outage us-east-1a --for 5m
            expect:
              - zone us-east-1b running >= 5 within 1m
        """;

    private async Task<DrillRun> RunDrill(string yaml, TimeSpan limit)
    {
        var started = await Run($"drill run drill.yaml --scenario {Convert.ToBase64String(Encoding.UTF8.GetBytes(yaml))}");
        Assert.True(started.Ok, started.Text);
        var drillId = ((DrillPalette.DrillReport)started.Data!).DrillId;
        var end = Clock.Now + limit;
        while (true)
        {
            var drill = await StateOf<DrillRun>(ChaosKinds.Drill, drillId);
            if (drill.IsFinished)
                return drill;
            Assert.True(Clock.Now < end, $"the drill did not finish within {limit}:\n{DrillPalette.Report(drill).Text}");
            Clock.Advance(TimeSpan.FromSeconds(5));
            Settle();
            // Let the step's action or observation that just fell due report back before time moves on.
            await Eventually(async () => !(await StateOf<DrillRun>(ChaosKinds.Drill, drillId)).Steps.Any(s => !s.IsActed && s.DueAt <= Clock.Now), "the due step acted");
        }
    }

    [Fact]
    public async Task A_drill_with_an_outage_step_passes_when_the_zone_and_its_instances_behave_as_expected()
    {
        await Launch("us-east-1a");
        await Launch("us-east-1a");
        await Launch("us-east-1b");
        Advance(InstanceTimings.Boot);

        var drill = await RunDrill(OutageDrill, TimeSpan.FromMinutes(20));

        Assert.True(drill.Passed, DrillPalette.Report(drill).Text);
        Assert.Equal(Start.AddSeconds(10 + 30), drill.Steps[0].DueAt);
        Assert.All(drill.Steps.SelectMany(s => s.Expectations), e => Assert.True(e.Passed));
        Assert.Equal("0", drill.Steps[0].Expectations[1].Observed);
        Assert.Equal("2", drill.Steps[1].Expectations[1].Observed);
        // The restore's exact simulated time is the ledger's to prove; the drill only needs the zone back (the region's
        // snapshot follows the ledger asynchronously, so the step allows it a minute).
        var fault = (await Ledger()).Faults.Single();
        Assert.Equal(fault.StartedAt + TimeSpan.FromMinutes(10), fault.EndedAt);

        var listed = await Run("drill list");
        Assert.Contains($"{drill.DrillId} power-outage", listed.Text);
        Assert.Contains("passed", listed.Text);
    }

    [Fact]
    public async Task A_failing_expectation_is_reported_failed_with_the_value_observed_at_its_deadline()
    {
        await Launch("us-east-1b");
        Advance(InstanceTimings.Boot);

        var drill = await RunDrill(FailingDrill, TimeSpan.FromMinutes(3));

        Assert.False(drill.Passed);
        var outcome = drill.Steps[0].Expectations.Single();
        Assert.Equal((false, "1"), (outcome.Passed!.Value, outcome.Observed));
        Assert.Equal(drill.Steps[0].ActedAt!.Value.AddMinutes(1), outcome.SettledAt);

        var report = await Run($"drill report {drill.DrillId}");
        Assert.True(report.Ok);
        Assert.Contains("FAIL    expect zone us-east-1b running >= 5 within 1m (observed 1)", report.Text);
        Assert.Contains("too-hopeful) failed", report.Text);
        Assert.Equal("DrillNotFound", (await Run("drill report drill-0000")).Error?.Code);
    }

    [Fact]
    public async Task A_scenario_that_does_not_parse_is_a_usage_error()
    {
        var broken = Convert.ToBase64String(Encoding.UTF8.GetBytes("name: x\nsteps:\n  - at: whenever\n    action: sim time"));
        var error = await Assert.ThrowsAsync<CommandUsageException>(() => Run($"drill run x.yaml --scenario {broken}"));
        Assert.Contains("at must be a duration", error.Message);
    }
}
