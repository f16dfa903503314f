using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>EC2 and VPC: instances, VPCs with their subnets, launch templates, and the default VPC of each generation.</summary>
public sealed class Ec2Module(bool strictImages = false) : IOrchestratorModule
{
    public string Name => "ec2";

    public void RegisterMessages() => Ec2Messages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) =>
        Ec2Kinds.All(services, services.Region.Current.Region);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new Ec2Palette(new Ec2Service(context.Services, strictImages), context.Services)];

    /// <summary>
    /// Creates the default VPC (one default subnet per zone) once per generation. The controller
    /// records the planned ids first, so nodes starting together agree on one VPC; creating an
    /// existing VPC or subnet is refused by its entity and ignored here. Its default security group
    /// has ids derived from the VPC id, so creating it again is a no-op.
    /// </summary>
    public async Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken)
    {
        var state = context.Region.Snapshot.Current;
        if (state.DefaultVpc is not { } plan || plan.Generation != state.Generation)
        {
            var planned = await context.Region.Send(new RegionCommands.PlanDefaultVpc(
                AwsIds.New("vpc"), [.. state.Status.Zones.Select(_ => AwsIds.New("subnet"))]), cancellationToken).ConfigureAwait(false);
            plan = planned.Value.DefaultVpc!;
            state = planned.Value;
        }
        var existing = await context.Services.Index.Get(Ec2Kinds.Vpc, plan.VpcId, state.Generation).ConfigureAwait(false);
        var subnets = (await context.Services.Index.List(Ec2Kinds.Subnet, state.Generation).ConfigureAwait(false)).Cast<SubnetView>().Count(s => s.VpcId == plan.VpcId);
        await BuildDefaultVpc(context.Services, plan.VpcId, plan.SubnetIds, createNetwork: existing is null || subnets != plan.SubnetIds.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A default VPC as AWS builds it: one default subnet per zone, the default security group, and an
    /// attached internet gateway with the main table's 0.0.0.0/0 route. Every step is retry safe.
    /// </summary>
    public static async Task<VpcState> BuildDefaultVpc(
        EntityServices services, string vpcId, IReadOnlyList<string> subnetIds, bool createNetwork, CancellationToken cancellationToken)
    {
        var service = new Ec2Service(services);
        if (createNetwork)
        {
            foreach (var command in DefaultVpc.Plan(vpcId, subnetIds, services.Region.Current.Status))
                await service.Send<VpcState>(Ec2Kinds.Vpc, vpcId, command, cancellationToken).ConfigureAwait(false);
        }
        var created = await new SecurityGroupService(services).CreateDefaultSecurityGroup(vpcId, cancellationToken).ConfigureAwait(false);
        if (created.IsError)
            throw new InvalidOperationException($"the default security group of {vpcId} was refused: {created.Error}");
        await ConnectToInternet(services, service, vpcId, cancellationToken).ConfigureAwait(false);
        return (await new VpcNetworkService(services).Vpc(vpcId, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// The default VPC has an attached internet gateway and a main route table sending 0.0.0.0/0 to
    /// it, as AWS creates it. The gateway id follows from the VPC id, so a retry finds the same one.
    /// </summary>
    private static async Task ConnectToInternet(EntityServices services, Ec2Service ec2, string vpcId, CancellationToken cancellationToken)
    {
        var gatewayId = AwsIds.Derived("igw", vpcId + "/internet");
        var gateway = await ec2.Send<InternetGateway>(NetworkKinds.InternetGateway, gatewayId, new InternetGatewayCommands.Create(gatewayId, null), cancellationToken).ConfigureAwait(false);
        if (gateway.IsError)
            throw new InvalidOperationException($"the default internet gateway of {vpcId} was refused: {gateway.Error}");
        if (gateway.Value.AttachedVpcId is null)
        {
            // Nodes starting together both get here: the one that loses the race finds the gateway attached already.
            // Straight to the entity: the read model of another node may not show the new gateway yet.
            var attached = await ec2.Send<InternetGateway>(NetworkKinds.InternetGateway, gatewayId, new InternetGatewayCommands.Attach(gatewayId, vpcId), cancellationToken).ConfigureAwait(false);
            var now = await ec2.Send<InternetGateway>(NetworkKinds.InternetGateway, gatewayId, new InternetGatewayCommands.Create(gatewayId, null), cancellationToken).ConfigureAwait(false);
            if (attached.IsError && (now.IsError || now.Value.AttachedVpcId != vpcId))
                throw new InvalidOperationException($"attaching the default internet gateway to {vpcId} was refused: {attached.Error}");
        }
        var vpcs = new VpcNetworkService(services);
        var vpc = await vpcs.Vpc(vpcId, cancellationToken).ConfigureAwait(false);
        if (vpc.IsError || vpc.Value.MainRouteTable() is not { } main || main.FindRoute("0.0.0.0/0") is not null)
            return;
        var route = await vpcs.Send(new VpcCommands.CreateRoute(vpcId, main.RouteTableId, "0.0.0.0/0", new ResolvedRouteTarget(new RouteTarget(RouteTarget.Gateway, gatewayId), vpcId)), cancellationToken).ConfigureAwait(false);
        if (route.IsError && route.Error!.Code != "RouteAlreadyExists")
            throw new InvalidOperationException($"the default route of {vpcId} was refused: {route.Error}");
    }
}

/// <summary>The `ec2` palette: drive instances before (and beside) the AWS API.</summary>
public sealed class Ec2Palette(Ec2Service ec2, EntityServices services) : ICommandPalette
{
    public sealed record InstanceRow(string InstanceId, string State, string AvailabilityZone, string? SubnetId, string? PrivateIpAddress, string InstanceType, DateTimeOffset LaunchTime, bool DetailedMonitoring);

    public sealed record InstancesReport(ImmutableArray<InstanceRow> Instances);

    public sealed record StateChangeReport(string InstanceId, string PreviousState, string CurrentState);

    public string Name => "ec2";

    public string Description => "EC2 instances";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("launch", "ec2 launch --image <ami-id> --type <instance-type> [--count N] [--az <zone>] [--subnet <subnet-id>] [--launch-template <lt-id> [--version <n|$Default|$Latest>]] [--detailed-monitoring]", "launch instances (RunInstances)", ["image", "type", "count", "az", "subnet", "launch-template", "version", "detailed-monitoring"]),
        new("describe", "ec2 describe [<instance-id> ...] [--state <name>]", "instances and their state", ["state"]),
        new("start", "ec2 start <instance-id> ...", "start stopped instances", []),
        new("stop", "ec2 stop <instance-id> ... [--force]", "stop running instances", ["force"]),
        new("reboot", "ec2 reboot <instance-id> ...", "reboot instances (they stay running)", []),
        new("terminate", "ec2 terminate <instance-id> ...", "terminate instances", []),
        new("app-health", "ec2 app-health <instance-id> <healthy|failing|slow>", "set how an instance's application answers health checks", []),
        new("probe", "ec2 probe <instance-id>", "send a health probe as a target group would", []),
        new("status", "ec2 status <instance-id>", "EC2 status checks (DescribeInstanceStatus)", []),
        new("billing", "ec2 billing <instance-id>", "billed seconds and cost so far", []),
        new("create-launch-template", "ec2 create-launch-template --name <name> [--image <ami-id>] [--type <instance-type>] [--detailed-monitoring]", "a launch template (version 1)", ["name", "image", "type", "detailed-monitoring"]),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        switch (request.Command)
        {
            case "launch":
                var count = request.Switch("count") is { } c
                    ? int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new CommandUsageException($"--count must be a positive number, got '{c}'")
                    : 1;
                var launch = await ec2.Launch(new LaunchRequest(
                    ImageId: request.Switch("image"), InstanceType: request.Switch("type"), MinCount: count, MaxCount: count,
                    SubnetId: request.Switch("subnet"), AvailabilityZone: request.Switch("az"), LaunchTemplateId: request.Switch("launch-template"), LaunchTemplateVersion: request.Switch("version"),
                    DetailedMonitoring: request.Switch("detailed-monitoring") is { } detailed ? detailed != "false" : null), cancellationToken).ConfigureAwait(false);
                return launch.IsError ? CommandResponse.Failure(launch.Error!) : Render(launch.Value.Instances);
            case "describe":
                var described = await ec2.Describe(request.Arguments, cancellationToken).ConfigureAwait(false);
                if (described.IsError)
                    return CommandResponse.Failure(described.Error!);
                var state = request.Switch("state");
                return Render([.. described.Value.Where(v => state is null || v.State.Name == state)]);
            case "app-health":
                var health = request.Argument(1, "healthy|failing|slow") switch
                {
                    "healthy" => ApplicationHealth.Healthy,
                    "failing" => ApplicationHealth.Failing,
                    "slow" => ApplicationHealth.Slow,
                    var other => throw new CommandUsageException($"unknown application health '{other}' (healthy, failing, slow)"),
                };
                var set = await ec2.Send<Instance>(Ec2Kinds.Instance, request.Argument(0, "instance-id"), new InstanceCommands.SetApplicationHealth(request.Arguments[0], health), cancellationToken).ConfigureAwait(false);
                return set.IsError ? CommandResponse.Failure(set.Error!) : Render([InstanceView.From(set.Value, services.Region.Current.Region)]);
            case "probe":
                var probe = await ec2.Query<ProbeAnswer>(request.Argument(0, "instance-id"), new InstanceQueries.Probe(request.Arguments[0]), cancellationToken).ConfigureAwait(false);
                return probe.IsError ? CommandResponse.Failure(probe.Error!)
                    : CommandResponse.Success(probe.Value, $"{probe.Value.Outcome.ToString().ToLowerInvariant()} {probe.Value.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "(no response)"} {probe.Value.Reason}".TrimEnd());
            case "status":
                var status = await ec2.Query<InstanceStatusView>(request.Argument(0, "instance-id"), new InstanceQueries.Status(request.Arguments[0]), cancellationToken).ConfigureAwait(false);
                return status.IsError ? CommandResponse.Failure(status.Error!)
                    : CommandResponse.Success(status.Value, $"{status.Value.InstanceId} {status.Value.InstanceState.Name}: system {status.Value.SystemStatus.Status}, instance {status.Value.InstanceStatus.Status}");
            case "billing":
                var billing = await ec2.Query<InstanceQueries.BillingReport>(request.Argument(0, "instance-id"), new InstanceQueries.Billing(request.Arguments[0]), cancellationToken).ConfigureAwait(false);
                return billing.IsError ? CommandResponse.Failure(billing.Error!)
                    : CommandResponse.Success(billing.Value, $"{billing.Value.InstanceId} ({billing.Value.InstanceType}): {billing.Value.BilledSeconds} s billed, ${billing.Value.CostUsd.ToString("0.000000", CultureInfo.InvariantCulture)}");
            case "create-launch-template":
                var data = new LaunchTemplateData(ImageId: request.Switch("image"), InstanceType: request.Switch("type"),
                    Monitoring: request.Switch("detailed-monitoring") is { } monitoring ? monitoring != "false" : null);
                var template = await ec2.CreateLaunchTemplate(request.Switch("name") ?? throw new CommandUsageException("missing --name <name>"), data, cancellationToken: cancellationToken).ConfigureAwait(false);
                return template.IsError ? CommandResponse.Failure(template.Error!)
                    : CommandResponse.Success(LaunchTemplateView.From(template.Value), $"{template.Value.LaunchTemplateId} {template.Value.LaunchTemplateName} (default version {template.Value.DefaultVersionNumber})");
            default:
                var force = request.Switch("force") is "true";
                Func<string, IInstanceCommand> command = request.Command switch
                {
                    "start" => id => new InstanceCommands.Start(id),
                    "stop" => id => new InstanceCommands.Stop(id, force),
                    "reboot" => id => new InstanceCommands.Reboot(id),
                    _ => id => new InstanceCommands.Terminate(id),
                };
                var changed = await ec2.ChangeState(request.Arguments, command, cancellationToken).ConfigureAwait(false);
                if (changed.IsError)
                    return CommandResponse.Failure(changed.Error!);
                var rows = changed.Value.Select(ch => new StateChangeReport(ch.InstanceId, ch.PreviousState.Name, ch.CurrentState.Name)).ToImmutableArray();
                var text = string.Join('\n', rows.Select(r => $"{r.InstanceId}: {r.PreviousState} -> {r.CurrentState}"));
                return CommandResponse.Success(rows.Length == 1 ? rows[0] : new { changes = rows }, text);
        }
    }

    private static CommandResponse Render(ImmutableArray<InstanceView> views)
    {
        var rows = views.Select(v => new InstanceRow(v.InstanceId, v.State.Name, v.AvailabilityZone, v.SubnetId, v.PrivateIpAddress, v.InstanceType, v.LaunchTime, v.MonitoringState == "enabled")).ToImmutableArray();
        var lines = rows.Select(r => $"{r.InstanceId}  {r.State,-13} {r.AvailabilityZone,-12} {r.InstanceType,-10} {r.PrivateIpAddress}");
        return CommandResponse.Success(new InstancesReport(rows), rows.Length == 0 ? "no instances" : string.Join('\n', lines));
    }
}
