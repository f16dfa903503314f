using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Cli;

/// <summary>The host's answer to a command line: `{ok, data, text, errorCode, errorMessage}` and its HTTP status.</summary>
public sealed record HostReply(HttpStatusCode Status, bool Ok, JsonElement? Data, string Text, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>The host's own grammar errors carry the code "Usage" (AWS errors answer 400 as well), 401 is a missing or wrong token, 503 a node still starting.</summary>
    public int ExitCode => Ok ? ExitCodes.Ok : (Status, ErrorCode) switch
    {
        (_, UsageCode) or (HttpStatusCode.Unauthorized, _) => ExitCodes.Usage,
        (HttpStatusCode.ServiceUnavailable, _) => ExitCodes.Unreachable,
        _ => ExitCodes.CommandFailed,
    };

    public const string UsageCode = "Usage";

    public static HostReply Parse(HttpStatusCode status, string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return new HostReply(status, false, null, body, null, body);
        }
        if (root.ValueKind != JsonValueKind.Object)
            return new HostReply(status, false, null, body, null, body);
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var ok = (int)status is >= 200 and < 300 && root.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
        JsonElement? data = root.TryGetProperty("data", out var dataValue) && dataValue.ValueKind != JsonValueKind.Null ? dataValue : null;
        // Command replies carry text and errorMessage; the host's own refusals (401, 500) only {error}.
        var message = Text("errorMessage") ?? Text("error");
        if (status == HttpStatusCode.Unauthorized)
            message = $"{message ?? "unauthorized"} (pass --token or set {Invocation.TokenVariable})";
        return new HostReply(status, ok, data, Text("text") ?? message ?? "", Text("errorCode"), message);
    }
}

/// <summary>HTTP to a node's management port; anything short of an HTTP answer is "unreachable".</summary>
public sealed class ManagementClient(HttpClient http)
{
    public static HttpClient CreateHttp(Uri host, string? token, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.BaseAddress = host;
        // Commands like a launch of many instances answer when done: give them time, Ctrl+C ends the wait.
        client.Timeout = TimeSpan.FromMinutes(5);
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<IReadOnlyList<PaletteInfo>> Palettes(CancellationToken cancellationToken)
    {
        var (status, body) = await Send(() => new HttpRequestMessage(HttpMethod.Get, "/_orchestrator/commands"), cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            var refused = HostReply.Parse(status, body);
            throw new CliException(refused.ExitCode, $"{http.BaseAddress?.Authority} did not list its commands: {(int)status} {refused.ErrorMessage ?? refused.Text}".TrimEnd());
        }
        return PaletteInfo.ParseList(body);
    }

    public async Task<HostReply> Execute(string line, CancellationToken cancellationToken)
    {
        var (status, body) = await Send(() => new HttpRequestMessage(HttpMethod.Post, "/_orchestrator/commands") { Content = JsonContent.Create(new { line }) }, cancellationToken).ConfigureAwait(false);
        return HostReply.Parse(status, body);
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"{http.BaseAddress?.Authority} is unreachable: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"{http.BaseAddress?.Authority} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
    }
}
