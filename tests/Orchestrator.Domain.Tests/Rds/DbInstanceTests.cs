using Orchestrator.Domain.Common;
using Orchestrator.Domain.Rds;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Rds.DbInstanceCommands;
using static Orchestrator.Domain.Rds.DbInstanceEvents;

namespace Orchestrator.Domain.Tests.Rds;

/// <summary>DB instances without actors: CreateDBInstance's rules, the status machine in simulated time, Multi-AZ failover.</summary>
public sealed class DbInstanceTests
{
    private const string Id = "orders";
    private static readonly RdsTimings Timings = RdsTimings.Default;

    private static readonly DbSubnetGroup Group = new("app", "arn:aws:rds:us-east-1:000000000000:subgrp:app", "app tier", "vpc-00000000000000001",
        [new DbSubnet("subnet-0000000000000000a", "us-east-1a"), new DbSubnet("subnet-0000000000000000b", "us-east-1b"), new DbSubnet("subnet-0000000000000000c", "us-east-1c")],
        Tags.None, TestRegion.Epoch);

    private static DbInstanceRequest Request(bool multiAz = false, string engine = "postgres", string instanceClass = "db.t3.micro", int? storage = 20) => new(
        Id, "arn:aws:rds:us-east-1:000000000000:db:orders", "db-ABC", "orders.c0123456789a.us-east-1.rds.amazonaws.com", engine, null, null,
        instanceClass, null, storage, null, null, "admin", "secret123", null, Group, null, multiAz, null, false, null, Tags.None);

    private static EntityHarness<DbInstance, IDbInstanceCommand, IDbInstanceEvent> Harness() => new(new DbInstanceBehavior(Timings));

    /// <summary>Created and taken through creating and backing-up to available.</summary>
    private static EntityHarness<DbInstance, IDbInstanceCommand, IDbInstanceEvent> Available(bool multiAz)
    {
        var harness = Harness();
        harness.Execute(new Create(Request(multiAz), Timings.Failover));
        harness.Advance(Timings.Create + Timings.Backup);
        Assert.Equal(DbInstanceStatus.Available, harness.State!.Status);
        return harness;
    }

    private static void Outage(EntityHarness<DbInstance, IDbInstanceCommand, IDbInstanceEvent> harness, string zone, AzState state = AzState.Unavailable)
    {
        harness.Region = harness.Region with { Zones = [.. harness.Region.Zones.Select(z => z.Name == zone ? z with { State = state } : z)] };
        harness.Execute(new ObserveZones(Id));
    }

    private static IEnumerable<string?> EventIds(EntityHarness<DbInstance, IDbInstanceCommand, IDbInstanceEvent> harness) => harness.State!.Events.Select(e => e.EventId);

    [Fact]
    public void Create_applies_engine_defaults_and_goes_creating_backing_up_available()
    {
        var harness = Harness();
        harness.Execute(new Create(Request(), Timings.Failover));
        var state = harness.State!;
        Assert.Equal((DbInstanceStatus.Creating, 5432, "gp3", 1, "us-east-1a"), (state.Status, state.Identity.Port, state.Settings.StorageType, state.Settings.BackupRetentionPeriod, state.PrimaryZone));
        Assert.False(state.IsServing(harness.Region));
        harness.Advance(Timings.Create);
        Assert.Equal(DbInstanceStatus.BackingUp, harness.State!.Status);
        harness.Advance(Timings.Backup);
        Assert.Equal(DbInstanceStatus.Available, harness.State!.Status);
        Assert.Equal(["RDS-EVENT-0005", "RDS-EVENT-0001", "RDS-EVENT-0002"], EventIds(harness));
    }

    [Theory]
    [InlineData("mysql", 3306)]
    [InlineData("mariadb", 3306)]
    [InlineData("oracle-se2", 1521)]
    [InlineData("sqlserver-ex", 1433)]
    public void Each_engine_listens_on_its_default_port(string engine, int port)
    {
        var harness = Harness();
        harness.Execute(new Create(Request(engine: engine, instanceClass: "db.m5.large"), Timings.Failover));
        Assert.Equal(port, harness.State!.Identity.Port);
    }

