using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Ec2;

/// <summary>Instances as entities, driven through the EC2 service in virtual time.</summary>
public sealed class InstanceEntityTests : EntityTestKit
{
    private readonly Ec2Service _ec2;
    private readonly string _vpcId = "vpc-0a1b2c3d4e5f60718";

    public InstanceEntityTests()
    {
        _ec2 = new Ec2Service(Services);
        var plan = new DefaultVpcPlan(1, _vpcId, ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"]);
        Region.TryAdvance(Region.Current with { Version = Region.Current.Version + 1, DefaultVpc = plan });
        foreach (var command in DefaultVpc.Plan(plan.VpcId, plan.SubnetIds, Region.Current.Status))
            Assert.False(_ec2.Send<VpcState>(Ec2Kinds.Vpc, _vpcId, command, default).Result.IsError);
        Touch(Ec2Kinds.Vpc, _vpcId);
    }

    private async Task<InstanceView> Launch(string zone = "us-east-1a", bool detailed = false)
    {
        var result = await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", AvailabilityZone: zone, DetailedMonitoring: detailed));
        Assert.False(result.IsError, result.Error?.ToString());
        var view = Assert.Single(result.Value.Instances);
        Touch(Ec2Kinds.Instance, view.InstanceId);
        return view;
    }

    private async Task<InstanceView> Describe(string id) => Assert.Single((await _ec2.Describe([id])).Value);

    private async Task<Instance> State(string id) =>
        (Instance)((EntityReplies.Accepted)await Router.Ask<object>(Ec2Kinds.Instance, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;

    [Fact]
    public async Task Launched_instance_is_pending_then_running_after_its_boot_time_and_no_earlier()
    {
        var instance = await Launch();
        Assert.Equal("pending", instance.State.Name);
        Assert.Equal(0, instance.State.Code);
        Assert.StartsWith("172.31.", instance.PrivateIpAddress);

        Advance(InstanceTimings.Boot - TimeSpan.FromSeconds(1));
        Assert.Equal("pending", (await Describe(instance.InstanceId)).State.Name);

        Advance(TimeSpan.FromSeconds(1));
        var running = await Describe(instance.InstanceId);
        Assert.Equal("running", running.State.Name);
        Assert.Equal(16, running.State.Code);
    }

    [Fact]
    public async Task Stop_then_terminate_follow_the_state_machine_and_the_record_expires_after_an_hour()
    {
        var id = (await Launch()).InstanceId;
        Advance(InstanceTimings.Boot);

        var stop = (await _ec2.ChangeState([id], i => new InstanceCommands.Stop(i))).Value.Single();
        Assert.Equal(("running", "stopping"), (stop.PreviousState.Name, stop.CurrentState.Name));
        Advance(InstanceTimings.Stop);
        Assert.Equal("stopped", (await Describe(id)).State.Name);

        var terminate = (await _ec2.ChangeState([id], i => new InstanceCommands.Terminate(i))).Value.Single();
        Assert.Equal("shutting-down", terminate.CurrentState.Name);
        Advance(InstanceTimings.ShutDown);
        Assert.Equal("terminated", (await Describe(id)).State.Name);

        Advance(InstanceTimings.TerminatedVisibility - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Assert.Equal("terminated", (await Describe(id)).State.Name);
        Advance(TimeSpan.FromMinutes(1));
        var gone = (await _ec2.Describe([id]));
        Assert.Equal("InvalidInstanceID.NotFound", gone.Error?.Code);
    }

    [Fact]
    public async Task Terminated_instance_gives_its_private_address_back_to_the_subnet()
    {
        var instance = await Launch();
        Advance(InstanceTimings.Boot);
        _ = (await _ec2.ChangeState([instance.InstanceId], i => new InstanceCommands.Terminate(i)));
        Advance(InstanceTimings.ShutDown);

        var vpc = (VpcState)((EntityReplies.Accepted)await Router.Ask<object>(Ec2Kinds.Vpc, _vpcId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5))).State!;
        Assert.DoesNotContain(instance.PrivateIpAddress!, vpc.FindSubnet(instance.SubnetId!)!.AllocatedAddresses.Keys);
    }

    [Fact]
    public async Task Invalid_transitions_are_refused_with_the_aws_error_and_change_nothing()
    {
        var id = (await Launch()).InstanceId;
        Advance(InstanceTimings.Boot);
        _ = (await _ec2.ChangeState([id], i => new InstanceCommands.Terminate(i)));

        var start = (await _ec2.ChangeState([id], i => new InstanceCommands.Start(i)));
        Assert.Equal("IncorrectInstanceState", start.Error?.Code);
        Assert.Equal("shutting-down", (await Describe(id)).State.Name);

        var malformed = (await _ec2.ChangeState(["i-nothex"], i => new InstanceCommands.Stop(i)));
        Assert.Equal("InvalidInstanceID.Malformed", malformed.Error?.Code);
        var mixed = (await _ec2.ChangeState([id, "i-0123456789abcdef0"], i => new InstanceCommands.Stop(i)));
        Assert.Equal("InvalidInstanceID.NotFound", mixed.Error?.Code);
    }

    [Fact]
    public async Task Power_outage_stops_the_zone_s_instances_and_they_start_again_when_power_returns()
    {
        var inA = (await Launch("us-east-1a")).InstanceId;
        var inB = (await Launch("us-east-1b")).InstanceId;
        Advance(InstanceTimings.Boot);

        SetZone("us-east-1a", AzState.Unavailable, OutageMode.Power);
        Assert.Equal("stopping", (await Describe(inA)).State.Name);
        Advance(InstanceTimings.Stop);
        Assert.Equal("stopped", (await Describe(inA)).State.Name);
        Assert.Equal("running", (await Describe(inB)).State.Name);

        var launchIntoOutage = (await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", AvailabilityZone: "us-east-1a")));
        Assert.Equal("InsufficientInstanceCapacity", launchIntoOutage.Error?.Code);

        SetZone("us-east-1a", AzState.Available);
        Assert.Equal("pending", (await Describe(inA)).State.Name);
        Advance(InstanceTimings.Boot);
        Assert.Equal("running", (await Describe(inA)).State.Name);
    }

    [Fact]
    public async Task Network_outage_leaves_instances_running_but_unreachable()
    {
        var id = (await Launch("us-east-1c")).InstanceId;
        Advance(InstanceTimings.Boot);
        SetZone("us-east-1c", AzState.Unavailable, OutageMode.Network);
        Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("running", (await Describe(id)).State.Name);
        var state = await State(id);
        Assert.Equal(ProbeOutcome.Timeout, InstanceProbe.Answer(state, Region.Current.Status.Zone("us-east-1c"), Clock.Now).Outcome);
    }

    [Fact]
    public async Task Instance_killed_while_pending_recovers_from_its_journal_and_its_boot_deadline_still_fires()
    {
        var id = (await Launch()).InstanceId;
        Advance(TimeSpan.FromSeconds(3));
        var entity = await Sys.ActorSelection($"/user/local-{Ec2Kinds.Instance}/{id}").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);

        Assert.Equal("pending", (await Describe(id)).State.Name);
        Settle();
        Advance(InstanceTimings.Boot);
        Assert.Equal("running", (await Describe(id)).State.Name);
    }

    [Fact]
    public async Task Basic_monitoring_publishes_every_five_minutes_and_detailed_every_minute()
    {
        var basic = (await Launch(detailed: false)).InstanceId;
        var detailed = (await Launch(detailed: true)).InstanceId;
        Advance(InstanceTimings.Boot);
        Advance(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30));

        int Points(string id) => Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = id }).Count;
        Assert.InRange(Points(basic), 3, 4);
        Assert.InRange(Points(detailed), 15, 16);
        Assert.All(Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = detailed }),
            p => Assert.Equal(0, p.Timestamp.Second));
    }

    [Fact]
    public async Task Instance_answers_probes_from_its_state_zone_and_application_without_persisting()
    {
        var id = (await Launch("us-east-1b")).InstanceId;
        Assert.Equal(ProbeOutcome.Timeout, (await _ec2.Query<ProbeAnswer>(id, new InstanceQueries.Probe(id))).Value.Outcome);
        Advance(InstanceTimings.Boot);
        var healthy = (await _ec2.Query<ProbeAnswer>(id, new InstanceQueries.Probe(id))).Value;
        Assert.Equal((ProbeOutcome.Healthy, 200), (healthy.Outcome, healthy.HttpStatus));

        Assert.False((await _ec2.Send<Instance>(Ec2Kinds.Instance, id, new InstanceCommands.SetApplicationHealth(id, ApplicationHealth.Failing), default)).IsError);
        var failing = (await _ec2.Query<ProbeAnswer>(id, new InstanceQueries.Probe(id))).Value;
        Assert.Equal((ProbeOutcome.Unhealthy, 500, "Target.ResponseCodeMismatch"), (failing.Outcome, failing.HttpStatus, failing.Reason));

        SetZone("us-east-1b", AzState.Unavailable, OutageMode.Network);
        Assert.Equal(ProbeOutcome.Timeout, (await _ec2.Query<ProbeAnswer>(id, new InstanceQueries.Probe(id))).Value.Outcome);
        Assert.Equal("impaired", (await _ec2.Query<InstanceStatusView>(id, new InstanceQueries.Status(id))).Value.SystemStatus.Status);
    }

    [Fact]
    public async Task Billing_meter_counts_only_running_time_with_a_sixty_second_minimum()
    {
        var id = (await Launch()).InstanceId;
        Advance(InstanceTimings.Boot);
        Advance(TimeSpan.FromSeconds(20));
        _ = await _ec2.ChangeState([id], i => new InstanceCommands.Stop(i));
        Advance(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));

        var bill = (await _ec2.Query<InstanceQueries.BillingReport>(id, new InstanceQueries.Billing(id))).Value;
        Assert.Equal(60, bill.BilledSeconds);
        Assert.Equal(0.0104m * 60 / 3600, bill.CostUsd, 6);
        Assert.Equal("InvalidInstanceID.NotFound", (await _ec2.Query<InstanceQueries.BillingReport>("i-0123456789abcdef0", new InstanceQueries.Billing("i-0123456789abcdef0"))).Error?.Code);
    }

    [Fact]
    public async Task Launch_from_a_template_takes_its_values_and_explicit_values_override_them()
    {
        var template = (await _ec2.CreateLaunchTemplate("web", new LaunchTemplateData(ImageId: "ami-0c02fb55956c7d316", InstanceType: "t3.small", Monitoring: true))).Value;
        Touch(Ec2Kinds.LaunchTemplate, template.LaunchTemplateId);
        Assert.Equal("InvalidLaunchTemplateName.AlreadyExistsException", (await _ec2.CreateLaunchTemplate("web", LaunchTemplateData.Empty)).Error?.Code);

        var fromTemplate = (await _ec2.Launch(new LaunchRequest(LaunchTemplateName: "web", AvailabilityZone: "us-east-1c"))).Value.Instances.Single();
        Assert.Equal(("t3.small", "enabled"), (fromTemplate.InstanceType, fromTemplate.MonitoringState));
        Assert.Equal(new LaunchTemplateReference(template.LaunchTemplateId, "1"), fromTemplate.LaunchTemplate);

        var overridden = (await _ec2.Launch(new LaunchRequest(InstanceType: "m5.large", LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateVersion: "$Latest"))).Value.Instances.Single();
        Assert.Equal("m5.large", overridden.InstanceType);
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", (await _ec2.Launch(new LaunchRequest(LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateVersion: "7"))).Error?.Code);
    }

    [Fact]
    public async Task A_deleted_resource_re_created_under_the_same_id_does_not_replay_its_predecessor()
    {
        const string vpcId = "vpc-00000000000000abc";
        Touch(Ec2Kinds.Vpc, vpcId);
        Assert.False((await _ec2.Send<VpcState>(Ec2Kinds.Vpc, vpcId, new VpcCommands.CreateVpc(vpcId, "10.1.0.0/16"), default)).IsError);
        Assert.False((await _ec2.Send<VpcState>(Ec2Kinds.Vpc, vpcId, new VpcCommands.CreateSubnet(vpcId, "subnet-00000000000000abc", "10.1.1.0/24", "us-east-1a"), default)).IsError);
        Assert.False((await _ec2.Send<VpcState>(Ec2Kinds.Vpc, vpcId, new VpcCommands.DeleteSubnet(vpcId, "subnet-00000000000000abc"), default)).IsError);
        var deleted = await Router.Ask<object>(Ec2Kinds.Vpc, vpcId, new VpcCommands.DeleteVpc(vpcId), TimeSpan.FromSeconds(5));
        Assert.IsType<EntityReplies.Accepted>(deleted);
        Settle();

        var recreated = await _ec2.Send<VpcState>(Ec2Kinds.Vpc, vpcId, new VpcCommands.CreateVpc(vpcId, "10.9.0.0/16"), default);
        Assert.Equal("10.9.0.0/16", recreated.Value.CidrBlock);
        Assert.Empty(recreated.Value.Subnets);
        Assert.Null(await Index.Get(Ec2Kinds.Subnet, "subnet-00000000000000abc", 1));
    }

    [Fact]
    public async Task The_primary_interface_id_is_assigned_at_launch_and_survives_a_restart()
    {
        var instance = await Launch();
        Assert.Matches("^eni-[0-9a-f]{17}$", instance.NetworkInterfaceId);
        Assert.NotEqual(NetworkInterfaces.DerivedId(instance.InstanceId), instance.NetworkInterfaceId);
        Assert.Equal(instance.NetworkInterfaceId, (await State(instance.InstanceId)).NetworkInterfaceId);
    }

    [Fact]
    public async Task Instances_and_launch_templates_take_tags_through_the_taggable_resources()
    {
        var instance = await Launch();
        var template = (await _ec2.CreateLaunchTemplate("tagged", LaunchTemplateData.Empty)).Value;
        Touch(Ec2Kinds.LaunchTemplate, template.LaunchTemplateId);
        var tagging = new Ec2TaggableResources(_ec2);
        var tags = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("team", "blue");

        Assert.Equal(["i", "lt"], tagging.IdPrefixes);
        Assert.Equal("blue", (await tagging.AddTags(instance.InstanceId, tags, default)).Value.Tags["team"]);
        Assert.Equal("launch-template", (await tagging.AddTags(template.LaunchTemplateId, tags, default)).Value.ResourceType);
        Assert.Equal("blue", (await Describe(instance.InstanceId)).Tags["team"]);
        Settle();
        var listed = await tagging.List(default);
        Assert.Contains(listed, r => r.ResourceId == template.LaunchTemplateId && r.Tags["team"] == "blue");

        var removed = await tagging.RemoveTags(instance.InstanceId, [new TagRemoval("team", "red")], default);
        Assert.Equal("blue", removed.Value.Tags["team"]);
        Assert.Empty((await tagging.RemoveTags(template.LaunchTemplateId, [new TagRemoval("team")], default)).Value.Tags);

        Assert.Equal("InvalidInstanceID.Malformed", (await tagging.AddTags("i-nope", tags, default)).Error!.Code);
        Assert.Equal("InvalidInstanceID.NotFound", (await tagging.AddTags("i-0000000000000dead", tags, default)).Error!.Code);
        Assert.Equal("InvalidLaunchTemplateId.NotFound", (await tagging.AddTags("lt-0000000000000dead", tags, default)).Error!.Code);
        var tooLong = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("k", new string('v', 257));
        Assert.Equal("InvalidParameterValue", (await tagging.AddTags(instance.InstanceId, tooLong, default)).Error!.Code);
    }

    [Fact]
    public async Task Load_offered_by_load_balancers_drives_the_cpu_metric_and_an_overloaded_instance_refuses_the_excess()
    {
        var instance = await Launch(detailed: true);
        Advance(InstanceTimings.Boot);
        var id = instance.InstanceId;

        var half = await Router.Ask<ServedLoad>(Ec2Kinds.Instance, id, new InstanceQueries.Offer(id, "lb-a", 60), TimeSpan.FromSeconds(5));
        var both = await Router.Ask<ServedLoad>(Ec2Kinds.Instance, id, new InstanceQueries.Offer(id, "lb-b", 40), TimeSpan.FromSeconds(5));
        Assert.Equal((ServeOutcome.Answered, 1.0), (half.Outcome, half.SuccessShare));
        Assert.Equal(InstanceWorkload.CpuPercent("t3.micro", 100), both.CpuPercent, 6); // both balancers' flows load one queue
        for (var tick = 0; tick < 7; tick++)
        {
            // Balancers report every fluid tick; an instance only counts reports younger than OfferedLoad.Freshness.
            await Router.Ask<ServedLoad>(Ec2Kinds.Instance, id, new InstanceQueries.Offer(id, "lb-a", 60), TimeSpan.FromSeconds(5));
            await Router.Ask<ServedLoad>(Ec2Kinds.Instance, id, new InstanceQueries.Offer(id, "lb-b", 40), TimeSpan.FromSeconds(5));
            Advance(TimeSpan.FromSeconds(10));
        }
        var cpu = Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = id });
        Assert.Equal(InstanceWorkload.CpuPercent("t3.micro", 100), cpu[^1].Value, 6);

        var overloaded = await Router.Ask<ServedLoad>(Ec2Kinds.Instance, id, new InstanceQueries.Offer(id, "lb-a", 360), TimeSpan.FromSeconds(5));
        Assert.Equal((0.5, 503), (overloaded.ErrorShare, overloaded.ErrorStatus));
        var refused = 0;
        for (var sequence = 0; sequence < 100; sequence++)
            if ((await Router.Ask<ServedRequest>(Ec2Kinds.Instance, id, new InstanceQueries.Serve(id, "lb-a", 360, sequence), TimeSpan.FromSeconds(5))).StatusCode == 503)
                refused++;
        Assert.Equal(50, refused);

        // Reports go stale when a balancer stops sending: the instance returns to idle.
        Advance(OfferedLoad.Freshness + TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        cpu = Metrics.Points("AWS/EC2", "CPUUtilization", new Dictionary<string, string> { ["InstanceId"] = id });
        Assert.Equal(InstanceWorkload.IdleCpuPercent, cpu[^1].Value, 6);
    }
}
