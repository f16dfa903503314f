using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>CloudWatch: metric series (fed by PutMetricData and by the node's metric sink), metric alarms and dashboards.</summary>
public sealed class CloudWatchModule : IOrchestratorModule
{
    public string Name => "cloudwatch";

    public void RegisterMessages() => CloudWatchMessages.Register();

    public IEnumerable<EntityKind> EntityKinds(EntityServices services) => CloudWatchKinds.All(services).Concat(AlarmKinds.All(services)).Concat(CompositeAlarmKinds.All(services)).Concat(ResourceTagsKinds.All(services));

    public IEnumerable<ICommandPalette> Palettes(ModuleContext context) => [new MetricsPalette(new CloudWatchService(context.Services, context.AccountId), context.Services)];

    public Task OnRegionReady(ModuleContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The `metrics` palette: which series exist, and a series' statistics over the last minutes of simulated time.</summary>
public sealed class MetricsPalette(CloudWatchService cloudWatch, EntityServices services) : ICommandPalette
{
    public sealed record StatisticsRow(DateTimeOffset Timestamp, string Unit, double SampleCount, double Average, double Minimum, double Maximum, double Sum);

    public string Name => "metrics";

    public string Description => "CloudWatch metrics: series and their statistics";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("list", "metrics list [--namespace <ns>] [--name <metric>]", "the metric series (ListMetrics)", ["namespace", "name"]),
        new("stats", "metrics stats <namespace> <metric> [--dimension k=v[,k=v...]] [--period 60] [--minutes 15]",
            "a series' statistics per period over the last minutes of simulated time (GetMetricStatistics)", ["dimension", "period", "minutes"]),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        if (request.Command == "list")
        {
            var metrics = new List<MetricView>();
            string? token = null;
            do
            {
                var page = await cloudWatch.ListMetrics(request.Switch("namespace"), request.Switch("name"), [], false, token).ConfigureAwait(false);
                if (page.IsError)
                    return CommandResponse.Failure(page.Error!);
                metrics.AddRange(page.Value.Metrics);
                token = page.Value.NextToken;
            }
            while (token is not null);
            return CommandResponse.Success(new { metrics }, metrics.Count == 0 ? "no metrics"
                : string.Join('\n', metrics.Select(m => $"{m.Namespace,-20} {m.MetricName,-28} {string.Join(',', m.Dimensions.Select(d => $"{d.Key}={d.Value}"))}")));
        }
        var metricNamespace = request.Argument(0, "namespace");
        var metricName = request.Argument(1, "metric");
        var dimensions = (request.Switch("dimension") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2) is [var k, var v] ? ((string?)k, (string?)v) : throw new CommandUsageException($"--dimension takes k=v, got '{pair}'")).ToList();
        var period = Number(request, "period", 60);
        var minutes = Number(request, "minutes", 15);
        var key = MetricKey.Create(metricNamespace, metricName, dimensions, "");
        if (key.IsError)
            return CommandResponse.Failure(key.Error!);
        var end = services.Clock.Now;
        var statistics = await cloudWatch.Statistics(key.Value, end.AddMinutes(-minutes), end, period, Statistic.Standard, [], null, cancellationToken).ConfigureAwait(false);
        if (statistics.IsError)
            return CommandResponse.Failure(statistics.Error!);
        var rows = statistics.Value.Select(p =>
        {
            var a = p.Period.Aggregate;
            return new StatisticsRow(p.Period.Timestamp, a.Unit, a.SampleCount, a.Average, a.Minimum, a.Maximum, a.Sum);
        }).ToImmutableArray();
        return CommandResponse.Success(new { datapoints = rows }, rows.Length == 0 ? "no datapoints"
            : string.Join('\n', rows.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Timestamp:HH:mm:ss}  n={r.SampleCount,-6} avg={r.Average,-10:0.###} min={r.Minimum,-10:0.###} max={r.Maximum,-10:0.###} sum={r.Sum:0.###} {r.Unit}"))));
    }

    private static int Number(CommandRequest request, string name, int fallback)
    {
        var text = request.Switch(name);
        if (text is null)
            return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new CommandUsageException($"--{name} must be a positive whole number, got '{text}'");
    }
}
