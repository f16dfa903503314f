using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Common.Decisions;
using static Orchestrator.Domain.Rds.DbInstanceCommands;
using static Orchestrator.Domain.Rds.DbInstanceEvents;
using static Orchestrator.Domain.Rds.DbInstanceStatus;

namespace Orchestrator.Domain.Rds;

/// <summary>
/// The DB instance: CreateDBInstance's rules, the DBInstanceStatus machine in simulated time and
/// Multi-AZ (aws-semantics 6.3). A failover (the primary's zone goes down, RebootDBInstance with
/// ForceFailover, an injected primary failure) makes the standby primary after FailoverTime; the
/// old primary's zone then holds the standby, or, while that zone is down, the instance runs
/// without one until it returns. During an unplanned failover the status is left as it was (AWS
/// does not document what it shows); a forced one shows rebooting.
/// </summary>
public sealed class DbInstanceBehavior(RdsTimings timings) : IEntityBehavior<DbInstance, IDbInstanceCommand, IDbInstanceEvent>
{
    public const string TransitionDeadline = "transition";
    public const string FailoverDeadline = "failover";

    private static readonly ImmutableArray<string> Availability = ["availability"];
    private static readonly ImmutableArray<string> Failure = ["failover"];
    private static readonly ImmutableArray<string> Creation = ["creation"];
    private static readonly ImmutableArray<string> Backup = ["backup"];
    private static readonly ImmutableArray<string> Notification = ["notification"];
    private static readonly ImmutableArray<string> ConfigurationChange = ["configuration change"];
    private static readonly ImmutableArray<string> Deletion = ["deletion"];

