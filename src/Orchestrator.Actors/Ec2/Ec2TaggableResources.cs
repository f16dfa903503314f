using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Ec2;

/// <summary>Instances (i-) and launch templates (lt-) for the tag actions: each entity applies the tag rules itself.</summary>
public sealed class Ec2TaggableResources(Ec2Service ec2) : ITaggableResources
{
    public IReadOnlyCollection<string> IdPrefixes { get; } = ["i", "lt"];

    public Task<Result<TaggedResource>> AddTags(string resourceId, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken) =>
        Route(resourceId, id => new InstanceCommands.AddTags(id, tags), id => new LaunchTemplateCommands.AddTags(id, tags), cancellationToken);

    public Task<Result<TaggedResource>> RemoveTags(string resourceId, ImmutableArray<TagRemoval> tags, CancellationToken cancellationToken) =>
        Route(resourceId, id => new InstanceCommands.RemoveTags(id, tags), id => new LaunchTemplateCommands.RemoveTags(id, tags), cancellationToken);

    public async Task<IReadOnlyList<TaggedResource>> List(CancellationToken cancellationToken)
    {
        var instances = await ec2.List<InstanceView>(Ec2Kinds.Instance).ConfigureAwait(false);
        var templates = await ec2.List<LaunchTemplateView>(Ec2Kinds.LaunchTemplate).ConfigureAwait(false);
        return
        [
            .. instances.Select(i => new TaggedResource(i.InstanceId, "instance", i.Tags)),
            .. templates.Select(t => new TaggedResource(t.LaunchTemplateId, "launch-template", t.Tags)),
        ];
    }

    private async Task<Result<TaggedResource>> Route(
        string resourceId, Func<string, IInstanceCommand> toInstance, Func<string, ILaunchTemplateCommand> toTemplate, CancellationToken cancellationToken)
    {
        if (resourceId.StartsWith("i-", StringComparison.Ordinal))
        {
            if (Ec2Ids.Instance(resourceId) is { IsError: true } malformed)
                return malformed.Error!;
            var instance = await ec2.Send<Instance>(Ec2Kinds.Instance, resourceId, toInstance(resourceId), cancellationToken).ConfigureAwait(false);
            return instance.Map(i => new TaggedResource(i.InstanceId, "instance", i.Tags));
        }
        if (Ec2Ids.LaunchTemplate(resourceId) is { IsError: true } malformedTemplate)
            return malformedTemplate.Error!;
        var template = await ec2.Send<LaunchTemplate>(Ec2Kinds.LaunchTemplate, resourceId, toTemplate(resourceId), cancellationToken).ConfigureAwait(false);
        return template.Map(t => new TaggedResource(t.LaunchTemplateId, "launch-template", t.Tags));
    }
}
