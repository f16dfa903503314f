using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Management;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Vpc;

/// <summary>
/// The `net` palette: reachability as AWS Reachability Analyzer explains it, hop by hop, but with
/// live zone status taken into account (our extension: AWS analyses configuration only).
/// </summary>
public sealed class NetPalette(ReachabilityService reachability) : ICommandPalette
{
    public sealed record EgressReport(string VpcId, Flow Flow, ImmutableArray<SubnetEgress> Subnets);

    public string Name => "net";

    public string Description => "VPC reachability: paths between instances and to the internet, with live zone status";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("reach", "net reach <instance-id> <instance-id|internet> [--port N (443)] [--protocol tcp|udp|icmp (tcp)]",
            "can the source reach the destination? the path, or the hop that blocks it", ["port", "protocol"]),
        new("egress", "net egress <vpc-id> [--port N (443)] [--protocol tcp|udp|icmp (tcp)]",
            "each subnet's way to the internet (internet gateway, or NAT gateway and its zone), or what blocks it", ["port", "protocol"]),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        var flow = FlowOf(request);
        if (flow.IsError)
            return CommandResponse.Failure(flow.Error!);
        if (request.Command == "reach")
        {
            var verdict = await reachability.Reach(request.Argument(0, "instance-id"), request.Argument(1, "instance-id|internet"), flow.Value, cancellationToken).ConfigureAwait(false);
            return verdict.IsError ? CommandResponse.Failure(verdict.Error!) : CommandResponse.Success(verdict.Value, Render(verdict.Value));
        }
        var vpcId = request.Argument(0, "vpc-id");
        var egress = await reachability.Egress(vpcId, flow.Value, cancellationToken).ConfigureAwait(false);
        if (egress.IsError)
            return CommandResponse.Failure(egress.Error!);
        var report = new EgressReport(vpcId, flow.Value, [.. egress.Value]);
        var lines = report.Subnets.Select(s => $"{s.SubnetId}  {s.AvailabilityZone,-12} {s.RouteTableId,-22} {(s.HasEgress ? "yes" : "no"),-4} "
            + (s.HasEgress ? $"via {s.Via}" : s.Explanation));
        return CommandResponse.Success(report, report.Subnets.IsEmpty ? $"{vpcId} has no subnets" : string.Join('\n', lines));
    }

    private static Result<Flow> FlowOf(CommandRequest request)
    {
        var protocol = request.Switch("protocol") ?? "tcp";
        int? port = 443;
        if (request.Switch("port") is { } text)
            port = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new CommandUsageException($"--port must be a number, got '{text}'");
        return Flow.Of(protocol, protocol.Equals("icmp", StringComparison.OrdinalIgnoreCase) ? null : port);
    }

    private static string Render(ReachabilityVerdict verdict)
    {
        var head = $"{verdict.Source} -> {verdict.Destination} {verdict.Flow}: "
            + (verdict.Reachable ? "reachable" + (verdict.Via is { } via ? $" via {via}" : "") : $"NOT reachable: {verdict.BlockedAt!.Component} {verdict.BlockedAt.ResourceId}: {verdict.BlockedAt.Explanation}");
        return string.Join('\n', [head, .. verdict.Hops.Select(h => "  " + h)]);
    }
}
