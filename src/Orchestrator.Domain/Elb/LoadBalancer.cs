using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>LoadBalancerStateEnum values the simulator uses.</summary>
public static class LoadBalancerStates
{
    public const string Provisioning = "provisioning";
    public const string Active = "active";
}

public static class LoadBalancerSchemes
{
    public const string InternetFacing = "internet-facing";
    public const string Internal = "internal";
}

/// <summary>Durations AWS does not specify: our choices, in simulated time.</summary>
public static class ElbTimings
{
    /// <summary>AWS takes one to five minutes to provision a load balancer; we take one.</summary>
    public static readonly TimeSpan Provisioning = TimeSpan.FromSeconds(60);
}

/// <summary>An enabled zone: one subnet per Availability Zone.</summary>
public sealed record LoadBalancerZone(string ZoneName, string SubnetId);

/// <summary>A target group a forward action sends to, with its weight (0-999).</summary>
public sealed record WeightedTargetGroup(string TargetGroupArn, int Weight);

public sealed record RedirectConfig(string? Protocol, string? Port, string? Host, string? Path, string? Query, string StatusCode);

public sealed record FixedResponseConfig(string StatusCode, string? ContentType, string? MessageBody);

/// <summary>
/// One action of a rule. A forward action always holds its groups as a ForwardConfig (a lone
/// TargetGroupArn becomes one group of weight 1, as AWS describes it), flat so rules stay shallow.
/// </summary>
public sealed record ElbAction(
    string Type,
    int Order,
    ImmutableArray<WeightedTargetGroup> TargetGroups,
    bool StickinessEnabled = false,
    int? StickinessDurationSeconds = null,
    RedirectConfig? Redirect = null,
    FixedResponseConfig? FixedResponse = null)
{
    public const string Forward = "forward";
    public const string RedirectType = "redirect";
    public const string FixedResponseType = "fixed-response";

    public bool IsTerminal() => Type is Forward or RedirectType or FixedResponseType;

    public IEnumerable<string> ForwardedArns() => Type == Forward ? TargetGroups.Select(g => g.TargetGroupArn) : [];

    /// <summary>Forward to one group, weight 1 (Order 0: the action's position decides).</summary>
    public static ElbAction ForwardTo(string targetGroupArn, int order = 0) => new(Forward, order, [new WeightedTargetGroup(targetGroupArn, 1)]);

    public static ElbAction Fixed(string statusCode, string? contentType = null, string? body = null, int order = 0) =>
        new(FixedResponseType, order, [], FixedResponse: new FixedResponseConfig(statusCode, contentType, body));
}

/// <summary>A query-string condition value: the key is optional, the value may use * and ?.</summary>
public sealed record QueryStringPair(string? Key, string Value);

/// <summary>A rule condition, normalised: Values holds the config's values whichever way they were given.</summary>
public sealed record RuleCondition(
    string Field,
    ImmutableArray<string> Values,
    string? HttpHeaderName,
    ImmutableArray<QueryStringPair> QueryValues)
{
    public const string HostHeader = "host-header";
    public const string PathPattern = "path-pattern";
    public const string HttpHeader = "http-header";
    public const string HttpRequestMethod = "http-request-method";
    public const string QueryString = "query-string";
    public const string SourceIp = "source-ip";

    public static RuleCondition Of(string field, params string[] values) => new(field, [.. values], null, []);

    public static RuleCondition Header(string name, params string[] values) => new(HttpHeader, [.. values], name, []);

    public static RuleCondition Query(params QueryStringPair[] pairs) => new(QueryString, [], null, [.. pairs]);
}

/// <summary>A rule other than the default one (which is the listener's default actions).</summary>
public sealed record ListenerRule(
    string RuleId,
    string ListenerId,
    int Priority,
    ImmutableArray<RuleCondition> Conditions,
    ImmutableArray<ElbAction> Actions,
    ImmutableDictionary<string, string> Tags);

public sealed record Listener(
    string ListenerId,
    string DefaultRuleId,
    string? Protocol,
    int? Port,
    ImmutableArray<string> Certificates,
    string? SslPolicy,
    ImmutableArray<ElbAction> DefaultActions,
    ImmutableDictionary<string, string> Attributes,
    ImmutableDictionary<string, string> Tags,
    ImmutableDictionary<string, string> DefaultRuleTags);

