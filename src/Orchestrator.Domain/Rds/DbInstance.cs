using System.Collections.Immutable;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Rds;

/// <summary>DBInstanceStatus values this emulator moves through (aws-semantics 6.2).</summary>
public static class DbInstanceStatus
{
    public const string Creating = "creating";
    public const string BackingUp = "backing-up";
    public const string Available = "available";
    public const string Modifying = "modifying";
    public const string Rebooting = "rebooting";
    public const string Stopping = "stopping";
    public const string Stopped = "stopped";
    public const string Starting = "starting";
    public const string Deleting = "deleting";
}

/// <summary>
/// How long each transition takes in simulated time. AWS documents none of them but failover
/// (60-120 s); the rest are our choices, short enough for `aws rds wait` at the default time scale.
/// </summary>
public sealed record RdsTimings(TimeSpan Create, TimeSpan Backup, TimeSpan Modify, TimeSpan Reboot, TimeSpan Stop, TimeSpan Start, TimeSpan Delete, TimeSpan Failover, TimeSpan Snapshot)
{
    public static readonly RdsTimings Default = new(
        Create: TimeSpan.FromMinutes(4), Backup: TimeSpan.FromMinutes(1), Modify: TimeSpan.FromMinutes(1), Reboot: TimeSpan.FromMinutes(1),
        Stop: TimeSpan.FromMinutes(1), Start: TimeSpan.FromMinutes(2), Delete: TimeSpan.FromMinutes(1), Failover: TimeSpan.FromSeconds(90),
        Snapshot: TimeSpan.FromMinutes(1));

    public static readonly TimeSpan MinFailover = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxFailover = TimeSpan.FromSeconds(120);
}

/// <summary>One line of DescribeEvents: an RDS event of this instance (EventId is RDS-EVENT-nnnn where AWS names one).</summary>
public sealed record RdsEventRecord(long Sequence, string Message, ImmutableArray<string> Categories, string? EventId, DateTimeOffset Date);

/// <summary>A failover under way: the standby in ToZone becomes primary at CompletesAt. Forced: asked for by RebootDBInstance.</summary>
public sealed record FailoverInProgress(string ToZone, DateTimeOffset CompletesAt, bool Forced);

/// <summary>What the instance was created with that never changes (engine, endpoint, identity).</summary>
public sealed record DbInstanceIdentity(
    string DbInstanceIdentifier,
    string Arn,
    string ResourceId,
    string Engine,
    string EngineVersion,
    string LicenseModel,
    string MasterUsername,
    string? DbName,
    string EndpointAddress,
    int Port,
    string SubnetGroupName,
    string SubnetGroupDescription,
    string VpcId,
    ImmutableArray<DbSubnet> Subnets,
    DateTimeOffset CreatedAt);

/// <summary>The settings ModifyDBInstance changes.</summary>
public sealed record DbInstanceSettings(
    string InstanceClass,
    string StorageType,
    int AllocatedStorage,
    int? Iops,
    int BackupRetentionPeriod,
    bool DeletionProtection,
    bool PubliclyAccessible);

/// <summary>
/// One DB instance: its identity and settings, its status and the deadline of the transition
/// under way, where its primary and standby run, and the database contents (a small key-value
/// store, replicated synchronously to the standby, so an acknowledged write survives failover).
/// AwaitedStandbyZone is a Multi-AZ instance's standby zone while that zone is down: the standby
/// is placed there again when it returns.
/// </summary>
public sealed record DbInstance(
    DbInstanceIdentity Identity,
    DbInstanceSettings Settings,
    string Status,
    DateTimeOffset? TransitionCompletesAt,
    bool MultiAz,
    bool? PendingMultiAz,
    string PrimaryZone,
    string? StandbyZone,
    string? AwaitedStandbyZone,
    FailoverInProgress? Failover,
    TimeSpan FailoverTime,
    ImmutableDictionary<string, string> Tags,
    ImmutableSortedDictionary<string, string> Data,
    ImmutableList<RdsEventRecord> Events)
{
    public const int MaxEvents = 100;

    public string Id => Identity.DbInstanceIdentifier;

    public ImmutableArray<string> SubnetGroupZones =>
        [.. Identity.Subnets.Select(s => s.AvailabilityZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public string Endpoint => $"{Identity.EndpointAddress}:{Identity.Port}";

    /// <summary>
    /// Whether the endpoint accepts connections now: a primary that is up (not rebooting, stopped
    /// or mid-failover) in a zone that is up. A Single-AZ instance in a failed zone waits for it.
    /// </summary>
    public string? WhyNotServing(RegionStatus region)
    {
        if (Status is not (DbInstanceStatus.Available or DbInstanceStatus.BackingUp or DbInstanceStatus.Modifying))
            return $"the instance is {Status}";
        if (Failover is not null)
            return $"failing over to the standby in {Failover.ToZone}";
        return region.Zone(PrimaryZone) is { IsUp: false } ? $"the primary's zone {PrimaryZone} is unavailable" : null;
    }

    public bool IsServing(RegionStatus region) => WhyNotServing(region) is null;

    /// <summary>Bytes the contents take (keys and values as UTF-16), for FreeStorageSpace.</summary>
    public long DataBytes => Data.Sum(kv => 2L * (kv.Key.Length + kv.Value.Length));
}

/// <summary>One RDS event as the read model keeps it for DescribeEvents.</summary>
public sealed record DbEventView(string SourceIdentifier, string SourceArn, long Sequence, string Message, ImmutableArray<string> Categories, string? EventId, DateTimeOffset Date)
{
    public static IEnumerable<DbEventView> AllOf(DbInstance state) =>
        state.Events.Select(e => new DbEventView(state.Id, state.Identity.Arn, e.Sequence, e.Message, e.Categories, e.EventId, e.Date));
}
