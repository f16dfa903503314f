using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Ec2;

/// <summary>One resource as DescribeTags lists it (ResourceType in EC2's vocabulary: instance, vpc, subnet, security-group ...).</summary>
public sealed record TaggedResource(string ResourceId, string ResourceType, ImmutableDictionary<string, string> Tags);

/// <summary>
/// The resources of one kind that CreateTags, DeleteTags and DescribeTags reach. Each service that
/// owns taggable resources implements it for its id prefixes, so the tag actions route by id
/// prefix ("sg-..." to security groups) without knowing any entity.
/// </summary>
public interface ITaggableResources
{
    /// <summary>Id prefixes without the dash: "i", "vpc", "subnet".</summary>
    IReadOnlyCollection<string> IdPrefixes { get; }

    /// <summary>Adds or overwrites tags; an unknown id is the resource's NotFound error.</summary>
    Task<Result<TaggedResource>> AddTags(string resourceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken);

    Task<Result<TaggedResource>> RemoveTags(string resourceId, ImmutableArray<TagRemoval> tags, CancellationToken cancellationToken);

    /// <summary>Every live resource of these prefixes with its tags, from the read model.</summary>
    Task<IReadOnlyList<TaggedResource>> List(CancellationToken cancellationToken);
}
