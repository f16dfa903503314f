using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Rds;

/// <summary>Engines, instance classes, storage types and identifiers as CreateDBInstance checks them (aws-semantics 6.1).</summary>
public static partial class RdsCatalog
{
    public const string Gp2 = "gp2";
    public const string Gp3 = "gp3";
    public const string Io1 = "io1";
    public const string Io2 = "io2";
    public const string Standard = "standard";

    /// <summary>Engine, its default port, default version and license model.</summary>
    public sealed record EngineInfo(string Name, int DefaultPort, string DefaultVersion, string LicenseModel);

    private static readonly FrozenDictionary<string, EngineInfo> Engines = new EngineInfo[]
    {
        new("mysql", 3306, "8.0.39", "general-public-license"),
        new("mariadb", 3306, "10.11.9", "general-public-license"),
        new("postgres", 5432, "16.4", "postgresql-license"),
        new("oracle-ee", 1521, "19.0.0.0.ru-2024-10.rur-2024-10.r1", "bring-your-own-license"),
        new("oracle-ee-cdb", 1521, "19.0.0.0.ru-2024-10.rur-2024-10.r1", "bring-your-own-license"),
        new("oracle-se2", 1521, "19.0.0.0.ru-2024-10.rur-2024-10.r1", "license-included"),
        new("oracle-se2-cdb", 1521, "19.0.0.0.ru-2024-10.rur-2024-10.r1", "license-included"),
        new("sqlserver-ee", 1433, "16.00.4150.1.v1", "license-included"),
        new("sqlserver-se", 1433, "16.00.4150.1.v1", "license-included"),
        new("sqlserver-ex", 1433, "16.00.4150.1.v1", "license-included"),
        new("sqlserver-web", 1433, "16.00.4150.1.v1", "license-included"),
    }.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The instance classes offered: burstable, general purpose and memory optimized, Intel and Graviton.</summary>
    public static readonly FrozenSet<string> Classes = new[]
    {
        "db.t3.micro", "db.t3.small", "db.t3.medium", "db.t3.large", "db.t3.xlarge", "db.t3.2xlarge",
        "db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large", "db.t4g.xlarge", "db.t4g.2xlarge",
        "db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.m5.4xlarge", "db.m5.8xlarge", "db.m5.12xlarge", "db.m5.16xlarge", "db.m5.24xlarge",
        "db.m6g.large", "db.m6g.xlarge", "db.m6g.2xlarge", "db.m6g.4xlarge", "db.m6g.8xlarge", "db.m6g.12xlarge", "db.m6g.16xlarge",
        "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge", "db.r5.4xlarge", "db.r5.8xlarge", "db.r5.12xlarge", "db.r5.16xlarge", "db.r5.24xlarge",
        "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge", "db.r6g.8xlarge", "db.r6g.12xlarge", "db.r6g.16xlarge",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static EngineInfo? Engine(string name) => Engines.GetValueOrDefault(name);

    public static bool IsAurora(string engine) => engine.StartsWith("aurora", StringComparison.Ordinal);

    /// <summary>Graviton classes (t4g, m6g, r6g) do not run SQL Server or Oracle.</summary>
    public static bool Supports(string engine, string instanceClass) =>
        Classes.Contains(instanceClass)
        && !(IsGraviton(instanceClass) && (engine.StartsWith("sqlserver", StringComparison.Ordinal) || engine.StartsWith("oracle", StringComparison.Ordinal)));

    private static bool IsGraviton(string instanceClass) => instanceClass.Split('.') is [_, var family, _] && family.EndsWith('g');

    /// <summary>Default storage type: io1 when Iops is given, else gp3 (the current model; older docs said gp2).</summary>
    public static string DefaultStorageType(int? iops) => iops is null ? Gp3 : Io1;

    /// <summary>The AllocatedStorage range (GiB) of a storage type; SQL Server general purpose stops at 16 TiB.</summary>
    public static (int Min, int Max)? StorageRange(string engine, string storageType) => storageType switch
    {
        Gp2 or Gp3 => (20, engine.StartsWith("sqlserver", StringComparison.Ordinal) ? 16_384 : 65_536),
        Io1 or Io2 => (100, engine.StartsWith("sqlserver", StringComparison.Ordinal) ? 16_384 : 65_536),
        Standard => (5, 3_072),
        _ => null,
    };

    /// <summary>Checks class, storage type, size and IOPS together; null when they fit.</summary>
    public static AwsError? CheckStorage(string engine, string storageType, int allocatedStorage, int? iops)
    {
        if (StorageRange(engine, storageType) is not { } range)
            return RdsErrors.StorageTypeNotSupported(storageType);
        if (allocatedStorage < range.Min || allocatedStorage > range.Max)
            return RdsErrors.InvalidParameterValue($"Invalid storage size for engine name {engine} and storage type {storageType}: {allocatedStorage}");
        if (storageType is Io1 or Io2)
        {
            if (iops is null)
                return RdsErrors.InvalidParameterCombination($"Iops is required for storage type {storageType}");
            var ratio = (double)iops.Value / allocatedStorage;
            if (ratio is < 0.5 or > 50)
                return RdsErrors.InvalidParameterCombination($"The IOPS to allocated storage ratio must be between 0.5 and 50: {iops} IOPS for {allocatedStorage} GiB");
        }
        else if (iops is not null && storageType != Gp3)
            return RdsErrors.InvalidParameterCombination($"Iops is not supported with storage type {storageType}");
        return null;
    }

    /// <summary>
    /// Instance (and snapshot) identifiers: 1-63 letters, digits and hyphens, a letter first, no
    /// trailing hyphen and no two hyphens in a row. AWS stores them lowercase.
    /// </summary>
    public static AwsError? CheckIdentifier(string? id, string parameter = "DBInstanceIdentifier")
    {
        if (string.IsNullOrEmpty(id))
            return AwsError.MissingParameter($"The request must contain the parameter {parameter}");
        return id.Length <= 63 && IdentifierPattern().IsMatch(id) && !id.EndsWith('-') && !id.Contains("--", StringComparison.Ordinal)
            ? null
            : RdsErrors.InvalidParameterValue($"The parameter {parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
    }

    /// <summary>Master user names: 1-16 letters, digits and underscores, a letter first.</summary>
    public static AwsError? CheckMasterUsername(string? name) =>
        name is not null && MasterUserPattern().IsMatch(name)
            ? null
            : RdsErrors.InvalidParameterValue("The parameter MasterUsername is not a valid identifier: 1 to 16 letters, digits or underscores, starting with a letter.");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,15}$")]
    private static partial Regex MasterUserPattern();
}
