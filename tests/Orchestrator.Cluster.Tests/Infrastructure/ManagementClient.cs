using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Cluster.Tests.Infrastructure;

/// <summary>What a command line answered (Status 0: no HTTP answer at all, e.g. a timeout or a refused connection).</summary>
public sealed record CommandResult(string Line, int Status, bool Ok, JsonNode? Data, string Text, string? ErrorCode, string? ErrorMessage)
{
    public override string ToString() =>
        Ok ? $"'{Line}' -> ok: {Data?.ToJsonString()}" : $"'{Line}' -> HTTP {Status} {ErrorCode}: {ErrorMessage ?? Text}";
}

/// <summary>A node's management port: health and the command host's JSON form.</summary>
public sealed class ManagementClient(int port) : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };

    public int Port => port;

    /// <summary>Runs a command line; transport failures and timeouts come back as Status 0, never as exceptions.</summary>
    public async Task<CommandResult> Command(string line, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            using var response = await _http.PostAsJsonAsync("/_orchestrator/commands", new { line }, cancel.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancel.Token).ConfigureAwait(false);
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException)
            {
                return new CommandResult(line, (int)response.StatusCode, false, null, body, "NotJson", $"HTTP {(int)response.StatusCode} with a body that is not JSON: {body}");
            }
            return new CommandResult(
                line,
                (int)response.StatusCode,
                response.IsSuccessStatusCode && json?["ok"]?.GetValue<bool>() == true,
                json?["data"],
                json?["text"]?.GetValue<string>() ?? "",
                json?["errorCode"]?.GetValue<string>() ?? json?["error"]?.GetValue<string>(),
                json?["errorMessage"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new CommandResult(line, 0, false, null, "", ex is OperationCanceledException ? "Timeout" : "Unreachable", ex.Message);
        }
    }

    /// <summary>Runs a command line that must succeed; the exception names the line and what came back.</summary>
    public async Task<JsonNode> Require(string line, TimeSpan? timeout = null)
    {
        var result = await Command(line, timeout).ConfigureAwait(false);
        if (!result.Ok)
            throw new CommandFailedException(result);
        return result.Data ?? throw new CommandFailedException(result with { ErrorMessage = "ok but no data" });
    }

    /// <summary>Whether GET /health/ready answers 200 (false on 503 or no answer).</summary>
    public async Task<bool> IsReady()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await _http.GetAsync("/health/ready", cancel.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}

public sealed class CommandFailedException(CommandResult result) : Exception(result.ToString())
{
    public CommandResult Result { get; } = result;
}
