using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Rds;
using static Orchestrator.Domain.Rds.DbSnapshotCommands;

namespace Orchestrator.Domain.Tests.Rds;

/// <summary>Manual DB snapshots: creating then available, named like instances, deleted only when available.</summary>
public sealed class DbSnapshotTests
{
    private static readonly TimeSpan Creation = TimeSpan.FromMinutes(1);

    private static readonly DbInstance Instance = new(
        new DbInstanceIdentity("orders", "arn:aws:rds:us-east-1:000000000000:db:orders", "db-ABC", "mysql", "8.0.39", "general-public-license", "admin", null,
            "orders.c0123456789a.us-east-1.rds.amazonaws.com", 3306, "app", "app", "vpc-00000000000000001", [], TestRegion.Epoch),
        new DbInstanceSettings("db.t3.micro", "gp3", 20, null, 1, false, false), DbInstanceStatus.Available, null, true, null, "us-east-1b", "us-east-1a", null, null,
        TimeSpan.FromSeconds(90), Tags.None, ImmutableSortedDictionary<string, string>.Empty.Add("k", "v"), []);

    private static EntityHarness<DbSnapshot, IDbSnapshotCommand, IDbSnapshotEvent> Harness() => new(new DbSnapshotBehavior(Creation));

    [Fact]
    public void A_snapshot_copies_the_contents_and_becomes_available()
    {
        var harness = Harness();
        harness.Execute(new Create("before-migration", "arn:aws:rds:us-east-1:000000000000:snapshot:before-migration", Instance, Tags.None));
        Assert.Equal((DbSnapshot.Creating, 0, "us-east-1b"), (harness.State!.Status, harness.State.PercentProgress, harness.State.AvailabilityZone));
        Assert.Equal("InvalidDBSnapshotState", harness.Refuse(new Delete("before-migration")).Code);
        harness.Advance(Creation);
        Assert.Equal((DbSnapshot.Available, 100, "v"), (harness.State!.Status, harness.State.PercentProgress, harness.State.Data["k"]));
        Assert.Equal("DBSnapshotAlreadyExists", harness.Refuse(new Create("before-migration", "arn", Instance, Tags.None)).Code);
        harness.Execute(new Delete("before-migration"));
        Assert.Null(harness.State);
        Assert.Equal(("DBSnapshotNotFound", 404), (harness.Refuse(new Delete("before-migration")).Code, harness.Refuse(new Delete("before-migration")).HttpStatus));
    }

    [Fact]
    public void Snapshot_identifiers_follow_instance_naming_rules() =>
        Assert.Equal("InvalidParameterValue", Harness().Refuse(new Create("snap--1", "arn", Instance, Tags.None)).Code);
}
