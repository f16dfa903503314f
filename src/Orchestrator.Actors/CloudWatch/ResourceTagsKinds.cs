using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>CloudWatch resource tags: one entity per tagged resource ARN, its own read-model row (ListTagsForResource wakes nothing).</summary>
public static class ResourceTagsKinds
{
    public const string ResourceTags = "cloudwatch-tags";

    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = new EntityDefinition<ResourceTags, IResourceTagsCommand, IResourceTagsEvent>(ResourceTags, new ResourceTagsBehavior(),
            state => [new IndexRow(ResourceTags, state.ResourceArn, state)]);
        yield return new EntityKind(ResourceTags,
            id => Props.Create(() => new EntityActor<ResourceTags, IResourceTagsCommand, IResourceTagsEvent>(definition, id, services)), RememberEntities: false);
    }
}
