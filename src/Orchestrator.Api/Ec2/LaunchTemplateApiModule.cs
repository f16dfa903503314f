using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>EC2 launch templates and their versions: the entity keeps versions, $Default and $Latest.</summary>
public sealed class LaunchTemplateApiModule(Ec2Service ec2) : IAwsServiceModule
{
    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "CreateLaunchTemplate", (request, cancellationToken) => Create(request.Input, request.Context.AccountId, cancellationToken));
        registry.Register("ec2", "CreateLaunchTemplateVersion", (request, cancellationToken) => CreateVersion(request.Input, request.Context.AccountId, cancellationToken));
        registry.Register("ec2", "ModifyLaunchTemplate", (request, cancellationToken) => ModifyDefault(request.Input, request.Context.AccountId, cancellationToken));
        registry.Register("ec2", "DeleteLaunchTemplate", (request, cancellationToken) => Delete(request.Input, request.Context.AccountId, cancellationToken));
        registry.Register("ec2", "DescribeLaunchTemplates", (request, _) => Describe(request.Input, request.Context.AccountId));
        registry.Register("ec2", "DescribeLaunchTemplateVersions", (request, cancellationToken) => DescribeVersions(request.Input, request.Context.AccountId, cancellationToken));
    }

    private async ValueTask<AwsResult> Create(JsonObject input, string accountId, CancellationToken cancellationToken)
    {
        var tags = TagSpecifications(input, "launch-template");
        var created = await ec2.CreateLaunchTemplate(String(input, "LaunchTemplateName") ?? "", Data(input["LaunchTemplateData"] as JsonObject),
            String(input, "VersionDescription"), tags.Count == 0 ? null : tags, cancellationToken).ConfigureAwait(false);
        return created.IsError ? ToApi(created.Error!) : new JsonObject { ["LaunchTemplate"] = TemplateJson(LaunchTemplateView.From(created.Value), accountId) };
    }

    private async ValueTask<AwsResult> CreateVersion(JsonObject input, string accountId, CancellationToken cancellationToken)
    {
        var found = await Find(input, cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var id = found.Value.LaunchTemplateId;
        var changed = await ec2.Send<LaunchTemplate>(Ec2Kinds.LaunchTemplate, id, new LaunchTemplateCommands.CreateVersion(
            id, Data(input["LaunchTemplateData"] as JsonObject), String(input, "SourceVersion"), String(input, "VersionDescription")), cancellationToken).ConfigureAwait(false);
        if (changed.IsError)
            return ToApi(changed.Error!);
        var latest = changed.Value.Versions.MaxBy(v => v.VersionNumber)!;
        return new JsonObject { ["LaunchTemplateVersion"] = VersionJson(LaunchTemplateVersionView.From(changed.Value, latest), accountId) };
    }

    private async ValueTask<AwsResult> ModifyDefault(JsonObject input, string accountId, CancellationToken cancellationToken)
    {
        var found = await Find(input, cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var template = found.Value;
        if (String(input, "DefaultVersion") is { } version)
        {
            var changed = await ec2.Send<LaunchTemplate>(Ec2Kinds.LaunchTemplate, template.LaunchTemplateId,
                new LaunchTemplateCommands.ModifyDefaultVersion(template.LaunchTemplateId, version), cancellationToken).ConfigureAwait(false);
            if (changed.IsError)
                return ToApi(changed.Error!);
            template = changed.Value;
        }
        return new JsonObject { ["LaunchTemplate"] = TemplateJson(LaunchTemplateView.From(template), accountId) };
    }

    private async ValueTask<AwsResult> Delete(JsonObject input, string accountId, CancellationToken cancellationToken)
    {
        var found = await Find(input, cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var view = LaunchTemplateView.From(found.Value);
        var deleted = await ec2.Delete(Ec2Kinds.LaunchTemplate, view.LaunchTemplateId, new LaunchTemplateCommands.Delete(view.LaunchTemplateId), cancellationToken).ConfigureAwait(false);
        return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject { ["LaunchTemplate"] = TemplateJson(view, accountId) };
    }

    private async ValueTask<AwsResult> Describe(JsonObject input, string accountId)
    {
        var ids = Strings(input, "LaunchTemplateIds");
        if (ids.FirstOrDefault(id => Ec2Ids.LaunchTemplate(id).IsError) is { } malformed)
            return ToApi(Ec2Errors.LaunchTemplateIdMalformed(malformed));
        var names = Strings(input, "LaunchTemplateNames");
        var all = await ec2.List<LaunchTemplateView>(Ec2Kinds.LaunchTemplate).ConfigureAwait(false);
        if (ids.FirstOrDefault(id => all.All(t => t.LaunchTemplateId != id)) is { } missingId)
            return ToApi(Ec2Errors.LaunchTemplateNotFound(missingId));
        if (names.FirstOrDefault(name => all.All(t => t.LaunchTemplateName != name)) is { } missingName)
            return ToApi(Ec2Errors.LaunchTemplateNameNotFound(missingName));
        var matching = all.Where(t => (ids.Count == 0 || ids.Contains(t.LaunchTemplateId)) && (names.Count == 0 || names.Contains(t.LaunchTemplateName))).ToList();
        var page = Page.Of(matching, input, min: 1, max: 200);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["LaunchTemplates"] = new JsonArray([.. page.Items.Select(t => (JsonNode)TemplateJson(t, accountId))]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private async ValueTask<AwsResult> DescribeVersions(JsonObject input, string accountId, CancellationToken cancellationToken)
    {
        var found = await Find(input, cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var template = found.Value;
        var requested = Strings(input, "Versions");
        IEnumerable<LaunchTemplateVersion> versions = template.Versions.OrderBy(v => v.VersionNumber);
        if (requested.Count > 0)
        {
            var chosen = new List<LaunchTemplateVersion>();
            foreach (var version in requested)
            {
                var resolved = template.ResolveVersion(version);
                if (resolved.IsError)
                    return ToApi(resolved.Error!);
                chosen.Add(resolved.Value);
            }
            versions = chosen;
        }
        return new JsonObject
        {
            ["LaunchTemplateVersions"] = new JsonArray([.. versions.Select(v => (JsonNode)VersionJson(LaunchTemplateVersionView.From(template, v), accountId))]),
        };
    }

    private async Task<Orchestrator.Domain.Common.Result<LaunchTemplate>> Find(JsonObject input, CancellationToken cancellationToken) =>
        await ec2.FindLaunchTemplate(String(input, "LaunchTemplateId"), String(input, "LaunchTemplateName"), cancellationToken).ConfigureAwait(false);

    /// <summary>RequestLaunchTemplateData: the members the simulator launches with.</summary>
    private static LaunchTemplateData Data(JsonObject? data) => data is null
        ? LaunchTemplateData.Empty
        : new LaunchTemplateData(
            ImageId: String(data, "ImageId"),
            InstanceType: String(data, "InstanceType"),
            KeyName: String(data, "KeyName"),
            SecurityGroupIds: data["SecurityGroupIds"] is JsonArray ? [.. Strings(data, "SecurityGroupIds")] : null,
            UserData: String(data, "UserData"),
            Monitoring: (data["Monitoring"] as JsonObject)?["Enabled"]?.GetValue<bool>(),
            TagSpecifications: data["TagSpecifications"] is JsonArray specs
                ? [.. specs.OfType<JsonObject>().Select(spec => new LaunchTemplateTagSpecification(
                    String(spec, "ResourceType") ?? "instance", TagMap(spec["Tags"] as JsonArray)))]
                : null,
            IamInstanceProfile: (data["IamInstanceProfile"] as JsonObject) is { } profile ? String(profile, "Arn") ?? String(profile, "Name") : null,
            MetadataOptions: data["MetadataOptions"] is JsonObject metadata
                ? new LaunchTemplateMetadataOptions(String(metadata, "HttpTokens"), Int(metadata, "HttpPutResponseHopLimit"), String(metadata, "HttpEndpoint"),
                    String(metadata, "HttpProtocolIpv6"), String(metadata, "InstanceMetadataTags"))
                : null);

    private static JsonObject TemplateJson(LaunchTemplateView t, string accountId) => new()
    {
        ["LaunchTemplateId"] = t.LaunchTemplateId,
        ["LaunchTemplateName"] = t.LaunchTemplateName,
        ["CreateTime"] = JsonValue.Create(t.CreateTime),
        ["CreatedBy"] = $"arn:aws:iam::{accountId}:root",
        ["DefaultVersionNumber"] = t.DefaultVersionNumber,
        ["LatestVersionNumber"] = t.LatestVersionNumber,
        ["Tags"] = Tags(t.Tags),
    };

    private static JsonObject VersionJson(LaunchTemplateVersionView v, string accountId)
    {
        var data = new JsonObject();
        var d = v.LaunchTemplateData;
        if (d.ImageId is { } image) data["ImageId"] = image;
        if (d.InstanceType is { } type) data["InstanceType"] = type;
        if (d.KeyName is { } key) data["KeyName"] = key;
        if (d.UserData is { } userData) data["UserData"] = userData;
        if (d.Monitoring is { } monitoring) data["Monitoring"] = new JsonObject { ["Enabled"] = monitoring };
        if (d.SecurityGroupIds is { } groups) data["SecurityGroupIds"] = new JsonArray([.. groups.Select(g => (JsonNode)JsonValue.Create(g))]);
        if (d.IamInstanceProfile is { } profile) data["IamInstanceProfile"] = new JsonObject { [profile.StartsWith("arn:", StringComparison.Ordinal) ? "Arn" : "Name"] = profile };
        if (d.MetadataOptions is { } options)
        {
            var metadata = new JsonObject { ["State"] = "applied" };
            if (options.HttpTokens is { } tokens) metadata["HttpTokens"] = tokens;
            if (options.HttpPutResponseHopLimit is { } hops) metadata["HttpPutResponseHopLimit"] = hops;
            if (options.HttpEndpoint is { } endpoint) metadata["HttpEndpoint"] = endpoint;
            if (options.HttpProtocolIpv6 is { } ipv6) metadata["HttpProtocolIpv6"] = ipv6;
            if (options.InstanceMetadataTags is { } metadataTags) metadata["InstanceMetadataTags"] = metadataTags;
            data["MetadataOptions"] = metadata;
        }
        if (d.TagSpecifications is { } specs)
            data["TagSpecifications"] = new JsonArray([.. specs.Select(spec => (JsonNode)new JsonObject
            {
                ["ResourceType"] = spec.ResourceType,
                ["Tags"] = Tags(spec.Tags),
            })]);
        var version = new JsonObject
        {
            ["LaunchTemplateId"] = v.LaunchTemplateId,
            ["LaunchTemplateName"] = v.LaunchTemplateName,
            ["VersionNumber"] = v.VersionNumber,
            ["CreateTime"] = JsonValue.Create(v.CreateTime),
            ["CreatedBy"] = $"arn:aws:iam::{accountId}:root",
            ["DefaultVersion"] = v.DefaultVersion,
            ["LaunchTemplateData"] = data,
        };
        if (v.VersionDescription is { } description)
            version["VersionDescription"] = description;
        return version;
    }

}
