using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Orchestrator.Api.Protocols;

namespace Orchestrator.Node.Tests;

/// <summary>
/// CloudWatch over HTTP in its three protocols, against an in-process node at x100: requests
/// recorded from botocore 1.43 (json 1.0 with x-amzn-query-mode, the query form, CBOR) and
/// hand-built reads and bad input, with AWS's error codes.
/// </summary>
public sealed class CloudWatchApiTests(ApiNodeFixture fixture) : IClassFixture<ApiNodeFixture>
{
    private static readonly XNamespace Monitoring = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private const string Target = "GraniteServiceVersion20100801";

    private const string RecordedJsonPut =
        """{"Namespace": "RecordedJson", "MetricData": [{"MetricName": "Latency", "Dimensions": [{"Name": "Host", "Value": "web-1"}], "Values": [1.0, 2.0, 3.0, 4.0], "Counts": [1.0, 1.0, 1.0, 1.0], "Unit": "Milliseconds"}]}""";

    private const string RecordedQueryPut =
        "Action=PutMetricData&Version=2010-08-01&Namespace=RecordedQuery&MetricData.member.1.MetricName=Latency&MetricData.member.1.Dimensions.member.1.Name=Host"
        + "&MetricData.member.1.Dimensions.member.1.Value=web-1&MetricData.member.1.Values.member.1=1.0&MetricData.member.1.Values.member.2=2.0"
        + "&MetricData.member.1.Values.member.3=3.0&MetricData.member.1.Values.member.4=4.0&MetricData.member.1.Counts.member.1=1.0&MetricData.member.1.Counts.member.2=1.0"
        + "&MetricData.member.1.Counts.member.3=1.0&MetricData.member.1.Counts.member.4=1.0&MetricData.member.1.Unit=Milliseconds";

    private const string RecordedCborPut =
        "omlOYW1lc3BhY2VsUmVjb3JkZWRDYm9yak1ldHJpY0RhdGGBpWpNZXRyaWNOYW1lZ0xhdGVuY3lqRGltZW5zaW9uc4GiZE5hbWVkSG9zdGVWYWx1ZWV3ZWItMWZWYWx1ZXOE+z/wAAAAAAAA"
        + "+0AAAAAAAAAA+0AIAAAAAAAA+0AQAAAAAAAAZkNvdW50c4T7P/AAAAAAAAD7P/AAAAAAAAD7P/AAAAAAAAD7P/AAAAAAAABkVW5pdGxNaWxsaXNlY29uZHM=";

    private const string RecordedCborListMetrics = "oWlOYW1lc3BhY2VsUmVjb3JkZWRDYm9y";

    /// <summary>PutMetricData to AWS/EC2, as botocore encodes it in CBOR.</summary>
    private const string RecordedCborReservedPut = "omlOYW1lc3BhY2VnQVdTL0VDMmpNZXRyaWNEYXRhgaJqTWV0cmljTmFtZW5DUFVVdGlsaXphdGlvbmVWYWx1Zfs/8AAAAAAAAA==";

    private static void Sign(HttpRequestMessage request) =>
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=00");

