using System.Text.Json;

namespace Orchestrator.Terraform.Tests;

/// <summary>Configurations/rds-stack on one node.</summary>
public sealed class RdsStackFixture : TerraformStackFixture
{
    protected override string Configuration => "rds-stack";
}

/// <summary>
/// The hashicorp/aws provider (5.100.0) applies an aws_db_subnet_group over two zones and a
/// Multi-AZ aws_db_instance in it (waiting for available), a second plan shows no changes, and
/// destroy deletes the instance and the group. Checks go through the AWS CLI.
/// </summary>
[Trait("Category", "Terraform")]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class RdsStackTests(RdsStackFixture stack) : IClassFixture<RdsStackFixture>
{
    [Fact, Step(1)]
    public async Task Apply_creates_a_multi_az_instance_in_the_subnet_group()
    {
        var apply = await stack.Applied();
        Assert.True(apply.Succeeded, stack.Report(apply, "terraform apply failed"));
        var described = await stack.Aws("rds", "describe-db-instances", "--db-instance-identifier", "rds-stack-orders");
        Assert.True(described.Succeeded, stack.Report(described, "describe-db-instances failed"));
        var db = JsonDocument.Parse(described.Stdout).RootElement.GetProperty("DBInstances")[0];
        Assert.Equal("available", db.GetProperty("DBInstanceStatus").GetString());
        Assert.True(db.GetProperty("MultiAZ").GetBoolean());
        Assert.NotEqual(db.GetProperty("AvailabilityZone").GetString(), db.GetProperty("SecondaryAvailabilityZone").GetString());
        Assert.Equal("rds-stack", db.GetProperty("DBSubnetGroup").GetProperty("DBSubnetGroupName").GetString());
        var outputs = (await stack.Outputs())!.Value;
        Assert.Equal(db.GetProperty("Endpoint").GetProperty("Address").GetString(), outputs.GetProperty("db_endpoint").GetProperty("value").GetString());
    }

    [Fact, Step(2)]
    public async Task A_second_plan_shows_no_changes()
    {
        var plan = await stack.Planned();
        Assert.True(plan.Succeeded, stack.Report(plan, plan.Code == 2 ? "the plan after apply is not empty" : "terraform plan failed"));
    }

    [Fact, Step(3)]
    public async Task Destroy_deletes_the_instance_and_the_group()
    {
        var destroy = await stack.Destroyed();
        Assert.True(destroy.Succeeded, stack.Report(destroy, "terraform destroy failed"));
        var instances = await stack.Aws("rds", "describe-db-instances");
        Assert.True(instances.Succeeded, stack.Report(instances, "describe-db-instances failed"));
        Assert.Equal(0, JsonDocument.Parse(instances.Stdout).RootElement.GetProperty("DBInstances").GetArrayLength());
        var groups = await stack.Aws("rds", "describe-db-subnet-groups");
        Assert.Equal(0, JsonDocument.Parse(groups.Stdout).RootElement.GetProperty("DBSubnetGroups").GetArrayLength());
    }
}
