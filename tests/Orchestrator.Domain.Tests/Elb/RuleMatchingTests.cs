using System.Collections.Immutable;
using System.Net;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Domain.Tests.Elb;

/// <summary>How a listener picks its actions: the wildcard and case rules of each field, ANDed conditions, ORed values, priority order.</summary>
public sealed class RuleMatchingTests
{
    private static HttpRequestDescription Request(
        string method = "GET", string host = "www.example.com", string path = "/", string source = "203.0.113.7",
        (string, string)[]? query = null, (string, string)[]? headers = null) =>
        new(method, host, path,
            [.. (query ?? []).Select(q => KeyValuePair.Create(q.Item1, q.Item2))],
            [.. (headers ?? []).Select(h => KeyValuePair.Create(h.Item1, h.Item2))],
            IPAddress.Parse(source));

    [Theory]
    [InlineData("www.example.com", "WWW.Example.COM", true)]
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("api-?.example.com", "api-1.example.com", true)]
    [InlineData("api-?.example.com", "api-10.example.com", false)]
    [InlineData("www.example.com", "www.example.com:8080", true)]
    public void Host_header_is_case_insensitive_with_wildcards(string pattern, string host, bool matches) =>
        Assert.Equal(matches, RuleMatching.Matches(RuleCondition.Of(RuleCondition.HostHeader, pattern), Request(host: host)));

    [Theory]
    [InlineData("/api/*", "/api/users", true)]
    [InlineData("/api/*", "/API/users", false)]
    [InlineData("/img/*.png", "/img/a/b.png", true)]
    [InlineData("/v?/items", "/v2/items", true)]
    [InlineData("/v?/items", "/v10/items", false)]
    [InlineData("/exact", "/exact", true)]
    [InlineData("*", "/anything", true)]
    public void Path_pattern_is_case_sensitive_with_wildcards(string pattern, string path, bool matches) =>
        Assert.Equal(matches, RuleMatching.Matches(RuleCondition.Of(RuleCondition.PathPattern, pattern), Request(path: path)));

    [Theory]
    [InlineData("X-Env", "beta*", "x-env", "BETA-2", true)]
    [InlineData("X-Env", "beta", "X-Other", "beta", false)]
    [InlineData("User-Agent", "*Mobile*", "user-agent", "Mozilla Mobile Safari", true)]
    public void Http_header_name_and_value_are_case_insensitive(string name, string pattern, string header, string value, bool matches) =>
        Assert.Equal(matches, RuleMatching.Matches(RuleCondition.Header(name, pattern), Request(headers: [(header, value)])));

    [Theory]
    [InlineData("GET", "GET", true)]
    [InlineData("GET", "get", false)]
    [InlineData("CUSTOM_VERB", "CUSTOM_VERB", true)]
    public void Method_matches_exactly(string value, string method, bool matches) =>
        Assert.Equal(matches, RuleMatching.Matches(RuleCondition.Of(RuleCondition.HttpRequestMethod, value), Request(method: method)));

    [Theory]
    [InlineData("version", "v1", "Version", "V1", true)]
    [InlineData("version", "v*", "version", "v2", true)]
    [InlineData(null, "beta", "anything", "BETA", true)]
    [InlineData("version", "v1", "version", "v2", false)]
    [InlineData("ver?ion", "v1", "version", "v1", true)]
    public void Query_string_key_and_value_are_case_insensitive_with_wildcards(string? key, string value, string queryKey, string queryValue, bool matches) =>
        Assert.Equal(matches, RuleMatching.Matches(RuleCondition.Query(new QueryStringPair(key, value)), Request(query: [(queryKey, queryValue)])));

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.7", true)]
    [InlineData("198.51.100.0/24", "203.0.113.7", false)]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::/32", "2001:db8::1", true)]
    public void Source_ip_matches_cidr_blocks(string cidr, string source, bool matches) =>
        Assert.Equal(matches, RuleMatching.Matches(RuleCondition.Of(RuleCondition.SourceIp, cidr), Request(source: source)));

    [Fact]
    public void Values_of_one_condition_are_ORed_and_conditions_are_ANDed()
    {
        var rule = Rule("r1", 1, RuleCondition.Of(RuleCondition.PathPattern, "/a/*", "/b/*"), RuleCondition.Of(RuleCondition.HttpRequestMethod, "POST"));
        Assert.Equal("r1", RuleMatching.Route(Default, [rule], Request("POST", path: "/b/x")).RuleId);
        Assert.Null(RuleMatching.Route(Default, [rule], Request("GET", path: "/b/x")).RuleId);
        Assert.Null(RuleMatching.Route(Default, [rule], Request("POST", path: "/c/x")).RuleId);
    }

    [Fact]
    public void The_lowest_matching_priority_wins_else_the_default_actions()
    {
        var broad = Rule("broad", 20, RuleCondition.Of(RuleCondition.PathPattern, "/api/*"));
        var narrow = Rule("narrow", 5, RuleCondition.Of(RuleCondition.PathPattern, "/api/admin/*"));
        Assert.Equal("narrow", RuleMatching.Route(Default, [broad, narrow], Request(path: "/api/admin/users")).RuleId);
        Assert.Equal("broad", RuleMatching.Route(Default, [broad, narrow], Request(path: "/api/users")).RuleId);
        var none = RuleMatching.Route(Default, [broad, narrow], Request(path: "/index.html"));
        Assert.Null(none.RuleId);
        Assert.Equal(Default, none.Actions);
    }

    [Fact]
    public void A_listener_of_a_load_balancer_routes_over_its_own_rules_only()
    {
        var listener = new Listener("l1", "d1", "HTTP", 80, [], null, Default, ImmutableDictionary<string, string>.Empty,
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty);
        var other = Rule("other", 1, RuleCondition.Of(RuleCondition.PathPattern, "*")) with { ListenerId = "l2" };
        var mine = Rule("mine", 9, RuleCondition.Of(RuleCondition.PathPattern, "/a")) with { ListenerId = "l1" };
        var lb = new LoadBalancer("arn", "id", "web", LoadBalancerTypes.Application, LoadBalancerSchemes.InternetFacing, "ipv4", "vpc-1", [], [],
            LoadBalancerStates.Active, "dns", "zone", TestRegion.Epoch, null, ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty,
            [listener], [other, mine]);
        Assert.Equal("mine", RuleMatching.Route(lb, listener, Request(path: "/a")).RuleId);
        Assert.Null(RuleMatching.Route(lb, listener, Request(path: "/b")).RuleId);
    }

    private static readonly ImmutableArray<ElbAction> Default = [ElbAction.Fixed("404", order: 1)];

    private static ListenerRule Rule(string id, int priority, params RuleCondition[] conditions) =>
        new(id, "listener", priority, [.. conditions], [ElbAction.Fixed("200", order: 1)], ImmutableDictionary<string, string>.Empty);

    [Theory]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("**", "", true)]
    [InlineData("?", "", false)]
    public void Wildcards_backtrack(string pattern, string text, bool matches) => Assert.Equal(matches, Wildcard.Matches(pattern, text, ignoreCase: false));
}
