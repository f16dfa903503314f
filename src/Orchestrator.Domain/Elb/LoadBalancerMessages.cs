using System.Collections.Immutable;

namespace Orchestrator.Domain.Elb;

/// <summary>A SetRulePriorities entry.</summary>
public sealed record RulePriorityChange(string RuleId, int Priority);

/// <summary>
/// Commands to one load balancer entity. Ids (listener, rule) and everything read from other
/// resources (zones from subnets, security groups, checked target groups) arrive resolved.
/// Nullable arrays in Modify commands mean "unchanged".
/// </summary>
public static class LoadBalancerCommands
{
    public sealed record Create(
        string LoadBalancerId,
        string LoadBalancerArn,
        string Name,
        string Type,
        string Scheme,
        string IpAddressType,
        string VpcId,
        ImmutableArray<LoadBalancerZone> Zones,
        ImmutableArray<string> SecurityGroups,
        string DnsName,
        string CanonicalHostedZoneId,
        ImmutableDictionary<string, string> Tags) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    /// <summary>Sent by the load balancer's own deadline when provisioning ends.</summary>
    public sealed record CompleteProvisioning(string LoadBalancerId) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record Delete(string LoadBalancerId) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record ModifyAttributes(string LoadBalancerId, ImmutableDictionary<string, string> Attributes) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record SetSubnets(string LoadBalancerId, ImmutableArray<LoadBalancerZone> Zones) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record SetSecurityGroups(string LoadBalancerId, ImmutableArray<string> SecurityGroups) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record CreateListener(
        string LoadBalancerId,
        string ListenerId,
        string DefaultRuleId,
        string? Protocol,
        int? Port,
        ImmutableArray<string> Certificates,
        string? SslPolicy,
        ImmutableArray<ElbAction> DefaultActions,
        ImmutableDictionary<string, string> Tags) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record ModifyListener(
        string LoadBalancerId,
        string ListenerId,
        string? Protocol,
        int? Port,
        ImmutableArray<string>? Certificates,
        string? SslPolicy,
        ImmutableArray<ElbAction>? DefaultActions) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record ModifyListenerAttributes(string LoadBalancerId, string ListenerId, ImmutableDictionary<string, string> Attributes) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record DeleteListener(string LoadBalancerId, string ListenerId) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record CreateRule(
        string LoadBalancerId,
        string ListenerId,
        string RuleId,
        int Priority,
        ImmutableArray<RuleCondition> Conditions,
        ImmutableArray<ElbAction> Actions,
        ImmutableDictionary<string, string> Tags) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    /// <summary>On the default rule only the actions can change (they are the listener's default actions).</summary>
    public sealed record ModifyRule(
        string LoadBalancerId,
        string ListenerId,
        string RuleId,
        ImmutableArray<RuleCondition>? Conditions,
        ImmutableArray<ElbAction>? Actions) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record DeleteRule(string LoadBalancerId, string ListenerId, string RuleId) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record SetRulePriorities(string LoadBalancerId, ImmutableArray<RulePriorityChange> Priorities) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    /// <summary>Tags of the load balancer (no listener), a listener (no rule) or a rule, the default rule included.</summary>
    public sealed record AddTags(string LoadBalancerId, string? ListenerId, string? RuleId, ImmutableDictionary<string, string> Tags) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    public sealed record RemoveTags(string LoadBalancerId, string? ListenerId, string? RuleId, ImmutableArray<string> Keys) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }

    /// <summary>Not AWS's: the simulation's fluid traffic, requests per simulated second (0 stops it), kept with the load balancer so it survives a router's move.</summary>
    public sealed record OfferLoad(string LoadBalancerId, double RequestsPerSecond) : ILoadBalancerCommand
    {
        public string EntityId => LoadBalancerId;
    }
}

public static class LoadBalancerEvents
{
    public sealed record Created(
        string LoadBalancerId,
        string LoadBalancerArn,
        string Name,
        string Type,
        string Scheme,
        string IpAddressType,
        string VpcId,
        ImmutableArray<LoadBalancerZone> Zones,
        ImmutableArray<string> SecurityGroups,
        string DnsName,
        string CanonicalHostedZoneId,
        ImmutableDictionary<string, string> Attributes,
        ImmutableDictionary<string, string> Tags,
        DateTimeOffset At,
        DateTimeOffset ActiveAt) : ILoadBalancerEvent;

    public sealed record BecameActive(DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record Deleted(DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record AttributesChanged(ImmutableDictionary<string, string> Attributes, DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record SubnetsChanged(ImmutableArray<LoadBalancerZone> Zones, DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record SecurityGroupsChanged(ImmutableArray<string> SecurityGroups, DateTimeOffset At) : ILoadBalancerEvent;

    /// <summary>A listener was created or changed: the whole listener as it now is.</summary>
    public sealed record ListenerSaved(Listener Listener, DateTimeOffset At) : ILoadBalancerEvent;

    /// <summary>The listener and its rules are gone.</summary>
    public sealed record ListenerDeleted(string ListenerId, DateTimeOffset At) : ILoadBalancerEvent;

    /// <summary>A rule was created or changed: the whole rule as it now is.</summary>
    public sealed record RuleSaved(ListenerRule Rule, DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record RuleDeleted(string RuleId, DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record RulePrioritiesChanged(ImmutableArray<RulePriorityChange> Priorities, DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record TagsChanged(string? ListenerId, string? RuleId, ImmutableDictionary<string, string> Tags, DateTimeOffset At) : ILoadBalancerEvent;

    public sealed record LoadOffered(double RequestsPerSecond, DateTimeOffset At) : ILoadBalancerEvent;
}
