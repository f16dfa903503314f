using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// The `chaos` palette: faults as AWS FIS injects them. An AZ outage uses the region's zone status
/// (FIS "AZ Availability: Power Interruption"), so instances, load balancers and groups react as
/// they do to any outage; every fault is recorded in the chaos ledger with its simulated time.
/// </summary>
public sealed class ChaosPalette(EntityServices services) : ICommandPalette
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public sealed record FaultRow(string FaultId, string Kind, string Target, string Status, DateTimeOffset StartedAt, DateTimeOffset? Until, DateTimeOffset? EndedAt, string Detail);

    public sealed record FaultsReport(ImmutableArray<FaultRow> Faults);

    public string Name => "chaos";

    public string Description => "inject faults (AZ outages, instance kills, impaired applications) and list them";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("az-outage", "chaos az-outage <az> [--mode power|network] [--for <duration like 10m, 90s, 1h>]", "make a zone unavailable (power: its instances stop; network: unreachable), restored by itself after --for", ["mode", "for"]),
        new("az-restore", "chaos az-restore <az>", "end a zone's chaos outage now", []),
        new("kill-instances", "chaos kill-instances --group <asg> (--count N | --percent P) [--seed n]", "terminate InService instances of a group, chosen by the seed", ["group", "count", "percent", "seed"]),
        new("impair-app", "chaos impair-app <instance-id|asg> [--error-rate R] [--latency L] [--for <duration>]", "make applications answer errors (share 0..1 or %) and/or slowly", ["error-rate", "latency", "for"]),
        new("list", "chaos list [--active]", "faults, active and past", ["active"]),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        IChaosCommand command;
        switch (request.Command)
        {
            case "list":
                return List(await Ledger(cancellationToken).ConfigureAwait(false), request.Switch("active") is "true");
            case "az-outage":
                var mode = (request.Switch("mode") ?? "power") switch
                {
                    "power" => OutageMode.Power,
                    "network" => OutageMode.Network,
                    var other => throw new CommandUsageException($"unknown outage mode '{other}' (power, network)"),
                };
                command = new ChaosCommands.AzOutage(request.Argument(0, "az"), mode, OptionalDuration(request, "for"));
                break;
            case "az-restore":
                command = new ChaosCommands.AzRestore(request.Argument(0, "az"));
                break;
            case "kill-instances":
                var groupName = request.Switch("group") ?? throw new CommandUsageException("missing --group <asg>");
                var seed = request.Switch("seed") is { } seedText ? Integer(seedText, "--seed") : 0;
                if (await services.Index.Get(AutoScalingKinds.Group, groupName, services.Region.Current.Generation).ConfigureAwait(false) is not AutoScalingGroup group)
                    return CommandResponse.Failure(AutoScalingErrors.GroupNotFound(groupName));
                var inService = group.Instances.Where(i => i.LifecycleState == LifecycleStates.InService).Select(i => i.InstanceId).ToList();
                var chosen = ChaosTargets.Choose(inService,
                    request.Switch("count") is { } count ? Integer(count, "--count") : null,
                    request.Switch("percent") is { } percent ? Number(percent.TrimEnd('%'), "--percent") : null, seed);
                if (chosen.IsError)
                    return chosen.Error!.Code == "InvalidParameterCombination" ? throw new CommandUsageException(chosen.Error.Message) : CommandResponse.Failure(chosen.Error);
                command = new ChaosCommands.KillInstances(groupName, chosen.Value, seed);
                break;
            default:
                var target = request.Argument(0, "instance-id|asg");
                var errorRate = request.Switch("error-rate") is { } rate
                    ? rate.EndsWith('%') ? Number(rate[..^1], "--error-rate") / 100 : Number(rate, "--error-rate")
                    : 0;
                var latency = OptionalDuration(request, "latency") ?? TimeSpan.Zero;
                if (errorRate == 0 && latency == TimeSpan.Zero)
                    throw new CommandUsageException("give --error-rate R and/or --latency L");
                var instances = await ImpairTargets(target).ConfigureAwait(false);
                if (instances.IsError)
                    return CommandResponse.Failure(instances.Error!);
                command = new ChaosCommands.ImpairApp(target, instances.Value, errorRate, latency, OptionalDuration(request, "for"));
                break;
        }
        var reply = await services.Router.Ask<object>(ChaosKinds.Ledger, ChaosKinds.LedgerId, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: ChaosLedger ledger } => Changed(ledger, request.Command),
            EntityReplies.Rejected rejected => CommandResponse.Failure(rejected.Error),
            _ => throw new InvalidOperationException($"unexpected reply from the chaos ledger: {reply}"),
        };
    }

    /// <summary>An instance by its id, or a group's instances that serve (InService) by the group's name.</summary>
    private async Task<Result<ImmutableArray<string>>> ImpairTargets(string target)
    {
        var generation = services.Region.Current.Generation;
        if (target.StartsWith("i-", StringComparison.Ordinal))
            return await services.Index.Get(Ec2Kinds.Instance, target, generation).ConfigureAwait(false) is null
                ? Ec2Errors.InstanceNotFound(target)
                : ImmutableArray.Create(target);
        return await services.Index.Get(AutoScalingKinds.Group, target, generation).ConfigureAwait(false) is AutoScalingGroup group
            ? group.Instances.Where(i => i.LifecycleState == LifecycleStates.InService).Select(i => i.InstanceId).ToImmutableArray()
            : AutoScalingErrors.GroupNotFound(target);
    }

    private async Task<ChaosLedger> Ledger(CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(ChaosKinds.Ledger, ChaosKinds.LedgerId, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Accepted { State: ChaosLedger ledger } ? ledger : ChaosLedger.Empty;
    }

    /// <summary>A changing command answers with the faults it started or ended: the newest ones the command touched.</summary>
    private static CommandResponse Changed(ChaosLedger ledger, string command)
    {
        var touched = command == "az-restore"
            ? ledger.Faults.Where(f => f.EndReason == ChaosBehavior.EndedByRestore).OrderByDescending(f => f.EndedAt).Take(1)
            : ledger.Faults.TakeLast(1);
        return Render([.. touched.Select(Row)]);
    }

    private static CommandResponse List(ChaosLedger ledger, bool activeOnly) =>
        Render([.. ledger.Faults.Where(f => !activeOnly || f.IsActive).Select(Row)]);

    private static CommandResponse Render(ImmutableArray<FaultRow> rows)
    {
        var lines = rows.Select(r => $"{r.FaultId} {r.Status,-7} {r.Kind,-15} {r.Detail} started {r.StartedAt:u}{(r.EndedAt is { } ended ? $", ended {ended:u}" : r.Until is { } until ? $", until {until:u}" : "")}");
        return CommandResponse.Success(new FaultsReport(rows), rows.IsEmpty ? "no faults" : string.Join('\n', lines));
    }

    private static FaultRow Row(Fault f) =>
        new(f.FaultId, f.Kind, f.Target, f.IsActive ? "active" : "ended", f.StartedAt, f.RestoreAt, f.EndedAt, f.Describe());

    private static TimeSpan? OptionalDuration(CommandRequest request, string name) =>
        request.Switch(name) is not { } text ? null
            : SimDuration.TryParse(text, out var duration) ? duration
            : throw new CommandUsageException($"--{name} must be a duration like 90s, 10m or 1h, got '{text}'");

    private static int Integer(string text, string name) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new CommandUsageException($"{name} must be an integer, got '{text}'");

    private static double Number(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new CommandUsageException($"{name} must be a number, got '{text}'");
}
