using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Rds;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Rds;

/// <summary>The entity kinds of RDS and the read-model kinds they project.</summary>
public static class RdsKinds
{
    public const string SubnetGroup = "db-subnet-group";
    public const string Instance = "db-instance";
    public const string Snapshot = "db-snapshot";

    /// <summary>Read-model rows of DescribeEvents, one per RDS event, owned by their instance.</summary>
    public const string Event = "db-event";

    /// <summary>/orchestrator/rds: every RDS event, one stream per DB instance.</summary>
    public const string LogGroup = OrchestratorLogs.Prefix + "rds";

    public static EntityDefinition<DbSubnetGroup, IDbSubnetGroupCommand, IDbSubnetGroupEvent> SubnetGroupDefinition() => new(
        SubnetGroup,
        new DbSubnetGroupBehavior(),
        state => [new IndexRow(SubnetGroup, state.Name, state)]);

    public static EntityDefinition<DbInstance, IDbInstanceCommand, IDbInstanceEvent> InstanceDefinition(RdsTimings timings) => new(
        Instance,
        new DbInstanceBehavior(timings),
        state =>
        [
            // The contents and the event history stay on the entity; the row is what DescribeDBInstances shows.
            new IndexRow(Instance, state.Id, state with { Data = state.Data.Clear(), Events = [] }),
            .. DbEventView.AllOf(state).Select(e => new IndexRow(Event, $"{state.Id}/{e.Sequence:D10}", e)),
        ],
        FollowRegion: (_, state) => new DbInstanceCommands.ObserveZones(state.Id),
        Effects: LogEvents,
        Metrics: new EntityMetrics<DbInstance>(_ => TimeSpan.FromMinutes(1), RdsMetrics.Sample),
        Answer: Answer);

    public static EntityDefinition<DbSnapshot, IDbSnapshotCommand, IDbSnapshotEvent> SnapshotDefinition(RdsTimings timings) => new(
        Snapshot,
        new DbSnapshotBehavior(timings.Snapshot),
        state => [new IndexRow(Snapshot, state.DbSnapshotIdentifier, state with { Data = state.Data.Clear() })]);

    public static IEnumerable<EntityKind> All(EntityServices services, RdsTimings? timings = null)
    {
        var groups = SubnetGroupDefinition();
        var instances = InstanceDefinition(timings ?? RdsTimings.Default);
        var snapshots = SnapshotDefinition(timings ?? RdsTimings.Default);
        yield return new EntityKind(Snapshot, id => Props.Create(() => new EntityActor<DbSnapshot, IDbSnapshotCommand, IDbSnapshotEvent>(snapshots, id, services)), RememberEntities: false);
        yield return new EntityKind(SubnetGroup, id => Props.Create(() => new EntityActor<DbSubnetGroup, IDbSubnetGroupCommand, IDbSubnetGroupEvent>(groups, id, services)), RememberEntities: false);
        // Instances follow their zones and finish transitions without being asked: remembered, restarted after a node dies.
        yield return new EntityKind(Instance, id => Props.Create(() => new EntityActor<DbInstance, IDbInstanceCommand, IDbInstanceEvent>(instances, id, services)), RememberEntities: true);
    }

    /// <summary>Reads through the endpoint: the value from the primary, or why nothing serves.</summary>
    private static object? Answer(DbInstance? state, object query, DecisionContext context)
    {
        if (query is not DbInstanceQueries.Get get)
            return null;
        if (state is null)
            return RdsErrors.InstanceNotFound(get.DbInstanceIdentifier);
        return state.WhyNotServing(context.Region) is { } why
            ? RdsErrors.EndpointUnreachable(state.Endpoint, why)
            : new DbValue(get.Key, state.Data.GetValueOrDefault(get.Key), state.PrimaryZone);
    }

    /// <summary>Each RDS event is also a line in /orchestrator/rds, so drills read failovers with the Logs API.</summary>
    private static IEnumerable<Outbound> LogEvents(DbInstance? before, IDbInstanceEvent @event)
    {
        if (@event is not DbInstanceEvents.Noted noted || before is null || before.Identity.Arn.Split(':') is not [_, _, _, var region, var account, ..])
            return [];
        var code = noted.EventId is null ? "" : $" ({noted.EventId})";
        return [OrchestratorLogs.Line(region, account, LogGroup, before.Id, $"{before.Id}: {noted.Message}{code}")];
    }
}

/// <summary>AWS/RDS metrics of an instance, each minute while its endpoint serves (none while it does not, as in AWS).</summary>
public static class RdsMetrics
{
    private const double GiB = 1024d * 1024 * 1024;

    /// <summary>Storage the engine itself takes (system tables, logs): our choice.</summary>
    private const double EngineOverheadGiB = 1.5;

    public static IEnumerable<MetricDatum> Sample(DbInstance state, DateTimeOffset now, RegionState region, object? memory)
    {
        if (!state.IsServing(region.Status))
            yield break;
        var dimensions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("DBInstanceIdentifier", state.Id)]);
        MetricDatum Datum(string name, double value, string unit) => new("AWS/RDS", name, dimensions, now, value, unit, 60);
        // An idle engine: a few percent of CPU, a little more on a small burstable class.
        yield return Datum("CPUUtilization", state.Settings.InstanceClass.StartsWith("db.t", StringComparison.Ordinal) ? 3.0 : 1.5, "Percent");
        yield return Datum("DatabaseConnections", 0, "Count");
        yield return Datum("FreeStorageSpace", Math.Max(0, (state.Settings.AllocatedStorage - EngineOverheadGiB) * GiB - state.DataBytes), "Bytes");
    }
}

/// <summary>The manifests of everything RDS persists or sends between nodes.</summary>
public static class RdsMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("rds.subnet-group.command", typeof(DbSubnetGroupCommands));
        MessageRegistry.RegisterAll("rds.subnet-group.event", typeof(DbSubnetGroupEvents));
        MessageRegistry.RegisterAll("rds.subnet-group", typeof(DbSubnetGroup), typeof(DbSubnet), typeof(SubnetFact));
        MessageRegistry.RegisterAll("rds.snapshot.command", typeof(DbSnapshotCommands));
        MessageRegistry.RegisterAll("rds.snapshot.event", typeof(DbSnapshotEvents));
        MessageRegistry.RegisterAll("rds.snapshot", typeof(DbSnapshot));
        MessageRegistry.RegisterAll("rds.instance.command", typeof(DbInstanceCommands));
        MessageRegistry.RegisterAll("rds.instance.event", typeof(DbInstanceEvents));
        MessageRegistry.RegisterAll("rds.instance.query", typeof(DbInstanceQueries));
        MessageRegistry.RegisterAll("rds.instance", typeof(DbInstance), typeof(DbInstanceIdentity), typeof(DbInstanceSettings), typeof(FailoverInProgress),
            typeof(RdsEventRecord), typeof(DbEventView), typeof(DbInstanceRequest), typeof(DbInstanceChanges), typeof(DbValue));
    }
}
