using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using AwsError = Orchestrator.Api.Handlers.AwsError;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>CreateTags, DeleteTags and DescribeTags over every taggable EC2 resource, routed by id prefix to the service that owns it.</summary>
public sealed class TagsApiModule(IEnumerable<ITaggableResources> owners) : IAwsServiceModule
{
    private static readonly FrozenSet<string> TagFilters = FrozenSet.Create("key", "resource-id", "resource-type", "value");

    private readonly FrozenDictionary<string, ITaggableResources> _byPrefix = owners
        .SelectMany(owner => owner.IdPrefixes.Select(prefix => KeyValuePair.Create(prefix, owner)))
        .ToFrozenDictionary(StringComparer.Ordinal);

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "CreateTags", async (request, ct) =>
        {
            var tags = TagMap(request.Input["Tags"] as JsonArray);
            return await ForEachResource(request.Input, (owner, id) => owner.AddTags(id, tags, ct)).ConfigureAwait(false);
        });
        registry.Register("ec2", "DeleteTags", async (request, ct) =>
        {
            ImmutableArray<TagRemoval> removals = [.. (request.Input["Tags"] as JsonArray ?? []).OfType<JsonObject>().Select(t => new TagRemoval(String(t, "Key") ?? "", String(t, "Value")))];
            if (removals.IsEmpty)
                return await ForEachResource(request.Input, async (owner, id) =>
                {
                    // DeleteTags without tags removes them all.
                    var current = (await owner.List(ct).ConfigureAwait(false)).FirstOrDefault(r => r.ResourceId == id);
                    return await owner.RemoveTags(id, current is null ? [] : [.. current.Tags.Keys.Select(k => new TagRemoval(k))], ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
            return await ForEachResource(request.Input, (owner, id) => owner.RemoveTags(id, removals, ct)).ConfigureAwait(false);
        });
        registry.Register("ec2", "DescribeTags", (request, ct) => DescribeTags(request.Input, ct));
    }

    /// <summary>Every id is checked before any is changed, so an unknown prefix changes nothing.</summary>
    private async ValueTask<AwsResult> ForEachResource(JsonObject input, Func<ITaggableResources, string, Task<Result<TaggedResource>>> change)
    {
        var ids = Strings(input, "Resources");
        if (ids.Count == 0)
            return new AwsError("MissingParameter", "The request must contain the parameter resourceIdSet");
        var targets = new List<(ITaggableResources Owner, string Id)>();
        foreach (var id in ids)
        {
            var prefix = id.Contains('-', StringComparison.Ordinal) ? id[..id.LastIndexOf('-')] : id;
            if (!_byPrefix.TryGetValue(prefix, out var owner))
                return new AwsError("InvalidID", $"The ID '{id}' is not valid");
            targets.Add((owner, id));
        }
        foreach (var (owner, id) in targets)
        {
            var changed = await change(owner, id).ConfigureAwait(false);
            if (changed.IsError)
                return ToApi(changed.Error!);
        }
        return new JsonObject();
    }

    private async ValueTask<AwsResult> DescribeTags(JsonObject input, CancellationToken cancellationToken)
    {
        var filters = Filters.Parse(input, TagFilters);
        var rows = new List<(TaggedResource Resource, string Key, string Value)>();
        foreach (var owner in _byPrefix.Values.Distinct())
        {
            foreach (var resource in await owner.List(cancellationToken).ConfigureAwait(false))
                rows.AddRange(resource.Tags.Select(t => (resource, t.Key, t.Value)));
        }
        var matching = rows
            .Where(r => filters.Matches(name => name switch
            {
                "key" => [r.Key],
                "resource-id" => [r.Resource.ResourceId],
                "resource-type" => [r.Resource.ResourceType],
                "value" => [r.Value],
                _ => [],
            }))
            .OrderBy(r => r.Resource.ResourceId, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new JsonObject { ["Key"] = r.Key, ["ResourceId"] = r.Resource.ResourceId, ["ResourceType"] = r.Resource.ResourceType, ["Value"] = r.Value })
            .ToList();
        var page = Page.Of(matching, input, min: 5, max: 1000);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["Tags"] = new JsonArray([.. page.Items]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }
}
