using System.Collections.Immutable;
using Orchestrator.Actors.Chaos;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Rds;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Logs;
using Orchestrator.Domain.Rds;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Rds;

/// <summary>DB instances as entities in virtual time: created in a subnet group, failing over when their primary's zone goes down.</summary>
public sealed class DbInstanceEntityTests : EntityTestKit
{
    private const string VpcId = "vpc-0a1b2c3d4e5f60718";
    private const string Account = "000000000000";
    private static readonly ImmutableArray<string> SubnetIds = ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"];
    private static readonly RdsTimings Timings = RdsTimings.Default;

    private readonly RdsService _rds;

    public DbInstanceEntityTests()
    {
        _rds = new RdsService(Services, Account);
        var ec2 = new Ec2Service(Services);
        var plan = new DefaultVpcPlan(1, VpcId, SubnetIds);
        Region.TryAdvance(Region.Current with { Version = Region.Current.Version + 1, DefaultVpc = plan });
        foreach (var command in DefaultVpc.Plan(plan.VpcId, plan.SubnetIds, Region.Current.Status))
            Assert.False(ec2.Send<VpcState>(Ec2Kinds.Vpc, VpcId, command, default).Result.IsError);
        Touch(Ec2Kinds.Vpc, VpcId);
    }

    private static DbInstanceRequest Request(string id, bool multiAz) => new(
        id, "", "", "", "postgres", null, null, "db.t3.micro", null, 20, null, null, "admin", "secret123", null, null, null, multiAz, null, false, null, Tags.None);

    /// <summary>A Multi-AZ (or Single-AZ) instance in a group over the three zones, taken to available.</summary>
    private async Task<DbInstance> Available(string id, bool multiAz)
    {
        var group = await _rds.CreateSubnetGroup("app", "app tier", SubnetIds, Tags.None);
        Assert.False(group.IsError, group.Error?.ToString());
        var created = await _rds.CreateInstance(Request(id, multiAz), "app");
        Assert.False(created.IsError, created.Error?.ToString());
        Assert.Equal(DbInstanceStatus.Creating, created.Value.Status);
        await Pass(Timings.Create + Timings.Backup, id);
        var state = await State(id);
        Assert.Equal(DbInstanceStatus.Available, state.Status);
        return state;
    }

    /// <summary>Moves simulated time a second at a time, letting the instance handle what fell due.</summary>
    private async Task Pass(TimeSpan by, string id)
    {
        for (var i = 0; i < (int)by.TotalSeconds; i++)
        {
            Advance(TimeSpan.FromSeconds(1));
            await Router.Ask<object>(RdsKinds.Instance, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
        }
    }

    private async Task<DbInstance> State(string id) => (await _rds.State(id)).Value;

    private async Task Outage(string zone, AzState state, string id)
    {
        SetZone(zone, state);
        await State(id);
    }

    [Fact]
    public async Task A_multi_az_instance_becomes_available_with_a_standby_in_another_zone()
    {
        var db = await Available("orders", multiAz: true);
        Assert.Equal(("us-east-1a", "us-east-1b"), (db.PrimaryZone, db.StandbyZone));
        Assert.Matches(@"^orders\.c[0-9a-f]{11}\.us-east-1\.rds\.amazonaws\.com:5432$", db.Endpoint);
        var described = Assert.Single(await _rds.Instances());
        Assert.Equal(("app", VpcId), (described.Identity.SubnetGroupName, described.Identity.VpcId));
        Assert.Equal(["RDS-EVENT-0005", "RDS-EVENT-0001", "RDS-EVENT-0002"],
            (await _rds.Events("orders", Start, Clock.Now)).Select(e => e.EventId));
    }

    [Fact]
    public async Task An_outage_of_the_primarys_zone_fails_over_within_the_window_with_the_data_preserved()
    {
        await Available("orders", multiAz: true);
        Assert.False((await _rds.Put("orders", "order-1", "paid")).IsError);
        var before = await State("orders");

        var outageAt = Clock.Now;
        await Outage("us-east-1a", AzState.Unavailable, "orders");
        Assert.Equal("EndpointUnreachable", (await _rds.Get("orders", "order-1")).Error?.Code);
        await Pass(TimeSpan.FromSeconds(59), "orders");
        Assert.Equal("us-east-1a", (await State("orders")).PrimaryZone);
        await Pass(TimeSpan.FromSeconds(61), "orders");

        var after = await State("orders");
        Assert.Equal(("us-east-1b", (string?)null, "us-east-1a"), (after.PrimaryZone, after.StandbyZone, after.AwaitedStandbyZone));
        Assert.Equal(before.Endpoint, after.Endpoint);
        var completed = (await _rds.Events("orders", outageAt, Clock.Now)).Single(e => e.EventId == "RDS-EVENT-0049");
        Assert.InRange(completed.Date - outageAt, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));
        var read = await _rds.Get("orders", "order-1");
        Assert.Equal(("paid", "us-east-1b"), (read.Value.Value, read.Value.ServedFromZone));

        await Outage("us-east-1a", AzState.Available, "orders");
        Assert.Equal("us-east-1a", (await State("orders")).StandbyZone);
    }

