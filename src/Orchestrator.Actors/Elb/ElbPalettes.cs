using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>The `elb` palette: load balancers and the health of their targets, as drills watch them.</summary>
public sealed class ElbPalette(LoadBalancerService balancers, TargetGroupService groups) : ICommandPalette
{
    public sealed record BalancerRow(string Name, string Type, string State, string DnsName, ImmutableArray<string> Zones, ImmutableArray<int> ListenerPorts);

    public sealed record TargetRow(string Id, int? Port, string? AvailabilityZone, string State, string? Reason);

    public string Name => "elb";

    public string Description => "Elastic Load Balancing: load balancers and target health";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("balancers", "elb balancers", "load balancers, their state, zones and listener ports", []),
        new("targets", "elb targets <target-group-name|arn>", "the health of every registered target (DescribeTargetHealth)", []),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        if (request.Command == "balancers")
        {
            var described = await balancers.Describe([], []).ConfigureAwait(false);
            if (described.IsError)
                return CommandResponse.Failure(described.Error!);
            var rows = new List<BalancerRow>();
            foreach (var lb in described.Value)
            {
                var listeners = await balancers.Listeners(lb.LoadBalancerArn, []).ConfigureAwait(false);
                rows.Add(new BalancerRow(lb.LoadBalancerName, lb.Type, lb.State, lb.DnsName, [.. lb.AvailabilityZones.Select(z => z.ZoneName)],
                    listeners.IsError ? [] : [.. listeners.Value.Where(l => l.Port is not null).Select(l => l.Port!.Value).Order()]));
            }
            return CommandResponse.Success(new { balancers = rows }, rows.Count == 0 ? "no load balancers"
                : string.Join('\n', rows.Select(r => $"{r.Name,-24} {r.Type,-12} {r.State,-13} {string.Join(',', r.Zones),-24} ports {string.Join(',', r.ListenerPorts)}  {r.DnsName}")));
        }
        var name = request.Argument(0, "target-group-name|arn");
        var group = await GroupArn(name).ConfigureAwait(false);
        if (group.IsError)
            return CommandResponse.Failure(group.Error!);
        var health = await groups.Health(group.Value, [], cancellationToken).ConfigureAwait(false);
        if (health.IsError)
            return CommandResponse.Failure(health.Error!);
        var targets = health.Value.Select(t => new TargetRow(t.Id, t.Port, t.AvailabilityZone, t.Health.State, t.Health.Reason)).ToImmutableArray();
        return CommandResponse.Success(new { targets }, targets.Length == 0 ? "no registered targets"
            : string.Join('\n', targets.Select(t => $"{t.Id}:{t.Port?.ToString(CultureInfo.InvariantCulture)}  {t.AvailabilityZone,-12} {t.State,-10} {t.Reason}".TrimEnd())));
    }

    private async Task<Result<string>> GroupArn(string nameOrArn)
    {
        if (ElbArn.TryParse(nameOrArn, out _))
            return nameOrArn;
        var described = await groups.Describe([], [nameOrArn], null).ConfigureAwait(false);
        return described.IsError ? described.Error! : described.Value[0].TargetGroupArn;
    }
}

/// <summary>
/// The `load` palette: a fluid flow of requests per simulated second offered to a load balancer, which
/// its router spreads over the healthy targets every tick (DESIGN.md, Traffic). The rate is kept by the
/// load balancer's entity, so it outlives the router's moves. Real requests come
/// through the listener ports instead (--listener-ports).
/// </summary>
public sealed class LoadPalette(LoadBalancerService balancers) : ICommandPalette
{
    public string Name => "load";

    public string Description => "offered load (requests per simulated second) to load balancers";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("start", "load start <load-balancer-name|arn> --rps <requests-per-second>", "offer a steady flow of requests to a load balancer", ["rps"]),
        new("stop", "load stop <load-balancer-name|arn>", "stop the flow", []),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        var rps = 0.0;
        if (request.Command == "start")
        {
            var text = request.Switch("rps") ?? throw new CommandUsageException("missing --rps <requests-per-second>");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rps) || rps <= 0 || double.IsInfinity(rps))
                throw new CommandUsageException($"--rps must be a positive number, got '{text}'");
        }
        var name = request.Argument(0, "load-balancer-name|arn");
        var described = ElbArn.TryParse(name, out _) ? await balancers.Describe([name], []).ConfigureAwait(false) : await balancers.Describe([], [name]).ConfigureAwait(false);
        if (described.IsError)
            return CommandResponse.Failure(described.Error!);
        var offered = await balancers.OfferLoad(described.Value[0].LoadBalancerArn, rps, cancellationToken).ConfigureAwait(false);
        if (offered.IsError)
            return CommandResponse.Failure(offered.Error!);
        var lb = offered.Value;
        return CommandResponse.Success(new { lb.LoadBalancerName, RequestsPerSecond = rps }, rps > 0
            ? $"{lb.LoadBalancerName}: {rps.ToString("0.##", CultureInfo.InvariantCulture)} requests per simulated second"
            : $"{lb.LoadBalancerName}: no offered load");
    }
}