/// <summary>One load balancer with its listeners and their rules: everything its entity owns.</summary>
public sealed record LoadBalancer(
    string LoadBalancerArn,
    string LoadBalancerId,
    string Name,
    string Type,
    string Scheme,
    string IpAddressType,
    string VpcId,
    ImmutableArray<LoadBalancerZone> Zones,
    ImmutableArray<string> SecurityGroups,
    string State,
    string DnsName,
    string CanonicalHostedZoneId,
    DateTimeOffset CreatedTime,
    DateTimeOffset? ActiveAt,
    ImmutableDictionary<string, string> Attributes,
    ImmutableDictionary<string, string> Tags,
    ImmutableList<Listener> Listeners,
    ImmutableList<ListenerRule> Rules,
    double OfferedLoadPerSecond = 0)
{
    public const int MaxListeners = 50;

    /// <summary>Rules per ALB, default rules excluded.</summary>
    public const int MaxRules = 100;

    public const int MaxNameLength = 32;

    public Listener? FindListener(string listenerId) => Listeners.Find(l => l.ListenerId == listenerId);

    public ListenerRule? FindRule(string ruleId) => Rules.Find(r => r.RuleId == ruleId);

    /// <summary>A listener's rules in evaluation order (ascending priority); the default actions come after them.</summary>
    public IEnumerable<ListenerRule> RulesOf(string listenerId) => Rules.Where(r => r.ListenerId == listenerId).OrderBy(r => r.Priority);

    public ImmutableArray<string> ZoneNames() => [.. Zones.Select(z => z.ZoneName)];

    /// <summary>Every target group a default action or a rule forwards to: the groups this load balancer uses.</summary>
    public ImmutableSortedSet<string> ForwardedTargetGroupArns() =>
        ImmutableSortedSet.CreateRange(StringComparer.Ordinal,
            Listeners.SelectMany(l => l.DefaultActions).Concat(Rules.SelectMany(r => r.Actions)).SelectMany(a => a.ForwardedArns()));

    /// <summary>Name rules of CreateLoadBalancer: 1-32 alphanumerics or hyphens, no hyphen at either end, not internal-.</summary>
    public static AwsError? ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return ElbErrors.Validation("The load balancer name is required");
        if (name.Length > MaxNameLength)
            return ElbErrors.Validation($"The load balancer name '{name}' cannot be longer than {MaxNameLength} characters");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            return ElbErrors.Validation($"The load balancer name '{name}' can contain only alphanumeric characters and hyphens");
        if (name.StartsWith('-') || name.EndsWith('-'))
            return ElbErrors.Validation($"The load balancer name '{name}' cannot begin or end with a hyphen");
        if (name.StartsWith("internal-", StringComparison.OrdinalIgnoreCase))
            return ElbErrors.Validation($"The load balancer name '{name}' cannot begin with 'internal-'");
        return null;
    }
}

/// <summary>The DNS name and hosted zone AWS gives a load balancer.</summary>
public static class LoadBalancerDns
{
    // Route 53 hosted zones of ELB endpoints per region: (application, network). Other regions fall back to us-east-1's.
    private static readonly ImmutableDictionary<string, (string Application, string Network)> HostedZones = new Dictionary<string, (string, string)>
    {
        ["us-east-1"] = ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"),
        ["us-west-2"] = ("Z1H1FL5HABSF5", "Z18D5FSROUN65G"),
        ["eu-west-1"] = ("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"),
    }.ToImmutableDictionary();

    /// <summary>&lt;name&gt;-&lt;digits&gt;.&lt;region&gt;.elb.amazonaws.com, prefixed internal- for internal schemes; the digits follow from the id.</summary>
    public static string Name(string name, string id, string scheme, string region)
    {
        var digits = (ulong.Parse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 10_000_000_000UL).ToString("D10", CultureInfo.InvariantCulture);
        var prefix = scheme == LoadBalancerSchemes.Internal ? "internal-" : "";
        return $"{prefix}{name}-{digits}.{region}.elb.amazonaws.com".ToLowerInvariant();
    }

    public static string HostedZoneId(string type, string region)
    {
        var zones = HostedZones.GetValueOrDefault(region, HostedZones["us-east-1"]);
        return type == LoadBalancerTypes.Application ? zones.Application : zones.Network;
    }
}

/// <summary>ELB tag rules: at most 50 tags, keys 1-128 and values up to 256 characters, aws: reserved.</summary>
public static class ElbTags
{
    public const int MaxTags = 50;

    public static Result<ImmutableDictionary<string, string>> Add(ImmutableDictionary<string, string> current, IReadOnlyDictionary<string, string> added)
    {
        foreach (var (key, value) in added)
        {
            if (key.Length is 0 or > 128)
                return ElbErrors.Validation("A tag key must be 1 to 128 characters long");
            if (value.Length > 256)
                return ElbErrors.Validation("A tag value can be at most 256 characters long");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                return ElbErrors.Validation("Tag keys starting with 'aws:' are reserved");
        }
        var next = current.SetItems(added);
        return next.Count > MaxTags ? ElbErrors.TooManyTags() : next;
    }
}