    [Fact]
    public async Task A_forced_failover_reboot_swaps_primary_and_standby()
    {
        await Available("orders", multiAz: true);
        var rebooting = await _rds.Reboot("orders", forceFailover: true);
        Assert.Equal(DbInstanceStatus.Rebooting, rebooting.Value.Status);
        await Pass(Timings.Failover, "orders");
        var db = await State("orders");
        Assert.Equal((DbInstanceStatus.Available, "us-east-1b", "us-east-1a"), (db.Status, db.PrimaryZone, db.StandbyZone));
        Assert.Equal(["RDS-EVENT-0013", "RDS-EVENT-0015", "RDS-EVENT-0049"],
            (await _rds.Events("orders", Start, Clock.Now)).Select(e => e.EventId).TakeLast(3));
    }

    [Fact]
    public async Task A_single_az_instance_in_a_failed_zone_is_unavailable_until_the_zone_returns()
    {
        await Available("ledger", multiAz: false);
        Assert.False((await _rds.Put("ledger", "balance", "42")).IsError);
        await Outage("us-east-1a", AzState.Unavailable, "ledger");
        await Pass(TimeSpan.FromMinutes(5), "ledger");
        Assert.Equal("EndpointUnreachable", (await _rds.Get("ledger", "balance")).Error?.Code);
        Assert.Equal("EndpointUnreachable", (await _rds.Put("ledger", "balance", "0")).Error?.Code);
        Assert.Equal("us-east-1a", (await State("ledger")).PrimaryZone);

        await Outage("us-east-1a", AzState.Available, "ledger");
        Assert.Equal("42", (await _rds.Get("ledger", "balance")).Value.Value);
    }

    [Fact]
    public async Task Rds_metrics_are_published_each_minute_while_the_endpoint_serves()
    {
        await Available("orders", multiAz: false);
        await Pass(TimeSpan.FromMinutes(2), "orders");
        var dimensions = new Dictionary<string, string> { ["DBInstanceIdentifier"] = "orders" };
        Assert.NotEmpty(Metrics.Points("AWS/RDS", "CPUUtilization", dimensions));
        Assert.NotEmpty(Metrics.Points("AWS/RDS", "DatabaseConnections", dimensions));
        var free = Metrics.Points("AWS/RDS", "FreeStorageSpace", dimensions);
        Assert.InRange(free[^1].Value, 18d * 1024 * 1024 * 1024, 20d * 1024 * 1024 * 1024);

        await Outage("us-east-1a", AzState.Unavailable, "orders");
        var published = Metrics.Points("AWS/RDS", "CPUUtilization", dimensions).Count;
        await Pass(TimeSpan.FromMinutes(3), "orders");
        Assert.Equal(published, Metrics.Points("AWS/RDS", "CPUUtilization", dimensions).Count);
    }

