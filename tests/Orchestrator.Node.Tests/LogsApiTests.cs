using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Node.Tests;

/// <summary>CloudWatch Logs over HTTP (awsJson 1.1, X-Amz-Target Logs_20140328.*) against an in-process node, with the model's error names.</summary>
public sealed class LogsApiTests(ApiNodeFixture fixture) : IClassFixture<ApiNodeFixture>
{
    private long NowMs => fixture.Node.Clock.Now.ToUnixTimeMilliseconds();

    private async Task<(HttpStatusCode Status, JsonObject Body)> Call(string operation, JsonObject input)
    {
        using var content = new StringContent(input.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"Logs_20140328.{operation}");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private async Task<JsonObject> Ok(string operation, JsonObject input)
    {
        var (status, body) = await Call(operation, input);
        Assert.True(status == HttpStatusCode.OK, $"{operation} answered {(int)status}: {body.ToJsonString()}");
        return body;
    }

    private async Task<string> Fails(string operation, JsonObject input)
    {
        var (status, body) = await Call(operation, input);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var type = (string)body["__type"]!;
        return type[(type.LastIndexOf('#') + 1)..];
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    private async Task<string> GroupWithStream(string stream = "web-1")
    {
        var group = "/node-tests/" + Unique("app");
        await Ok("CreateLogGroup", new JsonObject { ["logGroupName"] = group, ["tags"] = new JsonObject { ["team"] = "core" } });
        await Ok("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream });
        return group;
    }

    private static JsonArray Events(params (long Timestamp, string Message)[] events) =>
        new([.. events.Select(e => (JsonNode)new JsonObject { ["timestamp"] = e.Timestamp, ["message"] = e.Message })]);

    [Fact]
    public async Task A_group_lives_through_retention_streams_events_reads_filters_tags_and_deletion()
    {
        var group = await GroupWithStream();
        await Ok("PutRetentionPolicy", new JsonObject { ["logGroupName"] = group, ["retentionInDays"] = 7 });
        var now = NowMs;
        var put = await Ok("PutLogEvents", new JsonObject
        {
            ["logGroupName"] = group,
            ["logStreamName"] = "web-1",
            ["logEvents"] = Events((now - 3000, "{\"level\":\"INFO\",\"latency\":20}"), (now - 2000, "{\"level\":\"ERROR\",\"latency\":250}"),
                (now - 1000, "plain ERROR line"), (now + (long)TimeSpan.FromHours(3).TotalMilliseconds, "from the future")),
        });
        Assert.False(string.IsNullOrEmpty((string?)put["nextSequenceToken"]));
        Assert.Equal(3, (int)put["rejectedLogEventsInfo"]!["tooNewLogEventStartIndex"]!);

        var get = await Ok("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "web-1", ["startFromHead"] = true, ["limit"] = 2 });
        Assert.Equal(2, get["events"]!.AsArray().Count);
        Assert.Equal(now - 3000, (long)get["events"]![0]!["timestamp"]!);
        Assert.StartsWith("f/", (string)get["nextForwardToken"]!, StringComparison.Ordinal);
        var next = await Ok("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "web-1", ["startFromHead"] = true, ["nextToken"] = get["nextForwardToken"]!.DeepClone() });
        Assert.Equal("plain ERROR line", (string)next["events"]![0]!["message"]!);

        var filtered = await Ok("FilterLogEvents", new JsonObject { ["logGroupName"] = group, ["filterPattern"] = "{ $.level = \"ERROR\" && $.latency > 100 }" });
        var hit = Assert.Single(filtered["events"]!.AsArray())!;
        Assert.Equal("web-1", (string)hit["logStreamName"]!);
        Assert.False(string.IsNullOrEmpty((string?)hit["eventId"]));
        Assert.Equal(2, (await Ok("FilterLogEvents", new JsonObject { ["logGroupName"] = group, ["filterPattern"] = "ERROR" }))["events"]!.AsArray().Count);

        var described = await Ok("DescribeLogGroups", new JsonObject { ["logGroupNamePrefix"] = group });
        var view = Assert.Single(described["logGroups"]!.AsArray())!;
        Assert.Equal(7, (int)view["retentionInDays"]!);
        Assert.Equal($"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*", (string)view["arn"]!);
        Assert.True((long)view["storedBytes"]! > 0);
        var streams = await Ok("DescribeLogStreams", new JsonObject { ["logGroupName"] = group });
        var stream = Assert.Single(streams["logStreams"]!.AsArray())!;
        Assert.Equal(now - 3000, (long)stream["firstEventTimestamp"]!);
        Assert.Equal(now - 1000, (long)stream["lastEventTimestamp"]!);

        Assert.Equal("core", (string)(await Ok("ListTagsLogGroup", new JsonObject { ["logGroupName"] = group }))["tags"]!["team"]!);
        var arn = $"arn:aws:logs:us-east-1:123456789012:log-group:{group}";
        await Ok("TagResource", new JsonObject { ["resourceArn"] = arn, ["tags"] = new JsonObject { ["env"] = "test" } });
        await Ok("UntagLogGroup", new JsonObject { ["logGroupName"] = group, ["tags"] = new JsonArray("team") });
        var tags = (await Ok("ListTagsForResource", new JsonObject { ["resourceArn"] = arn }))["tags"]!.AsObject();
        Assert.Equal(["env"], tags.Select(t => t.Key));

        await Ok("DeleteRetentionPolicy", new JsonObject { ["logGroupName"] = group });
        Assert.Null((await Ok("DescribeLogGroups", new JsonObject { ["logGroupNamePrefix"] = group }))["logGroups"]![0]!["retentionInDays"]);
        await Ok("DeleteLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "web-1" });
        Assert.Empty((await Ok("DescribeLogStreams", new JsonObject { ["logGroupName"] = group }))["logStreams"]!.AsArray());
        await Ok("DeleteLogGroup", new JsonObject { ["logGroupName"] = group });
        Assert.Empty((await Ok("DescribeLogGroups", new JsonObject { ["logGroupNamePrefix"] = group }))["logGroups"]!.AsArray());
    }

    [Fact]
    public async Task DescribeLogGroups_pages_with_limit_and_nextToken_and_matches_patterns()
    {
        var prefix = "/paging/" + Unique("p") + "/";
        foreach (var name in new[] { "a", "b", "c" })
            await Ok("CreateLogGroup", new JsonObject { ["logGroupName"] = prefix + name });
        var first = await Ok("DescribeLogGroups", new JsonObject { ["logGroupNamePrefix"] = prefix, ["limit"] = 2 });
        Assert.Equal(2, first["logGroups"]!.AsArray().Count);
        var second = await Ok("DescribeLogGroups", new JsonObject { ["logGroupNamePrefix"] = prefix, ["limit"] = 2, ["nextToken"] = first["nextToken"]!.DeepClone() });
        Assert.Equal(prefix + "c", (string)Assert.Single(second["logGroups"]!.AsArray())!["logGroupName"]!);
        Assert.Null(second["nextToken"]);
        var pattern = await Ok("DescribeLogGroups", new JsonObject { ["logGroupNamePattern"] = prefix[8..^1].ToUpperInvariant() });
        Assert.Equal(3, pattern["logGroups"]!.AsArray().Count);
    }

    [Fact]
    public async Task Bad_input_answers_the_model_exception_names()
    {
        var group = await GroupWithStream();
        Assert.Equal("ResourceAlreadyExistsException", await Fails("CreateLogGroup", new JsonObject { ["logGroupName"] = group }));
        Assert.Equal("ResourceAlreadyExistsException", await Fails("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "web-1" }));
        Assert.Equal("InvalidParameterException", await Fails("CreateLogGroup", new JsonObject { ["logGroupName"] = "has space" }));
        Assert.Equal("InvalidParameterException", await Fails("CreateLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "a:b" }));
        Assert.Equal("InvalidParameterException", await Fails("PutRetentionPolicy", new JsonObject { ["logGroupName"] = group, ["retentionInDays"] = 2 }));
        Assert.Equal("ResourceNotFoundException", await Fails("PutRetentionPolicy", new JsonObject { ["logGroupName"] = "/missing/" + Unique("g"), ["retentionInDays"] = 7 }));
        Assert.Equal("ResourceNotFoundException", await Fails("DeleteLogGroup", new JsonObject { ["logGroupName"] = "/missing/" + Unique("g") }));
        Assert.Equal("ResourceNotFoundException", await Fails("DeleteLogStream", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "nope" }));
        Assert.Equal("ResourceNotFoundException", await Fails("DescribeLogStreams", new JsonObject { ["logGroupName"] = "/missing/" + Unique("g") }));
        Assert.Equal("ResourceNotFoundException", await Fails("PutLogEvents", new JsonObject
        {
            ["logGroupName"] = group, ["logStreamName"] = "nope", ["logEvents"] = Events((NowMs, "x")),
        }));
        Assert.Equal("InvalidParameterException", await Fails("PutLogEvents", new JsonObject
        {
            ["logGroupName"] = group, ["logStreamName"] = "web-1", ["logEvents"] = Events((NowMs, "b"), (NowMs - 10, "a")),
        }));
        Assert.Equal("ResourceNotFoundException", await Fails("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "nope" }));
        Assert.Equal("InvalidParameterException", await Fails("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "web-1", ["nextToken"] = "garbage" }));
        Assert.Equal("InvalidParameterException", await Fails("FilterLogEvents", new JsonObject { ["logGroupName"] = group, ["filterPattern"] = "{ $.a = }" }));
        Assert.Equal("InvalidParameterException", await Fails("FilterLogEvents", new JsonObject
        {
            ["logGroupName"] = group, ["logStreamNames"] = new JsonArray("web-1"), ["logStreamNamePrefix"] = "web",
        }));
        Assert.Equal("InvalidParameterException", await Fails("DescribeLogStreams", new JsonObject
        {
            ["logGroupName"] = group, ["orderBy"] = "LastEventTime", ["logStreamNamePrefix"] = "web",
        }));
        Assert.Equal("InvalidParameterException", await Fails("DescribeLogGroups", new JsonObject { ["logGroupNamePrefix"] = "a", ["logGroupNamePattern"] = "b" }));
        Assert.Equal("InvalidParameterException", await Fails("TagResource", new JsonObject
        {
            ["resourceArn"] = "arn:aws:ec2:us-east-1:123456789012:instance/i-1", ["tags"] = new JsonObject { ["a"] = "b" },
        }));
        Assert.Equal("ValidationException", await Fails("DescribeLogGroups", new JsonObject { ["limit"] = 51 }));
        Assert.Equal("ValidationException", await Fails("CreateLogGroup", new JsonObject()));
    }

    [Fact]
    public async Task GetLogEvents_accepts_a_log_group_arn_as_identifier()
    {
        var group = await GroupWithStream();
        await Ok("PutLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "web-1", ["logEvents"] = Events((NowMs, "hello")) });
        var get = await Ok("GetLogEvents", new JsonObject
        {
            ["logGroupIdentifier"] = $"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*", ["logStreamName"] = "web-1",
        });
        Assert.Equal("hello", (string)get["events"]![0]!["message"]!);
    }
}
