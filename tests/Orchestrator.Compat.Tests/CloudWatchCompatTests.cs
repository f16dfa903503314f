using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI and boto3, unchanged but for the endpoint, putting and reading CloudWatch metrics and dashboards.</summary>
public sealed class CloudWatchCompatTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    /// <summary>One day-long period ending two hours ahead of the wall clock: the node's simulated time (x20) stays inside it during a test.</summary>
    private static (string Start, string End) Day()
    {
        var end = DateTimeOffset.UtcNow.AddHours(2);
        return (end.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), end.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_cli_puts_reads_and_lists_metrics()
    {
        await node.AwsOk("cloudwatch", "put-metric-data", "--namespace", "CliApp", "--metric-name", "Latency", "--dimensions", "Host=web-1", "--value", "10", "--unit", "Milliseconds");
        await node.AwsOk("cloudwatch", "put-metric-data", "--namespace", "CliApp", "--metric-data",
            """[{"MetricName":"Latency","Dimensions":[{"Name":"Host","Value":"web-1"}],"Values":[1,2,3,4],"Counts":[1,1,1,1],"Unit":"Milliseconds"}]""");
        await node.AwsOk("cloudwatch", "put-metric-data", "--namespace", "CliApp", "--metric-name", "Errors", "--value", "1");
        var (start, end) = Day();
        var stats = await node.AwsOk("cloudwatch", "get-metric-statistics", "--namespace", "CliApp", "--metric-name", "Latency", "--dimensions", "Name=Host,Value=web-1",
            "--start-time", start, "--end-time", end, "--period", "86400", "--statistics", "SampleCount", "Sum", "Minimum", "Maximum", "Average");
        var point = Assert.Single(stats["Datapoints"]!.AsArray())!;
        Assert.Equal((5.0, 20.0, 1.0, 10.0, 4.0, "Milliseconds"), ((double)point["SampleCount"]!, (double)point["Sum"]!, (double)point["Minimum"]!,
            (double)point["Maximum"]!, (double)point["Average"]!, (string)point["Unit"]!));
        var percentiles = await node.AwsOk("cloudwatch", "get-metric-statistics", "--namespace", "CliApp", "--metric-name", "Latency", "--dimensions", "Name=Host,Value=web-1",
            "--start-time", start, "--end-time", end, "--period", "86400", "--extended-statistics", "p50", "p90");
        var extended = percentiles["Datapoints"]![0]!["ExtendedStatistics"]!;
        Assert.Equal((3.0, 10.0), ((double)extended["p50"]!, (double)extended["p90"]!));

        var listed = await node.AwsOk("cloudwatch", "list-metrics", "--namespace", "CliApp");
        Assert.Equal(["Errors", "Latency"], listed["Metrics"]!.AsArray().Select(m => (string)m!["MetricName"]!));
        var withHost = await node.AwsOk("cloudwatch", "list-metrics", "--namespace", "CliApp", "--dimensions", "Name=Host");
        Assert.Equal(["Latency"], withHost["Metrics"]!.AsArray().Select(m => (string)m!["MetricName"]!));

        Assert.Contains("(InvalidParameterValue)", await node.AwsFails("cloudwatch", "put-metric-data", "--namespace", "AWS/EC2", "--metric-name", "CPUUtilization", "--value", "1"));
        Assert.Contains("(InvalidParameterValue)", await node.AwsFails("cloudwatch", "get-metric-statistics", "--namespace", "CliApp", "--metric-name", "Latency",
            "--start-time", start, "--end-time", end, "--period", "45", "--statistics", "Average"));
    }

    [Fact]
    public async Task The_cli_alarm_evaluates_put_data_and_can_be_set_described_and_deleted()
    {
        string[] Alarm(string name, string period = "60") =>
            ["cloudwatch", "put-metric-alarm", "--alarm-name", name, "--namespace", "CliAlarm", "--metric-name", "Load", "--dimensions", "Name=Host,Value=web-1",
                "--period", period, "--statistic", "Maximum", "--evaluation-periods", "1", "--threshold", "70", "--comparison-operator", "GreaterThanThreshold",
                "--alarm-actions", "arn:aws:sns:us-east-1:123456789012:ops"];
        await node.AwsOk(Alarm("cli-load-high"));
        await node.AwsOk(Alarm("cli-manual"));
        await node.AwsOk("cloudwatch", "put-metric-data", "--namespace", "CliAlarm", "--metric-name", "Load", "--dimensions", "Host=web-1", "--value", "95");

        // At x20 a simulated minute is 3 s of wall time: the minute holding the datapoint closes, then the alarm evaluates it.
        string state = "";
        for (var attempt = 0; attempt < 40 && state != "ALARM"; attempt++)
        {
            await Task.Delay(500);
            var described = await node.AwsOk("cloudwatch", "describe-alarms", "--alarm-names", "cli-load-high");
            state = (string)described["MetricAlarms"]![0]!["StateValue"]!;
        }
        Assert.Equal("ALARM", state);

        await node.AwsOk("cloudwatch", "set-alarm-state", "--alarm-name", "cli-manual", "--state-value", "OK", "--state-reason", "checked by hand");
        // The manual state lasts until the next evaluation puts it back, so the history is what must show it.
        var manual = await node.AwsOk("cloudwatch", "describe-alarm-history", "--alarm-name", "cli-manual", "--history-item-type", "StateUpdate");
        Assert.Contains(manual["AlarmHistoryItems"]!.AsArray(), h => ((string)h!["HistoryData"]!).Contains("checked by hand", StringComparison.Ordinal));
        var history = await node.AwsOk("cloudwatch", "describe-alarm-history", "--alarm-name", "cli-load-high", "--history-item-type", "StateUpdate");
        Assert.Contains(history["AlarmHistoryItems"]!.AsArray(), h => ((string)h!["HistorySummary"]!).EndsWith("to ALARM", StringComparison.Ordinal));
        var actions = await node.AwsOk("cloudwatch", "describe-alarm-history", "--alarm-name", "cli-load-high", "--history-item-type", "Action");
        Assert.NotEmpty(actions["AlarmHistoryItems"]!.AsArray());

        Assert.Contains("(ValidationError)", await node.AwsFails(Alarm("cli-bad-period", "45")));
        await node.AwsOk("cloudwatch", "delete-alarms", "--alarm-names", "cli-load-high", "cli-manual");
        Assert.Empty((await node.AwsOk("cloudwatch", "describe-alarms", "--alarm-name-prefix", "cli-"))["MetricAlarms"]!.AsArray());
    }

    [Fact]
    public async Task The_cli_puts_and_gets_a_dashboard()
    {
        const string Body = """{"widgets":[{"type":"text","x":0,"y":0,"width":12,"height":3,"properties":{"markdown":"# Orchestrator"}}]}""";
        await node.AwsOk("cloudwatch", "put-dashboard", "--dashboard-name", "cli-ops", "--dashboard-body", Body);
        var got = await node.AwsOk("cloudwatch", "get-dashboard", "--dashboard-name", "cli-ops");
        Assert.Equal(Body, (string)got["DashboardBody"]!);
        Assert.Equal("cli-ops", (string)got["DashboardName"]!);
        Assert.Contains("(InvalidParameterInput)", await node.AwsFails("cloudwatch", "put-dashboard", "--dashboard-name", "cli-bad", "--dashboard-body", """{"widgets":[{"type":"pie"}]}"""));
        await node.AwsOk("cloudwatch", "delete-dashboards", "--dashboard-names", "cli-ops");
        Assert.Contains("(ResourceNotFound)", await node.AwsFails("cloudwatch", "get-dashboard", "--dashboard-name", "cli-ops"));
    }

    [Fact]
    public async Task Boto3_puts_reads_with_math_lists_and_keeps_dashboards()
    {
        const string Script = """
            import boto3, json, os, datetime
            from botocore.exceptions import ClientError
            cw = boto3.client('cloudwatch', endpoint_url=os.environ['ENDPOINT'])
            dims = [{'Name': 'Host', 'Value': 'web-1'}]
            cw.put_metric_data(Namespace='BotoApp', MetricData=[
                {'MetricName': 'Requests', 'Dimensions': dims, 'Values': [10.0, 20.0], 'Counts': [3.0, 1.0], 'Unit': 'Count'},
                {'MetricName': 'Errors', 'Dimensions': dims, 'StatisticValues': {'SampleCount': 2, 'Sum': 5, 'Minimum': 1, 'Maximum': 4}, 'Unit': 'Count'},
            ])
            end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)
            start = end - datetime.timedelta(days=1)
            stats = cw.get_metric_statistics(Namespace='BotoApp', MetricName='Requests', Dimensions=dims, StartTime=start, EndTime=end, Period=86400,
                                             Statistics=['Sum', 'Average'])['Datapoints']
            p = cw.get_metric_statistics(Namespace='BotoApp', MetricName='Requests', Dimensions=dims, StartTime=start, EndTime=end, Period=86400,
                                         ExtendedStatistics=['p75', 'p76'])['Datapoints']
            metric = lambda name: {'Namespace': 'BotoApp', 'MetricName': name, 'Dimensions': dims}
            data = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
                {'Id': 'requests', 'MetricStat': {'Metric': metric('Requests'), 'Period': 86400, 'Stat': 'Sum'}, 'ReturnData': False},
                {'Id': 'errors', 'MetricStat': {'Metric': metric('Errors'), 'Period': 86400, 'Stat': 'Sum'}, 'ReturnData': False},
                {'Id': 'rate', 'Expression': 'errors / requests * 100', 'Label': 'error rate'},
            ])['MetricDataResults']
            names = [m['MetricName'] for page in cw.get_paginator('list_metrics').paginate(Namespace='BotoApp') for m in page['Metrics']]
            cw.put_dashboard(DashboardName='boto-ops', DashboardBody=json.dumps({'widgets': []}))
            dashboards = [d['DashboardName'] for d in cw.list_dashboards()['DashboardEntries']]
            try:
                cw.get_metric_statistics(Namespace='BotoApp', MetricName='Requests', StartTime=start, EndTime=end, Period=60, Statistics=['Sum'])
                too_many = None
            except ClientError as e:
                too_many = e.response['Error']['Code']
            try:
                cw.delete_dashboards(DashboardNames=['boto-missing'])
                missing = None
            except ClientError as e:
                missing = e.response['Error']['Code']
            print(json.dumps({'sum': stats[0]['Sum'], 'average': stats[0]['Average'], 'p75': p[0]['ExtendedStatistics']['p75'], 'p76': p[0]['ExtendedStatistics']['p76'],
                              'rate': data[0]['Values'], 'label': data[0]['Label'], 'names': sorted(names), 'dashboards': dashboards,
                              'tooMany': too_many, 'missing': missing}))
            """;
        var (code, stdout, stderr) = await node.Run("python3", "-c", Script);
        Assert.True(code == 0, $"{stderr}\nnode output:\n{node.Output}");
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal((50.0, 12.5, 10.0, 20.0), ((double)result["sum"]!, (double)result["average"]!, (double)result["p75"]!, (double)result["p76"]!));
        Assert.Equal([10.0], result["rate"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("error rate", (string)result["label"]!);
        Assert.Equal(["Errors", "Requests"], result["names"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["boto-ops"], result["dashboards"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(("InvalidParameterCombination", "ResourceNotFound"), ((string)result["tooMany"]!, (string)result["missing"]!));
    }

    /// <summary>Polls describe-alarms (the CLI, with the given extra arguments) until the alarm reads the state or the deadline passes; returns the alarm as last read.</summary>
    private async Task<JsonNode> AlarmReaches(string list, string name, string state, params string[] extra)
    {
        JsonNode alarm = new JsonObject();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var described = await node.AwsOk(["cloudwatch", "describe-alarms", "--alarm-names", name, .. extra]);
            alarm = described[list]!.AsArray().Single()!;
            if ((string)alarm["StateValue"]! == state)
                return alarm;
            await Task.Delay(250);
        }
        Assert.Fail($"{name} stayed {alarm["StateValue"]}, expected {state}");
        return alarm;
    }

    [Fact]
    public async Task The_cli_composite_alarm_follows_its_children_and_guards_them()
    {
        string[] Child(string name) =>
            ["cloudwatch", "put-metric-alarm", "--alarm-name", name, "--namespace", "CliComposite", "--metric-name", name, "--period", "60", "--statistic", "Maximum",
                "--evaluation-periods", "1", "--threshold", "70", "--comparison-operator", "GreaterThanThreshold", "--treat-missing-data", "notBreaching"];
        await node.AwsOk(Child("cc-cpu"));
        await node.AwsOk(Child("cc-deploy"));
        await AlarmReaches("MetricAlarms", "cc-cpu", "OK");
        Assert.Contains("(ValidationError)", await node.AwsFails("cloudwatch", "put-composite-alarm", "--alarm-name", "cc-service", "--alarm-rule", "ALARM(cc-cpu) AND"));
        Assert.Contains("do not exist", await node.AwsFails("cloudwatch", "put-composite-alarm", "--alarm-name", "cc-service", "--alarm-rule", "ALARM(cc-ghost)"));
        await node.AwsOk("cloudwatch", "put-composite-alarm", "--alarm-name", "cc-service", "--alarm-rule", """ALARM(cc-cpu) AND NOT ALARM("cc-deploy")""",
            "--alarm-actions", "arn:aws:sns:us-east-1:123456789012:ops", "--alarm-description", "cpu unless deploying");
        var composite = await AlarmReaches("CompositeAlarms", "cc-service", "OK", "--alarm-types", "CompositeAlarm");
        Assert.Equal(("""ALARM(cc-cpu) AND NOT ALARM("cc-deploy")""", "cpu unless deploying"), ((string)composite["AlarmRule"]!, (string)composite["AlarmDescription"]!));
        Assert.Empty((await node.AwsOk("cloudwatch", "describe-alarms", "--alarm-names", "cc-service"))["CompositeAlarms"]!.AsArray());
        var children = await node.AwsOk("cloudwatch", "describe-alarms", "--children-of-alarm-name", "cc-service");
        Assert.Equal(["cc-cpu", "cc-deploy"], children["MetricAlarms"]!.AsArray().Select(a => (string)a!["AlarmName"]!));

        // The CPU child breaches at its next minute boundary (3 s of wall time at x20); the composite follows within ten simulated seconds.
        await node.AwsOk("cloudwatch", "put-metric-data", "--namespace", "CliComposite", "--metric-name", "cc-cpu", "--value", "95");
        await AlarmReaches("MetricAlarms", "cc-cpu", "ALARM");
        composite = await AlarmReaches("CompositeAlarms", "cc-service", "ALARM", "--alarm-types", "CompositeAlarm");
        Assert.Contains("cc-cpu transitioned to ALARM", (string)composite["StateReason"]!);
        var actions = await node.AwsOk("cloudwatch", "describe-alarm-history", "--alarm-name", "cc-service", "--history-item-type", "Action");
        var action = actions["AlarmHistoryItems"]!.AsArray().First()!;
        Assert.Equal(("CompositeAlarm", "Successfully executed action arn:aws:sns:us-east-1:123456789012:ops"), ((string)action["AlarmType"]!, (string)action["HistorySummary"]!));

        // A deployment starts: the rule no longer holds.
        await node.AwsOk("cloudwatch", "set-alarm-state", "--alarm-name", "cc-deploy", "--state-value", "ALARM", "--state-reason", "deploying");
        await AlarmReaches("CompositeAlarms", "cc-service", "OK", "--alarm-types", "CompositeAlarm");

        Assert.Contains("composite alarm(s) depending on it", await node.AwsFails("cloudwatch", "delete-alarms", "--alarm-names", "cc-cpu"));
        await node.AwsOk("cloudwatch", "delete-alarms", "--alarm-names", "cc-service");
        await node.AwsOk("cloudwatch", "delete-alarms", "--alarm-names", "cc-cpu", "cc-deploy");
        var left = await node.AwsOk("cloudwatch", "describe-alarms", "--alarm-name-prefix", "cc-", "--alarm-types", "MetricAlarm", "CompositeAlarm");
        Assert.Empty(left["MetricAlarms"]!.AsArray());
        Assert.Empty(left["CompositeAlarms"]!.AsArray());
    }

    [Fact]
    public async Task Boto3_metric_math_alarm_is_described_with_its_queries_tagged_and_refused_when_ambiguous()
    {
        const string Script = """
            import boto3, json, os
            from botocore.exceptions import ClientError
            cw = boto3.client('cloudwatch', endpoint_url=os.environ['ENDPOINT'])
            metric = lambda name: {'Namespace': 'BotoMath', 'MetricName': name}
            queries = [
                {'Id': 'e', 'MetricStat': {'Metric': metric('Errors'), 'Period': 60, 'Stat': 'Sum'}, 'ReturnData': False},
                {'Id': 'r', 'MetricStat': {'Metric': metric('Requests'), 'Period': 60, 'Stat': 'Sum'}, 'ReturnData': False},
                {'Id': 'rate', 'Expression': '100 * e / r', 'Label': 'error rate', 'ReturnData': True},
            ]
            common = dict(EvaluationPeriods=1, Threshold=5, ComparisonOperator='GreaterThanThreshold')
            cw.put_metric_alarm(AlarmName='boto-error-rate', Metrics=queries, Tags=[{'Key': 'team', 'Value': 'web'}], **common)
            alarm = cw.describe_alarms(AlarmNames=['boto-error-rate'])['MetricAlarms'][0]
            arn = alarm['AlarmArn']
            cw.tag_resource(ResourceARN=arn, Tags=[{'Key': 'env', 'Value': 'test'}])
            cw.untag_resource(ResourceARN=arn, TagKeys=['team'])
            tags = cw.list_tags_for_resource(ResourceARN=arn)['Tags']
            try:
                cw.list_tags_for_resource(ResourceARN=arn + '-missing')
                missing = None
            except ClientError as e:
                missing = e.response['Error']['Code']
            def code(**kwargs):
                try:
                    cw.put_metric_alarm(AlarmName='boto-bad', **kwargs, **common)
                except ClientError as e:
                    return e.response['Error']['Code']
            both = code(Metrics=queries, MetricName='Errors', Namespace='BotoMath')
            two = code(Metrics=[dict(q, ReturnData=True) for q in queries])
            cw.delete_alarms(AlarmNames=['boto-error-rate'])
            print(json.dumps({'ids': [q['Id'] for q in alarm['Metrics']], 'expression': alarm['Metrics'][2]['Expression'], 'hasMetricName': 'MetricName' in alarm,
                              'hasM': 'DatapointsToAlarm' in alarm, 'both': both, 'two': two, 'tags': tags, 'missing': missing}))
            """;
        var (code, stdout, stderr) = await node.Run("python3", "-c", Script);
        Assert.True(code == 0, $"{stderr}\nnode output:\n{node.Output}");
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal(["e", "r", "rate"], result["ids"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(("100 * e / r", false, false), ((string)result["expression"]!, (bool)result["hasMetricName"]!, (bool)result["hasM"]!));
        Assert.Equal("""[{"Key":"env","Value":"test"}]""", result["tags"]!.ToJsonString());
        Assert.Equal("ResourceNotFoundException", (string)result["missing"]!);
        Assert.Equal(("InvalidParameterCombination", "ValidationError"), ((string)result["both"]!, (string)result["two"]!));
    }
}
