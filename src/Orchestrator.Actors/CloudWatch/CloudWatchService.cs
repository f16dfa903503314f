using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>A ListMetrics dimension filter: a name alone matches any value.</summary>
public sealed record DimensionFilter(string Name, string? Value);

/// <summary>One page of ListMetrics.</summary>
public sealed record MetricPage(IReadOnlyList<MetricView> Metrics, string? NextToken);

/// <summary>One page of ListDashboards.</summary>
public sealed record DashboardPage(IReadOnlyList<DashboardView> Dashboards, string? NextToken);

/// <summary>
/// CloudWatch as the API and the palette see it: puts go to the series' entities (acknowledged
/// once every series has persisted its batch), statistics are computed by the series from its
/// buckets, listings read the read model and never wake a series.
/// </summary>
public sealed class CloudWatchService(EntityServices services, string accountId)
{
    public const int MetricsPageSize = 500;
    public const int DashboardsPageSize = 1000;
    public static readonly TimeSpan RecentlyActive = TimeSpan.FromHours(3);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private long Generation => services.Region.Current.Generation;

    public async Task<Result<int>> PutMetricData(string? metricNamespace, IReadOnlyList<MetricDatumInput> data, CancellationToken cancellationToken = default)
    {
        var validated = Domain.CloudWatch.PutMetricData.Validate(metricNamespace, data, services.Clock.Now);
        if (validated.IsError)
            return validated.Error!;
        var batches = Domain.CloudWatch.PutMetricData.BySeries(validated.Value);
        var replies = await Task.WhenAll(batches.Select(b => services.Router.Ask<object>(CloudWatchKinds.MetricSeries, b.Key.EntityId(),
            new MetricSeriesCommands.Record(b.Key, b.Samples), Timeout, cancellationToken))).ConfigureAwait(false);
        return replies.OfType<EntityReplies.Rejected>().FirstOrDefault() is { } rejected ? rejected.Error : validated.Value.Count;
    }

