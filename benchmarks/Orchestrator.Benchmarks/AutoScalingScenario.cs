using System.Diagnostics;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;

namespace Orchestrator.Benchmarks;

/// <summary>
/// A group through a scale-out and a zone outage on a real node: created at half its size, scaled to
/// the full size, then one zone loses power (EC2 checks replace its instances in the other zones) and
/// returns (AZRebalance). For each phase: wall time, entity messages sent and process CPU.
/// </summary>
public static class AutoScalingScenario
{
    private const string Name = "bench-asg";

    public static async Task<int> Run(Options options)
    {
        var size = options.Int("instances", 1000);
        var scale = options.Int("time-scale", 100);
        var timeout = TimeSpan.FromSeconds(options.Int("timeout", 600));
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-bench-{Guid.NewGuid():N}");
        var nodeOptions = BenchNode.OptionsFrom(options, dataDir) with { TimeScale = scale };
        try
        {
            await using var node = await BenchNode.Start(nodeOptions);
            var counter = CountingRouter.Install(node);
            var elb = new ElbBench(node);
            var (_, subnets) = await elb.DefaultVpc();
            var zones = subnets.Select(s => s.AvailabilityZone).Distinct().ToList();
            var template = (await elb.Ec2.CreateLaunchTemplate("bench-asg", new LaunchTemplateData(ElbBench.ImageId, "t3.micro"))).Value.LaunchTemplateId;
            var groups = new AutoScalingService(node.Services, node.Options.AccountId);
            Console.WriteLine($"{zones.Count} zones, group of {size / 2} then {size}, x{scale}, {nodeOptions.Persistence.ToString().ToLowerInvariant()}");

            async Task Phase(string name, Func<Task> act, Func<AutoScalingGroup, bool> done)
            {
                var process = Process.GetCurrentProcess();
                process.Refresh();
                var (cpuBefore, messagesBefore, wall) = (process.TotalProcessorTime, counter.Messages, Stopwatch.StartNew());
                await act();
                AutoScalingGroup group;
                while (!done(group = (await groups.Describe([Name])).Single()))
                {
                    if (wall.Elapsed > timeout)
                        throw new TimeoutException($"{name}: not done after {timeout.TotalSeconds:F0} s: {Summary(group)}");
                    await Task.Delay(250);
                }
                process.Refresh();
                var cpu = process.TotalProcessorTime - cpuBefore;
                Console.WriteLine($"summary: {name}: {wall.Elapsed.TotalSeconds:F1} s wall (about {wall.Elapsed.TotalSeconds * scale:F0} s simulated), "
                    + $"{counter.Messages - messagesBefore} entity messages, CPU {cpu.TotalSeconds:F1} s = {cpu.TotalSeconds / wall.Elapsed.TotalSeconds * 100:F0}% of one core; {Summary(group)}");
            }

            bool InService(AutoScalingGroup g, int count, string? except = null) =>
                g.Instances.Count == count && g.Instances.All(i => i.LifecycleState == LifecycleStates.InService && i.AvailabilityZone != except);

            await Phase("create", async () =>
            {
                var created = await groups.Create(Name, 0, size, size / 2,
                    new GroupRequest(LaunchTemplateId: template, VpcZoneIdentifier: string.Join(',', subnets.Select(s => s.SubnetId)), HealthCheckType: "EC2", HealthCheckGracePeriod: 60), [], []);
                if (created.IsError)
                    throw new InvalidOperationException(created.Error!.ToString());
            }, g => InService(g, size / 2));
            await Phase("scale-out", () => groups.Send(Name, new AutoScalingCommands.SetDesiredCapacity(Name, size, false)), g => InService(g, size));
            var failed = zones[^1];
            await Phase($"power outage of {failed}", () => node.Region.Send(new RegionCommands.SetZoneStatus(failed, AzState.Unavailable, OutageMode.Power)),
                g => InService(g, size, except: failed));
            await Phase($"{failed} back, rebalanced", () => node.Region.Send(new RegionCommands.SetZoneStatus(failed, AzState.Available, OutageMode.Power)),
                g => InService(g, size) && g.Instances.GroupBy(i => i.AvailabilityZone).Select(z => z.Count()) is var counts && counts.Count() == zones.Count && counts.Max() - counts.Min() <= 1);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string Summary(AutoScalingGroup group) =>
        $"desired {group.DesiredCapacity}, " + string.Join(" ", group.Instances.GroupBy(i => (i.AvailabilityZone, i.LifecycleState)).OrderBy(g => g.Key)
            .Select(g => $"{g.Key.AvailabilityZone[^1..]}:{g.Key.LifecycleState}={g.Count()}"));
}