    [Fact]
    public void Iops_without_a_storage_type_means_io1()
    {
        var harness = Harness();
        harness.Execute(new Create(Request(storage: 100) with { Iops = 1000 }, Timings.Failover));
        Assert.Equal(("io1", 1000), (harness.State!.Settings.StorageType, harness.State.Settings.Iops));
    }

    [Theory]
    [InlineData("aurora-mysql", "db.r5.large", 20, "InvalidParameterCombination")]
    [InlineData("cobol", "db.t3.micro", 20, "InvalidParameterValue")]
    [InlineData("postgres", "db.x9.huge", 20, "InvalidParameterCombination")]
    [InlineData("sqlserver-se", "db.m6g.large", 20, "InvalidParameterCombination")]
    [InlineData("postgres", "db.t3.micro", 10, "InvalidParameterValue")]
    public void Engines_classes_and_storage_are_checked(string engine, string instanceClass, int storage, string code) =>
        Assert.Equal(code, Harness().Refuse(new Create(Request(engine: engine, instanceClass: instanceClass, storage: storage), Timings.Failover)).Code);

    [Fact]
    public void An_aurora_engine_in_a_named_cluster_is_refused_because_the_cluster_does_not_exist() =>
        Assert.Equal("DBClusterNotFoundFault", Harness().Refuse(new Create(Request(engine: "aurora-postgresql") with { DbClusterIdentifier = "c1" }, Timings.Failover)).Code);

    [Theory]
    [InlineData("1orders")]
    [InlineData("orders-")]
    [InlineData("ord--ers")]
    [InlineData("ord_ers")]
    public void Identifiers_that_break_aws_naming_rules_are_invalid(string id) =>
        Assert.Equal("InvalidParameterValue", Harness().Refuse(new Create(Request() with { DbInstanceIdentifier = id }, Timings.Failover)).Code);

    [Fact]
    public void Multi_az_with_a_requested_zone_and_a_short_password_are_refused()
    {
        Assert.Equal("InvalidParameterCombination", Harness().Refuse(new Create(Request(multiAz: true) with { AvailabilityZone = "us-east-1b" }, Timings.Failover)).Code);
        Assert.Equal("InvalidParameterValue", Harness().Refuse(new Create(Request() with { MasterUserPassword = "short" }, Timings.Failover)).Code);
    }

    [Fact]
    public void A_multi_az_instance_places_its_standby_in_another_zone_of_the_group()
    {
        var state = Available(multiAz: true).State!;
        Assert.Equal(("us-east-1a", "us-east-1b"), (state.PrimaryZone, state.StandbyZone));
    }

    [Fact]
    public void An_outage_of_the_primarys_zone_fails_over_after_the_failover_time_and_keeps_the_data()
    {
        var harness = Available(multiAz: true);
        harness.Execute(new Put(Id, "order-1", "paid"));
        Outage(harness, "us-east-1a");
        Assert.Equal(["RDS-EVENT-0013"], EventIds(harness).TakeLast(1));
        Assert.False(harness.State!.IsServing(harness.Region));
        Assert.Equal("EndpointUnreachable", harness.Refuse(new Put(Id, "order-2", "lost")).Code);

        harness.Advance(Timings.Failover - TimeSpan.FromSeconds(1));
        Assert.Equal("us-east-1a", harness.State!.PrimaryZone);
        harness.Advance(TimeSpan.FromSeconds(1));

        var state = harness.State!;
        Assert.Equal(("us-east-1b", null, "us-east-1a"), (state.PrimaryZone, state.StandbyZone, state.AwaitedStandbyZone));
        Assert.True(state.IsServing(harness.Region));
        Assert.Equal("paid", state.Data["order-1"]);
        Assert.Equal(["RDS-EVENT-0013", "RDS-EVENT-0015", "RDS-EVENT-0049"], EventIds(harness).TakeLast(3));

        // Without a standby until the zone returns, then the standby is placed there again.
        Outage(harness, "us-east-1a", AzState.Available);
        Assert.Equal(("us-east-1b", "us-east-1a", (string?)null), (harness.State!.PrimaryZone, harness.State.StandbyZone, harness.State.AwaitedStandbyZone));
    }