    private async Task<(HttpStatusCode Status, HttpResponseMessage Response, string Body)> Json(string operation, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{Target}.{operation}");
        request.Headers.TryAddWithoutValidation("x-amzn-query-mode", "true");
        Sign(request);
        var response = await fixture.Http.SendAsync(request);
        return (response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, HttpResponseMessage Response, byte[] Body)> Cbor(string operation, string base64Body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/service/{Target}/operation/{operation}") { Content = new ByteArrayContent(Convert.FromBase64String(base64Body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        request.Headers.TryAddWithoutValidation("smithy-protocol", "rpc-v2-cbor");
        request.Headers.TryAddWithoutValidation("x-amzn-query-mode", "true");
        request.Headers.Accept.ParseAdd("application/cbor");
        Sign(request);
        var response = await fixture.Http.SendAsync(request);
        return (response.StatusCode, response, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<(HttpStatusCode Status, XElement Body)> Query(string form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };
        Sign(request);
        using var response = await fixture.Http.SendAsync(request);
        return (response.StatusCode, XElement.Parse(await response.Content.ReadAsStringAsync()));
    }

    private Task<(HttpStatusCode Status, XElement Body)> Query(string action, params (string Name, string Value)[] parameters) =>
        Query(string.Join('&', parameters.Prepend(("Version", "2010-08-01")).Prepend(("Action", action))
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}")));

    private async Task<string> QueryFails(string action, params (string Name, string Value)[] parameters)
    {
        var (status, body) = await Query(action, parameters);
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{action} answered {(int)status}: {body}");
        return body.Descendants(Monitoring + "Code").Single().Value;
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private DateTimeOffset Now => fixture.Node.Clock.Now;

    /// <summary>The whole of the last and next hour of simulated time, per hour: every point put in this test lands in one or two datapoints.</summary>
    private (string Start, string End) Range() => (Iso(Now.AddHours(-1)), Iso(Now.AddHours(1)));

    private async Task<JsonObject> JsonStatistics(string metricNamespace)
    {
        var start = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeSeconds();
        var (status, _, body) = await Json("GetMetricStatistics", $$"""
            {"Namespace": "{{metricNamespace}}", "MetricName": "Latency", "Dimensions": [{"Name": "Host", "Value": "web-1"}],
             "StartTime": {{start - 86400}}, "EndTime": {{start + 2 * 86400}}, "Period": 259200, "Statistics": ["SampleCount", "Sum", "Maximum"], "Unit": "Milliseconds"}
            """);
        Assert.True(status == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task Json_1_0_in_query_mode_puts_and_reads_statistics()
    {
        var (status, _, body) = await Json("PutMetricData", RecordedJsonPut);
        Assert.True(status == HttpStatusCode.OK, body);
        var point = Assert.Single((JsonArray)(await JsonStatistics("RecordedJson"))["Datapoints"]!)!;
        Assert.Equal((4.0, 10.0, 4.0, "Milliseconds"), ((double)point["SampleCount"]!, (double)point["Sum"]!, (double)point["Maximum"]!, (string)point["Unit"]!));
    }

    [Fact]
    public async Task Json_errors_carry_the_query_code()
    {
        var (status, response, body) = await Json("PutMetricData", """{"Namespace": "AWS/EC2", "MetricData": [{"MetricName": "CPUUtilization", "Value": 1.0}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParameterValue;Sender", response.Headers.GetValues("x-amzn-query-error").Single());
        Assert.EndsWith("InvalidParameterValueException", (string)JsonNode.Parse(body)!["__type"]!);
        var (periodStatus, periodResponse, _) = await Json("GetMetricStatistics",
            $$"""{"Namespace": "App", "MetricName": "Latency", "StartTime": {{Now.AddHours(-1).ToUnixTimeSeconds()}}, "EndTime": {{Now.ToUnixTimeSeconds()}}, "Period": 45, "Statistics": ["Average"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, periodStatus);
        Assert.Equal("InvalidParameterValue;Sender", periodResponse.Headers.GetValues("x-amzn-query-error").Single());
    }

    [Fact]
    public async Task The_query_protocol_puts_reads_and_lists()
    {
        var (status, body) = await Query(RecordedQueryPut);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var (start, end) = Range();
        var (readStatus, read) = await Query("GetMetricStatistics", ("Namespace", "RecordedQuery"), ("MetricName", "Latency"),
            ("Dimensions.member.1.Name", "Host"), ("Dimensions.member.1.Value", "web-1"), ("StartTime", start), ("EndTime", end), ("Period", "7200"),
            ("Statistics.member.1", "Average"), ("ExtendedStatistics.member.1", "p50"));
        Assert.Equal("InvalidParameterCombination", read.Descendants(Monitoring + "Code").SingleOrDefault()?.Value);
        (readStatus, read) = await Query("GetMetricStatistics", ("Namespace", "RecordedQuery"), ("MetricName", "Latency"),
            ("Dimensions.member.1.Name", "Host"), ("Dimensions.member.1.Value", "web-1"), ("StartTime", start), ("EndTime", end), ("Period", "7200"),
            ("ExtendedStatistics.member.1", "p50"), ("ExtendedStatistics.member.2", "p100"));
        Assert.True(readStatus == HttpStatusCode.OK, read.ToString());
        var values = read.Descendants(Monitoring + "ExtendedStatistics").Single().Elements(Monitoring + "entry")
            .ToDictionary(e => e.Element(Monitoring + "key")!.Value, e => double.Parse(e.Element(Monitoring + "value")!.Value, CultureInfo.InvariantCulture));
        Assert.Equal(new Dictionary<string, double> { ["p50"] = 2, ["p100"] = 4 }, values);
        var (_, listed) = await Query("ListMetrics", ("Namespace", "RecordedQuery"), ("Dimensions.member.1.Name", "Host"));
        Assert.Equal(["Latency"], listed.Descendants(Monitoring + "MetricName").Select(e => e.Value));
    }

    [Fact]
    public async Task Cbor_puts_lists_and_answers_errors_with_the_query_code()
    {
        var (status, response, _) = await Cbor("PutMetricData", RecordedCborPut);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("rpc-v2-cbor", response.Headers.GetValues("smithy-protocol").Single());
        var (listStatus, _, listBody) = await Cbor("ListMetrics", RecordedCborListMetrics);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var metric = Assert.Single((JsonArray)Orchestrator.Api.Protocols.Cbor.Read(listBody)!["Metrics"]!)!;
        Assert.Equal(("RecordedCbor", "Latency", "web-1"), ((string)metric["Namespace"]!, (string)metric["MetricName"]!, (string)metric["Dimensions"]![0]!["Value"]!));
        Assert.Equal(10.0, (double)((JsonArray)(await JsonStatistics("RecordedCbor"))["Datapoints"]!)[0]!["Sum"]!);

        var (errorStatus, errorResponse, _) = await Cbor("PutMetricData", RecordedCborReservedPut);
        Assert.Equal(HttpStatusCode.BadRequest, errorStatus);
        Assert.Equal("InvalidParameterValue;Sender", errorResponse.Headers.GetValues("x-amzn-query-error").Single());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_AWS_codes()
    {
        var (start, end) = Range();
        (string, string)[] Read(string period, string statistic) =>
            [("Namespace", "Bad"), ("MetricName", "Latency"), ("StartTime", start), ("EndTime", end), ("Period", period), ("Statistics.member.1", statistic)];
        Assert.Equal("InvalidParameterValue", await QueryFails("GetMetricStatistics", Read("45", "Average")));
        // What breaks the model's own constraints (an enum, a list's size) is Coral's ValidationError, as AWS answers it.
        Assert.Equal("ValidationError", await QueryFails("GetMetricStatistics", Read("60", "Median")));
        Assert.Equal("InvalidParameterCombination", await QueryFails("GetMetricStatistics",
            [("Namespace", "Bad"), ("MetricName", "Latency"), ("StartTime", Iso(Now.AddDays(-2))), ("EndTime", Iso(Now)), ("Period", "60"), ("Statistics.member.1", "Sum")]));
        Assert.Equal("MissingParameter", await QueryFails("GetMetricStatistics", [("Namespace", "Bad"), ("MetricName", "Latency"), ("StartTime", start), ("EndTime", end), ("Period", "60")]));
        var dimensions = Enumerable.Range(1, 31).SelectMany(i => new[] { ($"MetricData.member.1.Dimensions.member.{i}.Name", $"d{i}"), ($"MetricData.member.1.Dimensions.member.{i}.Value", "v") });
        Assert.Equal("ValidationError", await QueryFails("PutMetricData", [("Namespace", "Bad"), ("MetricData.member.1.MetricName", "m"), ("MetricData.member.1.Value", "1"), .. dimensions]));
        Assert.Equal("InvalidParameterValue", await QueryFails("PutMetricData", ("Namespace", "AWS/EC2"), ("MetricData.member.1.MetricName", "m"), ("MetricData.member.1.Value", "1")));
        Assert.Equal("InvalidParameterCombination", await QueryFails("PutMetricData", ("Namespace", "Bad"), ("MetricData.member.1.MetricName", "m"),
            ("MetricData.member.1.Value", "1"), ("MetricData.member.1.StatisticValues.SampleCount", "1"), ("MetricData.member.1.StatisticValues.Sum", "1"),
            ("MetricData.member.1.StatisticValues.Minimum", "1"), ("MetricData.member.1.StatisticValues.Maximum", "1")));
        Assert.Equal("InvalidParameterValue", await QueryFails("PutMetricData", ("Namespace", "Bad"), ("MetricData.member.1.MetricName", "m"),
            ("MetricData.member.1.Value", "1"), ("MetricData.member.1.Timestamp", Iso(Now.AddDays(-15)))));
        Assert.Equal("InvalidParameterValue", await QueryFails("PutMetricData", ("Namespace", "Bad"), ("MetricData.member.1.MetricName", "m"),
            ("MetricData.member.1.Value", "1"), ("MetricData.member.1.StorageResolution", "10")));
    }

    [Fact]
    public async Task Dashboards_round_trip_and_malformed_ones_are_refused()
    {
        const string Body = """{"widgets":[{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"metrics":[["AWS/EC2","CPUUtilization"]],"region":"us-east-1"}}]}""";
        var (status, put) = await Query("PutDashboard", ("DashboardName", "ops"), ("DashboardBody", Body));
        Assert.True(status == HttpStatusCode.OK, put.ToString());
        var (_, got) = await Query("GetDashboard", ("DashboardName", "ops"));
        Assert.Equal(Body, got.Descendants(Monitoring + "DashboardBody").Single().Value);
        Assert.Equal("arn:aws:cloudwatch::123456789012:dashboard/ops", got.Descendants(Monitoring + "DashboardArn").Single().Value);
        var (_, listed) = await Query("ListDashboards", ("DashboardNamePrefix", "op"));
        Assert.Equal(["ops"], listed.Descendants(Monitoring + "DashboardName").Select(e => e.Value));

        Assert.Equal("InvalidParameterInput", await QueryFails("PutDashboard", ("DashboardName", "bad"), ("DashboardBody", """{"widgets":[{"type":"chart","width":30}]}""")));
        Assert.Equal("InvalidParameterInput", await QueryFails("PutDashboard", ("DashboardName", "bad"), ("DashboardBody", "[]")));
        Assert.Equal("InvalidParameterValue", await QueryFails("PutDashboard", ("DashboardName", "no spaces"), ("DashboardBody", """{"widgets":[]}""")));
        var (deleteStatus, deleted) = await Query("DeleteDashboards", ("DashboardNames.member.1", "missing"));
        Assert.Equal(HttpStatusCode.NotFound, deleteStatus);
        Assert.Equal("ResourceNotFound", deleted.Descendants(Monitoring + "Code").Single().Value);
        var (okStatus, _) = await Query("DeleteDashboards", ("DashboardNames.member.1", "ops"));
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("ResourceNotFound", await QueryFails("GetDashboard", ("DashboardName", "ops")));
    }

    [Fact]
    public async Task A_running_instance_publishes_AWS_EC2_metrics_that_callers_read()
    {
        var run = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("Action=RunInstances&Version=2016-11-15&ImageId=ami-0c02fb55956c7d316&InstanceType=t3.micro&MinCount=1&MaxCount=1&Monitoring.Enabled=true",
                Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        run.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var ran = await fixture.Http.SendAsync(run);
        var instance = XElement.Parse(await ran.Content.ReadAsStringAsync()).Descendants().First(e => e.Name.LocalName == "instanceId").Value;

        // Simulated time runs at x100 and the sink delivers about once a second: poll the wall clock for what the node does in its own time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<string> names = [];
        while (!names.Contains("CPUUtilization"))
        {
            Assert.True(DateTime.UtcNow < deadline, "no AWS/EC2 metrics for the instance within 30 s");
            await Task.Delay(100);
            var (_, listed) = await Query("ListMetrics", ("Namespace", "AWS/EC2"), ("Dimensions.member.1.Name", "InstanceId"), ("Dimensions.member.1.Value", instance));
            names = [.. listed.Descendants(Monitoring + "MetricName").Select(e => e.Value)];
        }
        var (start, end) = Range();
        var (status, read) = await Query("GetMetricStatistics", ("Namespace", "AWS/EC2"), ("MetricName", "CPUUtilization"),
            ("Dimensions.member.1.Name", "InstanceId"), ("Dimensions.member.1.Value", instance), ("StartTime", start), ("EndTime", end), ("Period", "60"),
            ("Statistics.member.1", "SampleCount"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(read.Descendants(Monitoring + "Unit"), u => Assert.Equal("Percent", u.Value));
        Assert.NotEmpty(read.Descendants(Monitoring + "SampleCount"));
    }
}