    [Fact]
    public async Task Failover_events_are_written_to_the_orchestrator_rds_log_group()
    {
        await Available("orders", multiAz: true);
        Assert.False((await _rds.InjectFailure("orders")).IsError);
        await Pass(Timings.Failover, "orders");
        AwaitAssert(() =>
        {
            var page = new LogsService(Services, Account).FilterEvents(
                new LogGroupQueries.FilterEvents(RdsKinds.LogGroup, ["orders"], null, null, null, null, null, null)).Result;
            Assert.False(page.IsError, page.Error?.ToString());
            Assert.Contains(page.Value.Events, e => e.Message == "orders: Multi-AZ instance failover completed. (RDS-EVENT-0049)");
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Drill_expectations_on_a_db_observe_its_status_primary_zone_and_whether_it_serves()
    {
        var db = await Available("orders", multiAz: true);
        var observer = new DrillObserver(Services, Account);
        Task<string?> Observe(string text) => observer.Observe(Expectation.Parse(text));
        Assert.Equal("available", await Observe("db orders status available"));
        Assert.Equal(db.PrimaryZone, await Observe("db orders primary-az us-east-1a"));
        Assert.Equal("yes", await Observe("db orders serving yes"));

        Assert.False((await _rds.InjectFailure("orders")).IsError);
        await Pass(Timings.Failover, "orders");

        Assert.Equal(db.StandbyZone, await Observe("db orders primary-az us-east-1b within 3m"));
        Assert.Equal("yes", await Observe("db orders serving yes"));
        Assert.Null(await Observe("db nope status available"));
    }

    [Fact]
    public async Task A_subnet_group_in_use_cannot_be_deleted_until_its_instance_is_gone()
    {
        await Available("orders", multiAz: false);
        Assert.Equal("InvalidDBSubnetGroupStateFault", (await _rds.DeleteSubnetGroup("app")).Error?.Code);
        Assert.False((await _rds.Delete("orders", skipFinalSnapshot: true, null)).IsError);
        await Pass(Timings.Delete, "orders");
        Assert.Equal("DBInstanceNotFound", (await _rds.FindInstance("orders")).Error?.Code);
        Assert.False((await _rds.DeleteSubnetGroup("app")).IsError);
        Assert.Equal("DBSubnetGroupNotFoundFault", (await _rds.FindSubnetGroup("app")).Error?.Code);
    }

    [Fact]
    public async Task A_snapshot_restores_into_a_new_instance_with_the_contents_and_a_final_snapshot_outlives_its_instance()
    {
        await Available("orders", multiAz: true);
        Assert.False((await _rds.Put("orders", "order-1", "paid")).IsError);
        var snapshot = await _rds.CreateSnapshot("orders-snap", "orders", Tags.None);
        Assert.Equal(DbSnapshot.Creating, snapshot.Value.Status);
        Assert.False((await _rds.Put("orders", "order-2", "after the snapshot")).IsError);
        Assert.Equal("InvalidDBSnapshotState", (await _rds.Restore("orders-copy", "orders-snap", Request("", false), "app")).Error?.Code);
        Advance(Timings.Snapshot);
        await Router.Ask<object>(RdsKinds.Snapshot, "orders-snap", new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
        Assert.Equal(DbSnapshot.Available, (await _rds.FindSnapshot("orders-snap")).Value.Status);

        var restored = await _rds.Restore("orders-copy", "orders-snap", Request("", false), "app");
        Assert.False(restored.IsError, restored.Error?.ToString());
        Assert.Equal((false, "postgres", "admin"), (restored.Value.MultiAz, restored.Value.Identity.Engine, restored.Value.Identity.MasterUsername));
        await Pass(Timings.Create + Timings.Backup, "orders-copy");
        Assert.Equal("paid", (await _rds.Get("orders-copy", "order-1")).Value.Value);
        Assert.Null((await _rds.Get("orders-copy", "order-2")).Value.Value);
        Assert.Contains(await _rds.Events("orders-copy", Start, Clock.Now), e => e.EventId == "RDS-EVENT-0043");

        Assert.False((await _rds.Delete("orders", skipFinalSnapshot: false, "orders-final")).IsError);
        Assert.Equal("DBSnapshotAlreadyExists", (await _rds.Delete("orders-copy", skipFinalSnapshot: false, "orders-final")).Error?.Code);
        await Pass(Timings.Delete, "orders");
        Assert.Equal("DBInstanceNotFound", (await _rds.FindInstance("orders")).Error?.Code);
        var final = await _rds.FindSnapshot("orders-final");
        Assert.Equal(("orders", "us-east-1a"), (final.Value.Source.DbInstanceIdentifier, final.Value.AvailabilityZone));
    }
}
