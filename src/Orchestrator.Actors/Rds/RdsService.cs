using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Rds;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Rds;

/// <summary>
/// RDS as the API and the `db` palette see it: it resolves what spans resources (subnets from the
/// VPC read model, the default subnet group, which instances use a group), mints ARNs and
/// endpoints, and sends the facts to the entities. Lists come from the read model.
/// </summary>
public sealed class RdsService(EntityServices services, string accountId, TimeSpan? failoverTime = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a Multi-AZ failover takes in simulated time (60-120 s, 90 by default).</summary>
    public TimeSpan FailoverTime { get; } = failoverTime ?? RdsTimings.Default.Failover;

    private RegionState Region => services.Region.Current;

    /// <summary>The region's zones, where instances can be ordered.</summary>
    public IEnumerable<string> Zones => Region.Status.Zones.Select(z => z.Name);

    public string InstanceArn(string id) => $"arn:aws:rds:{Region.Region}:{accountId}:db:{id}";

    public string SubnetGroupArn(string name) => $"arn:aws:rds:{Region.Region}:{accountId}:subgrp:{name}";

    /// <summary>Endpoints read id.&lt;12 characters fixed per account and region&gt;.region.rds.amazonaws.com, as in AWS.</summary>
    public string EndpointAddress(string id) =>
        $"{id}.c{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId}/{Region.Region}")))[..11]}.{Region.Region}.rds.amazonaws.com";

    public async Task<Result<DbSubnetGroup>> CreateSubnetGroup(string? name, string? description, IReadOnlyList<string> subnetIds,
        ImmutableDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        if (DbSubnetGroupBehavior.CheckName(name) is { } invalid)
            return invalid;
        var key = name!.ToLowerInvariant();
        var subnets = await Subnets(subnetIds).ConfigureAwait(false);
        return await Send<DbSubnetGroup>(RdsKinds.SubnetGroup, key,
            new DbSubnetGroupCommands.Create(key, SubnetGroupArn(key), description, subnets, tags), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<DbSubnetGroup>> ModifySubnetGroup(string? name, string? description, IReadOnlyList<string> subnetIds, CancellationToken cancellationToken = default)
    {
        var found = await FindSubnetGroup(name).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var subnets = await Subnets(subnetIds).ConfigureAwait(false);
        return await Send<DbSubnetGroup>(RdsKinds.SubnetGroup, found.Value.Name,
            new DbSubnetGroupCommands.Modify(found.Value.Name, description, subnets), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A group used by an instance (one not yet gone) cannot be deleted.</summary>
    public async Task<Result<bool>> DeleteSubnetGroup(string? name, CancellationToken cancellationToken = default)
    {
        var found = await FindSubnetGroup(name).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        if ((await Instances().ConfigureAwait(false)).FirstOrDefault(i => i.Identity.SubnetGroupName == found.Value.Name) is { } user)
            return RdsErrors.SubnetGroupInUse(found.Value.Name, user.Id);
        var reply = await services.Router.Ask<object>(RdsKinds.SubnetGroup, found.Value.Name, new DbSubnetGroupCommands.Delete(found.Value.Name), Timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? rejected.Error : true;
    }

    public async Task<IReadOnlyList<DbSubnetGroup>> SubnetGroups() =>
        [.. (await services.Index.List(RdsKinds.SubnetGroup, Region.Generation).ConfigureAwait(false)).Cast<DbSubnetGroup>().OrderBy(g => g.Name, StringComparer.Ordinal)];

    public async Task<Result<DbSubnetGroup>> FindSubnetGroup(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return AwsError.MissingParameter("The request must contain the parameter DBSubnetGroupName");
        return await services.Index.Get(RdsKinds.SubnetGroup, name.ToLowerInvariant(), Region.Generation).ConfigureAwait(false) is DbSubnetGroup group
            ? group
            : RdsErrors.SubnetGroupNotFound(name);
    }

    /// <summary>CreateDBInstance: the named subnet group, or without one the default VPC's subnets as the group "default".</summary>
    public async Task<Result<DbInstance>> CreateInstance(DbInstanceRequest request, string? subnetGroupName, CancellationToken cancellationToken = default)
    {
        var id = request.DbInstanceIdentifier?.ToLowerInvariant() ?? "";
        request = request with { DbInstanceIdentifier = id, Arn = InstanceArn(id), ResourceId = ResourceId(), EndpointAddress = EndpointAddress(id) };
        if (DbInstanceBehavior.Validate(request with { SubnetGroup = Placeholder }) is { } invalid)
            return invalid;
        var group = await ResolveSubnetGroup(subnetGroupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        return await SendInstance(id, new DbInstanceCommands.Create(request with { SubnetGroup = group.Value }, FailoverTime), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stands in for the subnet group while the request alone is checked.</summary>
    private static readonly DbSubnetGroup Placeholder = new("default", "", "", "", [], Orchestrator.Domain.Common.Tags.None, DateTimeOffset.MinValue);

    private async Task<Result<DbSubnetGroup>> ResolveSubnetGroup(string? name)
    {
        if (name is not null)
            return await FindSubnetGroup(name).ConfigureAwait(false);
        if (Region.DefaultVpc is not { } plan)
            return RdsErrors.SubnetGroupNotFound("default");
        var subnets = DbSubnetGroupBehavior.Resolve(await Subnets(plan.SubnetIds).ConfigureAwait(false));
        if (subnets.IsError)
            return subnets.Error!;
        return new DbSubnetGroup("default", SubnetGroupArn("default"), "default", subnets.Value.VpcId, subnets.Value.Subnets, Orchestrator.Domain.Common.Tags.None, DateTimeOffset.MinValue);
    }

    public Task<Result<DbInstance>> Modify(string? id, DbInstanceChanges changes, CancellationToken cancellationToken = default) =>
        SendTo(id, i => new DbInstanceCommands.Modify(i, changes), cancellationToken);

    public Task<Result<DbInstance>> Reboot(string? id, bool forceFailover, CancellationToken cancellationToken = default) =>
        SendTo(id, i => new DbInstanceCommands.Reboot(i, forceFailover), cancellationToken);

    public Task<Result<DbInstance>> Stop(string? id, CancellationToken cancellationToken = default) => SendTo(id, i => new DbInstanceCommands.Stop(i), cancellationToken);

    public Task<Result<DbInstance>> Start(string? id, CancellationToken cancellationToken = default) => SendTo(id, i => new DbInstanceCommands.Start(i), cancellationToken);

    /// <summary>DeleteDBInstance; a final snapshot is taken of the contents as they were when deleting began.</summary>
    public async Task<Result<DbInstance>> Delete(string? id, bool skipFinalSnapshot, string? finalSnapshot, CancellationToken cancellationToken = default)
    {
        var finalId = finalSnapshot?.ToLowerInvariant();
        if (finalId is not null && await services.Index.Get(RdsKinds.Snapshot, finalId, Region.Generation).ConfigureAwait(false) is not null)
            return SnapshotExists(finalId);
        var deleting = await SendTo(id, i => new DbInstanceCommands.Delete(i, skipFinalSnapshot, finalId), cancellationToken).ConfigureAwait(false);
        if (deleting.IsError || finalId is null)
            return deleting;
        var taken = await Send<DbSnapshot>(RdsKinds.Snapshot, finalId, new DbSnapshotCommands.Create(finalId, SnapshotArn(finalId), deleting.Value, deleting.Value.Tags), cancellationToken)
            .ConfigureAwait(false);
        return taken.IsError ? taken.Error! : deleting;
    }

    public string SnapshotArn(string id) => $"arn:aws:rds:{Region.Region}:{accountId}:snapshot:{id}";

    private static AwsError SnapshotExists(string id) =>
        new("DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {id} already exists.");

    /// <summary>CreateDBSnapshot of an available instance: its contents now, from its live state.</summary>
    public async Task<Result<DbSnapshot>> CreateSnapshot(string? snapshotId, string? instanceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        if (RdsCatalog.CheckIdentifier(snapshotId, "DBSnapshotIdentifier") is { } invalid)
            return invalid;
        var state = await State(instanceId, cancellationToken).ConfigureAwait(false);
        if (state.IsError)
            return state.Error!;
        if (state.Value.Status != DbInstanceStatus.Available)
            return RdsErrors.InvalidInstanceState($"Cannot create a snapshot because the database instance {state.Value.Id} is not currently in the available state.");
        var id = snapshotId!.ToLowerInvariant();
        return await Send<DbSnapshot>(RdsKinds.Snapshot, id, new DbSnapshotCommands.Create(id, SnapshotArn(id), state.Value, tags), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DbSnapshot>> Snapshots() =>
        [.. (await services.Index.List(RdsKinds.Snapshot, Region.Generation).ConfigureAwait(false)).Cast<DbSnapshot>().OrderBy(s => s.DbSnapshotIdentifier, StringComparer.Ordinal)];

    public async Task<Result<DbSnapshot>> FindSnapshot(string? idOrArn)
    {
        if (string.IsNullOrEmpty(idOrArn))
            return AwsError.MissingParameter("The request must contain the parameter DBSnapshotIdentifier");
        var id = idOrArn.StartsWith("arn:", StringComparison.Ordinal) ? idOrArn[(idOrArn.LastIndexOf(':') + 1)..] : idOrArn;
        return await services.Index.Get(RdsKinds.Snapshot, id.ToLowerInvariant(), Region.Generation).ConfigureAwait(false) is DbSnapshot snapshot
            ? snapshot
            : DbSnapshotBehavior.NotFound(idOrArn);
    }

    public async Task<Result<DbSnapshot>> DeleteSnapshot(string? id, CancellationToken cancellationToken = default)
    {
        var found = await FindSnapshot(id).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var reply = await services.Router.Ask<object>(RdsKinds.Snapshot, found.Value.DbSnapshotIdentifier, new DbSnapshotCommands.Delete(found.Value.DbSnapshotIdentifier), Timeout, cancellationToken)
            .ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? rejected.Error : found.Value with { Status = "deleted" };
    }

    /// <summary>
    /// RestoreDBInstanceFromDBSnapshot: a new instance with the snapshot's engine, settings and
    /// contents; class, subnet group, Multi-AZ, zone and port may be overridden. Single-AZ unless asked.
    /// </summary>
    public async Task<Result<DbInstance>> Restore(string? instanceId, string? snapshotId, DbInstanceRequest overrides, string? subnetGroupName, CancellationToken cancellationToken = default)
    {
        var found = await FindSnapshot(snapshotId).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var reply = await services.Router.Ask<object>(RdsKinds.Snapshot, found.Value.DbSnapshotIdentifier, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        if (reply is not EntityReplies.Accepted { State: DbSnapshot snapshot })
            return DbSnapshotBehavior.NotFound(snapshotId!);
        if (snapshot.Status != DbSnapshot.Available)
            return new AwsError("InvalidDBSnapshotState", $"DB snapshot {snapshot.DbSnapshotIdentifier} is not available.");
        var id = instanceId?.ToLowerInvariant() ?? "";
        var source = snapshot.Source;
        var request = overrides with
        {
            DbInstanceIdentifier = id, Arn = InstanceArn(id), ResourceId = ResourceId(), EndpointAddress = EndpointAddress(id),
            Engine = source.Engine, EngineVersion = source.EngineVersion, InstanceClass = overrides.InstanceClass ?? snapshot.Settings.InstanceClass,
            StorageType = overrides.StorageType ?? snapshot.Settings.StorageType, AllocatedStorage = snapshot.Settings.AllocatedStorage,
            Iops = overrides.Iops ?? snapshot.Settings.Iops, Port = overrides.Port ?? source.Port, MasterUsername = source.MasterUsername, DbName = source.DbName,
            BackupRetentionPeriod = snapshot.Settings.BackupRetentionPeriod,
        };
        if (DbInstanceBehavior.Validate(request with { SubnetGroup = Placeholder }, requirePassword: false) is { } invalid)
            return invalid;
        var group = await ResolveSubnetGroup(subnetGroupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        return await SendInstance(id, new DbInstanceCommands.Restore(request with { SubnetGroup = group.Value }, snapshot.DbSnapshotIdentifier, snapshot.Data, FailoverTime), cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<Result<DbInstance>> InjectFailure(string? id, CancellationToken cancellationToken = default) =>
        SendTo(id, i => new DbInstanceCommands.InjectPrimaryFailure(i), cancellationToken);

    public Task<Result<DbInstance>> Put(string? id, string key, string value, CancellationToken cancellationToken = default) =>
        SendTo(id, i => new DbInstanceCommands.Put(i, key, value), cancellationToken);

    /// <summary>A read through the endpoint (db get).</summary>
    public async Task<Result<DbValue>> Get(string? id, string key, CancellationToken cancellationToken = default)
    {
        var found = await FindInstance(id).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var reply = await services.Router.Ask<object>(RdsKinds.Instance, found.Value.Id, new DbInstanceQueries.Get(found.Value.Id, key), Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            DbValue value => value,
            AwsError error => error,
            _ => throw new InvalidOperationException($"unexpected reply from DB instance {found.Value.Id}: {reply}"),
        };
    }

    /// <summary>The instance's live state (contents and events included).</summary>
    public async Task<Result<DbInstance>> State(string? id, CancellationToken cancellationToken = default)
    {
        var found = await FindInstance(id).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var reply = await services.Router.Ask<object>(RdsKinds.Instance, found.Value.Id, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Accepted { State: DbInstance state } ? state : RdsErrors.InstanceNotFound(found.Value.Id);
    }

    public async Task<IReadOnlyList<DbInstance>> Instances() =>
        [.. (await services.Index.List(RdsKinds.Instance, Region.Generation).ConfigureAwait(false)).Cast<DbInstance>().OrderBy(i => i.Id, StringComparer.Ordinal)];

    /// <summary>An instance by identifier (case-insensitive, as AWS stores them lowercase) or by ARN.</summary>
    public async Task<Result<DbInstance>> FindInstance(string? idOrArn)
    {
        if (string.IsNullOrEmpty(idOrArn))
            return AwsError.MissingParameter("The request must contain the parameter DBInstanceIdentifier");
        var id = idOrArn.StartsWith("arn:", StringComparison.Ordinal) ? idOrArn[(idOrArn.LastIndexOf(':') + 1)..] : idOrArn;
        return await services.Index.Get(RdsKinds.Instance, id.ToLowerInvariant(), Region.Generation).ConfigureAwait(false) is DbInstance instance
            ? instance
            : RdsErrors.InstanceNotFound(idOrArn);
    }

    /// <summary>DescribeEvents: the events of every instance (or one) from start to end, oldest first.</summary>
    public async Task<IReadOnlyList<DbEventView>> Events(string? sourceIdentifier, DateTimeOffset start, DateTimeOffset end) =>
        [.. (await services.Index.List(RdsKinds.Event, Region.Generation).ConfigureAwait(false)).Cast<DbEventView>()
            .Where(e => (sourceIdentifier is null || e.SourceIdentifier == sourceIdentifier.ToLowerInvariant()) && e.Date >= start && e.Date <= end)
            .OrderBy(e => e.Date).ThenBy(e => e.SourceIdentifier, StringComparer.Ordinal).ThenBy(e => e.Sequence)];

    /// <summary>The tags of a resource by ARN: a DB instance (db:) or a DB subnet group (subgrp:).</summary>
    public async Task<Result<ImmutableDictionary<string, string>>> Tags(string? arn)
    {
        switch (ParseArn(arn))
        {
            case ("db", var id):
                return (await FindInstance(id).ConfigureAwait(false)).Map(i => i.Tags);
            case ("subgrp", var name):
                return (await FindSubnetGroup(name).ConfigureAwait(false)).Map(g => g.Tags);
            case ("snapshot", var snapshot):
                return (await FindSnapshot(snapshot).ConfigureAwait(false)).Map(s => s.Tags);
            default:
                return RdsErrors.InvalidParameterValue($"Invalid resource name: {arn}");
        }
    }

    public async Task<Result<bool>> ChangeTags(string? arn, ImmutableDictionary<string, string> add, ImmutableArray<string> remove, CancellationToken cancellationToken = default)
    {
        if (add.Count > 0 && Orchestrator.Domain.Common.Tags.Validate(add) is { } invalid)
            return invalid;
        switch (ParseArn(arn))
        {
            case ("db", var id):
                var instance = await FindInstance(id).ConfigureAwait(false);
                if (instance.IsError)
                    return instance.Error!;
                var changed = remove.IsDefaultOrEmpty
                    ? await SendInstance(instance.Value.Id, new DbInstanceCommands.AddTags(instance.Value.Id, add), cancellationToken).ConfigureAwait(false)
                    : await SendInstance(instance.Value.Id, new DbInstanceCommands.RemoveTags(instance.Value.Id, remove), cancellationToken).ConfigureAwait(false);
                return changed.IsError ? changed.Error! : true;
            case ("subgrp", var name):
                var group = await FindSubnetGroup(name).ConfigureAwait(false);
                if (group.IsError)
                    return group.Error!;
                IDbSubnetGroupCommand command = remove.IsDefaultOrEmpty
                    ? new DbSubnetGroupCommands.AddTags(group.Value.Name, add)
                    : new DbSubnetGroupCommands.RemoveTags(group.Value.Name, remove);
                var sent = await Send<DbSubnetGroup>(RdsKinds.SubnetGroup, group.Value.Name, command, cancellationToken).ConfigureAwait(false);
                return sent.IsError ? sent.Error! : true;
            default:
                return RdsErrors.InvalidParameterValue($"Invalid resource name: {arn}");
        }
    }

    private (string Type, string Name) ParseArn(string? arn) =>
        arn?.Split(':') is ["arn", _, "rds", var region, var account, var type, var name] && region == Region.Region && account == accountId ? (type, name) : ("", "");

    private static string ResourceId() => "db-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(13));

    private async Task<ImmutableArray<SubnetFact>> Subnets(IEnumerable<string> subnetIds)
    {
        var facts = ImmutableArray.CreateBuilder<SubnetFact>();
        foreach (var id in subnetIds)
        {
            var subnet = await services.Index.Get(Ec2Kinds.Subnet, id, Region.Generation).ConfigureAwait(false) as SubnetView;
            facts.Add(new SubnetFact(id, subnet?.VpcId, subnet?.AvailabilityZone));
        }
        return facts.ToImmutable();
    }

    private async Task<Result<DbInstance>> SendTo(string? id, Func<string, IDbInstanceCommand> command, CancellationToken cancellationToken)
    {
        var found = await FindInstance(id).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        return await SendInstance(found.Value.Id, command(found.Value.Id), cancellationToken).ConfigureAwait(false);
    }

    private Task<Result<DbInstance>> SendInstance(string id, IDbInstanceCommand command, CancellationToken cancellationToken) =>
        Send<DbInstance>(RdsKinds.Instance, id, command, cancellationToken);

    private async Task<Result<TState>> Send<TState>(string kind, string id, object command, CancellationToken cancellationToken)
        where TState : class
    {
        var reply = await services.Router.Ask<object>(kind, id, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: TState state } => state,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from {kind} {id}: {reply}"),
        };
    }
}
