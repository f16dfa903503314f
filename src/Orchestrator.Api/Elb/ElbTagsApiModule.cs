using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Elb;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Elb;
using static Orchestrator.Api.Elb.ElbValues;

namespace Orchestrator.Api.Elb;

/// <summary>AddTags, RemoveTags and DescribeTags for ARNs of any ELBv2 kind, each handled by the service that owns its resource type.</summary>
public sealed class ElbTagsApiModule(IEnumerable<IElbTaggable> taggables) : IAwsServiceModule
{
    private const int MaxResourceArns = 20;

    private readonly IReadOnlyList<IElbTaggable> _taggables = [.. taggables];

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("elbv2", "AddTags", AddTags);
        registry.Register("elbv2", "RemoveTags", RemoveTags);
        registry.Register("elbv2", "DescribeTags", DescribeTags);
    }

    private async ValueTask<AwsResult> AddTags(AwsRequest request, CancellationToken cancellationToken)
    {
        var tags = Tags(request.Input);
        if (tags.IsError)
            return ToApi(tags.Error!);
        return await ForEach(request, (taggable, arn, _) => taggable.AddTags(arn, tags.Value, cancellationToken)).ConfigureAwait(false) is { } error
            ? ToApi(error)
            : new JsonObject();
    }

    private async ValueTask<AwsResult> RemoveTags(AwsRequest request, CancellationToken cancellationToken)
    {
        var keys = Strings(request.Input, "TagKeys").ToImmutableArray();
        return await ForEach(request, (taggable, arn, _) => taggable.RemoveTags(arn, keys, cancellationToken)).ConfigureAwait(false) is { } error
            ? ToApi(error)
            : new JsonObject();
    }

    private async ValueTask<AwsResult> DescribeTags(AwsRequest request, CancellationToken cancellationToken)
    {
        var descriptions = new JsonArray();
        var error = await ForEach(request, async (taggable, arn, text) =>
        {
            var tags = await taggable.Tags(arn, cancellationToken).ConfigureAwait(false);
            if (!tags.IsError)
                descriptions.Add(new JsonObject { ["ResourceArn"] = text, ["Tags"] = TagList(tags.Value) });
            return tags;
        }).ConfigureAwait(false);
        return error is not null ? ToApi(error) : new JsonObject { ["TagDescriptions"] = descriptions };
    }

    /// <summary>Every ARN is parsed first (a malformed one changes nothing), then handled in order; the first error stops.</summary>
    private async Task<Domain.Common.AwsError?> ForEach(AwsRequest request, Func<IElbTaggable, ElbArn, string, Task<Result<ImmutableDictionary<string, string>>>> action)
    {
        var arns = Strings(request.Input, "ResourceArns");
        if (arns.Count > MaxResourceArns)
            return ElbErrors.Validation($"At most {MaxResourceArns} resource ARNs can be specified");
        var parsed = new List<(ElbArn Arn, string Text)>();
        foreach (var text in arns)
        {
            if (!ElbArn.TryParse(text, out var arn))
                return ElbErrors.Validation($"'{text}' is not a valid resource ARN");
            parsed.Add((arn, text));
        }
        foreach (var (arn, text) in parsed)
        {
            var result = _taggables.FirstOrDefault(t => t.ResourceTypes.Contains(arn.ResourceType)) is { } taggable
                ? await action(taggable, arn, text).ConfigureAwait(false)
                : NotFound(arn);
            if (result.IsError)
                return result.Error;
        }
        return null;
    }

    private static Domain.Common.AwsError NotFound(ElbArn arn) => arn.ResourceType switch
    {
        ElbArn.TargetGroup => ElbErrors.TargetGroupNotFound(arn.Name),
        ElbArn.Listener => ElbErrors.ListenerNotFound(),
        ElbArn.ListenerRule => ElbErrors.RuleNotFound(),
        _ => ElbErrors.LoadBalancerNotFound(),
    };
}
