using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.AutoScaling;

namespace Orchestrator.Actors.AutoScaling;

/// <summary>EC2 Auto Scaling: groups that keep their capacity, replace unhealthy instances and rebalance zones.</summary>
public sealed class AutoScalingModule : IOrchestratorModule
{
    public string Name => "autoscaling";

    public void RegisterMessages() => AutoScalingMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => AutoScalingKinds.All(services);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new AsgPalette(new AutoScalingService(context.Services, context.AccountId))];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The manifests of everything Auto Scaling persists or sends between nodes.</summary>
public static class AutoScalingMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("autoscaling.group.command", typeof(AutoScalingCommands));
        MessageRegistry.RegisterAll("autoscaling.group.event", typeof(AutoScalingEvents));
        MessageRegistry.RegisterAll("autoscaling.launcher", typeof(LauncherMessages));
        MessageRegistry.RegisterAll("autoscaling.group", typeof(AutoScalingGroup), typeof(GroupSettings), typeof(GroupLaunchTemplate), typeof(GroupSubnet),
            typeof(GroupTag), typeof(GroupInstance), typeof(ScalingActivity), typeof(ScalingPolicy), typeof(StepAdjustment),
            typeof(TargetTrackingConfiguration), typeof(CustomizedMetric), typeof(PolicyAlarm), typeof(ScheduledAction),
            typeof(InstanceObservation), typeof(TargetObservation), typeof(LifecycleHook), typeof(LifecycleAction), typeof(InstanceRefresh));
    }
}

/// <summary>The `asg` palette: a group's instances by zone and lifecycle, and manual scaling.</summary>
public sealed class AsgPalette(AutoScalingService groups) : ICommandPalette
{
    public sealed record InstanceRow(string InstanceId, string AvailabilityZone, string LifecycleState, string HealthStatus);

    public string Name => "asg";

    public string Description => "EC2 Auto Scaling: groups, their instances by zone, manual scaling";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("show", "asg show <name>", "capacity, and the instances by zone and lifecycle state", []),
        new("set-desired", "asg set-desired <name> <n>", "SetDesiredCapacity", []),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        var name = request.Argument(0, "name");
        if (request.Command == "set-desired")
        {
            if (!int.TryParse(request.Argument(1, "n"), NumberStyles.None, CultureInfo.InvariantCulture, out var desired))
                throw new CommandUsageException("<n> must be a whole number");
            var set = await groups.Send(name, new AutoScalingCommands.SetDesiredCapacity(name, desired, false), cancellationToken).ConfigureAwait(false);
            return set.IsError ? CommandResponse.Failure(set.Error!) : CommandResponse.Success(new { desired }, $"{name}: desired capacity {desired}");
        }
        var group = await groups.Find(name).ConfigureAwait(false);
        if (group.IsError)
            return CommandResponse.Failure(group.Error!);
        var g = group.Value;
        var rows = g.Instances.OrderBy(i => i.AvailabilityZone, StringComparer.Ordinal).ThenBy(i => i.LifecycleState, StringComparer.Ordinal)
            .Select(i => new InstanceRow(i.InstanceId, i.AvailabilityZone, i.LifecycleState, i.HealthStatus)).ToList();
        var zones = rows.GroupBy(r => r.AvailabilityZone).Select(z =>
            $"{z.Key}: " + string.Join(", ", z.GroupBy(r => r.LifecycleState).Select(s => $"{s.Count()} {s.Key}")));
        var text = $"{g.Name}  min {g.MinSize}  max {g.MaxSize}  desired {g.DesiredCapacity}{(g.Status is { } status ? "  " + status : "")}\n"
            + string.Join('\n', zones.Concat(rows.Select(r => $"  {r.InstanceId}  {r.AvailabilityZone,-12} {r.LifecycleState,-12} {r.HealthStatus}")));
        return CommandResponse.Success(new { g.Name, g.MinSize, g.MaxSize, g.DesiredCapacity, instances = rows }, text.TrimEnd());
    }
}
