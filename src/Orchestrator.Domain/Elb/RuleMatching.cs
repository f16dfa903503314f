using System.Collections.Immutable;
using System.Net;

namespace Orchestrator.Domain.Elb;

/// <summary>An HTTP request as a listener's rules see it. Path excludes the query string; Host may carry a port.</summary>
public sealed record HttpRequestDescription(
    string Method,
    string Host,
    string Path,
    ImmutableArray<KeyValuePair<string, string>> Query,
    ImmutableArray<KeyValuePair<string, string>> Headers,
    IPAddress SourceIp);

/// <summary>The rule that won (null for the default rule) and the actions to run.</summary>
public sealed record RuleMatch(string? RuleId, ImmutableArray<ElbAction> Actions);

/// <summary>
/// How an ALB listener picks its actions: rules in ascending priority, the first whose conditions
/// all match wins (conditions ANDed, the values of one condition ORed), else the default actions.
/// </summary>
public static class RuleMatching
{
    public static RuleMatch Route(ImmutableArray<ElbAction> defaultActions, IEnumerable<ListenerRule> rules, HttpRequestDescription request) =>
        rules.OrderBy(r => r.Priority).FirstOrDefault(r => r.Conditions.All(c => Matches(c, request))) is { } winner
            ? new RuleMatch(winner.RuleId, winner.Actions)
            : new RuleMatch(null, defaultActions);

    /// <summary>Routes on one listener of a load balancer's state.</summary>
    public static RuleMatch Route(LoadBalancer loadBalancer, Listener listener, HttpRequestDescription request) =>
        Route(listener.DefaultActions, loadBalancer.RulesOf(listener.ListenerId), request);

    /// <summary>One condition, with the case and wildcard rules of its field.</summary>
    public static bool Matches(RuleCondition condition, HttpRequestDescription request) => condition.Field switch
    {
        RuleCondition.HostHeader => condition.Values.Any(v => Wildcard.Matches(v, HostWithoutPort(request.Host), ignoreCase: true)),
        RuleCondition.PathPattern => condition.Values.Any(v => Wildcard.Matches(v, request.Path, ignoreCase: false)),
        RuleCondition.HttpHeader => request.Headers
            .Where(h => string.Equals(h.Key, condition.HttpHeaderName, StringComparison.OrdinalIgnoreCase))
            .Any(h => condition.Values.Any(v => Wildcard.Matches(v, h.Value, ignoreCase: true))),
        RuleCondition.HttpRequestMethod => condition.Values.Contains(request.Method, StringComparer.Ordinal),
        RuleCondition.QueryString => condition.QueryValues.Any(pair => request.Query.Any(q =>
            (pair.Key is null || Wildcard.Matches(pair.Key, q.Key, ignoreCase: true)) && Wildcard.Matches(pair.Value, q.Value, ignoreCase: true))),
        RuleCondition.SourceIp => condition.Values.Any(v => IPNetwork.TryParse(v, out var network) && network.Contains(Normalize(request.SourceIp, network))),
        _ => false,
    };

    private static string HostWithoutPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && !host.EndsWith(']') && host.IndexOf(':') == colon ? host[..colon] : host;
    }

    /// <summary>An IPv4 client arriving on a dual-stack socket compares with IPv4 blocks as IPv4.</summary>
    private static IPAddress Normalize(IPAddress address, IPNetwork network) =>
        address.IsIPv4MappedToIPv6 && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv4() : address;
}

/// <summary>Glob matching with * (any run, even empty) and ? (exactly one character).</summary>
public static class Wildcard
{
    public static bool Matches(string pattern, string text, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || string.Compare(pattern, p, text, t, 1, comparison) == 0) && pattern[p] != '*')
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
                return false;
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
