using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Requests per second and latency through one real listener port: an ALB with an HTTP listener
/// forwarding to a group of instances, served on loopback by <see cref="ListenerPorts"/>, loaded by
/// wrk (when installed) or the harness's own closed-loop HttpClient generator.
/// </summary>
public static partial class ListenerScenario
{
    public static async Task<int> Run(Options options)
    {
        var scale = options.Int("time-scale", 600);
        var instanceCount = options.Int("instances", 4);
        var instanceType = options.String("instance-type", "t3.large");
        var offset = options.Int("offset", 18000);
        var connections = options.Int("connections", 32);
        var duration = TimeSpan.FromSeconds(options.Int("duration", 30));
        var client = options.String("client", WrkPath() is null ? "internal" : "wrk");
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-bench-{Guid.NewGuid():N}");
        var nodeOptions = BenchNode.OptionsFrom(options, dataDir) with { TimeScale = scale, ListenerPortOffset = offset };
        try
        {
            await using var node = await BenchNode.Start(nodeOptions);
            await using var ports = new ListenerPorts(node, offset, "127.0.0.1", line => Console.WriteLine($"  ports: {line}"));
            ports.Start();
            var elb = new ElbBench(node);
            var (vpcId, subnets) = await elb.DefaultVpc();
            var instances = await elb.Launch(instanceCount, instanceType, subnets, 1, 1);
            await elb.WaitRunning(instanceCount, TimeSpan.FromMinutes(1));
            var group = await elb.CreateGroup("bench-web", vpcId);
            await elb.Register(group.TargetGroupArn, instances);
            var lb = await elb.CreateAlbForwardingTo("bench-web", subnets, group.TargetGroupArn);
            await elb.WaitHealthy([group.TargetGroupArn], instanceCount, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
            var url = $"http://127.0.0.1:{ports.LocalPortOf(80)}/";
            await WaitServing(url, TimeSpan.FromMinutes(1));
            Console.WriteLine($"{lb.LoadBalancerName} active, {instanceCount} {instanceType} targets healthy, serving {url} at x{scale}");

            // Warm-up (JIT, connection setup), then the measured run; the node's CPU is this process's.
            await Internal(url, connections, TimeSpan.FromSeconds(5));
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var gcBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var loadBefore = ElbBench.LoadAverage();
            var wall = Stopwatch.StartNew();
            var result = client == "wrk"
                ? await Wrk(url, options.Int("threads", 2), connections, duration)
                : await Internal(url, connections, duration);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var elapsed = wall.Elapsed;
            var gc = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - gcBefore[g]).ToArray();
            Console.WriteLine($"load average before/after the run: {loadBefore} / {ElbBench.LoadAverage()}");
            Console.WriteLine($"summary: listener {client} c{connections} {duration.TotalSeconds:F0} s, {instanceCount} {instanceType} at x{scale}: {result.PerSecond:F0} req/s, "
                + $"p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms, statuses {result.Statuses}; "
                + $"this process (node{(client == "internal" ? " and client" : "")}) {cpu.TotalSeconds / elapsed.TotalSeconds * 100:F0}% of a core, GC gen0/1/2 {gc[0]}/{gc[1]}/{gc[2]}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    private sealed record LoadResult(double PerSecond, double P50Ms, double P99Ms, string Statuses);

    private static string? WrkPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "wrk")).FirstOrDefault(File.Exists);

    private static async Task WaitServing(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if ((await http.GetAsync(url)).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{url} did not answer 200 within {timeout.TotalSeconds:F0} s");
            await Task.Delay(200);
        }
    }

    /// <summary>Closed loop: each connection sends its next request when the previous answer is read.</summary>
    private static async Task<LoadResult> Internal(string url, int connections, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var statuses = new ConcurrentDictionary<string, int>();
        var latencies = new List<double>[connections];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(1 << 16);
            while (stop.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                string status;
                try
                {
                    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                    status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                }
                catch (HttpRequestException)
                {
                    status = "error";
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        })));
        var elapsed = stop.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        var result = new LoadResult(all.Length / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99),
            string.Join(" ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value}")));
        Console.WriteLine($"internal c{connections} {elapsed.TotalSeconds:F1} s: {all.Length} requests, {result.PerSecond:F0}/s, p50 {result.P50Ms:F2} ms, p90 {Percentile(0.90):F2} ms, p99 {result.P99Ms:F2} ms, max {(all.Length == 0 ? 0 : all[^1]):F2} ms, {result.Statuses}");
        return result;
    }

    /// <summary>wrk with its latency distribution; its output is printed as is and the figures read from it.</summary>
    private static async Task<LoadResult> Wrk(string url, int threads, int connections, TimeSpan duration)
    {
        var arguments = $"-t{threads} -c{connections} -d{duration.TotalSeconds:F0}s --latency {url}";
        Console.WriteLine($"wrk {arguments}");
        using var wrk = Process.Start(new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true })!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Console.Write(output);
        var requests = Number(RequestsPerSecond(), output);
        var non2xx = NonSuccess().Match(output) is { Success: true } m ? m.Groups[1].Value : "0";
        var errors = SocketErrors().Match(output) is { Success: true } e ? $" socket errors: {e.Groups[1].Value}" : "";
        return new LoadResult(requests, Latency("50%", output), Latency("99%", output), $"non-2xx/3xx:{non2xx}{errors}");
    }

    private static double Number(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    /// <summary>A percentile line of wrk's latency distribution ("50%  1.23ms"), in ms.</summary>
    private static double Latency(string percentile, string output)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
            return double.NaN;
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:\s+(.*)")]
    private static partial Regex SocketErrors();
}
