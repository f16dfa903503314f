using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Ec2.LaunchTemplateCommands;
using static Orchestrator.Domain.Ec2.LaunchTemplateEvents;

namespace Orchestrator.Domain.Ec2;

public interface ILaunchTemplateCommand
{
    string EntityId { get; }
}

public interface ILaunchTemplateEvent
{
    DateTimeOffset At { get; }
}

/// <summary>Name uniqueness is region-wide, so the caller that owns the name index checks it before Create.</summary>
public static class LaunchTemplateCommands
{
    public sealed record Create(
        string LaunchTemplateId,
        string LaunchTemplateName,
        LaunchTemplateData Data,
        string? VersionDescription = null,
        ImmutableDictionary<string, string>? Tags = null) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }

    /// <summary>With a source version, the new version is the source's data with Data's specified values on top.</summary>
    public sealed record CreateVersion(
        string LaunchTemplateId,
        LaunchTemplateData Data,
        string? SourceVersion = null,
        string? VersionDescription = null) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }

    public sealed record ModifyDefaultVersion(string LaunchTemplateId, string Version) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }

    /// <summary>Partial success is success: refused versions come back as item errors (see <see cref="VersionDeletionOutcome"/>).</summary>
    public sealed record DeleteVersions(string LaunchTemplateId, ImmutableArray<string> Versions) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }

    public sealed record Delete(string LaunchTemplateId) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }

    /// <summary>CreateTags on the template itself (not the tags its versions give to instances).</summary>
    public sealed record AddTags(string LaunchTemplateId, ImmutableDictionary<string, string> Tags) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }

    public sealed record RemoveTags(string LaunchTemplateId, ImmutableArray<TagRemoval> Tags) : ILaunchTemplateCommand
    {
        public string EntityId => LaunchTemplateId;
    }
}

public static class LaunchTemplateEvents
{
    public sealed record Created(
        string LaunchTemplateId,
        string LaunchTemplateName,
        string? VersionDescription,
        LaunchTemplateData Data,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset At) : ILaunchTemplateEvent;

    public sealed record VersionCreated(long VersionNumber, string? VersionDescription, LaunchTemplateData Data, DateTimeOffset At) : ILaunchTemplateEvent;

    public sealed record DefaultVersionChanged(long VersionNumber, DateTimeOffset At) : ILaunchTemplateEvent;

    public sealed record VersionsDeleted(ImmutableArray<long> VersionNumbers, DateTimeOffset At) : ILaunchTemplateEvent;

    public sealed record Deleted(string LaunchTemplateId, DateTimeOffset At) : ILaunchTemplateEvent;

    /// <summary>The template's whole tag set after CreateTags or DeleteTags.</summary>
    public sealed record TagsReplaced(ImmutableDictionary<string, string> Tags, DateTimeOffset At) : ILaunchTemplateEvent;
}

/// <summary>Launch template versions: creation from a source, the default pointer, deletion of all but the default.</summary>
public sealed class LaunchTemplateBehavior : IEntityBehavior<LaunchTemplate, ILaunchTemplateCommand, ILaunchTemplateEvent>
{
    public Result<IReadOnlyList<ILaunchTemplateEvent>> Decide(LaunchTemplate? state, ILaunchTemplateCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Create create) => LaunchTemplate.IsValidName(create.LaunchTemplateName)
                ? Events(new Created(create.LaunchTemplateId, create.LaunchTemplateName, create.VersionDescription, create.Data,
                    create.Tags ?? ImmutableDictionary<string, string>.Empty, now))
                : Ec2Errors.LaunchTemplateNameMalformed(),
            (not null, Create) => None(), // ids are generated once, so a repeat is a retry
            (null, _) => Ec2Errors.LaunchTemplateNotFound(command.EntityId),
            ({ } template, CreateVersion create) => create.SourceVersion is null
                ? Events(new VersionCreated(template.LastVersionNumber + 1, create.VersionDescription, create.Data, now))
                : template.ResolveVersion(create.SourceVersion).Map<IReadOnlyList<ILaunchTemplateEvent>>(source =>
                    [new VersionCreated(template.LastVersionNumber + 1, create.VersionDescription, source.Data.OverlaidWith(create.Data), now)]),
            ({ } template, ModifyDefaultVersion modify) => template.ResolveVersion(modify.Version).Map<IReadOnlyList<ILaunchTemplateEvent>>(version =>
                version.VersionNumber == template.DefaultVersionNumber ? [] : [new DefaultVersionChanged(version.VersionNumber, now)]),
            ({ } template, DeleteVersions delete) => VersionDeletionOutcome.Plan(template, delete.Versions.IsDefault ? [] : delete.Versions) is { Deleted.IsEmpty: false } outcome
                ? Events(new VersionsDeleted(outcome.Deleted, now))
                : None(),
            ({ } template, Delete) => Events(new Deleted(template.LaunchTemplateId, now)),
            ({ } template, AddTags add) => Tags.Add(template.Tags, add.Tags).Bind(next => ReplaceTags(template, next, now)),
            ({ } template, RemoveTags remove) => ReplaceTags(template, Tags.Remove(template.Tags, remove.Tags.IsDefault ? [] : remove.Tags), now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown launch template command"),
        };
    }

    public LaunchTemplate? Evolve(LaunchTemplate? state, ILaunchTemplateEvent @event) =>
        @event switch
        {
            Created e => new LaunchTemplate(e.LaunchTemplateId, e.LaunchTemplateName, 1, 1,
                [new LaunchTemplateVersion(1, e.VersionDescription, e.Data, e.At)], e.Tags, e.At),
            Deleted => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
            VersionCreated e => state with
            {
                LastVersionNumber = e.VersionNumber,
                Versions = state.Versions.Add(new LaunchTemplateVersion(e.VersionNumber, e.VersionDescription, e.Data, e.At)),
            },
            DefaultVersionChanged e => state with { DefaultVersionNumber = e.VersionNumber },
            TagsReplaced e => state with { Tags = e.Tags },
            VersionsDeleted e => state with { Versions = state.Versions.RemoveAll(v => e.VersionNumbers.Contains(v.VersionNumber)) },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown launch template event"),
        };

    /// <summary>Templates change only when asked.</summary>
    public IEnumerable<Deadline<ILaunchTemplateCommand>> Deadlines(LaunchTemplate? state) => [];

    private static Result<IReadOnlyList<ILaunchTemplateEvent>> ReplaceTags(LaunchTemplate template, ImmutableDictionary<string, string> next, DateTimeOffset now) =>
        next.Count == template.Tags.Count && next.All(tag => template.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value)
            ? None()
            : Events(new TagsReplaced(next, now));

    private static Result<IReadOnlyList<ILaunchTemplateEvent>> None() => Decisions.None<ILaunchTemplateEvent>();

    private static Result<IReadOnlyList<ILaunchTemplateEvent>> Events(params ILaunchTemplateEvent[] events) => Decisions.Events(events);
}