    public Result<IReadOnlyList<IDbInstanceEvent>> Decide(DbInstance? state, IDbInstanceCommand command, DecisionContext context)
    {
        var now = context.Now;
        if (state is null)
        {
            return command switch
            {
                Create create => DecideCreate(create.Request, create.FailoverTime, context, requirePassword: true),
                Restore restore => DecideCreate(restore.Request, restore.FailoverTime, context, requirePassword: false).Map<IReadOnlyList<IDbInstanceEvent>>(events =>
                [
                    .. events,
                    new ContentsRestored(restore.DbSnapshotIdentifier, restore.Data, context.Now),
                    new Noted($"Restored from snapshot {restore.DbSnapshotIdentifier}", ["restoration"], "RDS-EVENT-0043", context.Now),
                ]),
                CompleteTransition or CompleteFailover or ObserveZones => None<IDbInstanceEvent>(),
                _ => RdsErrors.InstanceNotFound(command.EntityId),
            };
        }
        return command switch
        {
            Create or Restore => RdsErrors.InstanceAlreadyExists(),
            Modify modify => DecideModify(state, modify.Changes, now),
            Reboot reboot => DecideReboot(state, reboot.ForceFailover, now),
            Stop => state.Status == Available
                ? Events<IDbInstanceEvent>(new StatusChanged(Stopping, now + timings.Stop, now))
                : RdsErrors.InvalidInstanceState($"DB Instance {state.Id} is not in available state."),
            Start => state.Status == Stopped
                ? Events<IDbInstanceEvent>(new StatusChanged(Starting, now + timings.Start, now))
                : RdsErrors.InvalidInstanceState($"Instance {state.Id} is not stopped, cannot be started."),
            Delete delete => DecideDelete(state, delete, now),
            AddTags add => state.Tags.SetItems(add.Tags).Count > Common.Tags.MaxTagsPerResource
                ? new AwsError("TagQuotaPerResourceExceeded", $"A resource can have at most {Common.Tags.MaxTagsPerResource} tags")
                : Events<IDbInstanceEvent>(new TagsChanged(state.Tags.SetItems(add.Tags), now)),
            RemoveTags remove => Events<IDbInstanceEvent>(new TagsChanged(state.Tags.RemoveRange(remove.Keys), now)),
            InjectPrimaryFailure => DecideInjectedFailure(state, context),
            ObserveZones => DecideZones(state, context.Region, now),
            CompleteTransition => state.TransitionCompletesAt is { } due && due <= now ? CompleteCurrent(state, context) : None<IDbInstanceEvent>(),
            CompleteFailover => state.Failover is { } failover && failover.CompletesAt <= now ? FinishFailover(state, failover, context.Region, now) : None<IDbInstanceEvent>(),
            Put put => state.WhyNotServing(context.Region) is { } why
                ? RdsErrors.EndpointUnreachable(state.Endpoint, why)
                : Events<IDbInstanceEvent>(new ValuePut(put.Key, put.Value, now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown DB instance command"),
        };
    }

    public DbInstance? Evolve(DbInstance? state, IDbInstanceEvent @event) => @event switch
    {
        Created e => new DbInstance(e.Identity, e.Settings, Creating, e.CompletesAt, e.MultiAz, null, e.PrimaryZone, e.StandbyZone, e.AwaitedStandbyZone,
            null, e.FailoverTime, e.Tags, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), []),
        Deleted => null,
        _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
        StatusChanged e => state with { Status = e.Status, TransitionCompletesAt = e.CompletesAt },
        Modified e => state with { Settings = e.Settings, PendingMultiAz = e.PendingMultiAz },
        PlacementChanged e => state with { MultiAz = e.MultiAz, PendingMultiAz = null, StandbyZone = e.StandbyZone, AwaitedStandbyZone = e.AwaitedStandbyZone },
        FailoverStarted e => state with { Failover = new FailoverInProgress(e.ToZone, e.CompletesAt, e.Forced) },
        FailoverCompleted e => state with { Failover = null, PrimaryZone = e.PrimaryZone, StandbyZone = e.StandbyZone, AwaitedStandbyZone = e.AwaitedStandbyZone },
        Noted e => state with
        {
            Events = Trim(state.Events.Add(new RdsEventRecord((state.Events.IsEmpty ? 0 : state.Events[^1].Sequence) + 1, e.Message, e.Categories, e.EventId, e.At))),
        },
        ValuePut e => state with { Data = state.Data.SetItem(e.Key, e.Value) },
        ContentsRestored e => state with { Data = e.Data },
        TagsChanged e => state with { Tags = e.Tags },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown DB instance event"),
    };

    public IEnumerable<Deadline<IDbInstanceCommand>> Deadlines(DbInstance? state)
    {
        if (state?.TransitionCompletesAt is { } transition)
            yield return new Deadline<IDbInstanceCommand>(TransitionDeadline, transition, new CompleteTransition(state.Id));
        if (state?.Failover is { } failover)
            yield return new Deadline<IDbInstanceCommand>(FailoverDeadline, failover.CompletesAt, new CompleteFailover(state.Id));
    }

    private static ImmutableList<RdsEventRecord> Trim(ImmutableList<RdsEventRecord> events) =>
        events.Count > DbInstance.MaxEvents ? events.RemoveRange(0, events.Count - DbInstance.MaxEvents) : events;

    /// <summary>The request checks of CreateDBInstance, then placement: the requested zone or the first zone up, the standby in another zone up.</summary>
    private Result<IReadOnlyList<IDbInstanceEvent>> DecideCreate(DbInstanceRequest request, TimeSpan failoverTime, DecisionContext context, bool requirePassword)
    {
        if (Validate(request, requirePassword) is { } invalid)
            return invalid;
        if (failoverTime < RdsTimings.MinFailover || failoverTime > RdsTimings.MaxFailover)
            return RdsErrors.InvalidParameterValue($"The failover time must be between {RdsTimings.MinFailover.TotalSeconds} and {RdsTimings.MaxFailover.TotalSeconds} seconds");
        var group = request.SubnetGroup!;
        var zones = group.Zones;
        string primary;
        if (request.AvailabilityZone is { } requested)
        {
            if (!zones.Contains(requested))
                return RdsErrors.InvalidParameterCombination($"No subnets found for the Availability Zone {requested} in DB subnet group {group.Name}");
            primary = requested;
        }
        else
            primary = zones.FirstOrDefault(z => IsUp(context.Region, z)) ?? zones[0];
        var (standby, awaited) = request.MultiAz ? PlaceStandby(zones, primary, context.Region) : (null, null);
        var engine = RdsCatalog.Engine(request.Engine!)!;
        var storageType = request.StorageType ?? RdsCatalog.DefaultStorageType(request.Iops);
        var identity = new DbInstanceIdentity(request.DbInstanceIdentifier, request.Arn, request.ResourceId, engine.Name, request.EngineVersion ?? engine.DefaultVersion,
            engine.LicenseModel, request.MasterUsername!, request.DbName, request.EndpointAddress, request.Port ?? engine.DefaultPort, group.Name, group.Description,
            group.VpcId, group.Subnets, context.Now);
        var settings = new DbInstanceSettings(request.InstanceClass!, storageType, request.AllocatedStorage!.Value, request.Iops,
            request.BackupRetentionPeriod ?? 1, request.DeletionProtection, request.PubliclyAccessible ?? false);
        return Events<IDbInstanceEvent>(new Created(identity, settings, request.MultiAz, primary, standby, awaited, failoverTime, request.Tags,
            context.Now + timings.Create, context.Now));
    }

    /// <summary>The checks of CreateDBInstance that need only the request (the service runs them before resolving the subnet group too).</summary>
    public static AwsError? Validate(DbInstanceRequest request, bool requirePassword = true)
    {
        if (RdsCatalog.CheckIdentifier(request.DbInstanceIdentifier) is { } badId)
            return badId;
        if (string.IsNullOrEmpty(request.Engine))
            return AwsError.MissingParameter("The request must contain the parameter Engine");
        if (RdsCatalog.IsAurora(request.Engine))
            return request.DbClusterIdentifier is { } cluster
                ? RdsErrors.DbClusterNotFound(cluster)
                : RdsErrors.InvalidParameterCombination($"The engine {request.Engine} runs DB instances only as members of a DB cluster (DBClusterIdentifier); DB clusters are not supported yet.");
        if (RdsCatalog.Engine(request.Engine) is null)
            return RdsErrors.InvalidParameterValue($"Invalid DB engine: {request.Engine}");
        if (string.IsNullOrEmpty(request.InstanceClass))
            return AwsError.MissingParameter("The request must contain the parameter DBInstanceClass");
        if (!RdsCatalog.Supports(request.Engine, request.InstanceClass))
            return RdsErrors.InvalidParameterCombination($"RDS does not support creating a DB instance with the following combination: DBInstanceClass={request.InstanceClass}, Engine={request.Engine}.");
        if (request.AllocatedStorage is not { } storage)
            return RdsErrors.InvalidParameterValue("The parameter AllocatedStorage must be provided and must not be null.");
        if (RdsCatalog.CheckStorage(request.Engine, request.StorageType ?? RdsCatalog.DefaultStorageType(request.Iops), storage, request.Iops) is { } badStorage)
            return badStorage;
        if (string.IsNullOrEmpty(request.MasterUsername))
            return RdsErrors.InvalidParameterValue("The parameter MasterUsername must be provided and must not be blank.");
        if (RdsCatalog.CheckMasterUsername(request.MasterUsername) is { } badUser)
            return badUser;
        if (requirePassword && string.IsNullOrEmpty(request.MasterUserPassword))
            return RdsErrors.InvalidParameterValue("The parameter MasterUserPassword must be provided and must not be blank.");
        if (request.MasterUserPassword is { Length: < 8 })
            return RdsErrors.InvalidParameterValue("The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.");
        if (request.BackupRetentionPeriod is < 0 or > 35)
            return RdsErrors.InvalidParameterValue($"The parameter BackupRetentionPeriod must be between 0 and 35: {request.BackupRetentionPeriod}");
        if (request.Port is < 1150 or > 65535)
            return RdsErrors.InvalidParameterValue($"Invalid port {request.Port}: it must be between 1150 and 65535.");
        if (request.MultiAz && request.AvailabilityZone is not null)
            return RdsErrors.InvalidParameterCombination("Requesting a specific availability zone is not valid for Multi-AZ instances.");
        return request.SubnetGroup is null ? RdsErrors.SubnetGroupNotFound("default") : null;
    }

    private static bool IsUp(RegionStatus region, string zone) => region.Zone(zone) is not { IsUp: false };

    /// <summary>A standby in the first zone of the group that is up and is not the primary's; none up: the first other zone is awaited.</summary>
    private static (string? Standby, string? Awaited) PlaceStandby(ImmutableArray<string> zones, string primary, RegionStatus region)
    {
        var others = zones.Where(z => z != primary).ToList();
        return others.FirstOrDefault(z => IsUp(region, z)) is { } up ? (up, null) : (null, others.FirstOrDefault());
    }

    private Result<IReadOnlyList<IDbInstanceEvent>> DecideModify(DbInstance state, DbInstanceChanges changes, DateTimeOffset now)
    {
        if (state.Status != Available)
            return RdsErrors.InvalidInstanceState($"Database instance {state.Id} is not in available state.");
        var current = state.Settings;
        var instanceClass = changes.InstanceClass ?? current.InstanceClass;
        if (!RdsCatalog.Supports(state.Identity.Engine, instanceClass))
            return RdsErrors.InvalidParameterCombination($"RDS does not support creating a DB instance with the following combination: DBInstanceClass={instanceClass}, Engine={state.Identity.Engine}.");
        var storageType = changes.StorageType ?? current.StorageType;
        var allocated = changes.AllocatedStorage ?? current.AllocatedStorage;
        var iops = changes.Iops ?? (storageType is RdsCatalog.Io1 or RdsCatalog.Io2 or RdsCatalog.Gp3 ? current.Iops : null);
        if (allocated < current.AllocatedStorage)
            return RdsErrors.InvalidParameterValue($"Invalid storage size: the allocated storage cannot be decreased from {current.AllocatedStorage} to {allocated} GiB.");
        if (RdsCatalog.CheckStorage(state.Identity.Engine, storageType, allocated, iops) is { } badStorage)
            return badStorage;
        if (changes.BackupRetentionPeriod is < 0 or > 35)
            return RdsErrors.InvalidParameterValue($"The parameter BackupRetentionPeriod must be between 0 and 35: {changes.BackupRetentionPeriod}");
        var settings = new DbInstanceSettings(instanceClass, storageType, allocated, iops, changes.BackupRetentionPeriod ?? current.BackupRetentionPeriod,
            changes.DeletionProtection ?? current.DeletionProtection, changes.PubliclyAccessible ?? current.PubliclyAccessible);
        bool? convert = changes.MultiAz is { } multiAz && multiAz != state.MultiAz ? multiAz : null;
        var reshapes = settings with { BackupRetentionPeriod = 0, DeletionProtection = false, PubliclyAccessible = false }
            != current with { BackupRetentionPeriod = 0, DeletionProtection = false, PubliclyAccessible = false };
        if (settings == current && convert is null)
            return None<IDbInstanceEvent>();
        var events = new List<IDbInstanceEvent> { new Modified(settings, convert, now) };
        // Class, storage and Multi-AZ changes take the instance through modifying; the others apply at once.
        if (reshapes || convert is not null)
            events.Add(new StatusChanged(Modifying, now + timings.Modify, now));
        return events;
    }

    private Result<IReadOnlyList<IDbInstanceEvent>> DecideReboot(DbInstance state, bool forceFailover, DateTimeOffset now)
    {
        if (state.Status != Available)
            return RdsErrors.InvalidInstanceState($"DB Instance {state.Id} is not in available state.");
        if (!forceFailover)
            return Events<IDbInstanceEvent>(new StatusChanged(Rebooting, now + timings.Reboot, now));
        if (!state.MultiAz)
            return RdsErrors.InvalidParameterCombination($"Reboot with failover is not supported for DB instance {state.Id} because it is not a Multi-AZ instance.");
        if (state.StandbyZone is not { } standby || state.Failover is not null)
            return RdsErrors.InvalidInstanceState($"DB Instance {state.Id} has no standby to fail over to.");
        return Events<IDbInstanceEvent>(
            new StatusChanged(Rebooting, null, now),
            new FailoverStarted(standby, now + state.FailoverTime, Forced: true, now),
            FailoverStartedNote(now));
    }

    private static Noted FailoverStartedNote(DateTimeOffset now) => new("Multi-AZ instance failover started.", Failure, "RDS-EVENT-0013", now);

    private Result<IReadOnlyList<IDbInstanceEvent>> DecideInjectedFailure(DbInstance state, DecisionContext context)
    {
        var now = context.Now;
        if (state.Status is not (Available or BackingUp or Modifying))
            return RdsErrors.InvalidInstanceState($"DB Instance {state.Id} is {state.Status}: there is no running primary to fail.");
        if (state.Failover is not null)
            return None<IDbInstanceEvent>();
        if (state.MultiAz && state.StandbyZone is { } standby && IsUp(context.Region, standby))
            return Events<IDbInstanceEvent>(new FailoverStarted(standby, now + state.FailoverTime, Forced: false, now), FailoverStartedNote(now));
        // No standby to take over: the host is replaced in place, as a reboot.
        return Events<IDbInstanceEvent>(new StatusChanged(Rebooting, now + timings.Reboot, now));
    }

    private Result<IReadOnlyList<IDbInstanceEvent>> DecideDelete(DbInstance state, Delete delete, DateTimeOffset now)
    {
        if (state.Status == Deleting)
            return RdsErrors.InvalidInstanceState($"Instance {state.Id} is already being deleted.");
        if (state.Settings.DeletionProtection)
            return RdsErrors.InvalidParameterCombination("Cannot delete protected DB Instance, please disable deletion protection and try again.");
        if (!delete.SkipFinalSnapshot && delete.FinalDbSnapshotIdentifier is null)
            return RdsErrors.InvalidParameterCombination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        if (delete.SkipFinalSnapshot && delete.FinalDbSnapshotIdentifier is not null)
            return RdsErrors.InvalidParameterCombination("FinalDBSnapshotIdentifier can not be specified when deleting with SkipFinalSnapshot.");
        if (delete.FinalDbSnapshotIdentifier is { } final && RdsCatalog.CheckIdentifier(final, "FinalDBSnapshotIdentifier") is { } badFinal)
            return badFinal;
        return Events<IDbInstanceEvent>(new StatusChanged(Deleting, now + timings.Delete, now));
    }

    /// <summary>The transition under way ends: creating, backing-up, modifying, rebooting, stopping, starting or deleting.</summary>
    private Result<IReadOnlyList<IDbInstanceEvent>> CompleteCurrent(DbInstance state, DecisionContext context)
    {
        var now = context.Now;
        return state.Status switch
        {
            Creating when state.Settings.BackupRetentionPeriod > 0 => Events<IDbInstanceEvent>(
                new Noted("DB instance created", Creation, "RDS-EVENT-0005", now),
                new StatusChanged(BackingUp, now + timings.Backup, now),
                new Noted("Backing up DB instance", Backup, "RDS-EVENT-0001", now)),
            Creating => Events<IDbInstanceEvent>(new Noted("DB instance created", Creation, "RDS-EVENT-0005", now), new StatusChanged(Available, null, now)),
            BackingUp => Events<IDbInstanceEvent>(new StatusChanged(Available, null, now), new Noted("Finished DB Instance backup", Backup, "RDS-EVENT-0002", now)),
            Modifying => FinishModifying(state, context),
            Rebooting => Events<IDbInstanceEvent>(new StatusChanged(Available, null, now), new Noted("DB instance restarted", Availability, "RDS-EVENT-0006", now)),
            Stopping => Events<IDbInstanceEvent>(new StatusChanged(Stopped, null, now), new Noted("DB instance stopped", Notification, "RDS-EVENT-0087", now)),
            Starting => Events<IDbInstanceEvent>(new StatusChanged(Available, null, now), new Noted("DB instance started", Notification, "RDS-EVENT-0088", now)),
            Deleting => Events<IDbInstanceEvent>(new Deleted(now)),
            _ => None<IDbInstanceEvent>(),
        };
    }

    private static Result<IReadOnlyList<IDbInstanceEvent>> FinishModifying(DbInstance state, DecisionContext context)
    {
        var now = context.Now;
        var events = new List<IDbInstanceEvent> { new StatusChanged(Available, null, now) };
        switch (state.PendingMultiAz)
        {
            case true:
                var (standby, awaited) = PlaceStandby(state.SubnetGroupZones, state.PrimaryZone, context.Region);
                events.Add(new PlacementChanged(true, standby, awaited, now));
                events.Add(new Noted("Finished applying modification to convert to a Multi-AZ DB instance", ConfigurationChange, "RDS-EVENT-0025", now));
                break;
            case false:
                events.Add(new PlacementChanged(false, null, null, now));
                events.Add(new Noted("Finished applying modification to convert to a standard (Single-AZ) DB instance", ConfigurationChange, "RDS-EVENT-0029", now));
                break;
        }
        if (state.PendingMultiAz is null)
            events.Add(new Noted("Finished applying modification to DB instance class or storage", ConfigurationChange, "RDS-EVENT-0014", now));
        return events;
    }

    /// <summary>The standby is primary now; the old primary's zone holds the standby, or awaits it while it is down.</summary>
    private static Result<IReadOnlyList<IDbInstanceEvent>> FinishFailover(DbInstance state, FailoverInProgress failover, RegionStatus region, DateTimeOffset now)
    {
        var old = state.PrimaryZone;
        var oldUp = IsUp(region, old);
        var events = new List<IDbInstanceEvent>
        {
            new FailoverCompleted(failover.ToZone, oldUp ? old : null, oldUp ? null : old, now),
            new Noted("Multi-AZ failover to standby complete - DNS propagation may take a few minutes.", Failure, "RDS-EVENT-0015", now),
            new Noted("Multi-AZ instance failover completed.", Failure, "RDS-EVENT-0049", now),
        };
        if (state.Status == Rebooting && state.TransitionCompletesAt is null)
            events.Add(new StatusChanged(Available, null, now));
        return events;
    }

    /// <summary>
    /// Zones changed: a Multi-AZ primary in a zone that went down fails over to a standby that is
    /// up; a standby whose zone went down is lost until the zone returns, then placed there again.
    /// A Single-AZ instance has nothing to do: it serves again when its zone returns.
    /// </summary>
    private static Result<IReadOnlyList<IDbInstanceEvent>> DecideZones(DbInstance state, RegionStatus region, DateTimeOffset now)
    {
        if (!state.MultiAz || state.Failover is not null || state.Status is Deleting or Stopped or Stopping or Starting)
            return None<IDbInstanceEvent>();
        var primaryUp = IsUp(region, state.PrimaryZone);
        if (state.StandbyZone is { } standby)
        {
            var standbyUp = IsUp(region, standby);
            if (!primaryUp && standbyUp && state.Status != Creating)
                return Events<IDbInstanceEvent>(new FailoverStarted(standby, now + state.FailoverTime, Forced: false, now), FailoverStartedNote(now));
            if (!standbyUp)
                return Events<IDbInstanceEvent>(new PlacementChanged(true, null, standby, now));
            return None<IDbInstanceEvent>();
        }
        if (state.AwaitedStandbyZone is { } awaited && primaryUp && IsUp(region, awaited))
            return Events<IDbInstanceEvent>(new PlacementChanged(true, awaited, null, now),
                new Noted($"The standby DB instance was re-created in {awaited}.", Availability, null, now));
        return None<IDbInstanceEvent>();
    }
}
