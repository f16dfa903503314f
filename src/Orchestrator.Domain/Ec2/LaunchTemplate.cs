using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>The instance metadata service settings a template asks for; null members are left to the instance's defaults.</summary>
public sealed record LaunchTemplateMetadataOptions(
    string? HttpTokens = null,
    int? HttpPutResponseHopLimit = null,
    string? HttpEndpoint = null,
    string? HttpProtocolIpv6 = null,
    string? InstanceMetadataTags = null);

public sealed record LaunchTemplateTagSpecification(string ResourceType, ImmutableDictionary<string, string> Tags);

/// <summary>The launch parameters a template version holds. Null means "not specified", which matters when versions and requests are layered.</summary>
public sealed record LaunchTemplateData(
    string? ImageId = null,
    string? InstanceType = null,
    string? KeyName = null,
    ImmutableArray<string>? SecurityGroupIds = null,
    string? UserData = null,
    bool? Monitoring = null,
    ImmutableArray<LaunchTemplateTagSpecification>? TagSpecifications = null,
    string? IamInstanceProfile = null,
    LaunchTemplateMetadataOptions? MetadataOptions = null)
{
    public static LaunchTemplateData Empty { get; } = new();

    /// <summary>
    /// These values with the overrides' specified ones on top: how a version based on a source version
    /// is built, and how explicit RunInstances parameters beat the template's.
    /// </summary>
    public LaunchTemplateData OverlaidWith(LaunchTemplateData overrides) =>
        new(overrides.ImageId ?? ImageId,
            overrides.InstanceType ?? InstanceType,
            overrides.KeyName ?? KeyName,
            overrides.SecurityGroupIds ?? SecurityGroupIds,
            overrides.UserData ?? UserData,
            overrides.Monitoring ?? Monitoring,
            overrides.TagSpecifications ?? TagSpecifications,
            overrides.IamInstanceProfile ?? IamInstanceProfile,
            overrides.MetadataOptions ?? MetadataOptions);

    /// <summary>The tags the template puts on resources of one type ("instance", "volume", ...).</summary>
    public ImmutableDictionary<string, string> TagsFor(string resourceType) =>
        (TagSpecifications ?? [])
            .Where(spec => spec.ResourceType == resourceType)
            .Aggregate(ImmutableDictionary<string, string>.Empty, (tags, spec) => tags.SetItems(spec.Tags));
}

public sealed record LaunchTemplateVersion(long VersionNumber, string? VersionDescription, LaunchTemplateData Data, DateTimeOffset CreatedAt);

/// <summary>
/// A launch template and its versions. Version numbers are never reused: LastVersionNumber is the highest
/// ever assigned, while $Latest is the highest that still exists.
/// </summary>
public sealed record LaunchTemplate(
    string LaunchTemplateId,
    string LaunchTemplateName,
    long DefaultVersionNumber,
    long LastVersionNumber,
    ImmutableList<LaunchTemplateVersion> Versions,
    ImmutableDictionary<string, string> Tags,
    DateTimeOffset CreatedAt)
{
    public const string DefaultVersion = "$Default";
    public const string LatestVersion = "$Latest";
    public const int MinNameLength = 3;
    public const int MaxNameLength = 128;

    public long LatestVersionNumber() => Versions.Max(version => version.VersionNumber);

    /// <summary>"$Default" (also when omitted, as AWS defaults it), "$Latest", or a version number.</summary>
    public Result<LaunchTemplateVersion> ResolveVersion(string? version)
    {
        var number = version switch
        {
            null or DefaultVersion => DefaultVersionNumber,
            LatestVersion => LatestVersionNumber(),
            _ => ParseVersionNumber(version),
        };
        return Versions.Find(v => v.VersionNumber == number) is { } found
            ? found
            : Ec2Errors.LaunchTemplateVersionNotFound(LaunchTemplateId, version ?? DefaultVersion);
    }

    public static bool IsValidName(string? name) =>
        name is { Length: >= MinNameLength and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '(' or ')' or '.' or '-' or '/' or '_');

    /// <summary>Version numbers as the API writes them; anything else matches no version.</summary>
    public static long ParseVersionNumber(string version) =>
        long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;
}

/// <summary>DeleteLaunchTemplateVersions answers per version: some deleted, the others refused with an item error.</summary>
public sealed record VersionDeletionFailure(string Version, string Code, string Message);

public sealed record VersionDeletionOutcome(ImmutableArray<long> Deleted, ImmutableArray<VersionDeletionFailure> Failures)
{
    public const string VersionDoesNotExist = "launchTemplateVersionDoesNotExist";

    /// <summary>AWS has no dedicated item code for refusing the default version; unexpectedError is the generic one.</summary>
    public const string UnexpectedError = "unexpectedError";

    public static VersionDeletionOutcome Plan(LaunchTemplate template, IEnumerable<string> versions)
    {
        var deleted = ImmutableArray.CreateBuilder<long>();
        var failures = ImmutableArray.CreateBuilder<VersionDeletionFailure>();
        foreach (var version in versions.Distinct())
        {
            var number = LaunchTemplate.ParseVersionNumber(version);
            if (template.Versions.Find(v => v.VersionNumber == number) is null)
                failures.Add(new(version, VersionDoesNotExist, $"Could not find launch template version {version}"));
            else if (number == template.DefaultVersionNumber)
                failures.Add(new(version, UnexpectedError, "Cannot delete the default version of a launch template."));
            else
                deleted.Add(number);
        }
        return new VersionDeletionOutcome(deleted.ToImmutable(), failures.ToImmutable());
    }
}

public sealed record LaunchTemplateView(
    string LaunchTemplateId,
    string LaunchTemplateName,
    DateTimeOffset CreateTime,
    long DefaultVersionNumber,
    long LatestVersionNumber,
    ImmutableDictionary<string, string> Tags)
{
    public static LaunchTemplateView From(LaunchTemplate template) =>
        new(template.LaunchTemplateId, template.LaunchTemplateName, template.CreatedAt, template.DefaultVersionNumber,
            template.LatestVersionNumber(), template.Tags);
}

public sealed record LaunchTemplateVersionView(
    string LaunchTemplateId,
    string LaunchTemplateName,
    long VersionNumber,
    string? VersionDescription,
    DateTimeOffset CreateTime,
    bool DefaultVersion,
    LaunchTemplateData LaunchTemplateData)
{
    public static LaunchTemplateVersionView From(LaunchTemplate template, LaunchTemplateVersion version) =>
        new(template.LaunchTemplateId, template.LaunchTemplateName, version.VersionNumber, version.VersionDescription, version.CreatedAt,
            version.VersionNumber == template.DefaultVersionNumber, version.Data);
}
