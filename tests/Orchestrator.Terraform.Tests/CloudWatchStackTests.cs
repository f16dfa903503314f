using System.Text.Json;

namespace Orchestrator.Terraform.Tests;

/// <summary>Configurations/cloudwatch-stack on one node.</summary>
public sealed class CloudWatchStackFixture : TerraformStackFixture
{
    protected override string Configuration => "cloudwatch-stack";
}

/// <summary>
/// The hashicorp/aws provider (5.100.0) applies a CloudWatch stack (aws_cloudwatch_metric_alarm
/// on one metric and on a metric math expression, aws_cloudwatch_composite_alarm over both,
/// aws_cloudwatch_log_group, aws_cloudwatch_dashboard), the alarms evaluate (no data, treated as
/// not breaching: OK, and so the composite), a second plan is empty, and destroy leaves nothing.
/// </summary>
[Trait("Category", "Terraform")]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class CloudWatchStackTests(CloudWatchStackFixture stack) : IClassFixture<CloudWatchStackFixture>
{
    [Fact, Step(1)]
    public async Task Apply_creates_the_alarms_log_group_and_dashboard_and_the_alarms_evaluate()
    {
        var apply = await stack.Applied();
        Assert.True(apply.Succeeded, stack.Report(apply, "terraform apply failed"));

        var metricAlarms = await stack.Aws("cloudwatch", "describe-alarms", "--alarm-name-prefix", "cloudwatch-stack-");
        Assert.True(metricAlarms.Succeeded, stack.Report(metricAlarms, "describe-alarms failed"));
        var alarms = Json(metricAlarms.Stdout).GetProperty("MetricAlarms").EnumerateArray().ToList();
        Assert.Equal(["cloudwatch-stack-error-rate", "cloudwatch-stack-latency"], alarms.Select(a => a.GetProperty("AlarmName").GetString()));
        Assert.Equal(3, alarms[0].GetProperty("Metrics").GetArrayLength());
        Assert.All(alarms, a => Assert.Equal("OK", a.GetProperty("StateValue").GetString()));

        var composites = await stack.Aws("cloudwatch", "describe-alarms", "--alarm-types", "CompositeAlarm");
        Assert.True(composites.Succeeded, stack.Report(composites, "describe-alarms failed"));
        var composite = Json(composites.Stdout).GetProperty("CompositeAlarms").EnumerateArray().Single();
        Assert.Equal(((await stack.Outputs())!.Value).GetProperty("composite_alarm_arn").GetProperty("value").GetString(), composite.GetProperty("AlarmArn").GetString());
        Assert.Equal("OK", composite.GetProperty("StateValue").GetString());

        var groups = await stack.Aws("logs", "describe-log-groups", "--log-group-name-prefix", "/cloudwatch-stack/");
        Assert.True(groups.Succeeded, stack.Report(groups, "describe-log-groups failed"));
        Assert.Equal(7, Json(groups.Stdout).GetProperty("logGroups")[0].GetProperty("retentionInDays").GetInt32());
        var dashboard = await stack.Aws("cloudwatch", "get-dashboard", "--dashboard-name", "cloudwatch-stack");
        Assert.True(dashboard.Succeeded, stack.Report(dashboard, "get-dashboard failed"));
    }

    [Fact, Step(2)]
    public async Task A_second_plan_shows_no_changes()
    {
        var plan = await stack.Planned();
        Assert.True(plan.Succeeded, stack.Report(plan, plan.Code == 2 ? "the plan after apply is not empty" : "terraform plan failed"));
    }

    [Fact, Step(3)]
    public async Task Destroy_leaves_no_alarm_log_group_or_dashboard()
    {
        var destroy = await stack.Destroyed();
        Assert.True(destroy.Succeeded, stack.Report(destroy, "terraform destroy failed"));
        var alarms = await stack.Aws("cloudwatch", "describe-alarms", "--alarm-types", "MetricAlarm", "CompositeAlarm");
        var groups = await stack.Aws("logs", "describe-log-groups", "--log-group-name-prefix", "/cloudwatch-stack/");
        var dashboards = await stack.Aws("cloudwatch", "list-dashboards");
        Assert.True(alarms.Succeeded && groups.Succeeded && dashboards.Succeeded, stack.Report(destroy, $"describe after destroy failed:\n{alarms}\n{groups}\n{dashboards}"));
        Assert.Equal(0, Json(alarms.Stdout).GetProperty("MetricAlarms").GetArrayLength() + Json(alarms.Stdout).GetProperty("CompositeAlarms").GetArrayLength());
        Assert.Equal(0, Json(groups.Stdout).GetProperty("logGroups").GetArrayLength());
        Assert.Equal(0, Json(dashboards.Stdout).GetProperty("DashboardEntries").GetArrayLength());
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
