using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI, unchanged but for the endpoint, running a Multi-AZ DB instance through a forced failover.</summary>
public sealed class AwsCliRdsTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task A_multi_az_instance_becomes_available_fails_over_on_a_forced_reboot_and_is_deleted()
    {
        var subnets = (await node.AwsOk("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true"))["Subnets"]!.AsArray()
            .Select(s => (string)s!["SubnetId"]!).ToArray();
        var group = (await node.AwsOk(["rds", "create-db-subnet-group", "--db-subnet-group-name", "Cli-Db", "--db-subnet-group-description", "cli tier",
            "--subnet-ids", .. subnets]))["DBSubnetGroup"]!;
        Assert.Equal(("cli-db", subnets.Length), ((string)group["DBSubnetGroupName"]!, group["Subnets"]!.AsArray().Count));
        Assert.Contains("(DBSubnetGroupDoesNotCoverEnoughAZs)", await node.AwsFails("rds", "create-db-subnet-group", "--db-subnet-group-name", "one-zone",
            "--db-subnet-group-description", "d", "--subnet-ids", subnets[0]));
        Assert.Contains("(DBSubnetGroupAlreadyExists)", await node.AwsFails(["rds", "create-db-subnet-group", "--db-subnet-group-name", "cli-db",
            "--db-subnet-group-description", "d", "--subnet-ids", .. subnets]));

        var created = (await node.AwsOk("rds", "create-db-instance", "--db-instance-identifier", "cli-orders", "--engine", "postgres",
            "--db-instance-class", "db.t3.micro", "--allocated-storage", "20", "--master-username", "app", "--master-user-password", "secret123",
            "--db-subnet-group-name", "cli-db", "--multi-az", "--tags", "Key=team,Value=db"))["DBInstance"]!;
        Assert.Equal(("creating", true, "gp3"), ((string)created["DBInstanceStatus"]!, (bool)created["MultiAZ"]!, (string)created["StorageType"]!));
        Assert.Contains("(InvalidParameterValue)", await node.AwsFails("rds", "create-db-instance", "--db-instance-identifier", "bad--name", "--engine", "postgres",
            "--db-instance-class", "db.t3.micro", "--allocated-storage", "20", "--master-username", "app", "--master-user-password", "secret123"));

        await node.AwsOk("rds", "wait", "db-instance-available", "--db-instance-identifier", "cli-orders");
        var available = (await node.AwsOk("rds", "describe-db-instances", "--db-instance-identifier", "cli-orders"))["DBInstances"]![0]!;
        var (primary, standby) = ((string)available["AvailabilityZone"]!, (string)available["SecondaryAvailabilityZone"]!);
        Assert.NotEqual(primary, standby);
        Assert.Equal(5432, (int)available["Endpoint"]!["Port"]!);
        var address = (string)available["Endpoint"]!["Address"]!;
        Assert.StartsWith("cli-orders.", address, StringComparison.Ordinal);
        Assert.Equal("db", (string)(await node.AwsOk("rds", "list-tags-for-resource", "--resource-name", (string)available["DBInstanceArn"]!))["TagList"]![0]!["Value"]!);

        var rebooting = (await node.AwsOk("rds", "reboot-db-instance", "--db-instance-identifier", "cli-orders", "--force-failover"))["DBInstance"]!;
        Assert.Equal("rebooting", (string)rebooting["DBInstanceStatus"]!);
        // 90 s of simulated failover is 4.5 s of wall time at x20: the waiter's first poll may still see rebooting, its next one the swap.
        await node.AwsOk("rds", "wait", "db-instance-available", "--db-instance-identifier", "cli-orders");
        var swapped = (await node.AwsOk("rds", "describe-db-instances", "--db-instance-identifier", "cli-orders"))["DBInstances"]![0]!;
        Assert.Equal((standby, primary, address), ((string)swapped["AvailabilityZone"]!, (string)swapped["SecondaryAvailabilityZone"]!, (string)swapped["Endpoint"]!["Address"]!));

        var messages = (await node.AwsOk("rds", "describe-events", "--source-type", "db-instance", "--source-identifier", "cli-orders", "--duration", "1440"))["Events"]!
            .AsArray().Select(e => (string)e!["Message"]!).ToList();
        Assert.Contains("Multi-AZ instance failover started.", messages);
        Assert.Contains("Multi-AZ instance failover completed.", messages);
        Assert.True(messages.IndexOf("Multi-AZ instance failover started.") < messages.IndexOf("Multi-AZ instance failover completed."));

        // An outage of the primary's zone: the CLI sees the instance move to the standby's zone, with the data written before.
        Assert.Equal("ok", await Command("db put cli-orders order-1 paid"));
        await Command($"region az-status {standby} unavailable --mode power");
        var flipped = await Poll(async () => (await node.AwsOk("rds", "describe-db-instances", "--db-instance-identifier", "cli-orders"))["DBInstances"]![0]!,
            db => (string)db["AvailabilityZone"]! == primary);
        Assert.Null(flipped["SecondaryAvailabilityZone"]); // no standby while its zone is down
        Assert.StartsWith("paid", await Command("db get cli-orders order-1"), StringComparison.Ordinal);
        await Command($"region az-status {standby} available");
        await Poll(async () => (await node.AwsOk("rds", "describe-db-instances", "--db-instance-identifier", "cli-orders"))["DBInstances"]![0]!,
            db => (string?)db["SecondaryAvailabilityZone"] == standby);

        Assert.Contains("(InvalidDBSubnetGroupStateFault)", await node.AwsFails("rds", "delete-db-subnet-group", "--db-subnet-group-name", "cli-db"));
        var deleting = (await node.AwsOk("rds", "delete-db-instance", "--db-instance-identifier", "cli-orders", "--skip-final-snapshot"))["DBInstance"]!;
        Assert.Equal("deleting", (string)deleting["DBInstanceStatus"]!);
        await node.AwsOk("rds", "wait", "db-instance-deleted", "--db-instance-identifier", "cli-orders");
        Assert.Contains("(DBInstanceNotFound)", await node.AwsFails("rds", "describe-db-instances", "--db-instance-identifier", "cli-orders"));
        await node.AwsOk("rds", "delete-db-subnet-group", "--db-subnet-group-name", "cli-db");
        Assert.Contains("(DBSubnetGroupNotFoundFault)", await node.AwsFails("rds", "describe-db-subnet-groups", "--db-subnet-group-name", "cli-db"));
    }

    /// <summary>A management command (the command host on the management port); its text, or the failure.</summary>
    private async Task<string> Command(string line)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.PostAsJsonAsync($"http://127.0.0.1:{node.ManagementPort}/_orchestrator/commands", new { line });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)body["ok"]!, $"{line}: {body}");
        return (string)body["text"]!;
    }

    /// <summary>Reads until the condition holds, within a deadline (the failover takes 4.5 s of wall time at x20).</summary>
    private static async Task<JsonNode> Poll(Func<Task<JsonNode>> read, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var value = await read();
            if (condition(value))
                return value;
            Assert.True(DateTime.UtcNow < deadline, $"condition not met before the deadline; last: {value}");
            await Task.Delay(500);
        }
    }
}
