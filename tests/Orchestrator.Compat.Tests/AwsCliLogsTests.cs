using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI and boto3, unchanged but for the endpoint, using CloudWatch Logs (json 1.1) in simulated time.</summary>
public sealed class AwsCliLogsTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    /// <summary>Event timestamps must fall near the node's simulated now (14 days back to 2 hours ahead), which every response carries.</summary>
    private async Task<long> SimNowMs()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{node.Endpoint}/_orchestrator/health");
        var header = response.Headers.GetValues("X-Orchestrator-Sim-Time").Single();
        return DateTimeOffset.Parse(header, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    }

    [Fact]
    public async Task A_log_group_is_created_written_read_filtered_described_and_deleted()
    {
        const string Group = "/compat/cli";
        await node.AwsOk("logs", "create-log-group", "--log-group-name", Group, "--tags", "team=core");
        Assert.Contains("(ResourceAlreadyExistsException)", await node.AwsFails("logs", "create-log-group", "--log-group-name", Group));
        await node.AwsOk("logs", "put-retention-policy", "--log-group-name", Group, "--retention-in-days", "7");
        Assert.Contains("(InvalidParameterException)", await node.AwsFails("logs", "put-retention-policy", "--log-group-name", Group, "--retention-in-days", "2"));
        await node.AwsOk("logs", "create-log-stream", "--log-group-name", Group, "--log-stream-name", "web-1");

        var now = await SimNowMs();
        var events = new JsonArray(
            new JsonObject { ["timestamp"] = now - 2000, ["message"] = """{"level":"INFO","latency":12}""" },
            new JsonObject { ["timestamp"] = now - 1000, ["message"] = """{"level":"ERROR","latency":480}""" });
        var put = await node.AwsOk("logs", "put-log-events", "--log-group-name", Group, "--log-stream-name", "web-1", "--log-events", events.ToJsonString());
        Assert.NotNull(put["nextSequenceToken"]);
        Assert.Null(put["rejectedLogEventsInfo"]);

        var got = await node.AwsOk("logs", "get-log-events", "--log-group-name", Group, "--log-stream-name", "web-1", "--start-from-head");
        Assert.Equal([now - 2000, now - 1000], got["events"]!.AsArray().Select(e => (long)e!["timestamp"]!));
        Assert.StartsWith("f/", (string)got["nextForwardToken"]!, StringComparison.Ordinal);

        var filtered = await node.AwsOk("logs", "filter-log-events", "--log-group-name", Group, "--filter-pattern", """{ $.level = "ERROR" && $.latency > 100 }""");
        var hit = Assert.Single(filtered["events"]!.AsArray())!;
        Assert.Equal(("web-1", """{"level":"ERROR","latency":480}"""), ((string)hit["logStreamName"]!, (string)hit["message"]!));

        var group = Assert.Single((await node.AwsOk("logs", "describe-log-groups", "--log-group-name-prefix", Group))["logGroups"]!.AsArray())!;
        Assert.Equal((7, Group), ((int)group["retentionInDays"]!, (string)group["logGroupName"]!));
        Assert.EndsWith($":log-group:{Group}:*", (string)group["arn"]!, StringComparison.Ordinal);
        Assert.Equal("core", (string)(await node.AwsOk("logs", "list-tags-log-group", "--log-group-name", Group))["tags"]!["team"]!);

        await node.AwsOk("logs", "delete-log-stream", "--log-group-name", Group, "--log-stream-name", "web-1");
        await node.AwsOk("logs", "delete-log-group", "--log-group-name", Group);
        Assert.Empty((await node.AwsOk("logs", "describe-log-groups", "--log-group-name-prefix", Group))["logGroups"]!.AsArray());
        Assert.Contains("(ResourceNotFoundException)", await node.AwsFails("logs", "delete-log-group", "--log-group-name", Group));
    }

    [Fact]
    public async Task Boto3_writes_events_and_filters_them_with_a_json_pattern_across_pages()
    {
        var now = await SimNowMs();
        var script = $$"""
            import json, os, boto3
            logs = boto3.client('logs', endpoint_url=os.environ['ENDPOINT'])
            group = '/compat/boto3'
            logs.create_log_group(logGroupName=group)
            logs.put_retention_policy(logGroupName=group, retentionInDays=14)
            for stream in ['a', 'b']:
                logs.create_log_stream(logGroupName=group, logStreamName=stream)
                logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
                    {'timestamp': {{now}} - 1000 * (10 - i), 'message': json.dumps({'level': 'ERROR' if i % 2 else 'INFO', 'n': i, 'stream': stream})}
                    for i in range(10)])
            rejected = logs.put_log_events(logGroupName=group, logStreamName='a',
                logEvents=[{'timestamp': {{now}} + 3 * 3600 * 1000, 'message': 'too new'}]).get('rejectedLogEventsInfo')
            pages = logs.get_paginator('filter_log_events').paginate(
                logGroupName=group, filterPattern='{ $.level = "ERROR" }', PaginationConfig={'PageSize': 3})
            events = [e for page in pages for e in page['events']]
            described = logs.describe_log_groups(logGroupNamePrefix=group)['logGroups'][0]
            streams = [s['logStreamName'] for s in logs.describe_log_streams(logGroupName=group, orderBy='LogStreamName')['logStreams']]
            try:
                logs.create_log_stream(logGroupName=group, logStreamName='a')
                error = None
            except logs.exceptions.ResourceAlreadyExistsException as e:
                error = e.response['Error']['Code']
            logs.delete_log_group(logGroupName=group)
            print(json.dumps({'count': len(events), 'streams': sorted({e['logStreamName'] for e in events}),
                              'ordered': [e['timestamp'] for e in events] == sorted(e['timestamp'] for e in events),
                              'rejected': rejected, 'retention': described['retentionInDays'], 'described': streams, 'error': error}))
            """;
        var (code, stdout, stderr) = await node.Run("python3", "-c", script);
        Assert.True(code == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal(10, (int)result["count"]!);
        Assert.Equal(["a", "b"], result["streams"]!.AsArray().Select(s => (string)s!));
        Assert.True((bool)result["ordered"]!);
        Assert.Equal(0, (int)result["rejected"]!["tooNewLogEventStartIndex"]!);
        Assert.Equal(14, (int)result["retention"]!);
        Assert.Equal(["a", "b"], result["described"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("ResourceAlreadyExistsException", (string)result["error"]!);
    }
}
