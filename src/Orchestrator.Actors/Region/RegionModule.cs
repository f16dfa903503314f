using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Region;

/// <summary>The region's own palettes: zone status (`region`) and the simulated clock (`sim`).</summary>
public sealed class RegionModule : IOrchestratorModule
{
    public string Name => "region";

    public void RegisterMessages() => CoreMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => [];

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new RegionPalette(context.Region), new SimPalette(context.Region, context.Services)];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The rows `region show` prints, one per zone.</summary>
    public sealed record ZoneRow(string Name, string ZoneId, string State, string? OutageMode, DateTimeOffset Since);

    public sealed record RegionReport(string Region, long Generation, DateTimeOffset SimTime, double TimeScale, bool Paused, ImmutableArray<ZoneRow> Zones);

    public static RegionReport Report(RegionState state, DateTimeOffset simNow) => new(
        state.Region, state.Generation, simNow, state.Clock.Scale, state.Clock.Paused,
        [.. state.Status.Zones.Select(z => new ZoneRow(z.Name, z.ZoneId, Lower(z.State), z.State == AzState.Unavailable ? Lower(z.Mode) : null, z.Since))]);

    private static string Lower<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    private sealed class RegionPalette(RegionClient region) : ICommandPalette
    {
        public string Name => "region";

        public string Description => "the region's availability zones and their status";

        public IReadOnlyList<CommandDefinition> Commands { get; } =
        [
            new("show", "region show", "zones with their status and outage mode", []),
            new("az-status", "region az-status <az> <available|impaired|unavailable> [--mode power|network]", "set a zone's status (an outage when unavailable)", ["mode"]),
        ];

        public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
        {
            if (request.Command == "show")
                return Render(region.Snapshot.Current);
            var zone = request.Argument(0, "az");
            var state = request.Argument(1, "available|impaired|unavailable") switch
            {
                "available" => AzState.Available,
                "impaired" => AzState.Impaired,
                "unavailable" => AzState.Unavailable,
                var other => throw new CommandUsageException($"unknown zone status '{other}' (available, impaired, unavailable)"),
            };
            var mode = (request.Switch("mode") ?? "power") switch
            {
                "power" => OutageMode.Power,
                "network" => OutageMode.Network,
                var other => throw new CommandUsageException($"unknown outage mode '{other}' (power, network)"),
            };
            var result = await region.Send(new RegionCommands.SetZoneStatus(zone, state, mode), cancellationToken).ConfigureAwait(false);
            return result.IsError ? CommandResponse.Failure(result.Error!) : Render(result.Value);
        }

        private CommandResponse Render(RegionState state)
        {
            var report = Report(state, state.Clock.SimAt(region.WallNow));
            var lines = report.Zones.Select(z => $"{z.Name,-14} {z.ZoneId,-10} {z.State,-12} {z.OutageMode ?? "",-8} since {z.Since:u}");
            return CommandResponse.Success(report, $"region {report.Region} (generation {report.Generation}), sim time {report.SimTime:u}\n{string.Join('\n', lines)}");
        }
    }

    private sealed class SimPalette(RegionClient region, EntityServices services) : ICommandPalette
    {
        public string Name => "sim";

        public string Description => "the cluster's simulated clock";

        public IReadOnlyList<CommandDefinition> Commands { get; } =
        [
            new("time", "sim time", "simulated time now, scale and state", []),
            new("speed", "sim speed <x>", "set the time scale (1 = real time, 60 = an hour a minute)", []),
            new("pause", "sim pause", "freeze simulated time", []),
            new("resume", "sim resume", "let simulated time run again", []),
        ];

        public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
        {
            Result<RegionState> result = request.Command switch
            {
                "time" => region.Snapshot.Current,
                "speed" => await region.Send(new RegionCommands.SetTimeScale(ParseScale(request.Argument(0, "x")), region.WallNow), cancellationToken).ConfigureAwait(false),
                "pause" => await region.Send(new RegionCommands.PauseClock(region.WallNow), cancellationToken).ConfigureAwait(false),
                _ => await region.Send(new RegionCommands.ResumeClock(region.WallNow), cancellationToken).ConfigureAwait(false),
            };
            if (result.IsError)
                return CommandResponse.Failure(result.Error!);
            var clock = result.Value.Clock;
            var report = new ClockReport(services.Clock.Now, clock.Scale, clock.Paused);
            return CommandResponse.Success(report, $"sim time {report.SimTime:O} x{report.TimeScale.ToString(CultureInfo.InvariantCulture)}{(report.Paused ? " (paused)" : "")}");
        }

        private static double ParseScale(string value) =>
            double.TryParse(value.TrimEnd('x'), NumberStyles.Float, CultureInfo.InvariantCulture, out var scale)
                ? scale
                : throw new CommandUsageException($"time scale must be a number, got '{value}'");
    }

    public sealed record ClockReport(DateTimeOffset SimTime, double TimeScale, bool Paused);
}
