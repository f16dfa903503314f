using System.Text.Json.Nodes;
using Orchestrator.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Cluster.Tests;

/// <summary>
/// A fresh 3-node cluster (own PostgreSQL, free ports) per test; the nodes' logs go to the test output when
/// the test fails, and everything is torn down whatever happened.
/// </summary>
public abstract class ClusterTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    protected const int NodeCount = 3;

    private LocalCluster? _cluster;

    protected LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster did not start");

    /// <summary>Extra options for every node.</summary>
    protected virtual string[] NodeArguments => ["--time-scale", "1"];

    protected void Log(string line)
    {
        try
        {
            output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
        }
        catch (InvalidOperationException)
        {
            // No active test any more (disposal after the run was reported).
        }
    }

    public async Task InitializeAsync() => _cluster = await LocalCluster.Start(NodeCount, Log, NodeArguments);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }

    /// <summary>Runs the test body; on failure the nodes' logs go to the output before the failure propagates.</summary>
    protected async Task WithLogsOnFailure(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            Log("test failed: node logs follow\n" + Cluster.Logs());
            throw;
        }
    }

    /// <summary>`cluster show` rows as seen by <paramref name="via"/>: address -> (status, reachable).</summary>
    protected static async Task<Dictionary<string, (string Status, bool Reachable)>?> Members(ManagementClient via, TimeSpan? timeout = null)
    {
        var result = await via.Command("cluster show", timeout);
        if (!result.Ok || result.Data?["members"] is not JsonArray members)
            return null;
        return members.OfType<JsonNode>().ToDictionary(
            m => m["address"]!.GetValue<string>(),
            m => (m["status"]!.GetValue<string>(), m["reachable"]!.GetValue<bool>()),
            StringComparer.Ordinal);
    }
}
