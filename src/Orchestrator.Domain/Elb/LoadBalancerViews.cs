using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Domain.Elb;

/// <summary>What DescribeLoadBalancers (and its attributes and tags) read: one row per load balancer.</summary>
public sealed record LoadBalancerView(
    string LoadBalancerArn,
    string LoadBalancerId,
    string LoadBalancerName,
    string Type,
    string Scheme,
    string IpAddressType,
    string VpcId,
    ImmutableArray<LoadBalancerZone> AvailabilityZones,
    ImmutableArray<string> SecurityGroups,
    string State,
    string DnsName,
    string CanonicalHostedZoneId,
    DateTimeOffset CreatedTime,
    ImmutableDictionary<string, string> Attributes,
    ImmutableDictionary<string, string> Tags)
{
    public static LoadBalancerView From(LoadBalancer lb) =>
        new(lb.LoadBalancerArn, lb.LoadBalancerId, lb.Name, lb.Type, lb.Scheme, lb.IpAddressType, lb.VpcId, lb.Zones, lb.SecurityGroups, lb.State,
            lb.DnsName, lb.CanonicalHostedZoneId, lb.CreatedTime, lb.Attributes, lb.Tags);
}

/// <summary>What DescribeListeners reads: one row per listener.</summary>
public sealed record ListenerView(
    string ListenerArn,
    string ListenerId,
    string LoadBalancerArn,
    string? Protocol,
    int? Port,
    ImmutableArray<string> Certificates,
    string? SslPolicy,
    ImmutableArray<ElbAction> DefaultActions,
    ImmutableDictionary<string, string> Attributes,
    ImmutableDictionary<string, string> Tags)
{
    public static ImmutableArray<ListenerView> AllOf(LoadBalancer lb) =>
        [.. lb.Listeners.Select(l => new ListenerView(ElbArn.ForListener(lb.LoadBalancerArn, l.ListenerId), l.ListenerId, lb.LoadBalancerArn, l.Protocol, l.Port,
            l.Certificates, l.SslPolicy, l.DefaultActions, l.Attributes, l.Tags))];
}

/// <summary>
/// What DescribeRules reads: one row per rule, the default rule of each listener included
/// (IsDefault, Priority "default", no conditions, the listener's default actions).
/// </summary>
public sealed record RuleView(
    string RuleArn,
    string RuleId,
    string ListenerArn,
    string LoadBalancerArn,
    string Priority,
    bool IsDefault,
    ImmutableArray<RuleCondition> Conditions,
    ImmutableArray<ElbAction> Actions,
    ImmutableDictionary<string, string> Tags)
{
    public const string DefaultPriority = "default";

    public static ImmutableArray<RuleView> AllOf(LoadBalancer lb) =>
    [
        .. lb.Listeners.SelectMany(l =>
        {
            var listenerArn = ElbArn.ForListener(lb.LoadBalancerArn, l.ListenerId);
            return lb.RulesOf(l.ListenerId)
                .Select(r => new RuleView(ElbArn.ForRule(listenerArn, r.RuleId), r.RuleId, listenerArn, lb.LoadBalancerArn,
                    r.Priority.ToString(CultureInfo.InvariantCulture), false, r.Conditions, r.Actions, r.Tags))
                .Append(new RuleView(ElbArn.ForRule(listenerArn, l.DefaultRuleId), l.DefaultRuleId, listenerArn, lb.LoadBalancerArn,
                    DefaultPriority, true, [], l.DefaultActions, l.DefaultRuleTags));
        }),
    ];
}
