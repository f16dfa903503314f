using System.Collections.Immutable;

namespace Orchestrator.Domain.Rds;

public interface IDbInstanceCommand
{
    string EntityId { get; }
}

public interface IDbInstanceEvent;

/// <summary>
/// CreateDBInstance as the service hands it over: ids, ARN and endpoint minted, the subnet group
/// resolved from the read model (null only when the request named none and there is no default VPC).
/// </summary>
public sealed record DbInstanceRequest(
    string DbInstanceIdentifier,
    string Arn,
    string ResourceId,
    string EndpointAddress,
    string? Engine,
    string? EngineVersion,
    string? DbClusterIdentifier,
    string? InstanceClass,
    string? StorageType,
    int? AllocatedStorage,
    int? Iops,
    int? Port,
    string? MasterUsername,
    string? MasterUserPassword,
    string? DbName,
    DbSubnetGroup? SubnetGroup,
    string? AvailabilityZone,
    bool MultiAz,
    int? BackupRetentionPeriod,
    bool DeletionProtection,
    bool? PubliclyAccessible,
    ImmutableDictionary<string, string> Tags);

/// <summary>ModifyDBInstance: only what the request names changes (changes apply at once, as with ApplyImmediately).</summary>
public sealed record DbInstanceChanges(
    string? InstanceClass = null,
    string? StorageType = null,
    int? AllocatedStorage = null,
    int? Iops = null,
    bool? MultiAz = null,
    int? BackupRetentionPeriod = null,
    bool? DeletionProtection = null,
    bool? PubliclyAccessible = null);

public static class DbInstanceCommands
{
    public sealed record Create(DbInstanceRequest Request, TimeSpan FailoverTime) : IDbInstanceCommand
    {
        public string EntityId => Request.DbInstanceIdentifier;
    }

    /// <summary>RestoreDBInstanceFromDBSnapshot: a new instance with the snapshot's contents (the request carries the snapshot's settings).</summary>
    public sealed record Restore(DbInstanceRequest Request, string DbSnapshotIdentifier, ImmutableSortedDictionary<string, string> Data, TimeSpan FailoverTime) : IDbInstanceCommand
    {
        public string EntityId => Request.DbInstanceIdentifier;
    }

    public sealed record Modify(string DbInstanceIdentifier, DbInstanceChanges Changes) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    public sealed record Reboot(string DbInstanceIdentifier, bool ForceFailover) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    public sealed record Stop(string DbInstanceIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    public sealed record Start(string DbInstanceIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    public sealed record Delete(string DbInstanceIdentifier, bool SkipFinalSnapshot, string? FinalDbSnapshotIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    public sealed record AddTags(string DbInstanceIdentifier, ImmutableDictionary<string, string> Tags) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    public sealed record RemoveTags(string DbInstanceIdentifier, ImmutableArray<string> Keys) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    /// <summary>A drill's injected failure of the primary host (db failover): Multi-AZ fails over, Single-AZ restarts.</summary>
    public sealed record InjectPrimaryFailure(string DbInstanceIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    /// <summary>The region's zones changed: the decider reads them from its context.</summary>
    public sealed record ObserveZones(string DbInstanceIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    /// <summary>Due when the transition under way (creating, rebooting, stopping ...) ends.</summary>
    public sealed record CompleteTransition(string DbInstanceIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    /// <summary>Due when the failover under way ends.</summary>
    public sealed record CompleteFailover(string DbInstanceIdentifier) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }

    /// <summary>A write through the endpoint (db put): acknowledged once durable, refused while nothing serves.</summary>
    public sealed record Put(string DbInstanceIdentifier, string Key, string Value) : IDbInstanceCommand
    {
        public string EntityId => DbInstanceIdentifier;
    }
}

public static class DbInstanceEvents
{
    public sealed record Created(
        DbInstanceIdentity Identity,
        DbInstanceSettings Settings,
        bool MultiAz,
        string PrimaryZone,
        string? StandbyZone,
        string? AwaitedStandbyZone,
        TimeSpan FailoverTime,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset CompletesAt,
        DateTimeOffset At) : IDbInstanceEvent;

    public sealed record StatusChanged(string Status, DateTimeOffset? CompletesAt, DateTimeOffset At) : IDbInstanceEvent;

    /// <summary>The settings after the change; PendingMultiAz is the Multi-AZ conversion applied when modifying ends.</summary>
    public sealed record Modified(DbInstanceSettings Settings, bool? PendingMultiAz, DateTimeOffset At) : IDbInstanceEvent;

    public sealed record PlacementChanged(bool MultiAz, string? StandbyZone, string? AwaitedStandbyZone, DateTimeOffset At) : IDbInstanceEvent;

    public sealed record FailoverStarted(string ToZone, DateTimeOffset CompletesAt, bool Forced, DateTimeOffset At) : IDbInstanceEvent;

    public sealed record FailoverCompleted(string PrimaryZone, string? StandbyZone, string? AwaitedStandbyZone, DateTimeOffset At) : IDbInstanceEvent;

    /// <summary>An RDS event as DescribeEvents lists it.</summary>
    public sealed record Noted(string Message, ImmutableArray<string> Categories, string? EventId, DateTimeOffset At) : IDbInstanceEvent;

    public sealed record ValuePut(string Key, string Value, DateTimeOffset At) : IDbInstanceEvent;

    /// <summary>A restored instance starts with the contents of its snapshot.</summary>
    public sealed record ContentsRestored(string DbSnapshotIdentifier, ImmutableSortedDictionary<string, string> Data, DateTimeOffset At) : IDbInstanceEvent;

    public sealed record TagsChanged(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : IDbInstanceEvent;

    public sealed record Deleted(DateTimeOffset At) : IDbInstanceEvent;
}

/// <summary>Reads through the endpoint, answered from state without persisting anything.</summary>
public static class DbInstanceQueries
{
    /// <summary>Answered with a <see cref="DbValue"/>, or an AwsError while the endpoint does not serve.</summary>
    public sealed record Get(string DbInstanceIdentifier, string Key);
}

/// <summary>A read's answer: the value (null when the key was never written) and the zone of the primary that served it.</summary>
public sealed record DbValue(string Key, string? Value, string ServedFromZone);
