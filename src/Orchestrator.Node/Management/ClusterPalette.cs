using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Management;

namespace Orchestrator.Node.Management;

/// <summary>pbm's `cluster` palette: membership as this node sees it.</summary>
public sealed class ClusterPalette(ActorSystem system) : ICommandPalette
{
    public sealed record MemberRow(string Address, string Status, ImmutableArray<string> Roles, bool Reachable, bool Leader, bool Self);

    public sealed record ClusterReport(string Self, string? Leader, ImmutableArray<MemberRow> Members);

    public string Name => "cluster";

    public string Description => "cluster membership";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("show", "cluster show", "members, their status and reachability", []),
    ];

    public Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members
            .Select(m => new MemberRow(m.Address.ToString(), m.Status.ToString(), [.. m.Roles], !state.Unreachable.Contains(m), m.Address == state.Leader, m.Address == cluster.SelfAddress))
            .ToImmutableArray();
        var report = new ClusterReport(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members);
        var lines = members.Select(m => $"{m.Address,-45} {m.Status,-8} {(m.Reachable ? "reachable" : "UNREACHABLE"),-12}{(m.Leader ? " leader" : "")}{(m.Self ? " (self)" : "")}");
        return Task.FromResult(CommandResponse.Success(report, $"{members.Length} member(s)\n{string.Join('\n', lines)}"));
    }
}
