using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.Elb.LoadBalancerCommands;
using static Orchestrator.Domain.Elb.LoadBalancerEvents;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// A load balancer with its listeners and rules: provisioning -> active after <see cref="ElbTimings.Provisioning"/>,
/// deletion refused while deletion protection is on, and every listener and rule check of AWS that
/// needs nothing but the load balancer itself. Target groups are checked by the caller beforehand.
/// </summary>
public sealed class LoadBalancerBehavior : IEntityBehavior<LoadBalancer, ILoadBalancerCommand, ILoadBalancerEvent>
{
    private const string ProvisioningDeadlineKey = "provisioning";

    public Result<IReadOnlyList<ILoadBalancerEvent>> Decide(LoadBalancer? state, ILoadBalancerCommand command, DecisionContext context)
    {
        var now = context.Now;
        return (state, command) switch
        {
            (null, Create create) => DecideCreate(create, now),
            (not null, Create) => None(),
            (null, _) => ElbErrors.LoadBalancerNotFound(),
            ({ State: LoadBalancerStates.Provisioning }, CompleteProvisioning) => Events(new BecameActive(now)),
            (_, CompleteProvisioning) => None(), // a stale deadline
            ({ } lb, Delete) => lb.Attributes.GetValueOrDefault(LoadBalancerAttributes.DeletionProtection) == "true"
                ? ElbErrors.OperationNotPermitted($"Load balancer '{lb.LoadBalancerArn}' cannot be deleted because deletion protection is enabled")
                : Events(new Deleted(now)),
            ({ } lb, ModifyAttributes modify) => LoadBalancerAttributes.Modify(lb.Type, lb.Attributes, [.. modify.Attributes])
                .Map<IReadOnlyList<ILoadBalancerEvent>>(attributes => attributes.Count == lb.Attributes.Count && attributes.All(a => lb.Attributes.GetValueOrDefault(a.Key) == a.Value) ? [] : [new AttributesChanged(attributes, now)]),
            ({ } lb, SetSubnets set) => DecideSubnets(lb, set, now),
            ({ } lb, SetSecurityGroups set) => DecideSecurityGroups(lb, set, now),
            ({ } lb, CreateListener create) => DecideCreateListener(lb, create, now),
            ({ } lb, ModifyListener modify) => DecideModifyListener(lb, modify, now),
            ({ } lb, ModifyListenerAttributes modify) => lb.FindListener(modify.ListenerId) is not { } listener
                ? ElbErrors.ListenerNotFound()
                : LoadBalancerAttributes.ModifyListener(listener.Attributes, [.. modify.Attributes])
                    .Map<IReadOnlyList<ILoadBalancerEvent>>(attributes => [new ListenerSaved(listener with { Attributes = attributes }, now)]),
            ({ } lb, DeleteListener delete) => lb.FindListener(delete.ListenerId) is null
                ? ElbErrors.ListenerNotFound()
                : Events(new ListenerDeleted(delete.ListenerId, now)),
            ({ } lb, CreateRule create) => DecideCreateRule(lb, create, now),
            ({ } lb, ModifyRule modify) => DecideModifyRule(lb, modify, now),
            ({ } lb, DeleteRule delete) => DecideDeleteRule(lb, delete, now),
            ({ } lb, SetRulePriorities set) => DecidePriorities(lb, set, now),
            ({ } lb, AddTags add) => TagsOf(lb, add.ListenerId, add.RuleId).Bind(tags => ElbTags.Add(tags, add.Tags))
                .Map<IReadOnlyList<ILoadBalancerEvent>>(tags => [new TagsChanged(add.ListenerId, add.RuleId, tags, now)]),
            ({ } lb, RemoveTags remove) => TagsOf(lb, remove.ListenerId, remove.RuleId)
                .Map<IReadOnlyList<ILoadBalancerEvent>>(tags => [new TagsChanged(remove.ListenerId, remove.RuleId, tags.RemoveRange(remove.Keys), now)]),
            ({ } lb, OfferLoad offer) => offer.RequestsPerSecond is < 0 or double.NaN or double.PositiveInfinity
                ? ElbErrors.Validation($"Offered load must be a number of requests per second of at least 0, got {offer.RequestsPerSecond}")
                : offer.RequestsPerSecond.Equals(lb.OfferedLoadPerSecond) ? None() : Events(new LoadOffered(offer.RequestsPerSecond, now)),
            _ => None(),
        };
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideCreate(Create create, DateTimeOffset now)
    {
        if (LoadBalancer.ValidateName(create.Name) is { } nameError)
            return nameError;
        if (create.Scheme == LoadBalancerSchemes.Internal && create.IpAddressType != "ipv4")
            return ElbErrors.InvalidConfiguration("Internal load balancers must use the ipv4 address type");
        if (create.IpAddressType == "dualstack-without-public-ipv4" && create.Type != LoadBalancerTypes.Application)
            return ElbErrors.Validation("The dualstack-without-public-ipv4 address type is supported only by Application Load Balancers");
        var tags = ElbTags.Add(ImmutableDictionary<string, string>.Empty, create.Tags);
        if (tags.IsError)
            return tags.Error!;
        return Events(new Created(create.LoadBalancerId, create.LoadBalancerArn, create.Name, create.Type, create.Scheme, create.IpAddressType, create.VpcId,
            create.Zones, create.SecurityGroups, create.DnsName, create.CanonicalHostedZoneId, LoadBalancerAttributes.Defaults(create.Type), tags.Value,
            now, now + ElbTimings.Provisioning));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideSubnets(LoadBalancer lb, SetSubnets set, DateTimeOffset now)
    {
        if (LoadBalancerZones.Check(lb.Type, set.Zones) is { } error)
            return error;
        return set.Zones.SequenceEqual(lb.Zones) ? None() : Events(new SubnetsChanged(set.Zones, now));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideSecurityGroups(LoadBalancer lb, SetSecurityGroups set, DateTimeOffset now)
    {
        if (lb.Type == LoadBalancerTypes.Gateway)
            return ElbErrors.InvalidConfiguration("Gateway Load Balancers do not support security groups");
        if (lb.Type == LoadBalancerTypes.Application && set.SecurityGroups.IsEmpty)
            return ElbErrors.Validation("An Application Load Balancer must have at least one security group");
        if (lb.Type == LoadBalancerTypes.Network && lb.SecurityGroups.IsEmpty && !set.SecurityGroups.IsEmpty)
            return ElbErrors.InvalidConfiguration("Security groups cannot be added to a Network Load Balancer created without them");
        return set.SecurityGroups.SequenceEqual(lb.SecurityGroups) ? None() : Events(new SecurityGroupsChanged(set.SecurityGroups, now));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideCreateListener(LoadBalancer lb, CreateListener create, DateTimeOffset now)
    {
        if (lb.FindListener(create.ListenerId) is not null)
            return None();
        if (ListenerValidation.Check(lb.Type, create.Protocol, create.Port, create.Certificates) is { } error)
            return error;
        if (lb.Listeners.Count >= LoadBalancer.MaxListeners)
            return ElbErrors.TooManyListeners();
        if (create.Port is { } port && lb.Listeners.Any(l => l.Port == port))
            return ElbErrors.DuplicateListener(port);
        if (lb.Type == LoadBalancerTypes.Gateway && !lb.Listeners.IsEmpty)
            return ElbErrors.TooManyListeners();
        var actions = RuleActions.Validate(lb.Type, create.Protocol, create.DefaultActions);
        if (actions.IsError)
            return actions.Error!;
        var tags = ElbTags.Add(ImmutableDictionary<string, string>.Empty, create.Tags);
        if (tags.IsError)
            return tags.Error!;
        var secure = create.Protocol is "HTTPS" or "TLS";
        var listener = new Listener(create.ListenerId, create.DefaultRuleId, create.Protocol, create.Port, secure ? create.Certificates : [],
            secure ? create.SslPolicy ?? ListenerValidation.DefaultSslPolicy : null, actions.Value,
            LoadBalancerAttributes.ListenerDefaults(lb.Type, create.Protocol), tags.Value, ImmutableDictionary<string, string>.Empty);
        return Events(new ListenerSaved(listener, now));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideModifyListener(LoadBalancer lb, ModifyListener modify, DateTimeOffset now)
    {
        if (lb.FindListener(modify.ListenerId) is not { } listener)
            return ElbErrors.ListenerNotFound();
        var protocol = modify.Protocol ?? listener.Protocol;
        var port = modify.Port ?? listener.Port;
        var certificates = modify.Certificates ?? listener.Certificates;
        if (ListenerValidation.Check(lb.Type, protocol, port, certificates) is { } error)
            return error;
        if (port is { } p && p != listener.Port && lb.Listeners.Any(l => l.Port == p))
            return ElbErrors.DuplicateListener(p);
        var actions = RuleActions.Validate(lb.Type, protocol, modify.DefaultActions ?? listener.DefaultActions);
        if (actions.IsError)
            return actions.Error!;
        var secure = protocol is "HTTPS" or "TLS";
        var changed = listener with
        {
            Protocol = protocol,
            Port = port,
            Certificates = secure ? certificates : [],
            SslPolicy = secure ? modify.SslPolicy ?? listener.SslPolicy ?? ListenerValidation.DefaultSslPolicy : null,
            DefaultActions = actions.Value,
            Attributes = protocol == listener.Protocol ? listener.Attributes : LoadBalancerAttributes.ListenerDefaults(lb.Type, protocol),
        };
        return Events(new ListenerSaved(changed, now));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideCreateRule(LoadBalancer lb, CreateRule create, DateTimeOffset now)
    {
        if (lb.FindRule(create.RuleId) is not null)
            return None();
        if (lb.FindListener(create.ListenerId) is not { } listener)
            return ElbErrors.ListenerNotFound();
        if (lb.Type != LoadBalancerTypes.Application)
            return ElbErrors.InvalidConfiguration("Rules can be added only to the listeners of Application Load Balancers");
        if (CheckPriority(create.Priority) is { } priorityError)
            return priorityError;
        if (lb.RulesOf(listener.ListenerId).Any(r => r.Priority == create.Priority))
            return ElbErrors.PriorityInUse(create.Priority);
        if (lb.Rules.Count >= LoadBalancer.MaxRules)
            return ElbErrors.TooManyRules();
        if (RuleConditions.Validate(create.Conditions) is { } conditionError)
            return conditionError;
        var actions = RuleActions.Validate(lb.Type, listener.Protocol, create.Actions);
        if (actions.IsError)
            return actions.Error!;
        var tags = ElbTags.Add(ImmutableDictionary<string, string>.Empty, create.Tags);
        if (tags.IsError)
            return tags.Error!;
        return Events(new RuleSaved(new ListenerRule(create.RuleId, listener.ListenerId, create.Priority, create.Conditions, actions.Value, tags.Value), now));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideModifyRule(LoadBalancer lb, ModifyRule modify, DateTimeOffset now)
    {
        if (lb.FindListener(modify.ListenerId) is not { } listener)
            return ElbErrors.RuleNotFound();
        if (listener.DefaultRuleId == modify.RuleId)
        {
            if (modify.Conditions is { IsEmpty: false })
                return ElbErrors.OperationNotPermitted("The conditions of a default rule cannot be modified");
            return modify.Actions is { } defaultActions
                ? RuleActions.Validate(lb.Type, listener.Protocol, defaultActions)
                    .Map<IReadOnlyList<ILoadBalancerEvent>>(actions => [new ListenerSaved(listener with { DefaultActions = actions }, now)])
                : None();
        }
        if (lb.FindRule(modify.RuleId) is not { } rule || rule.ListenerId != listener.ListenerId)
            return ElbErrors.RuleNotFound();
        var conditions = modify.Conditions ?? rule.Conditions;
        if (RuleConditions.Validate(conditions) is { } conditionError)
            return conditionError;
        var actions = RuleActions.Validate(lb.Type, listener.Protocol, modify.Actions ?? rule.Actions);
        if (actions.IsError)
            return actions.Error!;
        return Events(new RuleSaved(rule with { Conditions = conditions, Actions = actions.Value }, now));
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecideDeleteRule(LoadBalancer lb, DeleteRule delete, DateTimeOffset now)
    {
        if (lb.FindListener(delete.ListenerId) is { } listener && listener.DefaultRuleId == delete.RuleId)
            return ElbErrors.OperationNotPermitted("The default rule of a listener cannot be deleted");
        return lb.FindRule(delete.RuleId) is { } rule && rule.ListenerId == delete.ListenerId
            ? Events(new RuleDeleted(delete.RuleId, now))
            : ElbErrors.RuleNotFound();
    }

    private static Result<IReadOnlyList<ILoadBalancerEvent>> DecidePriorities(LoadBalancer lb, SetRulePriorities set, DateTimeOffset now)
    {
        if (set.Priorities.IsEmpty)
            return ElbErrors.Validation("At least one rule priority must be specified");
        var changed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in set.Priorities)
        {
            if (lb.Listeners.Any(l => l.DefaultRuleId == change.RuleId))
                return ElbErrors.OperationNotPermitted("The priority of a default rule cannot be changed");
            if (lb.FindRule(change.RuleId) is null)
                return ElbErrors.RuleNotFound();
            if (CheckPriority(change.Priority) is { } error)
                return error;
            changed[change.RuleId] = change.Priority;
        }
        var clash = lb.Rules
            .GroupBy(r => (r.ListenerId, Priority: changed.GetValueOrDefault(r.RuleId, r.Priority)))
            .FirstOrDefault(g => g.Count() > 1);
        return clash is not null ? ElbErrors.PriorityInUse(clash.Key.Priority) : Events(new RulePrioritiesChanged(set.Priorities, now));
    }

    private static AwsError? CheckPriority(int priority) =>
        priority is < 1 or > 50000 ? ElbErrors.Validation($"Priority '{priority}' must be between 1 and 50000") : null;

    /// <summary>The tags of the resource a tag command names, or why it does not exist.</summary>
    private static Result<ImmutableDictionary<string, string>> TagsOf(LoadBalancer lb, string? listenerId, string? ruleId)
    {
        if (listenerId is null)
            return lb.Tags;
        if (lb.FindListener(listenerId) is not { } listener)
            return ruleId is null ? ElbErrors.ListenerNotFound() : ElbErrors.RuleNotFound();
        if (ruleId is null)
            return listener.Tags;
        if (ruleId == listener.DefaultRuleId)
            return listener.DefaultRuleTags;
        return lb.FindRule(ruleId) is { } rule && rule.ListenerId == listenerId ? rule.Tags : ElbErrors.RuleNotFound();
    }

    public LoadBalancer? Evolve(LoadBalancer? state, ILoadBalancerEvent @event) =>
        @event switch
        {
            Created e => new LoadBalancer(e.LoadBalancerArn, e.LoadBalancerId, e.Name, e.Type, e.Scheme, e.IpAddressType, e.VpcId, e.Zones, e.SecurityGroups,
                LoadBalancerStates.Provisioning, e.DnsName, e.CanonicalHostedZoneId, e.At, e.ActiveAt, e.Attributes, e.Tags, [], []),
            Deleted => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
            BecameActive => state with { State = LoadBalancerStates.Active, ActiveAt = null },
            AttributesChanged e => state with { Attributes = e.Attributes },
            SubnetsChanged e => state with { Zones = e.Zones },
            SecurityGroupsChanged e => state with { SecurityGroups = e.SecurityGroups },
            ListenerSaved e => state with
            {
                Listeners = state.FindListener(e.Listener.ListenerId) is { } old ? state.Listeners.Replace(old, e.Listener) : state.Listeners.Add(e.Listener),
            },
            ListenerDeleted e => state with
            {
                Listeners = state.Listeners.RemoveAll(l => l.ListenerId == e.ListenerId),
                Rules = state.Rules.RemoveAll(r => r.ListenerId == e.ListenerId),
            },
            RuleSaved e => state with
            {
                Rules = state.FindRule(e.Rule.RuleId) is { } old ? state.Rules.Replace(old, e.Rule) : state.Rules.Add(e.Rule),
            },
            RuleDeleted e => state with { Rules = state.Rules.RemoveAll(r => r.RuleId == e.RuleId) },
            RulePrioritiesChanged e => state with
            {
                Rules = [.. state.Rules.Select(r => e.Priorities.FirstOrDefault(p => p.RuleId == r.RuleId) is { } p ? r with { Priority = p.Priority } : r)],
            },
            TagsChanged e => WithTags(state, e),
            LoadOffered e => state with { OfferedLoadPerSecond = e.RequestsPerSecond },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown load balancer event"),
        };

    private static LoadBalancer WithTags(LoadBalancer state, TagsChanged e)
    {
        if (e.ListenerId is null)
            return state with { Tags = e.Tags };
        var listener = state.FindListener(e.ListenerId)!;
        if (e.RuleId is null || e.RuleId == listener.DefaultRuleId)
        {
            var changed = e.RuleId is null ? listener with { Tags = e.Tags } : listener with { DefaultRuleTags = e.Tags };
            return state with { Listeners = state.Listeners.Replace(listener, changed) };
        }
        var rule = state.FindRule(e.RuleId)!;
        return state with { Rules = state.Rules.Replace(rule, rule with { Tags = e.Tags }) };
    }

    public IEnumerable<Deadline<ILoadBalancerCommand>> Deadlines(LoadBalancer? state) =>
        state is { State: LoadBalancerStates.Provisioning, ActiveAt: { } at }
            ? [new(ProvisioningDeadlineKey, at, new CompleteProvisioning(state.LoadBalancerId))]
            : [];

    private static Result<IReadOnlyList<ILoadBalancerEvent>> None() => Decisions.None<ILoadBalancerEvent>();

    private static Result<IReadOnlyList<ILoadBalancerEvent>> Events(params ILoadBalancerEvent[] events) => Decisions.Events(events);
}
