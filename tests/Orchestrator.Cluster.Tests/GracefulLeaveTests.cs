using System.Diagnostics;
using Xunit.Abstractions;

namespace Orchestrator.Cluster.Tests;

[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class GracefulLeaveTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MembershipDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public Task A_node_sent_SIGTERM_leaves_the_cluster_and_exits_0() => WithLogsOnFailure(async () =>
    {
        var (survivor, leaver) = (Cluster.Nodes[0], Cluster.Nodes[2]);
        var before = await Members(survivor.Client);
        Assert.NotNull(before);
        Assert.Equal(NodeCount, before.Count);

        var clock = Stopwatch.StartNew();
        await leaver.Terminate();
        Assert.True(await leaver.WaitForExit(ExitDeadline), $"{leaver.Name} did not exit within {ExitDeadline.TotalSeconds:0} s of SIGTERM");
        var exited = clock.Elapsed;
        Assert.Equal(0, leaver.ExitCode);

        Dictionary<string, (string Status, bool Reachable)>? seen = null;
        await Infrastructure.Poll.Until(async () =>
        {
            seen = await Members(survivor.Client, TimeSpan.FromSeconds(5));
            return seen is { Count: NodeCount - 1 }
                   && !seen.ContainsKey(leaver.Address)
                   && seen.Values.All(m => m is { Status: "Up", Reachable: true });
        }, MembershipDeadline, $"{survivor.Name} showing {NodeCount - 1} Up members without {leaver.Address}",
            () => seen is null ? "no answer" : string.Join(", ", seen.Select(m => $"{m.Key} {m.Value.Status}{(m.Value.Reachable ? "" : " unreachable")}")));
        var gone = clock.Elapsed;

        Assert.True(await survivor.Client.IsReady(), $"{survivor.Name} is no longer ready");
        Assert.True(await Cluster.Nodes[1].Client.IsReady(), $"{Cluster.Nodes[1].Name} is no longer ready");
        Log($"SIGTERM -> {leaver.Name} exited 0 after {exited.TotalSeconds:0.0} s; {survivor.Name} shows {NodeCount - 1} members after {gone.TotalSeconds:0.0} s");
    });
}