    [Fact]
    public void The_failover_time_is_configurable_within_60_to_120_seconds()
    {
        var harness = Harness();
        harness.Execute(new Create(Request(multiAz: true), TimeSpan.FromSeconds(60)));
        harness.Advance(Timings.Create + Timings.Backup);
        Outage(harness, "us-east-1a");
        harness.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("us-east-1b", harness.State!.PrimaryZone);
        Assert.Equal("InvalidParameterValue", Harness().Refuse(new Create(Request(multiAz: true), TimeSpan.FromSeconds(30))).Code);
    }

    [Fact]
    public void A_forced_failover_reboot_swaps_primary_and_standby()
    {
        var harness = Available(multiAz: true);
        harness.Execute(new Reboot(Id, ForceFailover: true));
        Assert.Equal(DbInstanceStatus.Rebooting, harness.State!.Status);
        harness.Advance(Timings.Failover);
        var state = harness.State!;
        Assert.Equal((DbInstanceStatus.Available, "us-east-1b", "us-east-1a"), (state.Status, state.PrimaryZone, state.StandbyZone));
        Assert.Equal(["RDS-EVENT-0013", "RDS-EVENT-0015", "RDS-EVENT-0049"], EventIds(harness).TakeLast(3));
    }

    [Fact]
    public void A_forced_failover_of_a_single_az_instance_is_refused_and_a_plain_reboot_restarts()
    {
        var harness = Available(multiAz: false);
        Assert.Equal("InvalidParameterCombination", harness.Refuse(new Reboot(Id, ForceFailover: true)).Code);
        harness.Execute(new Reboot(Id, ForceFailover: false));
        Assert.Equal(DbInstanceStatus.Rebooting, harness.State!.Status);
        harness.Advance(Timings.Reboot);
        Assert.Equal(DbInstanceStatus.Available, harness.State!.Status);
        Assert.Equal("RDS-EVENT-0006", EventIds(harness).Last());
    }

    [Fact]
    public void A_single_az_instance_in_a_failed_zone_is_unavailable_until_the_zone_returns()
    {
        var harness = Available(multiAz: false);
        harness.Execute(new Put(Id, "k", "v"));
        Outage(harness, "us-east-1a");
        Assert.Empty(harness.Decide(new ObserveZones(Id)).Value);
        harness.Advance(TimeSpan.FromMinutes(30));
        Assert.Contains("us-east-1a", harness.State!.WhyNotServing(harness.Region));
        Outage(harness, "us-east-1a", AzState.Available);
        Assert.True(harness.State!.IsServing(harness.Region));
        Assert.Equal("v", harness.State.Data["k"]);
    }

    [Fact]
    public void An_injected_primary_failure_fails_a_multi_az_instance_over()
    {
        var harness = Available(multiAz: true);
        harness.Execute(new InjectPrimaryFailure(Id));
        Assert.Equal(DbInstanceStatus.Available, harness.State!.Status);
        harness.Advance(Timings.Failover);
        Assert.Equal(("us-east-1b", "us-east-1a"), (harness.State!.PrimaryZone, harness.State.StandbyZone));
    }

    [Fact]
    public void A_standby_whose_zone_fails_is_lost_until_the_zone_returns()
    {
        var harness = Available(multiAz: true);
        Outage(harness, "us-east-1b");
        Assert.Equal(((string?)null, "us-east-1b"), (harness.State!.StandbyZone, harness.State.AwaitedStandbyZone));
        Assert.True(harness.State.IsServing(harness.Region));
        // The primary's zone failing now has no standby to fail over to.
        Outage(harness, "us-east-1a");
        Assert.Null(harness.State!.Failover);
        Outage(harness, "us-east-1b", AzState.Available);
        Assert.Null(harness.State!.StandbyZone); // placed again only once the primary serves
        Outage(harness, "us-east-1a", AzState.Available);
        Assert.Equal(("us-east-1a", "us-east-1b"), (harness.State!.PrimaryZone, harness.State.StandbyZone));
    }

