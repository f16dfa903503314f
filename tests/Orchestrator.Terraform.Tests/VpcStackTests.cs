using System.Text.Json;

namespace Orchestrator.Terraform.Tests;

/// <summary>Configurations/vpc-stack on one node.</summary>
public sealed class VpcStackFixture : TerraformStackFixture
{
    protected override string Configuration => "vpc-stack";
}

/// <summary>
/// The hashicorp/aws provider (5.100.0) applies a two-AZ VPC stack (subnets, internet gateway,
/// NAT gateways with EIPs, route tables, cross-referencing security groups, key pair, launch
/// template, 2 instances), a second plan shows no changes, and destroy leaves nothing. Every
/// check of what exists goes through the AWS API (the AWS CLI), filtered on the Stack tag that
/// the configuration's default_tags put on every resource.
/// </summary>
[Trait("Category", "Terraform")]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class VpcStackTests(VpcStackFixture stack) : IClassFixture<VpcStackFixture>
{
    private const string StackFilter = "Name=tag:Stack,Values=vpc-stack";

    /// <summary>(what, AWS CLI arguments, the list in the response, count after apply).</summary>
    private static readonly (string What, string[] Args, string List, int Applied)[] Resources =
    [
        ("VPC", ["ec2", "describe-vpcs", "--filters", StackFilter], "Vpcs", 1),
        ("subnets", ["ec2", "describe-subnets", "--filters", StackFilter], "Subnets", 4),
        ("internet gateway", ["ec2", "describe-internet-gateways", "--filters", StackFilter], "InternetGateways", 1),
        ("NAT gateways (pending, available, deleting)", ["ec2", "describe-nat-gateways", "--filter", StackFilter, "Name=state,Values=pending,available,deleting,failed"], "NatGateways", 2),
        ("Elastic IPs", ["ec2", "describe-addresses", "--filters", StackFilter], "Addresses", 2),
        ("route tables (the VPC's main one is untagged)", ["ec2", "describe-route-tables", "--filters", StackFilter], "RouteTables", 3),
        ("security groups (the default one is untagged)", ["ec2", "describe-security-groups", "--filters", StackFilter], "SecurityGroups", 3),
        ("security group rules", ["ec2", "describe-security-group-rules", "--filters", StackFilter], "SecurityGroupRules", 6),
        ("key pair", ["ec2", "describe-key-pairs", "--filters", StackFilter], "KeyPairs", 1),
        ("launch template", ["ec2", "describe-launch-templates", "--filters", StackFilter], "LaunchTemplates", 1),
        ("instances (not terminated)", ["ec2", "describe-instances", "--filters", StackFilter, "Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down"], "Reservations[].Instances", 2),
    ];

    [Fact, Step(1)]
    public async Task Apply_creates_the_whole_stack()
    {
        var apply = await stack.Applied();
        Assert.True(apply.Succeeded, stack.Report(apply, "terraform apply failed"));

        var problems = await Census(afterDestroy: false);
        var running = await stack.Aws("ec2", "describe-instances", "--filters", StackFilter, "Name=instance-state-name,Values=running");
        if (!running.Succeeded || Count(running.Stdout, "Reservations[].Instances") != 2)
            problems.Add($"2 running instances expected:\n{running}");
        var outputs = await stack.Outputs();
        var vpcId = outputs?.GetProperty("vpc_id").GetProperty("value").GetString();
        var vpcs = await stack.Aws("ec2", "describe-vpcs", "--vpc-ids", vpcId ?? "vpc-missing");
        if (!vpcs.Succeeded || Count(vpcs.Stdout, "Vpcs") != 1)
            problems.Add($"the VPC of terraform's output ({vpcId}) is not described:\n{vpcs}");
        Assert.True(problems.Count == 0, stack.Report(apply, "after apply:\n" + string.Join('\n', problems)));
    }

    [Fact, Step(2)]
    public async Task A_second_plan_shows_no_changes()
    {
        var plan = await stack.Planned();
        // -detailed-exitcode: 0 no changes, 1 error, 2 changes (the plan is in stdout).
        Assert.True(plan.Succeeded, stack.Report(plan, plan.Code == 2 ? "the plan after apply is not empty" : "terraform plan failed"));
    }

    [Fact, Step(3)]
    public async Task Destroy_leaves_nothing()
    {
        var destroy = await stack.Destroyed();
        Assert.True(destroy.Succeeded, stack.Report(destroy, "terraform destroy failed"));

        var problems = await Census(afterDestroy: true);
        Assert.True(problems.Count == 0, stack.Report(destroy, "after destroy:\n" + string.Join('\n', problems)));
    }

    /// <summary>Every resource kind of the stack counted through the API; the mismatches.</summary>
    private async Task<List<string>> Census(bool afterDestroy)
    {
        var problems = new List<string>();
        foreach (var (what, args, list, applied) in Resources)
        {
            var expected = afterDestroy ? 0 : applied;
            var result = await stack.Aws(args);
            if (!result.Succeeded)
                problems.Add($"{what}: the describe call failed:\n{result}");
            else if (Count(result.Stdout, list) is var actual && actual != expected)
                problems.Add($"{what}: {actual} described, {expected} expected:\n{result}");
        }
        return problems;
    }

    /// <summary>The length of a list in a response; "A[].B" sums the B lists of A's items.</summary>
    private static int Count(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        var parts = path.Split("[].");
        if (!document.RootElement.TryGetProperty(parts[0], out var list))
            return 0;
        return parts.Length == 1
            ? list.GetArrayLength()
            : list.EnumerateArray().Sum(item => item.TryGetProperty(parts[1], out var inner) ? inner.GetArrayLength() : 0);
    }
}
