using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Logs;

namespace Orchestrator.Actors.Logs;

/// <summary>CloudWatch Logs: log groups with their streams and events, and the /orchestrator/ groups other modules write to.</summary>
public sealed class LogsModule : IOrchestratorModule
{
    public string Name => "logs";

    public void RegisterMessages() => LogsMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => LogsKinds.All(services);

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new LogsPalette(new LogsService(context.Services, context.AccountId))];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The `logs` palette: the groups there are, and the latest lines of one (what Orchestrator wrote under /orchestrator/, say).</summary>
public sealed class LogsPalette(LogsService logs) : ICommandPalette
{
    public sealed record GroupRow(string Name, int? RetentionInDays, long StoredBytes);

    public sealed record LineRow(string Stream, DateTimeOffset Timestamp, string Message);

    private const int DefaultLines = 20;

    public string Name => "logs";

    public string Description => "CloudWatch Logs: log groups and their latest events";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("groups", "logs groups", "log groups, their retention and stored bytes", []),
        new("tail", "logs tail <group> [--limit N]", "the latest events of a group across its streams (default 20)", ["limit"]),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        if (request.Command == "groups")
        {
            var rows = (await logs.Groups().ConfigureAwait(false)).Select(g => new GroupRow(g.LogGroupName, g.RetentionInDays, g.StoredBytes)).ToList();
            return CommandResponse.Success(new { groups = rows }, rows.Count == 0 ? "no log groups"
                : string.Join('\n', rows.Select(r => $"{r.Name,-40} {(r.RetentionInDays is { } days ? $"{days} days" : "never expire"),-14} {r.StoredBytes} bytes")));
        }
        var group = request.Argument(0, "group");
        var limit = DefaultLines;
        if (request.Switch("limit") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > LogReads.MaxLimit))
            throw new CommandUsageException($"--limit must be between 1 and {LogReads.MaxLimit}, got '{text}'");
        // FilterLogEvents walks forward; the tail is the end of the walk (the group holds a bounded number of events).
        var lines = new List<LineRow>();
        string? token = null;
        do
        {
            var page = await logs.FilterEvents(new LogGroupQueries.FilterEvents(group, [], null, null, null, null, token, null), cancellationToken).ConfigureAwait(false);
            if (page.IsError)
                return CommandResponse.Failure(page.Error!);
            lines.AddRange(page.Value.Events.Select(e => new LineRow(e.LogStreamName, DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp), e.Message)));
            if (lines.Count > limit)
                lines.RemoveRange(0, lines.Count - limit);
            token = page.Value.NextToken;
        }
        while (token is not null);
        return CommandResponse.Success(new { events = lines }, lines.Count == 0 ? $"{group}: no events"
            : string.Join('\n', lines.Select(l => $"{l.Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {l.Stream,-20} {l.Message}")));
    }
}
