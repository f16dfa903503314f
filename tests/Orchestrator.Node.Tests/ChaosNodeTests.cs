using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Orchestrator.Node.Tests.NodeProcessTests;

namespace Orchestrator.Node.Tests;

/// <summary>Chaos through the management endpoint of a node process, across a restart of that process.</summary>
public sealed class ChaosNodeTests
{
    private static async Task<JsonElement> Command(HttpClient http, string line)
    {
        var response = await http.PostAsJsonAsync("/_orchestrator/commands", new { line });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{line} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<string> ZoneState(HttpClient http, string zone) =>
        (await Command(http, "region show")).GetProperty("data").GetProperty("zones").EnumerateArray()
            .Single(z => z.GetProperty("name").GetString() == zone).GetProperty("state").GetString()!;

    private static async Task<string> ChaosLog(HttpClient api)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("""{"logGroupName":"/orchestrator/chaos"}""", Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Logs_20140328.FilterLogEvents");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        using var response = await api.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_timed_outage_ends_by_its_persisted_deadline_after_the_node_restarts_and_is_logged()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"orch-chaos-{Guid.NewGuid():N}");
        var management = FreePort();
        var apiPort = FreePort();
        string[] args = ["--data-dir", dataDir, "--management-port", management.ToString(), "--node-port", FreePort().ToString(), "--api-port", apiPort.ToString(), "--time-scale", "20"];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management}"), Timeout = TimeSpan.FromSeconds(20) };
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var (node, output) = StartNode(args);
            using (node)
            {
                await WaitReady(http, node, output);
                var started = await Command(http, "chaos az-outage us-east-1a --for 5m");
                Assert.Equal("active", started.GetProperty("data").GetProperty("faults")[0].GetProperty("status").GetString());
                Assert.Equal("unavailable", await ZoneState(http, "us-east-1a"));
                Assert.Equal(0, Terminate(node));
                AssertExitedCleanly(await ExitCode(node, TimeSpan.FromSeconds(30)), output);
            }

            var (again, output2) = StartNode(args);
            using (again)
            {
                await WaitReady(http, again, output2);
                // Nobody asks the ledger: its kind remembers it, so it restarts by itself and fires its overdue or pending deadline.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
                while (await ZoneState(http, "us-east-1a") != "available")
                {
                    Assert.True(DateTime.UtcNow < deadline, $"the zone never came back; output:\n{output2}");
                    await Task.Delay(200);
                }
                var fault = (await Command(http, "chaos list")).GetProperty("data").GetProperty("faults").EnumerateArray().Single();
                Assert.Equal("ended", fault.GetProperty("status").GetString());
                Assert.True(fault.GetProperty("endedAt").GetDateTimeOffset() >= fault.GetProperty("until").GetDateTimeOffset());

                var logDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                string log;
                while (!(log = await ChaosLog(api)).Contains("ended az-outage us-east-1a (duration elapsed)", StringComparison.Ordinal))
                {
                    Assert.True(DateTime.UtcNow < logDeadline, $"no end line in /orchestrator/chaos: {log}");
                    await Task.Delay(200);
                }
                Assert.Contains("started az-outage us-east-1a unavailable (power)", log);
                Terminate(again);
                AssertExitedCleanly(await ExitCode(again, TimeSpan.FromSeconds(30)), output2);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
