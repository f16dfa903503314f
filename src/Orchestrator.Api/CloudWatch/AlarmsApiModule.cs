using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.CloudWatch;
using DomainError = Orchestrator.Domain.Common.AwsError;

namespace Orchestrator.Api.CloudWatch;

/// <summary>CloudWatch alarms: PutMetricAlarm (single metric or metric math), PutCompositeAlarm, the Describe* calls, state and actions switches, DeleteAlarms.</summary>
public sealed class AlarmsApiModule(AlarmService alarms) : IAwsServiceModule
{
    private const string Service = "cloudwatch";

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register(Service, "PutMetricAlarm", async (request, cancellationToken) =>
        {
            var input = request.Input;
            List<MetricDataQueryInput>? queries = null;
            foreach (var query in (input["Metrics"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var parsed = Query(query);
                if (parsed.IsError)
                    return ToApi(parsed.Error!);
                (queries ??= []).Add(parsed.Value);
            }
            var put = await alarms.Put(new PutMetricAlarmInput(
                String(input, "AlarmName"), String(input, "AlarmDescription"), input["ActionsEnabled"]?.GetValue<bool>(),
                Strings(input, "OKActions"), Strings(input, "AlarmActions"), Strings(input, "InsufficientDataActions"),
                String(input, "Namespace"), String(input, "MetricName"),
                [.. (input["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => (String(d, "Name"), String(d, "Value")))],
                input["Period"]?.GetValue<int>(), String(input, "Statistic"), String(input, "ExtendedStatistic"), String(input, "Unit"),
                input["EvaluationPeriods"]?.GetValue<int>(), input["DatapointsToAlarm"]?.GetValue<int>(), input["Threshold"]?.GetValue<double>(),
                String(input, "ComparisonOperator"), String(input, "TreatMissingData"),
                queries, TagMap(input)), cancellationToken).ConfigureAwait(false);
            return put.IsError ? ToApi(put.Error!) : new JsonObject();
        });
        registry.Register(Service, "PutCompositeAlarm", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var put = await alarms.PutComposite(new PutCompositeAlarmInput(String(input, "AlarmName"), String(input, "AlarmDescription"),
                input["ActionsEnabled"]?.GetValue<bool>(), Strings(input, "OKActions"), Strings(input, "AlarmActions"), Strings(input, "InsufficientDataActions"),
                String(input, "AlarmRule"), TagMap(input)), cancellationToken).ConfigureAwait(false);
            return put.IsError ? ToApi(put.Error!) : new JsonObject();
        });
        registry.Register(Service, "ListTagsForResource", async (request, _) =>
        {
            var tags = await alarms.Tags(String(request.Input, "ResourceARN")).ConfigureAwait(false);
            return tags.IsError ? ToApi(tags.Error!) : new JsonObject
            {
                ["Tags"] = new JsonArray([.. tags.Value.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]),
            };
        });
        registry.Register(Service, "TagResource", async (request, cancellationToken) =>
        {
            var arn = String(request.Input, "ResourceARN");
            var tags = TagMap(request.Input) ?? new Dictionary<string, string>();
            if (ResourceTags.Validate(tags) is { } invalid)
                return ToApi(invalid);
            var tagged = await alarms.ChangeTags(arn, new ResourceTagsCommands.Tag(arn ?? "", tags.ToImmutableDictionary(StringComparer.Ordinal)), cancellationToken)
                .ConfigureAwait(false);
            return tagged.IsError ? ToApi(tagged.Error!) : new JsonObject();
        });
        registry.Register(Service, "UntagResource", async (request, cancellationToken) =>
        {
            var arn = String(request.Input, "ResourceARN");
            var untagged = await alarms.ChangeTags(arn, new ResourceTagsCommands.Untag(arn ?? "", [.. Strings(request.Input, "TagKeys")]), cancellationToken)
                .ConfigureAwait(false);
            return untagged.IsError ? ToApi(untagged.Error!) : new JsonObject();
        });
        registry.Register(Service, "DescribeAlarms", async (request, _) =>
        {
            var input = request.Input;
            var page = await alarms.Describe(new AlarmFilter(Strings(input, "AlarmNames"), String(input, "AlarmNamePrefix"), String(input, "StateValue"),
                String(input, "ActionPrefix"), input["AlarmTypes"] is null ? null : Strings(input, "AlarmTypes"), input["MaxRecords"]?.GetValue<int>(),
                String(input, "NextToken"), String(input, "ChildrenOfAlarmName"), String(input, "ParentsOfAlarmName"))).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject
            {
                ["MetricAlarms"] = new JsonArray([.. page.Value.MetricAlarms.Select(Alarm)]),
                ["CompositeAlarms"] = new JsonArray([.. page.Value.CompositeAlarms.Select(Composite)]),
            };
            if (page.Value.NextToken is { } token)
                output["NextToken"] = token;
            return output;
        });
        registry.Register(Service, "DescribeAlarmsForMetric", async (request, _) =>
        {
            var input = request.Input;
            if (MetricKey.ValidateNamespace(String(input, "Namespace"), allowReserved: true) is { } badNamespace)
                return ToApi(badNamespace);
            var key = MetricKey.Create(String(input, "Namespace")!, String(input, "MetricName"),
                [.. (input["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => (String(d, "Name"), String(d, "Value")))], "");
            if (key.IsError)
                return ToApi(key.Error!);
            var found = await alarms.ForMetric(key.Value, String(input, "Statistic"), String(input, "ExtendedStatistic"), input["Period"]?.GetValue<int>(),
                String(input, "Unit")).ConfigureAwait(false);
            return new JsonObject { ["MetricAlarms"] = new JsonArray([.. found.Select(Alarm)]) };
        });
        registry.Register(Service, "DeleteAlarms", async (request, cancellationToken) =>
        {
            var deleted = await alarms.Delete(Strings(request.Input, "AlarmNames"), cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
        registry.Register(Service, "SetAlarmState", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var set = await alarms.SetState(String(input, "AlarmName"), String(input, "StateValue"), String(input, "StateReason"), String(input, "StateReasonData"),
                cancellationToken).ConfigureAwait(false);
            return set.IsError ? ToApi(set.Error!) : new JsonObject();
        });
        registry.Register(Service, "EnableAlarmActions", (request, cancellationToken) => SetActions(request.Input, true, cancellationToken));
        registry.Register(Service, "DisableAlarmActions", (request, cancellationToken) => SetActions(request.Input, false, cancellationToken));
        registry.Register(Service, "DescribeAlarmHistory", async (request, _) =>
        {
            var input = request.Input;
            var page = await alarms.History(String(input, "AlarmName"), String(input, "HistoryItemType"), input["StartDate"]?.GetValue<DateTimeOffset>(),
                input["EndDate"]?.GetValue<DateTimeOffset>(), String(input, "ScanBy") == "TimestampAscending", input["MaxRecords"]?.GetValue<int>(),
                String(input, "NextToken")).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject
            {
                ["AlarmHistoryItems"] = new JsonArray([.. page.Value.Items.Select(h => (JsonNode)new JsonObject
                {
                    ["AlarmName"] = h.AlarmName,
                    ["AlarmType"] = h.AlarmType,
                    ["Timestamp"] = h.Item.Timestamp,
                    ["HistoryItemType"] = h.Item.HistoryItemType,
                    ["HistorySummary"] = h.Item.HistorySummary,
                    ["HistoryData"] = h.Item.HistoryData,
                })]),
            };
            if (page.Value.NextToken is { } token)
                output["NextToken"] = token;
            return output;
        });
    }

    private async ValueTask<AwsResult> SetActions(JsonObject input, bool enabled, CancellationToken cancellationToken)
    {
        var set = await alarms.SetActionsEnabled(Strings(input, "AlarmNames"), enabled, cancellationToken).ConfigureAwait(false);
        return set.IsError ? ToApi(set.Error!) : new JsonObject();
    }

    /// <summary>A MetricAlarm as DescribeAlarms and DescribeAlarmsForMetric return it.</summary>
    private static JsonNode Alarm(MetricAlarm alarm)
    {
        var config = alarm.Config;
        var output = new JsonObject
        {
            ["AlarmName"] = config.AlarmName,
            ["AlarmArn"] = alarm.AlarmArn,
            ["AlarmConfigurationUpdatedTimestamp"] = alarm.AlarmConfigurationUpdatedTimestamp,
            ["ActionsEnabled"] = config.ActionsEnabled,
            ["OKActions"] = Array(config.OKActions),
            ["AlarmActions"] = Array(config.AlarmActions),
            ["InsufficientDataActions"] = Array(config.InsufficientDataActions),
            ["StateValue"] = alarm.StateValue,
            ["StateReason"] = alarm.StateReason,
            ["StateUpdatedTimestamp"] = alarm.StateUpdatedTimestamp,
            ["EvaluationPeriods"] = config.EvaluationPeriods,
            ["Threshold"] = config.Threshold,
            ["ComparisonOperator"] = config.ComparisonOperator,
            ["TreatMissingData"] = config.TreatMissingData,
            ["StateTransitionedTimestamp"] = alarm.StateUpdatedTimestamp,
        };
        if (config.Metric is { } metric)
        {
            output["MetricName"] = metric.MetricName;
            output["Namespace"] = metric.Namespace;
            output["Dimensions"] = Dimensions(metric);
            output["Period"] = config.Period;
            output[config.IsExtendedStatistic ? "ExtendedStatistic" : "Statistic"] = config.Statistic;
        }
        if (!config.DatapointsToAlarmOmitted)
            output["DatapointsToAlarm"] = config.DatapointsToAlarm;
        if (config.Metrics is { } queries)
            output["Metrics"] = new JsonArray([.. queries.Select(QueryOutput)]);
        if (config.AlarmDescription is { } description)
            output["AlarmDescription"] = description;
        if (config.Unit is { } unit)
            output["Unit"] = unit;
        if (alarm.StateReasonData is { } data)
            output["StateReasonData"] = data;
        return output;
    }

    /// <summary>A CompositeAlarm as DescribeAlarms returns it.</summary>
    private static JsonNode Composite(CompositeAlarm alarm)
    {
        var config = alarm.Config;
        var output = new JsonObject
        {
            ["ActionsEnabled"] = config.ActionsEnabled,
            ["AlarmActions"] = Array(config.AlarmActions),
            ["AlarmArn"] = alarm.AlarmArn,
            ["AlarmConfigurationUpdatedTimestamp"] = alarm.AlarmConfigurationUpdatedTimestamp,
            ["AlarmName"] = config.AlarmName,
            ["AlarmRule"] = config.AlarmRule,
            ["InsufficientDataActions"] = Array(config.InsufficientDataActions),
            ["OKActions"] = Array(config.OKActions),
            ["StateReason"] = alarm.StateReason,
            ["StateUpdatedTimestamp"] = alarm.StateUpdatedTimestamp,
            ["StateValue"] = alarm.StateValue,
            ["StateTransitionedTimestamp"] = alarm.StateUpdatedTimestamp,
        };
        if (config.AlarmDescription is { } description)
            output["AlarmDescription"] = description;
        if (alarm.StateReasonData is { } data)
            output["StateReasonData"] = data;
        return output;
    }

    /// <summary>A MetricDataQuery of PutMetricAlarm's Metrics; ReturnData defaults to true, as AWS reads it.</summary>
    private static Orchestrator.Domain.Common.Result<MetricDataQueryInput> Query(JsonObject query)
    {
        MetricStatInput? stat = null;
        if (query["MetricStat"] is JsonObject metricStat)
        {
            var metric = metricStat["Metric"] as JsonObject ?? [];
            if (MetricKey.ValidateNamespace(String(metric, "Namespace"), allowReserved: true) is { } badNamespace)
                return badNamespace;
            var key = MetricKey.Create(String(metric, "Namespace")!, String(metric, "MetricName"),
                [.. (metric["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => (String(d, "Name"), String(d, "Value")))], "Metrics.MetricStat.Metric.");
            if (key.IsError)
                return key.Error!;
            stat = new MetricStatInput(key.Value, metricStat["Period"]?.GetValue<int>() ?? 0, String(metricStat, "Stat") ?? "", String(metricStat, "Unit"));
        }
        return new MetricDataQueryInput(String(query, "Id") ?? "", stat, String(query, "Expression"), String(query, "Label"),
            query["ReturnData"]?.GetValue<bool>() ?? true, query["Period"]?.GetValue<int>());
    }

    private static JsonNode QueryOutput(MetricDataQueryInput query)
    {
        var output = new JsonObject { ["Id"] = query.Id };
        if (query.MetricStat is { } stat)
        {
            var metricStat = new JsonObject
            {
                ["Metric"] = new JsonObject { ["Namespace"] = stat.Metric.Namespace, ["MetricName"] = stat.Metric.MetricName, ["Dimensions"] = Dimensions(stat.Metric) },
                ["Period"] = stat.Period,
                ["Stat"] = stat.Stat,
            };
            if (stat.Unit is { } unit)
                metricStat["Unit"] = unit;
            output["MetricStat"] = metricStat;
        }
        if (query.Expression is { } expression)
            output["Expression"] = expression;
        if (query.Label is { } label)
            output["Label"] = label;
        output["ReturnData"] = query.ReturnData;
        if (query.Period is { } period)
            output["Period"] = period;
        return output;
    }

    private static JsonArray Dimensions(MetricKey metric) => new([.. metric.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value })]);

    /// <summary>A Tags list (Key, Value) as a map; null when the request has none. A repeated key keeps its last value.</summary>
    private static Dictionary<string, string>? TagMap(JsonObject input) => input["Tags"] is JsonArray tags
        ? tags.OfType<JsonObject>().GroupBy(t => String(t, "Key") ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => String(g.Last(), "Value") ?? "", StringComparer.Ordinal)
        : null;

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static string? String(JsonObject input, string name) => input[name]?.GetValue<string>();

    private static IReadOnlyList<string> Strings(JsonObject input, string name) => (input[name] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();

    private static AwsError ToApi(DomainError error) => new(error.Code, error.Message, error.HttpStatus, Sender: error.HttpStatus < 500);
}
