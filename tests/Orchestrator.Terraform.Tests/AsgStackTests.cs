using System.Text.Json;

namespace Orchestrator.Terraform.Tests;

/// <summary>Configurations/asg-stack on one node.</summary>
public sealed class AsgStackFixture : TerraformStackFixture
{
    protected override string Configuration => "asg-stack";
}

/// <summary>
/// The hashicorp/aws provider (5.100.0) applies an Auto Scaling stack (aws_launch_template,
/// aws_autoscaling_group with target_group_arns and tags, target tracking and simple
/// aws_autoscaling_policy, aws_autoscaling_schedule, aws_autoscaling_lifecycle_hook), waiting for
/// capacity as it does by default; a second plan is empty and destroy leaves no group behind.
/// Checks go through the AWS CLI.
/// </summary>
[Trait("Category", "Terraform")]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class AsgStackTests(AsgStackFixture stack) : IClassFixture<AsgStackFixture>
{
    [Fact, Step(1)]
    public async Task Apply_creates_the_group_with_its_policies_schedule_and_hook()
    {
        var apply = await stack.Applied();
        Assert.True(apply.Succeeded, stack.Report(apply, "terraform apply failed"));

        var groups = await stack.Aws("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "asg-stack-app");
        Assert.True(groups.Succeeded, stack.Report(groups, "describe-auto-scaling-groups failed"));
        var group = Json(groups.Stdout).GetProperty("AutoScalingGroups")[0];
        Assert.Equal(2, group.GetProperty("Instances").EnumerateArray().Count(i => i.GetProperty("LifecycleState").GetString() == "InService"));
        Assert.Equal(1, group.GetProperty("TargetGroupARNs").GetArrayLength());

        var policies = await stack.Aws("autoscaling", "describe-policies", "--auto-scaling-group-name", "asg-stack-app");
        Assert.True(policies.Succeeded, stack.Report(policies, "describe-policies failed"));
        Assert.Equal(["SimpleScaling", "TargetTrackingScaling"], Json(policies.Stdout).GetProperty("ScalingPolicies").EnumerateArray()
            .Select(p => p.GetProperty("PolicyType").GetString()).Order(StringComparer.Ordinal));

        var hooks = await stack.Aws("autoscaling", "describe-lifecycle-hooks", "--auto-scaling-group-name", "asg-stack-app");
        Assert.True(hooks.Succeeded, stack.Report(hooks, "describe-lifecycle-hooks failed"));
        Assert.Equal("CONTINUE", Json(hooks.Stdout).GetProperty("LifecycleHooks")[0].GetProperty("DefaultResult").GetString());
    }

    [Fact, Step(2)]
    public async Task A_second_plan_shows_no_changes()
    {
        var plan = await stack.Planned();
        Assert.True(plan.Succeeded, stack.Report(plan, plan.Code == 2 ? "the plan after apply is not empty" : "terraform plan failed"));
    }

    [Fact, Step(3)]
    public async Task Destroy_leaves_no_group_behind()
    {
        var destroy = await stack.Destroyed();
        Assert.True(destroy.Succeeded, stack.Report(destroy, "terraform destroy failed"));
        var groups = await stack.Aws("autoscaling", "describe-auto-scaling-groups");
        Assert.True(groups.Succeeded, stack.Report(groups, "describe-auto-scaling-groups failed"));
        Assert.Equal(0, Json(groups.Stdout).GetProperty("AutoScalingGroups").GetArrayLength());
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