    [Fact]
    public void Modify_multi_az_converts_both_ways_through_modifying()
    {
        var harness = Available(multiAz: false);
        harness.Execute(new Modify(Id, new DbInstanceChanges(MultiAz: true)));
        Assert.Equal((DbInstanceStatus.Modifying, false), (harness.State!.Status, harness.State.MultiAz));
        harness.Advance(Timings.Modify);
        Assert.Equal((DbInstanceStatus.Available, true, "us-east-1b"), (harness.State!.Status, harness.State.MultiAz, harness.State.StandbyZone));
        Assert.Equal("RDS-EVENT-0025", EventIds(harness).Last());
        harness.Execute(new Modify(Id, new DbInstanceChanges(MultiAz: false)));
        harness.Advance(Timings.Modify);
        Assert.Equal((false, (string?)null), (harness.State!.MultiAz, harness.State.StandbyZone));
    }

    [Fact]
    public void Modify_changes_class_and_refuses_shrinking_storage()
    {
        var harness = Available(multiAz: false);
        harness.Execute(new Modify(Id, new DbInstanceChanges(InstanceClass: "db.r6g.large", AllocatedStorage: 50)));
        Assert.Equal(("db.r6g.large", 50, DbInstanceStatus.Modifying), (harness.State!.Settings.InstanceClass, harness.State.Settings.AllocatedStorage, harness.State.Status));
        Assert.Equal("InvalidDBInstanceState", harness.Refuse(new Modify(Id, new DbInstanceChanges(AllocatedStorage: 60))).Code);
        harness.Advance(Timings.Modify);
        Assert.Equal("InvalidParameterValue", harness.Refuse(new Modify(Id, new DbInstanceChanges(AllocatedStorage: 30))).Code);
        Assert.Empty(harness.Decide(new Modify(Id, new DbInstanceChanges(InstanceClass: "db.r6g.large"))).Value);
    }

    [Fact]
    public void Stop_start_and_delete_follow_the_status_machine()
    {
        var harness = Available(multiAz: false);
        Assert.Equal("InvalidDBInstanceState", harness.Refuse(new Start(Id)).Code);
        harness.Execute(new Stop(Id));
        harness.Advance(Timings.Stop);
        Assert.Equal(DbInstanceStatus.Stopped, harness.State!.Status);
        Assert.Equal("InvalidDBInstanceState", harness.Refuse(new Reboot(Id, false)).Code);
        harness.Execute(new Start(Id));
        harness.Advance(Timings.Start);
        Assert.Equal(DbInstanceStatus.Available, harness.State!.Status);

        Assert.Equal("InvalidParameterCombination", harness.Refuse(new Delete(Id, SkipFinalSnapshot: false, null)).Code);
        harness.Execute(new Delete(Id, SkipFinalSnapshot: true, null));
        Assert.Equal(DbInstanceStatus.Deleting, harness.State!.Status);
        harness.Advance(Timings.Delete);
        Assert.Null(harness.State);
    }

    [Fact]
    public void Deletion_protection_blocks_delete_until_it_is_turned_off()
    {
        var harness = Available(multiAz: false);
        harness.Execute(new Modify(Id, new DbInstanceChanges(DeletionProtection: true)));
        Assert.Equal(DbInstanceStatus.Available, harness.State!.Status);
        Assert.Equal("InvalidParameterCombination", harness.Refuse(new Delete(Id, true, null)).Code);
        harness.Execute(new Modify(Id, new DbInstanceChanges(DeletionProtection: false)));
        harness.Execute(new Delete(Id, true, null));
    }

    [Fact]
    public void A_missing_instance_is_not_found_with_404()
    {
        var error = Harness().Refuse(new Reboot("nothing", false));
        Assert.Equal(("DBInstanceNotFound", 404), (error.Code, error.HttpStatus));
    }

    [Fact]
    public void Only_the_last_hundred_events_are_kept()
    {
        var harness = Available(multiAz: false);
        for (var i = 0; i < 110; i++)
        {
            harness.Execute(new Reboot(Id, false));
            harness.Advance(Timings.Reboot);
        }
        Assert.Equal(DbInstance.MaxEvents, harness.State!.Events.Count);
        Assert.Equal(113, harness.State.Events[^1].Sequence);
        Assert.Equal(["availability"], harness.State.Events[^1].Categories.ToArray());
    }
}
