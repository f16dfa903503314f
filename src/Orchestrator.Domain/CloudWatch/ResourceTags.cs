using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>
/// The tags of one CloudWatch resource (an alarm), keyed by its ARN: TagResource, UntagResource
/// and ListTagsForResource, and the Tags a Put* call gives an alarm it creates. Kept beside the
/// alarm rather than in it, so an alarm's own state stays about evaluation; an alarm's deletion
/// drops them.
/// </summary>
public sealed record ResourceTags(string ResourceArn, ImmutableDictionary<string, string> Tags)
{
    public const int MaxTags = 50;

    /// <summary>CloudWatch's tag rules: keys 1-128 characters, values at most 256, no aws: prefix, 50 per resource.</summary>
    public static AwsError? Validate(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128)
                return AwsError.InvalidParameterValue($"The value {key} for parameter Tags.Key is invalid: a tag key has 1 to 128 characters.");
            if (value.Length > 256)
                return AwsError.InvalidParameterValue($"The value for parameter Tags.Value of key {key} is invalid: a tag value has at most 256 characters.");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                return AwsError.InvalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use.");
        }
        return tags.Count > MaxTags ? new AwsError("LimitExceeded", $"A resource can have at most {MaxTags} tags.") : null;
    }
}

public interface IResourceTagsCommand;

public interface IResourceTagsEvent;

public static class ResourceTagsCommands
{
    public sealed record Tag(string ResourceArn, ImmutableDictionary<string, string> Tags) : IResourceTagsCommand;

    public sealed record Untag(string ResourceArn, ImmutableArray<string> Keys) : IResourceTagsCommand;

    /// <summary>The resource is gone: so are its tags.</summary>
    public sealed record Drop(string ResourceArn) : IResourceTagsCommand;
}

public static class ResourceTagsEvents
{
    public sealed record Tagged(string ResourceArn, ImmutableDictionary<string, string> Tags) : IResourceTagsEvent;

    public sealed record Untagged(ImmutableArray<string> Keys) : IResourceTagsEvent;

    public sealed record Dropped : IResourceTagsEvent;
}

/// <summary>The tag-set decider: a set left empty is gone (its events deleted).</summary>
public sealed class ResourceTagsBehavior : IEntityBehavior<ResourceTags, IResourceTagsCommand, IResourceTagsEvent>
{
    public Result<IReadOnlyList<IResourceTagsEvent>> Decide(ResourceTags? state, IResourceTagsCommand command, DecisionContext context) => command switch
    {
        ResourceTagsCommands.Tag tag when Validate(state, tag) is { } error => error,
        ResourceTagsCommands.Tag { Tags.Count: 0 } => Decisions.None<IResourceTagsEvent>(),
        ResourceTagsCommands.Tag tag => Decisions.Events<IResourceTagsEvent>(new ResourceTagsEvents.Tagged(tag.ResourceArn, tag.Tags)),
        ResourceTagsCommands.Untag untag when state is null || !untag.Keys.Any(state.Tags.ContainsKey) => Decisions.None<IResourceTagsEvent>(),
        ResourceTagsCommands.Untag untag => Decisions.Events<IResourceTagsEvent>(new ResourceTagsEvents.Untagged(untag.Keys)),
        ResourceTagsCommands.Drop when state is null => Decisions.None<IResourceTagsEvent>(),
        ResourceTagsCommands.Drop => Decisions.Events<IResourceTagsEvent>(new ResourceTagsEvents.Dropped()),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown tags command"),
    };

    private static AwsError? Validate(ResourceTags? state, ResourceTagsCommands.Tag tag) =>
        ResourceTags.Validate((state?.Tags ?? Tags.None).SetItems(tag.Tags));

    public ResourceTags? Evolve(ResourceTags? state, IResourceTagsEvent @event) => @event switch
    {
        ResourceTagsEvents.Tagged e => new ResourceTags(e.ResourceArn, (state?.Tags ?? Tags.None).SetItems(e.Tags)),
        ResourceTagsEvents.Untagged e when state is not null => state.Tags.RemoveRange(e.Keys) is { Count: > 0 } left ? state with { Tags = left } : null,
        ResourceTagsEvents.Dropped => null,
        _ => state,
    };

    public IEnumerable<Deadline<IResourceTagsCommand>> Deadlines(ResourceTags? state) => [];
}
