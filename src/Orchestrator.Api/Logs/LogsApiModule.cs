using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Logs;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Logs;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Logs;

/// <summary>
/// CloudWatch Logs (json 1.1): log groups, streams, events, retention and tags. Times on the wire
/// are epoch milliseconds; errors carry the model's exception names in __type.
/// </summary>
public sealed class LogsApiModule(LogsService logs) : IAwsServiceModule
{
    private const string Service = "logs";

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register(Service, "CreateLogGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await logs.CreateGroup(String(input, "logGroupName")!, Map(input["tags"]), String(input, "logGroupClass"), String(input, "kmsKeyId"),
                Bool(input, "deletionProtectionEnabled"), cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject();
        });
        registry.Register(Service, "DeleteLogGroup", async (request, cancellationToken) =>
        {
            var deleted = await logs.DeleteGroup(String(request.Input, "logGroupName")!, cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
        registry.Register(Service, "DescribeLogGroups", async (request, _) =>
        {
            var input = request.Input;
            var page = await logs.DescribeGroups(String(input, "logGroupNamePrefix"), String(input, "logGroupNamePattern"), Int(input, "limit"),
                String(input, "nextToken")).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject { ["logGroups"] = new JsonArray([.. page.Value.Items.Select(Json)]) };
            if (page.Value.NextToken is { } next)
                output["nextToken"] = next;
            return output;
        });
        registry.Register(Service, "CreateLogStream", (request, cancellationToken) =>
            Command(request, name => new LogGroupCommands.CreateStream(name, String(request.Input, "logStreamName")!), cancellationToken));
        registry.Register(Service, "DeleteLogStream", (request, cancellationToken) =>
            Command(request, name => new LogGroupCommands.DeleteStream(name, String(request.Input, "logStreamName")!), cancellationToken));
        registry.Register(Service, "DescribeLogStreams", async (request, _) =>
        {
            var input = request.Input;
            var name = LogsService.GroupName(String(input, "logGroupName"), String(input, "logGroupIdentifier"));
            if (name.IsError)
                return ToApi(name.Error!);
            var page = await logs.DescribeStreams(name.Value, String(input, "logStreamNamePrefix"), String(input, "orderBy"), Bool(input, "descending"),
                Int(input, "limit"), String(input, "nextToken")).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject { ["logStreams"] = new JsonArray([.. page.Value.Items.Select(Json)]) };
            if (page.Value.NextToken is { } next)
                output["nextToken"] = next;
            return output;
        });
        registry.Register(Service, "PutLogEvents", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var group = String(input, "logGroupName")!;
            var stream = String(input, "logStreamName")!;
            var events = (input["logEvents"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(e => new InputLogEvent(Long(e, "timestamp") ?? 0, String(e, "message") ?? "")).ToImmutableArray();
            var put = await logs.Send(group, new LogGroupCommands.PutEvents(group, stream, events), cancellationToken).ConfigureAwait(false);
            if (put.IsError)
                return ToApi(put.Error!);
            var after = put.Value.Streams[stream];
            var output = new JsonObject { ["nextSequenceToken"] = after.SequenceToken };
            if (after.LastRejected is { } rejected)
            {
                var info = new JsonObject();
                if (rejected.TooNewLogEventStartIndex is { } tooNew)
                    info["tooNewLogEventStartIndex"] = tooNew;
                if (rejected.TooOldLogEventEndIndex is { } tooOld)
                    info["tooOldLogEventEndIndex"] = tooOld;
                if (rejected.ExpiredLogEventEndIndex is { } expired)
                    info["expiredLogEventEndIndex"] = expired;
                output["rejectedLogEventsInfo"] = info;
            }
            return output;
        });
        registry.Register(Service, "GetLogEvents", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var name = LogsService.GroupName(String(input, "logGroupName"), String(input, "logGroupIdentifier"));
            if (name.IsError)
                return ToApi(name.Error!);
            var page = await logs.GetEvents(new LogGroupQueries.GetEvents(name.Value, String(input, "logStreamName")!, Long(input, "startTime"), Long(input, "endTime"),
                String(input, "nextToken"), Int(input, "limit"), Bool(input, "startFromHead")), cancellationToken).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            return new JsonObject
            {
                ["events"] = new JsonArray([.. page.Value.Events.Select(e => (JsonNode)new JsonObject
                {
                    ["timestamp"] = e.Timestamp,
                    ["message"] = e.Message,
                    ["ingestionTime"] = e.IngestionTime,
                })]),
                ["nextForwardToken"] = page.Value.NextForwardToken,
                ["nextBackwardToken"] = page.Value.NextBackwardToken,
            };
        });
        registry.Register(Service, "FilterLogEvents", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var name = LogsService.GroupName(String(input, "logGroupName"), String(input, "logGroupIdentifier"));
            if (name.IsError)
                return ToApi(name.Error!);
            var page = await logs.FilterEvents(new LogGroupQueries.FilterEvents(name.Value, [.. Strings(input, "logStreamNames")], String(input, "logStreamNamePrefix"),
                Long(input, "startTime"), Long(input, "endTime"), String(input, "filterPattern"), String(input, "nextToken"), Int(input, "limit")), cancellationToken).ConfigureAwait(false);
            if (page.IsError)
                return ToApi(page.Error!);
            var output = new JsonObject
            {
                ["events"] = new JsonArray([.. page.Value.Events.Select(e => (JsonNode)new JsonObject
                {
                    ["logStreamName"] = e.LogStreamName,
                    ["timestamp"] = e.Timestamp,
                    ["message"] = e.Message,
                    ["ingestionTime"] = e.IngestionTime,
                    ["eventId"] = e.EventId,
                })]),
                ["searchedLogStreams"] = new JsonArray([.. page.Value.SearchedLogStreams.Select(s => (JsonNode)new JsonObject
                {
                    ["logStreamName"] = s,
                    ["searchedCompletely"] = true,
                })]),
            };
            if (page.Value.NextToken is { } next)
                output["nextToken"] = next;
            return output;
        });
        registry.Register(Service, "PutRetentionPolicy", (request, cancellationToken) =>
            Command(request, name => new LogGroupCommands.PutRetention(name, Int(request.Input, "retentionInDays") ?? 0), cancellationToken));
        registry.Register(Service, "DeleteRetentionPolicy", (request, cancellationToken) =>
            Command(request, name => new LogGroupCommands.DeleteRetention(name), cancellationToken));
        registry.Register(Service, "TagLogGroup", (request, cancellationToken) =>
            Command(request, name => new LogGroupCommands.Tag(name, Map(request.Input["tags"])), cancellationToken));
        registry.Register(Service, "UntagLogGroup", (request, cancellationToken) =>
            Command(request, name => new LogGroupCommands.Untag(name, [.. Strings(request.Input, "tags")]), cancellationToken));
        registry.Register(Service, "ListTagsLogGroup", async (request, _) =>
        {
            var tags = await logs.Tags(String(request.Input, "logGroupName")!).ConfigureAwait(false);
            return tags.IsError ? ToApi(tags.Error!) : new JsonObject { ["tags"] = Json(tags.Value) };
        });
        registry.Register(Service, "TagResource", (request, cancellationToken) =>
            ByArn(request, name => new LogGroupCommands.Tag(name, Map(request.Input["tags"])), cancellationToken));
        registry.Register(Service, "UntagResource", (request, cancellationToken) =>
            ByArn(request, name => new LogGroupCommands.Untag(name, [.. Strings(request.Input, "tagKeys")]), cancellationToken));
        registry.Register(Service, "ListTagsForResource", async (request, _) =>
        {
            if (LogNames.GroupNameOfArn(String(request.Input, "resourceArn")!) is not { } name)
                return ToApi(InvalidArn(String(request.Input, "resourceArn")!));
            var tags = await logs.Tags(name).ConfigureAwait(false);
            return tags.IsError ? ToApi(tags.Error!) : new JsonObject { ["tags"] = Json(tags.Value) };
        });
    }

    private async ValueTask<AwsResult> Command(AwsRequest request, Func<string, ILogGroupCommand> command, CancellationToken cancellationToken)
    {
        var name = String(request.Input, "logGroupName")!;
        var sent = await logs.Send(name, command(name), cancellationToken).ConfigureAwait(false);
        return sent.IsError ? ToApi(sent.Error!) : new JsonObject();
    }

    /// <summary>TagResource and friends name a log group by ARN; only log groups are taggable here.</summary>
    private async ValueTask<AwsResult> ByArn(AwsRequest request, Func<string, ILogGroupCommand> command, CancellationToken cancellationToken)
    {
        var arn = String(request.Input, "resourceArn")!;
        if (LogNames.GroupNameOfArn(arn) is not { } name)
            return ToApi(InvalidArn(arn));
        var sent = await logs.Send(name, command(name), cancellationToken).ConfigureAwait(false);
        return sent.IsError ? ToApi(sent.Error!) : new JsonObject();
    }

    private static Domain.Common.AwsError InvalidArn(string arn) => LogsErrors.InvalidParameter($"'{arn}' is not a log group ARN.");

    private static long? Long(JsonObject input, string name) => input[name]?.GetValue<long>();

    private static ImmutableDictionary<string, string> Map(JsonNode? tags) =>
        tags is JsonObject map
            ? map.Where(kv => kv.Value is not null).ToImmutableDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal)
            : Domain.Common.Tags.None;

    private static JsonObject Json(ImmutableDictionary<string, string> tags) =>
        new(tags.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));

    private static JsonNode Json(LogGroupView g)
    {
        var json = new JsonObject
        {
            ["logGroupName"] = g.LogGroupName,
            ["creationTime"] = g.CreationTime,
            ["metricFilterCount"] = 0,
            ["arn"] = g.Arn,
            ["storedBytes"] = g.StoredBytes,
            ["logGroupClass"] = g.LogGroupClass,
            ["logGroupArn"] = g.LogGroupArn,
            ["deletionProtectionEnabled"] = g.DeletionProtectionEnabled,
        };
        if (g.RetentionInDays is { } days)
            json["retentionInDays"] = days;
        if (g.KmsKeyId is { } kms)
            json["kmsKeyId"] = kms;
        return json;
    }

    private static JsonNode Json(LogStreamView s)
    {
        var json = new JsonObject
        {
            ["logStreamName"] = s.LogStreamName,
            ["creationTime"] = s.CreationTime,
        };
        if (s.FirstEventTimestamp is { } first)
            json["firstEventTimestamp"] = first;
        if (s.LastEventTimestamp is { } last)
            json["lastEventTimestamp"] = last;
        if (s.LastIngestionTime is { } ingestion)
            json["lastIngestionTime"] = ingestion;
        json["uploadSequenceToken"] = s.UploadSequenceToken;
        json["arn"] = s.Arn;
        json["storedBytes"] = 0; // deprecated: AWS reports 0 per stream
        return json;
    }
}
