using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Persistence;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Elb;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The CPU cost of health checks: G target groups of T instance targets each (real instances in the
/// default VPC, registered through TargetGroupService), each group used by a load balancer so its
/// rounds run; once every target is healthy, the process's CPU, probes, GC and journal writes over a window.
/// </summary>
public static class HealthCheckScenario
{
    public static async Task<int> Run(Options options)
    {
        var groups = options.Int("groups", 100);
        var perGroup = options.Int("targets", 100);
        var window = TimeSpan.FromSeconds(options.Int("window", 120));
        var scale = options.Int("time-scale", 1);
        var attach = options.String("attach", "lb");
        var batch = options.Int("batch", 100);
        var total = groups * perGroup;
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-bench-{Guid.NewGuid():N}");
        var nodeOptions = BenchNode.OptionsFrom(options, dataDir) with { TimeScale = scale };
        try
        {
            await using var node = await BenchNode.Start(nodeOptions);
            var counter = CountingRouter.Install(node);
            var elb = new ElbBench(node);
            var (vpcId, subnets) = await elb.DefaultVpc();
            var setup = Stopwatch.StartNew();

            var instances = await elb.Launch(total, "t3.micro", subnets, batch, options.Int("in-flight", 8));
            Console.WriteLine($"launched {instances.Count} instances in {setup.Elapsed.TotalSeconds:F1} s ({BenchNode.PerSecond(instances.Count, setup.Elapsed):F0}/s)");
            await elb.WaitRunning(total, TimeSpan.FromMinutes(5));
            Console.WriteLine($"all running at {setup.Elapsed.TotalSeconds:F1} s");

            var arns = new List<string>(groups);
            for (var g = 0; g < groups; g++)
                arns.Add((await elb.CreateGroup($"bench-{g}", vpcId)).TargetGroupArn);
            using (var gate = new SemaphoreSlim(4))
                await Task.WhenAll(arns.Select(async (arn, g) =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        await elb.Register(arn, instances.Skip(g * perGroup).Take(perGroup));
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            Console.WriteLine($"{groups} groups created and {total} targets registered at {setup.Elapsed.TotalSeconds:F1} s");

            var zones = subnets.Select(s => s.AvailabilityZone).ToImmutableArray();
            for (var g = 0; g < groups && attach != "none"; g++)
            {
                if (attach == "direct")
                {
                    // A stand-in load balancer: the group probes while one uses it; its router finds no balancer and stops.
                    var groupId = ElbArn.TryParse(arns[g], out var parsed) ? parsed.Id : throw new InvalidOperationException(arns[g]);
                    var lbArn = ElbArn.ForLoadBalancer(node.Options.Region, node.Options.AccountId, LoadBalancerTypes.Application, $"bench-{g}", ElbArn.NewId());
                    await node.Router.Ask<object>(TargetGroupKinds.TargetGroup, groupId, new TargetGroupCommands.UseByLoadBalancer(groupId, lbArn, zones), TimeSpan.FromSeconds(30));
                }
                else
                    await elb.CreateAlbForwardingTo($"bench-{g}", subnets, arns[g]);
            }
            if (attach == "none")
                // The baseline: the same node, instances and groups, but no load balancer, so no probes.
                Console.WriteLine($"no group in use (baseline: nothing is probed); measuring {window.TotalSeconds:F0} s");
            else
            {
                Console.WriteLine($"{groups} groups in use ({(attach == "direct" ? "UseByLoadBalancer sent directly" : "one ALB with an HTTP listener each")}) at {setup.Elapsed.TotalSeconds:F1} s");
                await elb.WaitHealthy(arns, total, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));
                Console.WriteLine($"all {total} targets healthy at {setup.Elapsed.TotalSeconds:F1} s; measuring {window.TotalSeconds:F0} s");
            }
            // Let the last polls and setup work settle before the window opens; after becoming healthy each
            // target's consecutive-pass counter still climbs (one event per group and round) up to the threshold.
            await Task.Delay(TimeSpan.FromSeconds(options.Int("settle", 5)));

            var journal = nodeOptions.Persistence == PersistenceMode.Sqlite ? Akka.Persistence.Persistence.Instance.Apply(node.System).JournalFor(null) : null;
            var process = Process.GetCurrentProcess();
            var statsBefore = journal is null ? null : await journal.Ask<GroupCommitJournalStats>(GroupCommitSqliteJournal.GetStats.Instance, TimeSpan.FromSeconds(10));
            var gcBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            var probesBefore = counter.Probes;
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var loadBefore = ElbBench.LoadAverage();
            var wall = Stopwatch.StartNew();
            await Task.Delay(window);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var elapsed = wall.Elapsed;
            var probes = counter.Probes - probesBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            var gc = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - gcBefore[g]).ToArray();
            var statsAfter = journal is null ? null : await journal.Ask<GroupCommitJournalStats>(GroupCommitSqliteJournal.GetStats.Instance, TimeSpan.FromSeconds(10));

            var ofCore = cpu.TotalSeconds / elapsed.TotalSeconds * 100;
            Console.WriteLine($"load average before/after the window: {loadBefore} / {ElbBench.LoadAverage()}");
            Console.WriteLine($"window {elapsed.TotalSeconds:F1} s wall at x{scale}: CPU {cpu.TotalSeconds:F2} s = {ofCore:F1}% of one core, {ofCore / Environment.ProcessorCount:F1}% of the machine ({Environment.ProcessorCount} cores)");
            Console.WriteLine($"probes {probes} = {probes / elapsed.TotalSeconds:F0}/s (expected {total * scale / 30.0:F0}/s), {(probes == 0 ? 0 : cpu.TotalMilliseconds * 1000 / probes):F0} us CPU and {(probes == 0 ? 0 : allocated / probes):F0} B allocated per probe");
            Console.WriteLine($"GC gen0/1/2 {gc[0]}/{gc[1]}/{gc[2]}, allocated {allocated / 1048576.0:F0} MB ({allocated / 1048576.0 / elapsed.TotalSeconds:F1} MB/s), working set {process.WorkingSet64 / 1048576} MB, managed heap {GC.GetTotalMemory(false) / 1048576} MB");
            if (statsBefore is not null && statsAfter is not null)
                Console.WriteLine($"journal during the window: {statsAfter.CommittedEvents - statsBefore.CommittedEvents} events in {statsAfter.CommittedTransactions - statsBefore.CommittedTransactions} transactions");
            var healthyAfter = await elb.Healthy(arns);
            Console.WriteLine($"summary: healthchecks {groups}x{perGroup} {nodeOptions.Persistence.ToString().ToLowerInvariant()} attach={attach} x{scale}: {ofCore:F1}% of a core, {probes / elapsed.TotalSeconds:F0} probes/s, gen0/1/2 {gc[0]}/{gc[1]}/{gc[2]}, ws {process.WorkingSet64 / 1048576} MB, healthy after {healthyAfter}/{total}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }
}