    /// <summary>Aggregates per period of one series; a series nobody ever put to has none (and is not woken).</summary>
    public async Task<PeriodAggregates> Aggregates(MetricKey key, DateTimeOffset start, DateTimeOffset end, int period, string? unit, CancellationToken cancellationToken = default)
    {
        var id = key.EntityId();
        if (await services.Index.Get(CloudWatchKinds.Metric, id, Generation).ConfigureAwait(false) is null)
            return new PeriodAggregates([]);
        return await services.Router.Ask<PeriodAggregates>(CloudWatchKinds.MetricSeries, id,
            new MetricSeriesQueries.Statistics(Periods.AlignStart(start, period), end, period, unit), Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GetMetricStatistics: the range and statistics checked as AWS checks them, then one datapoint per period and unit.</summary>
    public async Task<Result<IReadOnlyList<(PeriodAggregate Period, IReadOnlyList<(Statistic Statistic, double Value)> Values)>>> Statistics(
        MetricKey key, DateTimeOffset start, DateTimeOffset end, int period, IReadOnlyList<string> statistics, IReadOnlyList<string> extended, string? unit,
        CancellationToken cancellationToken = default)
    {
        var parsed = Periods.ParseStatistics(statistics, extended);
        if (parsed.IsError)
            return parsed.Error!;
        if (Periods.ValidateRange(start, end, period) is { } invalid)
            return invalid;
        var aggregates = await Aggregates(key, start, end, period, unit, cancellationToken).ConfigureAwait(false);
        return aggregates.Periods.Select(p => (p, (IReadOnlyList<(Statistic, double)>)[.. parsed.Value
            .Select(s => (s, s.Of(p.Aggregate))).Where(v => v.Item2 is not null).Select(v => (v.s, v.Item2!.Value))])).ToList();
    }

    public async Task<Result<IReadOnlyList<MetricDataResult>>> MetricData(IReadOnlyList<MetricDataQueryInput> queries, DateTimeOffset start, DateTimeOffset end,
        bool ascending, CancellationToken cancellationToken = default)
    {
        if (GetMetricData.Validate(queries, start, end) is { } invalid)
            return invalid;
        var fetched = new Dictionary<string, TimeSeries>(StringComparer.Ordinal);
        foreach (var query in queries.Where(q => q.MetricStat is not null))
        {
            var stat = query.MetricStat!;
            fetched[query.Id] = GetMetricData.SeriesOf(stat, await Aggregates(stat.Metric, start, end, stat.Period, stat.Unit, cancellationToken).ConfigureAwait(false));
        }
        return GetMetricData.Results(queries, fetched, start, end, ascending);
    }

    /// <summary>ListMetrics: filters by namespace, name and dimensions (name alone, or name and value), optionally those with data in the last 3 h; 500 per page.</summary>
    public async Task<Result<MetricPage>> ListMetrics(string? metricNamespace, string? metricName, IReadOnlyList<DimensionFilter> dimensions, bool recentlyActive,
        string? nextToken)
    {
        var start = 0;
        if (nextToken is not null && !int.TryParse(nextToken, NumberStyles.None, CultureInfo.InvariantCulture, out start))
            return new AwsError("InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.");
        var now = services.Clock.Now;
        var all = (await services.Index.List(CloudWatchKinds.Metric, Generation).ConfigureAwait(false)).Cast<MetricView>()
            .Where(m => (metricNamespace is null || m.Namespace == metricNamespace) && (metricName is null || m.MetricName == metricName)
                && dimensions.All(d => m.Dimensions.TryGetValue(d.Name, out var value) && (d.Value is null || d.Value == value))
                && (!recentlyActive || m.LastReceivedAt >= now - RecentlyActive))
            .OrderBy(m => m.Namespace, StringComparer.Ordinal).ThenBy(m => m.MetricName, StringComparer.Ordinal)
            .ThenBy(m => string.Join(',', m.Dimensions.Select(d => $"{d.Key}={d.Value}")), StringComparer.Ordinal)
            .ToList();
        var page = all.Skip(start).Take(MetricsPageSize).ToList();
        return new MetricPage(page, start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    public string DashboardArn(string name) => $"arn:aws:cloudwatch::{accountId}:dashboard/{name}";

    /// <summary>PutDashboard: an upsert of a valid body; an invalid one is InvalidParameterInput naming each problem.</summary>
    public async Task<Result<bool>> PutDashboard(string? name, string? body, CancellationToken cancellationToken = default)
    {
        if (DashboardBehavior.ValidateName(name) is { } badName)
            return badName;
        if (DashboardBehavior.Invalid(DashboardBehavior.ValidateBody(body ?? "")) is { } invalid)
            return invalid;
        var reply = await services.Router.Ask<object>(CloudWatchKinds.Dashboard, name!, new DashboardCommands.Put(name!, DashboardArn(name!), body!), Timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? rejected.Error : true;
    }

    public async Task<Result<DashboardView>> GetDashboard(string? name)
    {
        if (DashboardBehavior.ValidateName(name) is { } badName)
            return badName;
        return await services.Index.Get(CloudWatchKinds.Dashboard, name!, Generation).ConfigureAwait(false) is DashboardView view
            ? view
            : NotFound(name!);
    }

    public async Task<Result<DashboardPage>> ListDashboards(string? prefix, string? nextToken)
    {
        var start = 0;
        if (nextToken is not null && !int.TryParse(nextToken, NumberStyles.None, CultureInfo.InvariantCulture, out start))
            return new AwsError("InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.");
        var all = (await services.Index.List(CloudWatchKinds.Dashboard, Generation).ConfigureAwait(false)).Cast<DashboardView>()
            .Where(d => prefix is null || d.DashboardName.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(d => d.DashboardName, StringComparer.Ordinal).ToList();
        var page = all.Skip(start).Take(DashboardsPageSize).ToList();
        return new DashboardPage(page, start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>DeleteDashboards: every name must exist (else ResourceNotFound and nothing is deleted), then each goes.</summary>
    public async Task<Result<int>> DeleteDashboards(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
            return AwsError.MissingParameter("The parameter DashboardNames is required.");
        foreach (var name in names)
        {
            if (DashboardBehavior.ValidateName(name, "DashboardNames") is { } badName)
                return badName;
            if (await services.Index.Get(CloudWatchKinds.Dashboard, name, Generation).ConfigureAwait(false) is null)
                return NotFound(name);
        }
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var reply = await services.Router.Ask<object>(CloudWatchKinds.Dashboard, name, new DashboardCommands.Delete(name), Timeout, cancellationToken).ConfigureAwait(false);
            if (reply is EntityReplies.Rejected rejected)
                return rejected.Error;
        }
        return names.Count;
    }

    private static AwsError NotFound(string name) => new("ResourceNotFound", $"Dashboard {name} does not exist", 404);
}
