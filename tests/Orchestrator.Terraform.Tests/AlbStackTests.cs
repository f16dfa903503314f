using System.Net;
using System.Text.Json;

namespace Orchestrator.Terraform.Tests;

/// <summary>Configurations/alb-stack on one node whose listeners open real loopback ports (listener port + offset).</summary>
public sealed class AlbStackFixture : TerraformStackFixture
{
    /// <summary>Listener port 80 is served on 80 + this offset.</summary>
    public int ListenerPortOffset { get; } = 31000 + Random.Shared.Next(0, 2000);

    protected override string Configuration => "alb-stack";

    protected override IEnumerable<string> NodeArguments => ["--listener-ports", ListenerPortOffset.ToString()];
}

/// <summary>
/// The hashicorp/aws provider (5.100.0) applies an ALB stack (aws_lb, aws_lb_target_group with
/// health-check settings, two aws_lb_target_group_attachment, aws_lb_listener, two
/// aws_lb_listener_rule), its targets turn healthy through the simulated health checks, real HTTP
/// requests through the listener's port follow the rules, a second plan is empty, and destroy
/// leaves no ELB resource behind. Checks go through the AWS CLI.
/// </summary>
[Trait("Category", "Terraform")]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class AlbStackTests(AlbStackFixture stack) : IClassFixture<AlbStackFixture>
{
    [Fact, Step(1)]
    public async Task Apply_creates_the_load_balancer_and_its_targets_turn_healthy()
    {
        var apply = await stack.Applied();
        Assert.True(apply.Succeeded, stack.Report(apply, "terraform apply failed"));
        var outputs = (await stack.Outputs())!.Value;
        string Output(string name) => outputs.GetProperty(name).GetProperty("value").GetString()!;

        var balancers = await stack.Aws("elbv2", "describe-load-balancers", "--names", "alb-stack-web");
        Assert.True(balancers.Succeeded, stack.Report(balancers, "describe-load-balancers failed"));
        Assert.Equal("active", Json(balancers.Stdout).GetProperty("LoadBalancers")[0].GetProperty("State").GetProperty("Code").GetString());

        var rules = await stack.Aws("elbv2", "describe-rules", "--listener-arn", Output("listener_arn"));
        Assert.True(rules.Succeeded, stack.Report(rules, "describe-rules failed"));
        Assert.Equal(3, Json(rules.Stdout).GetProperty("Rules").GetArrayLength());

        // Interval 10 s, healthy after the first passing check from initial: the waiter polls every 15 s, time runs x60.
        var healthy = await stack.Aws("elbv2", "wait", "target-in-service", "--target-group-arn", Output("target_group_arn"));
        Assert.True(healthy.Succeeded, stack.Report(healthy, "the targets did not turn healthy"));
    }

    [Fact, Step(2)]
    public async Task Real_requests_through_the_listener_port_follow_the_rules()
    {
        Assert.True((await stack.Applied()).Succeeded, "apply failed (see the apply fact)");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var port = 80 + stack.ListenerPortOffset;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpResponseMessage? api = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                api = await http.GetAsync($"http://127.0.0.1:{port}/api/orders");
                if (api.StatusCode == HttpStatusCode.OK)
                    break;
            }
            catch (HttpRequestException)
            {
                // the node opens listener ports within a second of the listener's creation
            }
            await Task.Delay(200);
        }
        Assert.NotNull(api);
        Assert.Equal(HttpStatusCode.OK, api!.StatusCode);
        var instances = ((await stack.Outputs())!.Value).GetProperty("instance_ids").GetProperty("value").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.Contains(api.Headers.GetValues("x-orchestrator-instance-id").Single(), instances);

        using var maintenance = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        maintenance.Headers.Host = "maintenance.example.com";
        var fixedResponse = await http.SendAsync(maintenance);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fixedResponse.StatusCode);
        Assert.Equal("down for maintenance", await fixedResponse.Content.ReadAsStringAsync());
    }

    [Fact, Step(3)]
    public async Task A_second_plan_shows_no_changes()
    {
        var plan = await stack.Planned();
        Assert.True(plan.Succeeded, stack.Report(plan, plan.Code == 2 ? "the plan after apply is not empty" : "terraform plan failed"));
    }

    [Fact, Step(4)]
    public async Task Destroy_leaves_no_load_balancer_or_target_group()
    {
        var destroy = await stack.Destroyed();
        Assert.True(destroy.Succeeded, stack.Report(destroy, "terraform destroy failed"));
        var balancers = await stack.Aws("elbv2", "describe-load-balancers");
        var groups = await stack.Aws("elbv2", "describe-target-groups");
        Assert.True(balancers.Succeeded && groups.Succeeded, stack.Report(destroy, $"describe after destroy failed:\n{balancers}\n{groups}"));
        Assert.Equal(0, Json(balancers.Stdout).GetProperty("LoadBalancers").GetArrayLength());
        Assert.Equal(0, Json(groups.Stdout).GetProperty("TargetGroups").GetArrayLength());
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
