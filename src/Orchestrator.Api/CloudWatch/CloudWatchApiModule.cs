using System.Text.Json.Nodes;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.CloudWatch;
using DomainError = Orchestrator.Domain.Common.AwsError;

namespace Orchestrator.Api.CloudWatch;

/// <summary>CloudWatch metrics (PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics) and dashboards, in whichever of its three protocols the caller speaks.</summary>
public sealed class CloudWatchApiModule(CloudWatchService cloudWatch) : IAwsServiceModule
{
    private const string Service = "cloudwatch";

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register(Service, "PutMetricData", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var data = (input["MetricData"] as JsonArray ?? []).OfType<JsonObject>().Select(Datum).ToList();
            var put = await cloudWatch.PutMetricData(String(input, "Namespace"), data, cancellationToken).ConfigureAwait(false);
            return put.IsError ? ToApi(put.Error!) : new JsonObject();
        });
        registry.Register(Service, "GetMetricStatistics", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var key = Key(input, "");
            if (key.IsError)
                return ToApi(key.Error!);
            var statistics = await cloudWatch.Statistics(key.Value, Time(input, "StartTime"), Time(input, "EndTime"), input["Period"]!.GetValue<int>(),
                Strings(input, "Statistics"), Strings(input, "ExtendedStatistics"), String(input, "Unit"), cancellationToken).ConfigureAwait(false);
            if (statistics.IsError)
                return ToApi(statistics.Error!);
            return new JsonObject
            {
                ["Label"] = key.Value.MetricName,
                ["Datapoints"] = new JsonArray([.. statistics.Value.Select(p =>
                {
                    var point = new JsonObject { ["Timestamp"] = p.Period.Timestamp };
                    var extended = new JsonObject();
                    foreach (var (statistic, value) in p.Values)
                    {
                        if (statistic.IsExtended)
                            extended[statistic.Name] = value;
                        else
                            point[statistic.Name] = value;
                    }
                    if (extended.Count > 0)
                        point["ExtendedStatistics"] = extended;
                    point["Unit"] = p.Period.Aggregate.Unit;
                    return (JsonNode)point;
                })]),
            };
        });
        registry.Register(Service, "GetMetricData", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var queries = new List<MetricDataQueryInput>();
            foreach (var query in (input["MetricDataQueries"] as JsonArray ?? []).OfType<JsonObject>())
            {
                MetricStatInput? stat = null;
                if (query["MetricStat"] is JsonObject metricStat)
                {
                    var key = Key(metricStat["Metric"] as JsonObject ?? [], "MetricStat.Metric.");
                    if (key.IsError)
                        return ToApi(key.Error!);
                    stat = new MetricStatInput(key.Value, metricStat["Period"]?.GetValue<int>() ?? 0, String(metricStat, "Stat") ?? "", String(metricStat, "Unit"));
                }
                queries.Add(new MetricDataQueryInput(String(query, "Id") ?? "", stat, String(query, "Expression"), String(query, "Label"),
                    query["ReturnData"]?.GetValue<bool>() ?? true, query["Period"]?.GetValue<int>()));
            }
            var results = await cloudWatch.MetricData(queries, Time(input, "StartTime"), Time(input, "EndTime"),
                String(input, "ScanBy") == "TimestampAscending", cancellationToken).ConfigureAwait(false);
            if (results.IsError)
                return ToApi(results.Error!);
            return new JsonObject
            {
                ["MetricDataResults"] = new JsonArray([.. results.Value.Select(r => (JsonNode)new JsonObject
                {
                    ["Id"] = r.Id,
                    ["Label"] = r.Label,
                    ["Timestamps"] = new JsonArray([.. r.Timestamps.Select(t => (JsonNode)JsonValue.Create(t))]),
                    ["Values"] = new JsonArray([.. r.Values.Select(v => (JsonNode)JsonValue.Create(v))]),
                    ["StatusCode"] = "Complete",
                })]),
                ["Messages"] = new JsonArray(),
            };
        });
        registry.Register(Service, "ListMetrics", async (request, _) =>
        {
            var input = request.Input;
            var filters = (input["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => new DimensionFilter(String(d, "Name") ?? "", String(d, "Value"))).ToList();
            var page = await cloudWatch.ListMetrics(String(input, "Namespace"), String(input, "MetricName"), filters, String(input, "RecentlyActive") == "PT3H",
                String(input, "NextToken")).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject
            {
                ["Metrics"] = new JsonArray([.. page.Value.Metrics.Select(m => (JsonNode)new JsonObject
                {
                    ["Namespace"] = m.Namespace,
                    ["MetricName"] = m.MetricName,
                    ["Dimensions"] = new JsonArray([.. m.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value })]),
                })]),
            };
            if (page.Value.NextToken is { } token)
                output["NextToken"] = token;
            return output;
        });
        registry.Register(Service, "PutDashboard", async (request, cancellationToken) =>
        {
            var put = await cloudWatch.PutDashboard(String(request.Input, "DashboardName"), String(request.Input, "DashboardBody"), cancellationToken).ConfigureAwait(false);
            return put.IsError ? ToApi(put.Error!) : new JsonObject { ["DashboardValidationMessages"] = new JsonArray() };
        });
        registry.Register(Service, "GetDashboard", async (request, _) =>
        {
            var found = await cloudWatch.GetDashboard(String(request.Input, "DashboardName")).ConfigureAwait(false);
            if (found.IsError)
                return ToApi(found.Error!);
            var d = found.Value;
            return new JsonObject { ["DashboardArn"] = d.DashboardArn, ["DashboardBody"] = d.DashboardBody, ["DashboardName"] = d.DashboardName };
        });
        registry.Register(Service, "ListDashboards", async (request, _) =>
        {
            var page = await cloudWatch.ListDashboards(String(request.Input, "DashboardNamePrefix"), String(request.Input, "NextToken")).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject
            {
                ["DashboardEntries"] = new JsonArray([.. page.Value.Dashboards.Select(d => (JsonNode)new JsonObject
                {
                    ["DashboardName"] = d.DashboardName,
                    ["DashboardArn"] = d.DashboardArn,
                    ["LastModified"] = d.LastModified,
                    ["Size"] = d.Size,
                })]),
            };
            if (page.Value.NextToken is { } token)
                output["NextToken"] = token;
            return output;
        });
        registry.Register(Service, "DeleteDashboards", async (request, cancellationToken) =>
        {
            var deleted = await cloudWatch.DeleteDashboards(Strings(request.Input, "DashboardNames"), cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
    }

    private static MetricDatumInput Datum(JsonObject datum) => new(
        String(datum, "MetricName"),
        Dimensions(datum),
        datum["Timestamp"]?.GetValue<DateTimeOffset>(),
        datum["Value"]?.GetValue<double>(),
        Doubles(datum, "Values"),
        Doubles(datum, "Counts"),
        datum["StatisticValues"] is JsonObject set
            ? new StatisticSetInput(set["SampleCount"]?.GetValue<double>(), set["Sum"]?.GetValue<double>(), set["Minimum"]?.GetValue<double>(), set["Maximum"]?.GetValue<double>())
            : null,
        String(datum, "Unit"),
        datum["StorageResolution"]?.GetValue<int>());

    private static Orchestrator.Domain.Common.Result<MetricKey> Key(JsonObject metric, string path)
    {
        var metricNamespace = String(metric, "Namespace");
        if (MetricKey.ValidateNamespace(metricNamespace, allowReserved: true) is { } invalid)
            return invalid;
        return MetricKey.Create(metricNamespace!, String(metric, "MetricName"), Dimensions(metric), path);
    }

    private static List<(string? Name, string? Value)> Dimensions(JsonObject input) =>
        [.. (input["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => (String(d, "Name"), String(d, "Value")))];

    private static List<double>? Doubles(JsonObject input, string name) => input[name] is JsonArray values ? [.. values.Select(v => v!.GetValue<double>())] : null;

    private static string? String(JsonObject input, string name) => input[name]?.GetValue<string>();

    private static IReadOnlyList<string> Strings(JsonObject input, string name) => (input[name] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();

    /// <summary>Required timestamps: the protocol layer has already refused a request without them.</summary>
    private static DateTimeOffset Time(JsonObject input, string name) => input[name]!.GetValue<DateTimeOffset>();

    private static AwsError ToApi(DomainError error) => new(error.Code, error.Message, error.HttpStatus, Sender: error.HttpStatus < 500);
}
