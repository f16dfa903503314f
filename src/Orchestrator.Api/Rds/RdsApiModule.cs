using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Rds;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using DomainError = Orchestrator.Domain.Common.AwsError;
using Orchestrator.Domain.Rds;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Rds;

/// <summary>
/// RDS (query protocol, 2014-10-31): DB instances with their lifecycle and Multi-AZ failover, DB
/// subnet groups, manual snapshots and restores, events and tags. Modifications apply at once (as
/// with ApplyImmediately); automated backups, point-in-time restore, clusters and parameter groups are not served yet.
/// </summary>
public sealed class RdsApiModule(RdsService rds) : IAwsServiceModule
{
    private const string Service = "rds";
    private const int DefaultMaxRecords = 100;

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register(Service, "CreateDBSubnetGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await rds.CreateSubnetGroup(String(input, "DBSubnetGroupName"), String(input, "DBSubnetGroupDescription"), Strings(input, "SubnetIds"),
                TagMap(input["Tags"] as JsonArray), cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["DBSubnetGroup"] = SubnetGroupJson(created.Value) };
        });
        registry.Register(Service, "ModifyDBSubnetGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var modified = await rds.ModifySubnetGroup(String(input, "DBSubnetGroupName"), String(input, "DBSubnetGroupDescription"), Strings(input, "SubnetIds"), cancellationToken)
                .ConfigureAwait(false);
            return modified.IsError ? ToApi(modified.Error!) : new JsonObject { ["DBSubnetGroup"] = SubnetGroupJson(modified.Value) };
        });
        registry.Register(Service, "DescribeDBSubnetGroups", async (request, _) =>
        {
            var name = String(request.Input, "DBSubnetGroupName");
            if (name is not null)
            {
                var found = await rds.FindSubnetGroup(name).ConfigureAwait(false);
                return found.IsError ? ToApi(found.Error!) : Page(request.Input, [found.Value], "DBSubnetGroups", SubnetGroupJson);
            }
            return Page(request.Input, await rds.SubnetGroups().ConfigureAwait(false), "DBSubnetGroups", SubnetGroupJson);
        });
        registry.Register(Service, "DeleteDBSubnetGroup", async (request, cancellationToken) =>
        {
            var deleted = await rds.DeleteSubnetGroup(String(request.Input, "DBSubnetGroupName"), cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
        registry.Register(Service, "CreateDBInstance", CreateInstance);
        registry.Register(Service, "DescribeDBInstances", async (request, _) =>
        {
            var id = String(request.Input, "DBInstanceIdentifier");
            if (id is not null)
            {
                var found = await rds.FindInstance(id).ConfigureAwait(false);
                return found.IsError ? ToApi(found.Error!) : Page(request.Input, [found.Value], "DBInstances", InstanceJson);
            }
            var filters = (request.Input["Filters"] as JsonArray ?? []).OfType<JsonObject>().Select(f => (Name: String(f, "Name"), Values: Strings(f, "Values"))).ToList();
            var instances = (await rds.Instances().ConfigureAwait(false)).Where(i => filters.TrueForAll(f => f.Name switch
            {
                "db-instance-id" => f.Values.Contains(i.Id) || f.Values.Contains(i.Identity.Arn),
                "engine" => f.Values.Contains(i.Identity.Engine),
                "dbi-resource-id" => f.Values.Contains(i.Identity.ResourceId),
                _ => true,
            })).ToList();
            return Page(request.Input, instances, "DBInstances", InstanceJson);
        });
        registry.Register(Service, "ModifyDBInstance", (request, cancellationToken) => Instance(rds.Modify(String(request.Input, "DBInstanceIdentifier"), new DbInstanceChanges(
            String(request.Input, "DBInstanceClass"), String(request.Input, "StorageType"), Int(request.Input, "AllocatedStorage"), Int(request.Input, "Iops"),
            OptionalBool(request.Input, "MultiAZ"), Int(request.Input, "BackupRetentionPeriod"), OptionalBool(request.Input, "DeletionProtection"),
            OptionalBool(request.Input, "PubliclyAccessible")), cancellationToken)));
        registry.Register(Service, "RebootDBInstance", (request, cancellationToken) =>
            Instance(rds.Reboot(String(request.Input, "DBInstanceIdentifier"), Bool(request.Input, "ForceFailover"), cancellationToken)));
        registry.Register(Service, "StopDBInstance", (request, cancellationToken) => Instance(rds.Stop(String(request.Input, "DBInstanceIdentifier"), cancellationToken)));
        registry.Register(Service, "StartDBInstance", (request, cancellationToken) => Instance(rds.Start(String(request.Input, "DBInstanceIdentifier"), cancellationToken)));
        registry.Register(Service, "DeleteDBInstance", (request, cancellationToken) => Instance(rds.Delete(String(request.Input, "DBInstanceIdentifier"),
            Bool(request.Input, "SkipFinalSnapshot"), String(request.Input, "FinalDBSnapshotIdentifier"), cancellationToken)));
        registry.Register(Service, "DescribeEvents", DescribeEvents);
        registry.Register(Service, "AddTagsToResource", async (request, cancellationToken) =>
        {
            var changed = await rds.ChangeTags(String(request.Input, "ResourceName"), TagMap(request.Input["Tags"] as JsonArray), [], cancellationToken).ConfigureAwait(false);
            return changed.IsError ? ToApi(changed.Error!) : new JsonObject();
        });
        registry.Register(Service, "RemoveTagsFromResource", async (request, cancellationToken) =>
        {
            var changed = await rds.ChangeTags(String(request.Input, "ResourceName"), Orchestrator.Domain.Common.Tags.None, [.. Strings(request.Input, "TagKeys")], cancellationToken)
                .ConfigureAwait(false);
            return changed.IsError ? ToApi(changed.Error!) : new JsonObject();
        });
        registry.Register(Service, "ListTagsForResource", async (request, _) =>
        {
            var tags = await rds.Tags(String(request.Input, "ResourceName")).ConfigureAwait(false);
            return tags.IsError ? ToApi(tags.Error!) : new JsonObject { ["TagList"] = Tags(tags.Value) };
        });
        registry.Register(Service, "DescribeOrderableDBInstanceOptions", request => DescribeOrderable(request.Input));
        registry.Register(Service, "CreateDBSnapshot", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await rds.CreateSnapshot(String(input, "DBSnapshotIdentifier"), String(input, "DBInstanceIdentifier"), TagMap(input["Tags"] as JsonArray), cancellationToken)
                .ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["DBSnapshot"] = SnapshotJson(created.Value) };
        });
        registry.Register(Service, "DescribeDBSnapshots", async (request, _) =>
        {
            var input = request.Input;
            var id = String(input, "DBSnapshotIdentifier");
            if (id is not null)
            {
                var found = await rds.FindSnapshot(id).ConfigureAwait(false);
                return found.IsError ? ToApi(found.Error!) : Page(input, [found.Value], "DBSnapshots", SnapshotJson);
            }
            var instance = String(input, "DBInstanceIdentifier")?.ToLowerInvariant();
            var type = String(input, "SnapshotType");
            var snapshots = (await rds.Snapshots().ConfigureAwait(false))
                .Where(s => (instance is null || s.Source.DbInstanceIdentifier == instance) && type is null or "manual").ToList();
            return Page(input, snapshots, "DBSnapshots", SnapshotJson);
        });
        registry.Register(Service, "DeleteDBSnapshot", async (request, cancellationToken) =>
        {
            var deleted = await rds.DeleteSnapshot(String(request.Input, "DBSnapshotIdentifier"), cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject { ["DBSnapshot"] = SnapshotJson(deleted.Value) };
        });
        registry.Register(Service, "RestoreDBInstanceFromDBSnapshot", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var overrides = new DbInstanceRequest("", "", "", "", null, null, null, String(input, "DBInstanceClass"), String(input, "StorageType"), null, Int(input, "Iops"),
                Int(input, "Port"), null, null, null, null, String(input, "AvailabilityZone"), Bool(input, "MultiAZ"), null, Bool(input, "DeletionProtection"),
                OptionalBool(input, "PubliclyAccessible"), TagMap(input["Tags"] as JsonArray));
            var restored = await rds.Restore(String(input, "DBInstanceIdentifier"), String(input, "DBSnapshotIdentifier"), overrides, String(input, "DBSubnetGroupName"), cancellationToken)
                .ConfigureAwait(false);
            return restored.IsError ? ToApi(restored.Error!) : new JsonObject { ["DBInstance"] = InstanceJson(restored.Value) };
        });
    }

    private static JsonObject SnapshotJson(DbSnapshot snapshot)
    {
        var source = snapshot.Source;
        var json = new JsonObject
        {
            ["DBSnapshotIdentifier"] = snapshot.DbSnapshotIdentifier,
            ["DBInstanceIdentifier"] = source.DbInstanceIdentifier,
            ["SnapshotCreateTime"] = JsonValue.Create(snapshot.CreatedAt),
            ["Engine"] = source.Engine,
            ["AllocatedStorage"] = snapshot.Settings.AllocatedStorage,
            ["Status"] = snapshot.Status,
            ["Port"] = source.Port,
            ["AvailabilityZone"] = snapshot.AvailabilityZone,
            ["VpcId"] = source.VpcId,
            ["InstanceCreateTime"] = JsonValue.Create(source.CreatedAt),
            ["MasterUsername"] = source.MasterUsername,
            ["EngineVersion"] = source.EngineVersion,
            ["LicenseModel"] = source.LicenseModel,
            ["SnapshotType"] = "manual",
            ["PercentProgress"] = snapshot.PercentProgress,
            ["StorageType"] = snapshot.Settings.StorageType,
            ["Encrypted"] = false,
            ["DBSnapshotArn"] = snapshot.Arn,
            ["IAMDatabaseAuthenticationEnabled"] = false,
            ["DbiResourceId"] = source.ResourceId,
            ["TagList"] = Tags(snapshot.Tags),
            ["OriginalSnapshotCreateTime"] = JsonValue.Create(snapshot.CreatedAt),
            ["SnapshotTarget"] = "region",
        };
        if (snapshot.Settings.Iops is { } iops)
            json["Iops"] = iops;
        return json;
    }

    private async ValueTask<AwsResult> CreateInstance(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var created = await rds.CreateInstance(new DbInstanceRequest(
            String(input, "DBInstanceIdentifier") ?? "", "", "", "", String(input, "Engine"), String(input, "EngineVersion"), String(input, "DBClusterIdentifier"),
            String(input, "DBInstanceClass"), String(input, "StorageType"), Int(input, "AllocatedStorage"), Int(input, "Iops"), Int(input, "Port"),
            String(input, "MasterUsername"), String(input, "MasterUserPassword"), String(input, "DBName"), null, String(input, "AvailabilityZone"),
            Bool(input, "MultiAZ"), Int(input, "BackupRetentionPeriod"), Bool(input, "DeletionProtection"), OptionalBool(input, "PubliclyAccessible"),
            TagMap(input["Tags"] as JsonArray)), String(input, "DBSubnetGroupName"), cancellationToken).ConfigureAwait(false);
        return created.IsError ? ToApi(created.Error!) : new JsonObject { ["DBInstance"] = InstanceJson(created.Value) };
    }

    private static async ValueTask<AwsResult> Instance(Task<Result<DbInstance>> sent)
    {
        var result = await sent.ConfigureAwait(false);
        return result.IsError ? ToApi(result.Error!) : new JsonObject { ["DBInstance"] = InstanceJson(result.Value) };
    }

    /// <summary>The events of DB instances between StartTime and EndTime (default: the last Duration minutes, 60 unless given).</summary>
    private async ValueTask<AwsResult> DescribeEvents(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var end = input["EndTime"]?.GetValue<DateTimeOffset>() ?? request.Context.Now;
        var start = input["StartTime"]?.GetValue<DateTimeOffset>() ?? end - TimeSpan.FromMinutes(Int(input, "Duration") ?? 60);
        var sourceType = String(input, "SourceType");
        if (sourceType is not null && sourceType is not ("db-instance" or "db-parameter-group" or "db-security-group" or "db-snapshot" or "db-cluster"
            or "db-cluster-snapshot" or "custom-engine-version" or "db-proxy" or "blue-green-deployment" or "db-shard-group" or "zero-etl"))
            return ToApi(DomainError.InvalidParameterValue($"Invalid source type: {sourceType}"));
        var sourceId = String(input, "SourceIdentifier");
        if (sourceId is not null && sourceType is null)
            return ToApi(DomainError.InvalidParameterCombination("Cannot specify source identifier without source type"));
        var categories = Strings(input, "EventCategories");
        var events = sourceType is null or "db-instance"
            ? (await rds.Events(sourceId, start, end).ConfigureAwait(false)).Where(e => categories.Count == 0 || e.Categories.Any(categories.Contains)).ToList()
            : [];
        return Page(input, events, "Events", e => new JsonObject
        {
            ["SourceIdentifier"] = e.SourceIdentifier,
            ["SourceType"] = "db-instance",
            ["Message"] = e.Message,
            ["EventCategories"] = new JsonArray([.. e.Categories.Select(c => (JsonNode)c)]),
            ["Date"] = JsonValue.Create(e.Date),
            ["SourceArn"] = e.SourceArn,
        });
    }

    /// <summary>One option per engine, class and storage type, in every zone of the region (basic: no version matrix).</summary>
    private AwsResult DescribeOrderable(JsonObject input)
    {
        var engine = RdsCatalog.Engine(String(input, "Engine") ?? "");
        if (engine is null)
            return new JsonObject { ["OrderableDBInstanceOptions"] = new JsonArray() };
        var instanceClass = String(input, "DBInstanceClass");
        var version = String(input, "EngineVersion") ?? engine.DefaultVersion;
        var options = RdsCatalog.Classes.Order(StringComparer.Ordinal)
            .Where(c => (instanceClass is null || c == instanceClass) && RdsCatalog.Supports(engine.Name, c))
            .SelectMany(c => new[] { RdsCatalog.Gp2, RdsCatalog.Gp3, RdsCatalog.Io1, RdsCatalog.Io2, RdsCatalog.Standard }.Select(storage => (Class: c, Storage: storage)))
            .ToList();
        return Page(input, options, "OrderableDBInstanceOptions", o =>
        {
            var range = RdsCatalog.StorageRange(engine.Name, o.Storage)!.Value;
            return new JsonObject
            {
                ["Engine"] = engine.Name,
                ["EngineVersion"] = version,
                ["DBInstanceClass"] = o.Class,
                ["LicenseModel"] = engine.LicenseModel,
                ["AvailabilityZones"] = new JsonArray([.. rds.Zones.Select(z => (JsonNode)new JsonObject { ["Name"] = z })]),
                ["MultiAZCapable"] = true,
                ["ReadReplicaCapable"] = true,
                ["Vpc"] = true,
                ["SupportsStorageEncryption"] = true,
                ["StorageType"] = o.Storage,
                ["SupportsIops"] = o.Storage is RdsCatalog.Io1 or RdsCatalog.Io2 or RdsCatalog.Gp3,
                ["MinStorageSize"] = range.Min,
                ["MaxStorageSize"] = range.Max,
            };
        });
    }

    private static bool? OptionalBool(JsonObject input, string name) => input[name]?.GetValue<bool>();

    /// <summary>MaxRecords (20-100, default 100) and Marker (the offset of the next page).</summary>
    private static AwsResult Page<T>(JsonObject input, IReadOnlyList<T> items, string member, Func<T, JsonObject> json)
    {
        var max = Int(input, "MaxRecords") ?? DefaultMaxRecords;
        if (max is < 20 or > 100)
            return ToApi(DomainError.InvalidParameterValue($"Invalid value {max} for MaxRecords. Must be between 20 and 100"));
        var offset = int.TryParse(String(input, "Marker"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var page = items.Skip(offset).Take(max).ToList();
        var output = new JsonObject { [member] = new JsonArray([.. page.Select(i => (JsonNode)json(i))]) };
        if (offset + page.Count < items.Count)
            output["Marker"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        return output;
    }

    private static JsonObject SubnetGroupJson(DbSubnetGroup group) => SubnetGroupJson(group.Name, group.Description, group.VpcId, group.Subnets, group.Arn);

    private static JsonObject SubnetGroupJson(string name, string description, string vpcId, ImmutableArray<DbSubnet> subnets, string arn) => new()
    {
        ["DBSubnetGroupName"] = name,
        ["DBSubnetGroupDescription"] = description,
        ["VpcId"] = vpcId,
        ["SubnetGroupStatus"] = "Complete",
        ["Subnets"] = new JsonArray([.. subnets.Select(s => (JsonNode)new JsonObject
        {
            ["SubnetIdentifier"] = s.SubnetId,
            ["SubnetAvailabilityZone"] = new JsonObject { ["Name"] = s.AvailabilityZone },
            ["SubnetOutpost"] = new JsonObject(),
            ["SubnetStatus"] = "Active",
        })]),
        ["DBSubnetGroupArn"] = arn,
        ["SupportedNetworkTypes"] = new JsonArray("IPV4"),
    };

    /// <summary>A DBInstance as AWS describes it; the endpoint appears once the instance has been created.</summary>
    private static JsonObject InstanceJson(DbInstance db)
    {
        var identity = db.Identity;
        var settings = db.Settings;
        var major = identity.EngineVersion.Split('.')[0];
        var json = new JsonObject
        {
            ["DBInstanceIdentifier"] = identity.DbInstanceIdentifier,
            ["DBInstanceClass"] = settings.InstanceClass,
            ["Engine"] = identity.Engine,
            ["DBInstanceStatus"] = db.Status,
            ["MasterUsername"] = identity.MasterUsername,
        };
        if (identity.DbName is { } dbName)
            json["DBName"] = dbName;
        if (db.Status != DbInstanceStatus.Creating)
            json["Endpoint"] = new JsonObject { ["Address"] = identity.EndpointAddress, ["Port"] = identity.Port, ["HostedZoneId"] = "Z2R2ITUGPM61AM" };
        json["AllocatedStorage"] = settings.AllocatedStorage;
        json["InstanceCreateTime"] = JsonValue.Create(identity.CreatedAt);
        json["PreferredBackupWindow"] = "03:00-03:30";
        json["BackupRetentionPeriod"] = settings.BackupRetentionPeriod;
        json["DBSecurityGroups"] = new JsonArray();
        json["VpcSecurityGroups"] = new JsonArray();
        json["DBParameterGroups"] = new JsonArray(new JsonObject { ["DBParameterGroupName"] = $"default.{identity.Engine}{major}", ["ParameterApplyStatus"] = "in-sync" });
        json["AvailabilityZone"] = db.PrimaryZone;
        json["DBSubnetGroup"] = SubnetGroupJson(identity.SubnetGroupName, identity.SubnetGroupDescription, identity.VpcId, identity.Subnets,
            identity.Arn[..identity.Arn.LastIndexOf(":db:", StringComparison.Ordinal)] + ":subgrp:" + identity.SubnetGroupName);
        json["PreferredMaintenanceWindow"] = "sun:05:00-sun:05:30";
        json["PendingModifiedValues"] = db.PendingMultiAz is { } pending ? new JsonObject { ["MultiAZ"] = pending } : new JsonObject();
        json["MultiAZ"] = db.MultiAz;
        json["EngineVersion"] = identity.EngineVersion;
        json["AutoMinorVersionUpgrade"] = true;
        json["ReadReplicaDBInstanceIdentifiers"] = new JsonArray();
        json["LicenseModel"] = identity.LicenseModel;
        if (settings.Iops is { } iops)
            json["Iops"] = iops;
        json["OptionGroupMemberships"] = new JsonArray(new JsonObject { ["OptionGroupName"] = $"default:{identity.Engine}-{major}", ["Status"] = "in-sync" });
        if (db.MultiAz && db.StandbyZone is { } standby)
            json["SecondaryAvailabilityZone"] = standby;
        json["PubliclyAccessible"] = settings.PubliclyAccessible;
        json["StorageType"] = settings.StorageType;
        json["DbInstancePort"] = 0;
        json["StorageEncrypted"] = false;
        json["DbiResourceId"] = identity.ResourceId;
        json["CACertificateIdentifier"] = "rds-ca-rsa2048-g1";
        json["CopyTagsToSnapshot"] = false;
        json["MonitoringInterval"] = 0;
        json["DBInstanceArn"] = identity.Arn;
        json["IAMDatabaseAuthenticationEnabled"] = false;
        json["PerformanceInsightsEnabled"] = false;
        json["DeletionProtection"] = settings.DeletionProtection;
        json["TagList"] = Tags(db.Tags);
        json["CustomerOwnedIpEnabled"] = false;
        json["NetworkType"] = "IPV4";
        json["BackupTarget"] = "region";
        return json;
    }
}
