using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Common.Decisions;
using static Orchestrator.Domain.Elb.TargetGroupCommands;
using static Orchestrator.Domain.Elb.TargetGroupEvents;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// The rules of one target group: settings and their ranges, attributes, registrations, the load
/// balancers using it, and the target health state machine driven by probe rounds.
/// </summary>
public sealed partial class TargetGroupBehavior : IEntityBehavior<TargetGroup, ITargetGroupCommand, ITargetGroupEvent>
{
    public const string HealthCheckDeadline = "health-check";
    public const string DrainDeadline = "drain";
    public const int MaxTags = 50;

    public Result<IReadOnlyList<ITargetGroupEvent>> Decide(TargetGroup? state, ITargetGroupCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Create create) => CreateGroup(create, now),
            (not null, Create) => None<ITargetGroupEvent>(), // the id is generated once per request, so a repeat is a retry
            (null, ReleaseByLoadBalancer or ProbeTargets or RecordProbes or FinishDraining or Delete) => None<ITargetGroupEvent>(),
            (null, _) => TargetGroupErrors.NotFound(),
            ({ } group, ModifyHealthCheck modify) => HealthChecks.Apply(group.HealthCheck, group.Protocol, group.TargetType, modify.HealthCheck)
                .Map<IReadOnlyList<ITargetGroupEvent>>(settings => settings == group.HealthCheck ? [] : [new HealthCheckModified(settings, now)]),
            ({ } group, ModifyAttributes modify) => ChangeAttributes(group, modify, now),
            ({ } group, RegisterTargets register) => Register(group, register, now),
            ({ } group, DeregisterTargets deregister) => Deregister(group, deregister, now),
            ({ } group, RecordProbes record) => Record(group, record, now),
            ({ } group, FinishDraining) => group.Targets.Where(t => t.DrainingUntil <= now).Select(t => t.Key).ToImmutableArray() is { IsEmpty: false } done
                ? Events<ITargetGroupEvent>(new TargetsRemoved(done, now))
                : None<ITargetGroupEvent>(),
            (_, ProbeTargets) => None<ITargetGroupEvent>(), // the shell gathers the round; nothing to decide until its results arrive
            ({ } group, UseByLoadBalancer use) => group.LoadBalancers.TryGetValue(use.LoadBalancerArn, out var zones) && zones.SequenceEqual(use.EnabledZones)
                ? None<ITargetGroupEvent>()
                : Events<ITargetGroupEvent>(new LoadBalancerAttached(use.LoadBalancerArn, use.EnabledZones, now)),
            ({ } group, ReleaseByLoadBalancer release) => group.LoadBalancers.ContainsKey(release.LoadBalancerArn)
                ? Events<ITargetGroupEvent>(new LoadBalancerReleased(release.LoadBalancerArn, now))
                : None<ITargetGroupEvent>(),
            ({ } group, AddTags add) => group.Tags.SetItems(add.Tags) is { Count: > MaxTags }
                ? new AwsError("TooManyTags", $"A resource can have at most {MaxTags} tags")
                : Tags.Add(group.Tags, add.Tags).Map<IReadOnlyList<ITargetGroupEvent>>(tags => [new TagsChanged(tags, now)]),
            ({ } group, RemoveTags remove) => Events<ITargetGroupEvent>(new TagsChanged(group.Tags.RemoveRange(remove.Keys), now)),
            ({ } group, Delete) => group.LoadBalancers.IsEmpty
                ? Events<ITargetGroupEvent>(new Deleted(now))
                : TargetGroupErrors.InUse(group.TargetGroupArn),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown target group command"),
        };
    }

    public TargetGroup? Evolve(TargetGroup? state, ITargetGroupEvent @event) =>
        @event switch
        {
            Created e => new TargetGroup(e.TargetGroupId, e.TargetGroupArn, e.Name, e.Protocol, e.ProtocolVersion, e.Port, e.VpcId, e.TargetType,
                e.IpAddressType, e.HealthCheck, ImmutableDictionary<string, string>.Empty, e.Tags, [],
                ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty, e.At),
            Deleted => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
            HealthCheckModified e => state with { HealthCheck = e.HealthCheck },
            AttributesModified e => state with { Attributes = e.Attributes },
            TargetsRegistered e => state with
            {
                Targets = state.Targets.RemoveAll(t => e.Targets.Any(n => n.Key == t.Key)).AddRange(e.Targets),
            },
            TargetsDeregistered e => state with
            {
                Targets = state.Targets.ConvertAll(t => e.Targets.Contains(t.Key) ? t with { DrainingUntil = e.DrainingUntil } : t),
            },
            TargetsRemoved e => state with { Targets = state.Targets.RemoveAll(t => e.Targets.Contains(t.Key)) },
            ProbesRecorded e => state with
            {
                Targets = state.Targets.ConvertAll(t => e.Targets.FirstOrDefault(n => n.Key == t.Key) ?? t),
            },
            LoadBalancerAttached e => state with { LoadBalancers = state.LoadBalancers.SetItem(e.LoadBalancerArn, e.EnabledZones) },
            // With no load balancer left the targets are unused and no longer checked: they start over when one comes back.
            LoadBalancerReleased e when state.LoadBalancers.Remove(e.LoadBalancerArn) is { IsEmpty: true } none => state with
            {
                LoadBalancers = none,
                Targets = state.Targets.ConvertAll(t => t with { Health = TargetHealthRecord.Registered }),
            },
            LoadBalancerReleased e => state with { LoadBalancers = state.LoadBalancers.Remove(e.LoadBalancerArn) },
            TagsChanged e => state with { Tags = e.Tags },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown target group event"),
        };

    /// <summary>
    /// The health-check round recurs every interval from the group's creation while there is
    /// something to check; the drain deadline is the first draining target's end.
    /// </summary>
    public IEnumerable<Deadline<ITargetGroupCommand>> Deadlines(TargetGroup? state)
    {
        if (state is null)
            yield break;
        if (state.Probed.Any())
            yield return new Deadline<ITargetGroupCommand>(HealthCheckDeadline, state.CreatedAt, new ProbeTargets(state.TargetGroupId), state.HealthCheck.Interval);
        var draining = state.Targets.Select(t => t.DrainingUntil).OfType<DateTimeOffset>().ToList();
        if (draining.Count > 0)
            yield return new Deadline<ITargetGroupCommand>(DrainDeadline, draining.Min(), new FinishDraining(state.TargetGroupId));
    }

    /// <summary>The checks of CreateTargetGroup that need nothing but the request; the service runs them before looking for a duplicate name.</summary>
    public static AwsError? Validate(Create create)
    {
        if (string.IsNullOrEmpty(create.Name))
            return TargetGroupErrors.Validation("A target group name is required");
        if (create.Name.Length > TargetGroup.MaxNameLength)
            return TargetGroupErrors.Validation($"Target group name '{create.Name}' cannot be longer than {TargetGroup.MaxNameLength} characters");
        if (!NamePattern().IsMatch(create.Name))
            return TargetGroupErrors.Validation($"Target group name '{create.Name}' can only contain characters that are alphanumeric characters or hyphens(-)");
        if (create.Name.StartsWith('-') || create.Name.EndsWith('-'))
            return TargetGroupErrors.Validation($"Target group name '{create.Name}' cannot begin or end with '-'");
        if (!TargetTypes.All.Contains(create.TargetType))
            return TargetGroupErrors.Validation($"Target type '{create.TargetType}' must be one of instance, ip, lambda, alb");
        if (create.IpAddressType is not ("ipv4" or "ipv6"))
            return TargetGroupErrors.Validation($"IP address type '{create.IpAddressType}' must be ipv4 or ipv6");
        if (create.TargetType == TargetTypes.Lambda)
        {
            if (create.Protocol is not null || create.Port is not null || create.VpcId is not null)
                return TargetGroupErrors.Validation("Protocol, port and VPC ID cannot be specified for target groups with the target type 'lambda'");
        }
        else
        {
            if (create.Protocol is null)
                return TargetGroupErrors.Validation("A protocol must be specified");
            if (!TargetGroupProtocols.All.Contains(create.Protocol))
                return TargetGroupErrors.Validation($"Protocol '{create.Protocol}' must be one of HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE");
            if (create.Port is null)
                return TargetGroupErrors.Validation("A port must be specified");
            if (create.Port is < 1 or > 65535)
                return TargetGroupErrors.Validation($"Port '{create.Port}' must be between 1 and 65535");
            if (create.Protocol == TargetGroupProtocols.Geneve && create.Port != 6081)
                return TargetGroupErrors.InvalidConfiguration("GENEVE target groups must use port 6081");
            if (create.VpcId is null)
                return TargetGroupErrors.Validation("A VPC ID must be specified");
            if (create.ProtocolVersion is { } version && (!TargetGroupProtocols.IsApplication(create.Protocol) || version is not ("HTTP1" or "HTTP2" or "GRPC")))
                return TargetGroupErrors.Validation($"Protocol version '{version}' is only valid for HTTP and HTTPS target groups, as HTTP1, HTTP2 or GRPC");
        }
        var settings = HealthChecks.Resolve(create.Protocol, create.TargetType, create.HealthCheck);
        return settings.IsError ? settings.Error : create.Tags is { } tags ? Common.Tags.Validate(tags) : null;
    }

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex NamePattern();

    private static Result<IReadOnlyList<ITargetGroupEvent>> CreateGroup(Create create, DateTimeOffset now)
    {
        if (Validate(create) is { } error)
            return error;
        var settings = HealthChecks.Resolve(create.Protocol, create.TargetType, create.HealthCheck).Value;
        return Events<ITargetGroupEvent>(new Created(create.TargetGroupId, create.TargetGroupArn, create.Name, create.Protocol,
            create.ProtocolVersion ?? (TargetGroupProtocols.IsApplication(create.Protocol) ? "HTTP1" : null), create.Port, create.VpcId, create.TargetType,
            create.IpAddressType, settings, create.Tags ?? Common.Tags.None, now));
    }

    private static Result<IReadOnlyList<ITargetGroupEvent>> ChangeAttributes(TargetGroup group, ModifyAttributes modify, DateTimeOffset now)
    {
        var after = group.Attributes.SetItems(modify.Attributes);
        if (TargetGroupAttributes.Validate(group.Protocol, group.TargetType, modify.Attributes, after) is { } error)
            return error;
        return after.Count == group.Attributes.Count && after.All(kv => group.Attributes.TryGetValue(kv.Key, out var v) && v == kv.Value)
            ? None<ITargetGroupEvent>()
            : Events<ITargetGroupEvent>(new AttributesModified(after, now));
    }

    /// <summary>Registering a target again is a no-op, unless it is draining: then it comes back from initial.</summary>
    private static Result<IReadOnlyList<ITargetGroupEvent>> Register(TargetGroup group, RegisterTargets register, DateTimeOffset now)
    {
        var added = ImmutableArray.CreateBuilder<RegisteredTarget>();
        foreach (var target in register.Targets)
        {
            if (TargetError(group, target) is { } error)
                return error;
            var key = new TargetKey(target.Id, target.Port ?? group.Port ?? 0);
            if (group.Find(key) is { IsDraining: false } || added.Any(a => a.Key == key))
                continue;
            added.Add(new RegisteredTarget(key.Id, key.Port, target.AvailabilityZone, target.InstanceId, TargetHealthRecord.Registered));
        }
        if (group.Targets.Count(t => !added.Any(a => a.Key == t.Key)) + added.Count > TargetGroup.MaxTargets)
            return TargetGroupErrors.TooManyTargets(TargetGroup.MaxTargets);
        return added.Count == 0 ? None<ITargetGroupEvent>() : Events<ITargetGroupEvent>(new TargetsRegistered(added.ToImmutable(), now));
    }

    private static AwsError? TargetError(TargetGroup group, TargetRegistration target)
    {
        if (target.Port is < 1 or > 65535)
            return TargetGroupErrors.Validation($"Port '{target.Port}' must be between 1 and 65535");
        return group.TargetType switch
        {
            TargetTypes.Instance when !AwsIds.IsWellFormed(target.Id, "i") =>
                TargetGroupErrors.InvalidTarget($"The following targets are not valid instance IDs: '{target.Id}'"),
            TargetTypes.Ip when !IPAddress.TryParse(target.Id, out _) =>
                TargetGroupErrors.InvalidTarget($"The following targets are not valid IP addresses: '{target.Id}'"),
            _ => null,
        };
    }

    private static Result<IReadOnlyList<ITargetGroupEvent>> Deregister(TargetGroup group, DeregisterTargets deregister, DateTimeOffset now)
    {
        foreach (var target in deregister.Targets)
            if (TargetError(group, target) is { } error)
                return error;
        var keys = group.Targets
            .Where(t => !t.IsDraining && deregister.Targets.Any(d => d.Id == t.Id && (d.Port is null || d.Port == t.Port)))
            .Select(t => t.Key)
            .ToImmutableArray();
        return keys.IsEmpty ? None<ITargetGroupEvent>() : Events<ITargetGroupEvent>(new TargetsDeregistered(keys, now + group.DeregistrationDelay, now));
    }

    /// <summary>Each probe moves its target one step; only the targets whose record changed are recorded.</summary>
    private static Result<IReadOnlyList<ITargetGroupEvent>> Record(TargetGroup group, RecordProbes record, DateTimeOffset now)
    {
        var changed = ImmutableArray.CreateBuilder<RegisteredTarget>();
        // A round that finishes after the last load balancer let go finds its targets unused: nothing to record.
        foreach (var probe in group.LoadBalancers.IsEmpty ? [] : record.Probes)
        {
            if (group.Find(new TargetKey(probe.TargetId, probe.Port)) is not { IsDraining: false } target)
                continue;
            var next = TargetHealth.Step(target.Health, probe, group.HealthCheck, now);
            if (next != target.Health)
                changed.Add(target with { Health = next });
        }
        return changed.Count == 0 ? None<ITargetGroupEvent>() : Events<ITargetGroupEvent>(new ProbesRecorded(changed.ToImmutable(), now));
    }
}
