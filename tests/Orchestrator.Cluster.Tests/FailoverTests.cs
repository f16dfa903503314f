using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.Cluster.Tests;

[Collection(ClusterCollection.Name)]
[Trait("Category", ClusterCollection.Category)]
public sealed class FailoverTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    private const string Image = "ami-0c02fb55956c7d316";
    private const string InstanceType = "t3.micro";
    private const int BatchSize = 11;

    /// <summary>pending -> running takes 10 simulated seconds; the nodes run at --time-scale 1.</summary>
    private static readonly TimeSpan BootTime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The documented bound on SIGKILL -> every instance hosted (and answering) on a survivor. Measured on a
    /// 2-core box when the oldest node (coordinator, singletons, seed) dies: 8.4-9.2 s, also with both cores
    /// kept busy (stack-findings.md: 9.9 s); the target being tuned toward (hocon/orchestrator.conf: failure
    /// detector, split-brain stable-after) is 5 s. 45 s leaves room for a loaded CI machine while still
    /// catching a regression to the Akka defaults (~47 s).
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    /// <summary>How long the test waits for the expected end state at all.</summary>
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Per request while polling: a query stuck on the dead node counts as "not yet".</summary>
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Per entity-location query while polling: short, so the measured time stays close to the real one.</summary>
    private static readonly TimeSpan LocateTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public Task Instances_come_back_on_survivors_after_SIGKILL_of_their_node() => WithLogsOnFailure(async () =>
    {
        // Talk to a non-seed node: the node killed may then be the oldest (coordinator and singletons move too).
        var a = Cluster.Nodes[1];
        var client = a.Client;

        // One instance to stop: only a running instance can be stopped, so it boots first.
        var stoppedId = Instances(await client.Require($"ec2 launch --image {Image} --type {InstanceType}")).Single().Id;
        Dictionary<string, string>? first = null;
        await Poll.Until(async () => (first = await Describe(client, [stoppedId], PollTimeout))?.GetValueOrDefault(stoppedId) == "running",
            TimeSpan.FromSeconds(60), $"{stoppedId} running", () => Show(first));
        var stop = await client.Require($"ec2 stop {stoppedId}");
        Assert.Equal(stoppedId, stop["instanceId"]?.GetValue<string>());
        Assert.Contains(stop["currentState"]?.GetValue<string>(), new[] { "stopping", "stopped" });

        // The rest right before the kill, so the ones on the killed node are still booting when it dies.
        var launched = Stopwatch.StartNew();
        var batch = Instances(await client.Require($"ec2 launch --image {Image} --type {InstanceType} --count {BatchSize}"));
        Assert.Equal(BatchSize, batch.Count);
        Assert.All(batch, i => Assert.Equal("pending", i.State));
        string[] ids = [stoppedId, .. batch.Select(i => i.Id)];

        var before = await Locate(Cluster.Nodes, ids, ManagementClient.DefaultTimeout);
        var unplaced = ids.Where(id => before[id].Host is null).ToList();
        Assert.True(unplaced.Count == 0, $"no node reports hosting {string.Join("; ", unplaced.Select(id => $"{id}: {before[id].Answers}"))}");
        int Hosted(NodeProcess node) => ids.Count(id => before[id].Host == node);
        Log("placement: " + string.Join(", ", Cluster.Nodes.Select(n => $"{n.Name} {Hosted(n)} [{string.Join(' ', ids.Where(id => before[id].Host == n))}]")));

        // Prefer the oldest node (shard coordinator, region singleton, seed): the hardest case.
        var b = Cluster.Nodes.Where(n => n != a && Hosted(n) > 0)
            .OrderByDescending(n => n == Cluster.Nodes[0]).ThenByDescending(Hosted).FirstOrDefault();
        Assert.True(b is not null, $"every instance landed on {a.Name}, the node we talk to: nothing to fail over");
        var onB = ids.Where(id => before[id].Host == b).ToList();

        var sinceLaunch = launched.Elapsed;
        b.Kill();
        var sinceKill = Stopwatch.StartNew();
        var pendingOnB = onB.Count(id => id != stoppedId);
        Log($"SIGKILL {b.Name} ({b.Address}{(b == Cluster.Nodes[0] ? ", the oldest" : "")}) hosting {onB.Count} instance(s), "
            + $"{pendingOnB} launched {sinceLaunch.TotalSeconds:0.0} s earlier (booting: boot takes {BootTime.TotalSeconds:0} s); polling via {a.Name}");
        Assert.True(pendingOnB > 0 && sinceLaunch < BootTime - TimeSpan.FromSeconds(1),
            $"no instance on {b.Name} was still booting at the kill ({pendingOnB} launched {sinceLaunch.TotalSeconds:0.0} s before): the re-armed boot deadline is not exercised");

        // Each survivor is asked where each instance is; an instance is back once a survivor reports hosting it
        // itself (a node that never routed to a shard's new home cannot tell, and says "not started").
        var survivors = Cluster.Nodes.Where(n => n != b).ToList();
        TimeSpan? unreachable = null, removed = null, answered = null, settled = null;
        Dictionary<string, string>? states = null;
        var located = new Dictionary<string, (NodeProcess Host, TimeSpan At)>(StringComparer.Ordinal);
        var lastAnswers = new Dictionary<string, string>(StringComparer.Ordinal);
        var runningAt = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var membership = "";
        while (sinceKill.Elapsed < RecoveryDeadline)
        {
            var members = await Members(client, PollTimeout);
            if (members is not null)
            {
                membership = string.Join(", ", members.Select(m => $"{m.Key} {m.Value.Status}{(m.Value.Reachable ? "" : " unreachable")}"));
                if (!members.TryGetValue(b.Address, out var member))
                    (unreachable, removed) = (unreachable ?? sinceKill.Elapsed, removed ?? sinceKill.Elapsed);
                else if (!member.Reachable)
                    unreachable ??= sinceKill.Elapsed;
            }
            var pending = ids.Where(id => !located.ContainsKey(id)).ToList();
            if (pending.Count > 0)
            {
                foreach (var (id, where) in await Locate(survivors, pending, LocateTimeout))
                {
                    lastAnswers[id] = where.Answers;
                    if (where.Host is { } host)
                        located[id] = (host, sinceKill.Elapsed);
                }
            }
            states = await Describe(client, ids, PollTimeout);
            foreach (var (id, state) in states ?? [])
            {
                if (state == "running" && id != stoppedId)
                    runningAt.TryAdd(id, launched.Elapsed);
            }
            var allAnswer = states is not null && ids.All(states.ContainsKey) && located.Count == ids.Length;
            if (allAnswer)
                answered ??= located.Values.Max(l => l.At);
            if (allAnswer && states![stoppedId] is "stopping" or "stopped" && batch.All(i => states[i.Id] == "running"))
            {
                settled = sinceKill.Elapsed;
                break;
            }
            await Task.Delay(Poll.Interval);
        }

        static string Seconds(TimeSpan? t) => t is { } value ? $"{value.TotalSeconds:0.0} s" : "never";
        Log($"after SIGKILL of {b.Name}: unreachable {Seconds(unreachable)}, removed {Seconds(removed)}, "
            + $"all {ids.Length} instances answering on survivors {Seconds(answered)}, all in their expected states {Seconds(settled)} "
            + $"(bound {RecoveryBound.TotalSeconds:0} s, target 5 s)");
        Log("moved: " + string.Join(", ", onB.Select(id => located.TryGetValue(id, out var l) ? $"{id} -> {l.Host.Name} at {l.At.TotalSeconds:0.0} s" : $"{id} -> nowhere")));
        string Booted(IEnumerable<string> which) => which.Where(runningAt.ContainsKey).Select(id => runningAt[id].TotalSeconds).ToList() is { Count: > 0 } t
            ? $"{t.Min():0.0}-{t.Max():0.0} s" : "n/a";
        Log($"pending -> running seen (since the launch, boot is {BootTime.TotalSeconds:0} s): instances of {b.Name} {Booted(onB)}, the others {Booted(ids.Except(onB))}");
        Assert.True(settled is not null,
            $"not every instance was back in its expected state within {RecoveryDeadline.TotalSeconds:0} s of the kill "
            + $"(expected {stoppedId} stopping/stopped, the others running, each hosted by {string.Join(" or ", survivors.Select(n => n.Name))}). "
            + $"Last seen: states {Show(states)}; not located: {string.Join("; ", ids.Where(id => !located.ContainsKey(id)).Select(id => $"{id}: {lastAnswers.GetValueOrDefault(id)}"))}; members {membership}");
        Assert.True(answered <= RecoveryBound,
            $"instances answered on survivors {answered!.Value.TotalSeconds:0.0} s after the kill: over the {RecoveryBound.TotalSeconds:0} s bound");
    });

    private sealed record InstanceRow(string Id, string State);

    private static List<InstanceRow> Instances(JsonNode data) =>
        [.. (data["instances"] as JsonArray ?? throw new InvalidOperationException($"no instances in {data.ToJsonString()}"))
            .OfType<JsonNode>()
            .Select(i => new InstanceRow(i["instanceId"]!.GetValue<string>(), i["state"]!.GetValue<string>()))];

    /// <summary>`ec2 describe` of the ids: id -> state, or null when the command did not answer ok.</summary>
    private static async Task<Dictionary<string, string>?> Describe(ManagementClient client, IEnumerable<string> ids, TimeSpan timeout)
    {
        var result = await client.Command($"ec2 describe {string.Join(' ', ids)}", timeout);
        return result is { Ok: true, Data: { } data } ? Instances(data).ToDictionary(i => i.Id, i => i.State, StringComparer.Ordinal) : null;
    }

    /// <summary>
    /// entity-location of each id asked of every given node: the node that reports hosting it itself (null if none
    /// does) and every node's answer, for messages.
    /// </summary>
    private static async Task<Dictionary<string, (NodeProcess? Host, string Answers)>> Locate(IReadOnlyList<NodeProcess> nodes, IReadOnlyList<string> ids, TimeSpan timeout)
    {
        var queries = ids.SelectMany(id => nodes.Select(node => (id, node))).ToList();
        var results = await Task.WhenAll(queries.Select(q => q.node.Client.Command($"cluster-sharding entity-location -r instance -e {q.id}", timeout)));
        var located = new Dictionary<string, (NodeProcess? Host, string Answers)>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var answers = queries.Select((q, i) => (q.id, q.node, Result: results[i])).Where(q => q.id == id).ToList();
            string? Address(CommandResult r) => r is { Ok: true, Data: { } data } ? data["address"]?.GetValue<string>() : null;
            var host = answers.FirstOrDefault(a => Address(a.Result) == a.node.Address).node;
            var text = string.Join(", ", answers.Select(a => $"{a.node.Name} says {a.Result switch
            {
                { Ok: true } r => Address(r) ?? "not started",
                var failed => $"{failed.ErrorCode} {failed.ErrorMessage}",
            }}"));
            located[id] = (host, text);
        }
        return located;
    }

    private static string Show(Dictionary<string, string>? states) =>
        states is null ? "(no answer)" : string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"));
}
