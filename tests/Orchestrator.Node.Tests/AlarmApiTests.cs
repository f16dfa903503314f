using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Node.Tests;

/// <summary>CloudWatch metric alarms over json 1.0 against an in-process node: the calls, their read model, and bad input with AWS's codes.</summary>
public sealed class AlarmApiTests(ApiNodeFixture fixture) : IClassFixture<ApiNodeFixture>
{
    private const string Target = "GraniteServiceVersion20100801";

    private async Task<(HttpStatusCode Status, HttpResponseMessage Response, string Body)> Json(string operation, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{Target}.{operation}");
        request.Headers.TryAddWithoutValidation("x-amzn-query-mode", "true");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=00");
        var response = await fixture.Http.SendAsync(request);
        return (response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> Ok(string operation, string body)
    {
        var (status, _, text) = await Json(operation, body);
        Assert.True(status == HttpStatusCode.OK, $"{operation}: {(int)status} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<string> Fails(string operation, string body)
    {
        var (status, response, text) = await Json(operation, body);
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{operation}: {(int)status} {text}");
        return response.Headers.GetValues("x-amzn-query-error").Single().Split(';')[0];
    }

    private static string Alarm(string name, int period = 60, int evaluationPeriods = 3, int? datapointsToAlarm = null, string statistic = "\"Statistic\": \"Average\"") =>
        $$"""{"AlarmName": "{{name}}", "Namespace": "AlarmApi", "MetricName": "CPU", "Dimensions": [{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}], "Period": {{period}}, {{statistic}}, "EvaluationPeriods": {{evaluationPeriods}}, {{(datapointsToAlarm is { } m ? $"\"DatapointsToAlarm\": {m}," : "")}} "Threshold": 70, "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:ops"]}""";

    [Fact]
    public async Task Put_describe_set_state_disable_history_and_delete()
    {
        await Ok("PutMetricAlarm", Alarm("api-cpu-high"));
        var described = Assert.Single((JsonArray)(await Ok("DescribeAlarms", """{"AlarmNames": ["api-cpu-high"]}"""))["MetricAlarms"]!)!;
        Assert.Equal(("INSUFFICIENT_DATA", "Unchecked: Initial alarm creation", true), ((string)described["StateValue"]!, (string)described["StateReason"]!,
            (bool)described["ActionsEnabled"]!));
        // Left out when the caller left it out, as AWS does (M then equals EvaluationPeriods).
        Assert.Null(described["DatapointsToAlarm"]);
        Assert.EndsWith(":alarm:api-cpu-high", (string)described["AlarmArn"]!);
        Assert.StartsWith("arn:aws:cloudwatch:us-east-1:", (string)described["AlarmArn"]!);

        await Ok("SetAlarmState", """{"AlarmName": "api-cpu-high", "StateValue": "ALARM", "StateReason": "testing"}""");
        Assert.Single((JsonArray)(await Ok("DescribeAlarms", """{"AlarmNamePrefix": "api-cpu", "StateValue": "ALARM"}"""))["MetricAlarms"]!);
        Assert.Single((JsonArray)(await Ok("DescribeAlarms", """{"ActionPrefix": "arn:aws:sns:us-east-1:123456789012:ops"}"""))["MetricAlarms"]!);
        Assert.Empty((JsonArray)(await Ok("DescribeAlarms", """{"AlarmNames": ["api-cpu-high"], "AlarmTypes": ["CompositeAlarm"]}"""))["MetricAlarms"]!);
        var forMetric = await Ok("DescribeAlarmsForMetric",
            """{"Namespace": "AlarmApi", "MetricName": "CPU", "Dimensions": [{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}]}""");
        Assert.Contains(((JsonArray)forMetric["MetricAlarms"]!), a => (string)a!["AlarmName"]! == "api-cpu-high");

        await Ok("DisableAlarmActions", """{"AlarmNames": ["api-cpu-high"]}""");
        Assert.False((bool)Assert.Single((JsonArray)(await Ok("DescribeAlarms", """{"AlarmNames": ["api-cpu-high"]}"""))["MetricAlarms"]!)!["ActionsEnabled"]!);

        var history = (JsonArray)(await Ok("DescribeAlarmHistory", """{"AlarmName": "api-cpu-high"}"""))["AlarmHistoryItems"]!;
        Assert.Equal(["Action", "StateUpdate", "ConfigurationUpdate"], history.Select(h => (string)h!["HistoryItemType"]!));
        Assert.Contains("arn:aws:sns:us-east-1:123456789012:ops", (string)history[0]!["HistorySummary"]!);

        await Ok("DeleteAlarms", """{"AlarmNames": ["api-cpu-high", "never-existed"]}""");
        Assert.Empty((JsonArray)(await Ok("DescribeAlarms", """{"AlarmNames": ["api-cpu-high"]}"""))["MetricAlarms"]!);
    }

    [Fact]
    public async Task Bad_input_answers_aws_codes()
    {
        Assert.Equal("ValidationError", await Fails("PutMetricAlarm", Alarm("bad-period", period: 45)));
        Assert.Equal("ValidationError", await Fails("PutMetricAlarm", Alarm("bad-m", evaluationPeriods: 2, datapointsToAlarm: 3)));
        Assert.Equal("ValidationError", await Fails("PutMetricAlarm", Alarm("too-long", period: 3000, evaluationPeriods: 30)));
        Assert.Equal("InvalidParameterCombination", await Fails("PutMetricAlarm", Alarm("both", statistic: "\"Statistic\": \"Average\", \"ExtendedStatistic\": \"p99\"")));
        Assert.Equal("ResourceNotFound", await Fails("SetAlarmState", """{"AlarmName": "no-such-alarm", "StateValue": "ALARM", "StateReason": "x"}"""));
        Assert.Equal("InvalidNextToken", await Fails("DescribeAlarms", """{"NextToken": "not-a-token"}"""));
        Assert.Empty((JsonArray)(await Ok("DescribeAlarms", """{"AlarmNames": ["bad-period", "bad-m"]}"""))["MetricAlarms"]!);
    }
}
