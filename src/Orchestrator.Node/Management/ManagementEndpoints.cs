using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Orchestrator.Actors.Management;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Management;

/// <summary>
/// The management port: health for orchestrators and tests, reset for test suites, and the
/// command host's JSON form (the `orch` CLI and scripts post command lines here).
/// </summary>
public static class ManagementEndpoints
{
    public const string SimTimeHeader = "X-Orchestrator-Sim-Time";

    public sealed record CommandBody(string? Line);

    public sealed record CommandReply(bool Ok, object? Data, string Text, string? ErrorCode, string? ErrorMessage);

    public static void Map(WebApplication app, Func<OrchestratorNode?> node, NodeOptions options)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
            {
                // A 500 is a bug: say what failed so it can become a test.
                await Console.Error.WriteLineAsync($"management {context.Request.Path} failed: {ex}").ConfigureAwait(false);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsJsonAsync(new { error = ex.GetBaseException().Message }).ConfigureAwait(false);
            }
        });
        app.Use(async (context, next) =>
        {
            if (!Authorized(context, options))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { error = "a management token is required when the port is not bound to loopback" }).ConfigureAwait(false);
                return;
            }
            if (node() is { IsReady: true } ready)
                context.Response.Headers[SimTimeHeader] = ready.Clock.Now.ToString("O");
            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", () => node() is { IsReady: true } ready
            ? Results.Ok(new { status = "ready", member = ready.System.Name, simTime = ready.Clock.Now, timeScale = ready.Clock.Parameters.Scale, generation = ready.Region.Snapshot.Current.Generation })
            : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapPost("/_orchestrator/reset", async (CancellationToken cancellationToken) =>
        {
            if (node() is not { IsReady: true } ready)
                return Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            var state = await ready.Reset(cancellationToken).ConfigureAwait(false);
            return Results.Ok(new { status = "reset", generation = state.Generation });
        });

        app.MapGet("/_orchestrator/commands", () => node() is { IsReady: true } ready
            ? Results.Json(ready.Commands.Palettes.Select(p => new { p.Name, p.Description, p.Commands }), json)
            : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapPost("/_orchestrator/commands", async (CommandBody body, CancellationToken cancellationToken) =>
        {
            if (node() is not { IsReady: true } ready)
                return Results.Json(new CommandReply(false, null, "node is starting", "NodeNotReady", "the node is not ready yet"), json, statusCode: StatusCodes.Status503ServiceUnavailable);
            try
            {
                var request = CommandRequest.Parse(body.Line ?? "");
                var response = await ready.Commands.Execute(request, cancellationToken).ConfigureAwait(false);
                return response.Ok
                    ? Results.Json(new CommandReply(true, response.Data, response.Text, null, null), json)
                    : Results.Json(new CommandReply(false, null, response.Text, response.Error!.Code, response.Error.Message), json, statusCode: response.Error.HttpStatus is >= 400 and < 500 ? response.Error.HttpStatus : StatusCodes.Status422UnprocessableEntity);
            }
            catch (CommandUsageException usage)
            {
                return Results.Json(new CommandReply(false, null, usage.Message, "Usage", usage.Message), json, statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }

    /// <summary>Loopback needs no token; any other binding requires `Authorization: Bearer &lt;--management-token&gt;`.</summary>
    internal static bool Authorized(HttpContext context, NodeOptions options)
    {
        if ((System.Net.IPAddress.TryParse(options.ManagementHost, out var address) && System.Net.IPAddress.IsLoopback(address)) || options.ManagementHost == "localhost")
            return true;
        return options.ManagementToken is { Length: > 0 } token && context.Request.Headers.Authorization == $"Bearer {token}";
    }
}
