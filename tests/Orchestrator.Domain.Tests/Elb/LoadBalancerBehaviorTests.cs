using System.Collections.Immutable;
using Orchestrator.Domain.Elb;
using static Orchestrator.Domain.Elb.LoadBalancerCommands;

namespace Orchestrator.Domain.Tests.Elb;

/// <summary>The load balancer decider as a table: lifecycle, attributes, zones, listeners, rules, tags.</summary>
public sealed class LoadBalancerBehaviorTests
{
    private const string Id = "0123456789abcdef";
    private const string Listener80 = "1111111111111111";
    private const string DefaultRule = "2222222222222222";
    private static readonly string Arn = ElbArn.ForLoadBalancer("us-east-1", "000000000000", LoadBalancerTypes.Application, "web", Id);
    private static readonly string Group = ElbArn.ForTargetGroup("us-east-1", "000000000000", "app", "aaaaaaaaaaaaaaaa");
    private static readonly string OtherGroup = ElbArn.ForTargetGroup("us-east-1", "000000000000", "api", "bbbbbbbbbbbbbbbb");

    private readonly EntityHarness<LoadBalancer, ILoadBalancerCommand, ILoadBalancerEvent> _lb = new(new LoadBalancerBehavior());

    private static Create Create(string type = LoadBalancerTypes.Application, string name = "web") =>
        new(Id, Arn, name, type, LoadBalancerSchemes.InternetFacing, "ipv4", "vpc-1",
            [new LoadBalancerZone("us-east-1a", "subnet-a"), new LoadBalancerZone("us-east-1b", "subnet-b")], ["sg-1"],
            LoadBalancerDns.Name(name, Id, LoadBalancerSchemes.InternetFacing, "us-east-1"), LoadBalancerDns.HostedZoneId(type, "us-east-1"),
            ImmutableDictionary<string, string>.Empty);

    private static CreateListener Listen(int? port, string? protocol = "HTTP", string listenerId = Listener80, params ElbAction[] actions) =>
        new(Id, listenerId, listenerId == Listener80 ? DefaultRule : "d" + listenerId[1..], protocol, port, [], null, actions.Length == 0 ? [ElbAction.Fixed("404")] : [.. actions],
            ImmutableDictionary<string, string>.Empty);

    private static CreateRule Rule(string ruleId, int priority, params ElbAction[] actions) =>
        new(Id, Listener80, ruleId, priority, [RuleCondition.Of(RuleCondition.PathPattern, "/api/*")], actions.Length == 0 ? [ElbAction.ForwardTo(Group)] : [.. actions],
            ImmutableDictionary<string, string>.Empty);

    [Fact]
    public void A_new_load_balancer_provisions_for_a_minute_then_is_active_with_the_default_attributes_of_its_type()
    {
        _lb.Execute(Create());
        Assert.Equal(LoadBalancerStates.Provisioning, _lb.State!.State);
        Assert.Equal("web-" + _lb.State.DnsName[4..14] + ".us-east-1.elb.amazonaws.com", _lb.State.DnsName);
        Assert.Equal("Z35SXDOTRQ7X7K", _lb.State.CanonicalHostedZoneId);
        Assert.Equal("true", _lb.State.Attributes["load_balancing.cross_zone.enabled"]);
        Assert.Equal("60", _lb.State.Attributes["idle_timeout.timeout_seconds"]);
        _lb.Advance(ElbTimings.Provisioning - TimeSpan.FromSeconds(1));
        Assert.Equal(LoadBalancerStates.Provisioning, _lb.State.State);
        _lb.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LoadBalancerStates.Active, _lb.State.State);
        Assert.Empty(new LoadBalancerBehavior().Deadlines(_lb.State));
    }

    [Fact]
    public void Network_load_balancers_keep_cross_zone_off_and_use_their_own_hosted_zone()
    {
        _lb.Execute(Create(LoadBalancerTypes.Network));
        Assert.Equal("false", _lb.State!.Attributes["load_balancing.cross_zone.enabled"]);
        Assert.Equal("Z26RNL4JYFTOTI", _lb.State.CanonicalHostedZoneId);
        Assert.False(_lb.State.Attributes.ContainsKey("routing.http2.enabled"));
    }

    [Fact]
    public void Internal_load_balancers_get_the_internal_prefix()
    {
        var name = LoadBalancerDns.Name("svc", Id, LoadBalancerSchemes.Internal, "eu-west-1");
        Assert.StartsWith("internal-svc-", name);
        Assert.EndsWith(".eu-west-1.elb.amazonaws.com", name);
    }

    [Theory]
    [InlineData("-web")]
    [InlineData("web-")]
    [InlineData("internal-web")]
    [InlineData("web_1")]
    [InlineData("a123456789012345678901234567890123")]
    public void Bad_names_are_validation_errors(string name) =>
        Assert.Equal("ValidationError", _lb.Refuse(Create(name: name)).Code);

    [Fact]
    public void Deletion_protection_refuses_delete_until_it_is_turned_off()
    {
        _lb.Execute(Create());
        _lb.Execute(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty.Add("deletion_protection.enabled", "true")));
        Assert.Equal("OperationNotPermitted", _lb.Refuse(new Delete(Id)).Code);
        _lb.Execute(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty.Add("deletion_protection.enabled", "false")));
        _lb.Execute(new Delete(Id));
        Assert.Null(_lb.State);
        Assert.Equal("LoadBalancerNotFound", _lb.Refuse(new Delete(Id)).Code);
    }

    [Theory]
    [InlineData("no.such.key", "1", "ValidationError")]
    [InlineData("idle_timeout.timeout_seconds", "0", "ValidationError")]
    [InlineData("routing.http2.enabled", "yes", "ValidationError")]
    [InlineData("load_balancing.cross_zone.enabled", "false", "InvalidConfigurationRequest")]
    [InlineData("access_logs.s3.enabled", "true", "InvalidConfigurationRequest")]
    public void Attribute_changes_are_validated(string key, string value, string code)
    {
        _lb.Execute(Create());
        Assert.Equal(code, _lb.Refuse(new ModifyAttributes(Id, ImmutableDictionary<string, string>.Empty.Add(key, value))).Code);
    }

    [Fact]
    public void Zones_need_one_subnet_per_zone_and_two_zones_for_an_application_load_balancer()
    {
        SubnetPlacement Subnet(string id, string zone, string vpc = "vpc-1") => new(id, vpc, zone);
        Assert.Equal("InvalidConfigurationRequest", LoadBalancerZones.Resolve(LoadBalancerTypes.Application, [Subnet("s1", "us-east-1a")]).Error!.Code);
        Assert.Equal("InvalidConfigurationRequest",
            LoadBalancerZones.Resolve(LoadBalancerTypes.Application, [Subnet("s1", "us-east-1a"), Subnet("s2", "us-east-1a")]).Error!.Code);
        Assert.Equal("InvalidSubnet",
            LoadBalancerZones.Resolve(LoadBalancerTypes.Application, [Subnet("s1", "us-east-1a"), Subnet("s2", "us-east-1b", "vpc-2")]).Error!.Code);
        Assert.Equal("InvalidSubnet",
            LoadBalancerZones.Resolve(LoadBalancerTypes.Application, [Subnet("s1", "us-east-1a"), Subnet("s2", "us-east-1b")], "vpc-9").Error!.Code);
        Assert.Single(LoadBalancerZones.Resolve(LoadBalancerTypes.Network, [Subnet("s1", "us-east-1a")]).Value);

        _lb.Execute(Create());
        Assert.Equal("InvalidConfigurationRequest", _lb.Refuse(new SetSubnets(Id, [new LoadBalancerZone("us-east-1a", "subnet-a")])).Code);
        _lb.Execute(new SetSubnets(Id, [new LoadBalancerZone("us-east-1a", "subnet-a"), new LoadBalancerZone("us-east-1c", "subnet-c")]));
        Assert.Equal<string>(["us-east-1a", "us-east-1c"], _lb.State!.ZoneNames());
    }

    [Fact]
    public void Security_groups_are_required_on_an_application_load_balancer_and_absent_on_a_gateway()
    {
        _lb.Execute(Create());
        Assert.Equal("ValidationError", _lb.Refuse(new SetSecurityGroups(Id, [])).Code);
        _lb.Execute(new SetSecurityGroups(Id, ["sg-2", "sg-3"]));
        Assert.Equal<string>(["sg-2", "sg-3"], _lb.State!.SecurityGroups);
    }

    [Fact]
    public void Listeners_are_validated_per_type_and_unique_per_port()
    {
        _lb.Execute(Create());
        Assert.Equal("ValidationError", _lb.Refuse(Listen(0)).Code);
        Assert.Equal("ValidationError", _lb.Refuse(Listen(65536)).Code);
        Assert.Equal("ValidationError", _lb.Refuse(Listen(null)).Code);
        Assert.Equal("UnsupportedProtocol", _lb.Refuse(Listen(80, "TCP")).Code);
        Assert.Equal("ValidationError", _lb.Refuse(Listen(443, "HTTPS")).Code); // no certificate
        _lb.Execute(Listen(80));
        Assert.Equal("DuplicateListener", _lb.Refuse(Listen(80, listenerId: "3333333333333333")).Code);
        var listener = Assert.Single(_lb.State!.Listeners);
        Assert.Equal(1, Assert.Single(listener.DefaultActions).Order);
        Assert.Equal("true", listener.Attributes["routing.http.response.server.enabled"]);
    }

    [Fact]
    public void A_load_balancer_takes_at_most_fifty_listeners()
    {
        _lb.Execute(Create());
        for (var port = 1; port <= LoadBalancer.MaxListeners; port++)
            _lb.Execute(Listen(port, listenerId: port.ToString("x16")));
        Assert.Equal("TooManyListeners", _lb.Refuse(Listen(8080, listenerId: "ffffffffffffffff")).Code);
    }

    [Fact]
    public void Network_listeners_take_layer_4_protocols_only_forward_and_have_an_idle_timeout()
    {
        _lb.Execute(Create(LoadBalancerTypes.Network));
        Assert.Equal("UnsupportedProtocol", _lb.Refuse(Listen(80, "HTTP")).Code);
        Assert.Equal("InvalidLoadBalancerAction", _lb.Refuse(Listen(80, "TCP")).Code); // fixed-response is ALB only
        _lb.Execute(Listen(80, "TCP", Listener80, ElbAction.ForwardTo(Group)));
        Assert.Equal("350", _lb.State!.Listeners[0].Attributes["tcp.idle_timeout.seconds"]);
    }

    [Fact]
    public void Secure_listeners_keep_their_certificates_and_get_the_default_policy()
    {
        _lb.Execute(Create());
        _lb.Execute(Listen(443, "HTTPS") with { Certificates = ["arn:aws:acm:us-east-1:000000000000:certificate/abc"] });
        var listener = Assert.Single(_lb.State!.Listeners);
        Assert.Equal(ListenerValidation.DefaultSslPolicy, listener.SslPolicy);
        _lb.Execute(new ModifyListener(Id, Listener80, "HTTP", 80, null, null, null));
        Assert.Equal((null, 0), (_lb.State.Listeners[0].SslPolicy, _lb.State.Listeners[0].Certificates.Length));
        Assert.Equal("InvalidLoadBalancerAction", _lb.Refuse(new ModifyListener(Id, Listener80, "HTTPS", 443, ["arn:cert"], null,
            [new ElbAction(ElbAction.RedirectType, 1, [], Redirect: new RedirectConfig("HTTP", "80", null, null, null, "HTTP_301"))])).Code);
    }

    [Fact]
    public void Gateway_listeners_have_no_protocol_or_port_and_there_is_one()
    {
        _lb.Execute(Create(LoadBalancerTypes.Gateway));
        Assert.Equal("ValidationError", _lb.Refuse(Listen(6081, "GENEVE", Listener80, ElbAction.ForwardTo(Group))).Code);
        _lb.Execute(Listen(null, null, Listener80, ElbAction.ForwardTo(Group)));
        Assert.Equal("TooManyListeners", _lb.Refuse(Listen(null, null, "3333333333333333", ElbAction.ForwardTo(Group))).Code);
        Assert.Equal("InvalidConfigurationRequest", _lb.Refuse(new SetSecurityGroups(Id, ["sg-1"])).Code);
    }

    [Fact]
    public void An_application_load_balancer_takes_at_most_a_hundred_rules()
    {
        _lb.Execute(Create());
        _lb.Execute(Listen(80));
        for (var i = 1; i <= LoadBalancer.MaxRules; i++)
            _lb.Execute(Rule(i.ToString("x16"), i));
        Assert.Equal("TooManyRules", _lb.Refuse(Rule("ffffffffffffffff", 500)).Code);
    }

    [Fact]
    public void Network_listeners_forward_only_to_target_groups_whose_protocol_they_carry()
    {
        _lb.Execute(Create(LoadBalancerTypes.Network));
        var lb = LoadBalancerView.From(_lb.State!);
        TargetGroupView View(string protocol) =>
            new(Group, "aaaaaaaaaaaaaaaa", "app", protocol, null, 80, "vpc-1", "instance", "ipv4", true, "TCP", "traffic-port", null, 30, 10, 5, 2, "200-399", null,
                [], ImmutableDictionary<string, string>.Empty);
        Assert.Null(ListenerValidation.CheckTargetGroup(lb, "TCP", View("TCP_UDP")));
        Assert.Null(ListenerValidation.CheckTargetGroup(lb, "TLS", View("TCP")));
        Assert.Equal("IncompatibleProtocols", ListenerValidation.CheckTargetGroup(lb, "UDP", View("TCP"))!.Code);
        Assert.Equal("IncompatibleProtocols", ListenerValidation.CheckTargetGroup(lb, "TCP", View("HTTP"))!.Code);
    }

    public static TheoryData<ElbAction[], string> BadActions() => new()
    {
        { [ElbAction.Fixed("404"), ElbAction.ForwardTo(Group)], "InvalidLoadBalancerAction" },             // two terminal actions
        { [ElbAction.Fixed("302")], "ValidationError" },                                                    // status code pattern
        { [ElbAction.Fixed("200", "text/xml")], "ValidationError" },
        { [ElbAction.Fixed("200", "text/plain", new string('x', 1025))], "ValidationError" },
        { [new ElbAction(ElbAction.RedirectType, 1, [], Redirect: new RedirectConfig("HTTPS", "443", null, null, null, "HTTP_307"))], "ValidationError" },
        { [new ElbAction(ElbAction.RedirectType, 1, [])], "ValidationError" },
        { [new ElbAction(ElbAction.Forward, 1, [])], "ValidationError" },
        { [new ElbAction(ElbAction.Forward, 1, [.. Enumerable.Range(0, 6).Select(i => new WeightedTargetGroup(ElbArn.ForTargetGroup("us-east-1", "000000000000", "g" + i, i.ToString("x16")), 1))])], "InvalidLoadBalancerAction" },
        { [new ElbAction(ElbAction.Forward, 1, [new WeightedTargetGroup(Group, 1)], StickinessEnabled: true, StickinessDurationSeconds: 0)], "ValidationError" },
        { [new ElbAction("authenticate-oidc", 1, []), ElbAction.Fixed("200", order: 2)], "InvalidLoadBalancerAction" },
        { [ElbAction.Fixed("200", order: 1), ElbAction.Fixed("404", order: 1)], "InvalidLoadBalancerAction" },
        { [], "ValidationError" },
    };

    [Theory]
    [MemberData(nameof(BadActions))]
    public void Bad_actions_are_refused_with_the_code_AWS_uses(ElbAction[] actions, string code)
    {
        _lb.Execute(Create());
        Assert.Equal(code, _lb.Refuse(Listen(80, "HTTP", Listener80, actions) with { DefaultActions = [.. actions] }).Code);
    }

    [Fact]
    public void Actions_are_ordered_by_Order_and_a_redirect_keeps_its_placeholders()
    {
        _lb.Execute(Create());
        var redirect = new ElbAction(ElbAction.RedirectType, 0, [], Redirect: new RedirectConfig("HTTPS", "443", "#{host}", "/#{path}", "#{query}", "HTTP_301"));
        _lb.Execute(Listen(80, "HTTP", Listener80, redirect));
        var stored = Assert.Single(_lb.State!.Listeners[0].DefaultActions);
        Assert.Equal(("#{host}", 1), (stored.Redirect!.Host, stored.Order));
    }

    [Fact]
    public void Rules_have_unique_priorities_per_listener_and_the_default_rule_stays()
    {
        _lb.Execute(Create());
        _lb.Execute(Listen(80));
        _lb.Execute(Rule("4444444444444444", 10));
        Assert.Equal("PriorityInUse", _lb.Refuse(Rule("5555555555555555", 10)).Code);
        Assert.Equal("ValidationError", _lb.Refuse(Rule("5555555555555555", 0)).Code);
        Assert.Equal("ValidationError", _lb.Refuse(Rule("5555555555555555", 50001)).Code);
        Assert.Equal("ListenerNotFound", _lb.Refuse(Rule("5555555555555555", 5) with { ListenerId = "9999999999999999" }).Code);
        _lb.Execute(Rule("5555555555555555", 20));

        Assert.Equal("PriorityInUse", _lb.Refuse(new SetRulePriorities(Id, [new RulePriorityChange("5555555555555555", 10)])).Code);
        _lb.Execute(new SetRulePriorities(Id, [new RulePriorityChange("5555555555555555", 10), new RulePriorityChange("4444444444444444", 20)]));
        Assert.Equal(["5555555555555555", "4444444444444444"], _lb.State!.RulesOf(Listener80).Select(r => r.RuleId));
        Assert.Equal("OperationNotPermitted", _lb.Refuse(new SetRulePriorities(Id, [new RulePriorityChange(DefaultRule, 3)])).Code);

        Assert.Equal("OperationNotPermitted", _lb.Refuse(new DeleteRule(Id, Listener80, DefaultRule)).Code);
        Assert.Equal("RuleNotFound", _lb.Refuse(new DeleteRule(Id, Listener80, "7777777777777777")).Code);
        _lb.Execute(new ModifyRule(Id, Listener80, DefaultRule, null, [ElbAction.Fixed("503")]));
        Assert.Equal("503", _lb.State.Listeners[0].DefaultActions[0].FixedResponse!.StatusCode);
        _lb.Execute(new ModifyRule(Id, Listener80, "4444444444444444", [RuleCondition.Of(RuleCondition.HostHeader, "api.example.com")], null));
        Assert.Equal(RuleCondition.HostHeader, _lb.State.FindRule("4444444444444444")!.Conditions[0].Field);

        var views = RuleView.AllOf(_lb.State);
        Assert.Equal(["10", "20", "default"], views.Select(v => v.Priority));
        Assert.True(views[^1].IsDefault);

        _lb.Execute(new DeleteListener(Id, Listener80));
        Assert.Empty(_lb.State.Rules);
    }

    public static TheoryData<RuleCondition[]> BadConditions() => new()
    {
        { [] },
        { [RuleCondition.Of("cookie", "a")] },
        { [RuleCondition.Of(RuleCondition.HostHeader, "a.example.com"), RuleCondition.Of(RuleCondition.HostHeader, "b.example.com")] },
        { [RuleCondition.Of(RuleCondition.PathPattern, "/a", "/b", "/c", "/d")] },
        { [RuleCondition.Of(RuleCondition.PathPattern, "/a", "/b", "/c"), RuleCondition.Of(RuleCondition.HostHeader, "a", "b", "c")] },
        { [RuleCondition.Of(RuleCondition.PathPattern, "/*/*/*"), RuleCondition.Of(RuleCondition.HostHeader, "*.*.*")] },
        { [RuleCondition.Of(RuleCondition.HostHeader, "bad host")] },
        { [RuleCondition.Header("X-*", "a")] },
        { [RuleCondition.Of(RuleCondition.HttpRequestMethod, "get")] },
        { [RuleCondition.Query(new QueryStringPair("k", ""))] },
        { [RuleCondition.Of(RuleCondition.SourceIp, "10.0.0.0/33")] },
        { [RuleCondition.Of(RuleCondition.SourceIp, "255.255.255.255/32")] },
    };

    [Theory]
    [MemberData(nameof(BadConditions))]
    public void Bad_conditions_are_validation_errors(RuleCondition[] conditions) =>
        Assert.Equal("ValidationError", RuleConditions.Validate([.. conditions])!.Code);

    [Fact]
    public void Forwarded_target_groups_are_listed_from_default_actions_and_rules()
    {
        _lb.Execute(Create());
        _lb.Execute(Listen(80, "HTTP", Listener80, ElbAction.ForwardTo(Group)));
        _lb.Execute(Rule("4444444444444444", 1, new ElbAction(ElbAction.Forward, 1, [new WeightedTargetGroup(Group, 1), new WeightedTargetGroup(OtherGroup, 3)])));
        Assert.Equal<string>([OtherGroup, Group], _lb.State!.ForwardedTargetGroupArns()); // sorted: api before app
        _lb.Execute(new DeleteRule(Id, Listener80, "4444444444444444"));
        Assert.Equal<string>([Group], _lb.State.ForwardedTargetGroupArns());
    }

    [Fact]
    public void Tags_belong_to_the_load_balancer_a_listener_or_a_rule_and_are_limited_to_fifty()
    {
        _lb.Execute(Create());
        _lb.Execute(Listen(80));
        _lb.Execute(new AddTags(Id, Listener80, DefaultRule, ImmutableDictionary<string, string>.Empty.Add("team", "web")));
        Assert.Equal("web", _lb.State!.Listeners[0].DefaultRuleTags["team"]);
        _lb.Execute(new RemoveTags(Id, Listener80, DefaultRule, ["team"]));
        Assert.Empty(_lb.State.Listeners[0].DefaultRuleTags);
        Assert.Equal("ListenerNotFound", _lb.Refuse(new AddTags(Id, "9999999999999999", null, ImmutableDictionary<string, string>.Empty.Add("a", "b"))).Code);
        var many = Enumerable.Range(0, 51).ToImmutableDictionary(i => "k" + i, i => "v");
        Assert.Equal("TooManyTags", _lb.Refuse(new AddTags(Id, null, null, many)).Code);
    }

    [Fact]
    public void Target_groups_are_checked_for_vpc_protocol_and_a_single_application_load_balancer()
    {
        _lb.Execute(Create());
        TargetGroupView View(string? protocol = "HTTP", string vpc = "vpc-1", params string[] users) =>
            new(Group, "aaaaaaaaaaaaaaaa", "app", protocol, "HTTP1", 80, vpc, "instance", "ipv4", true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, "200", null,
                [.. users], ImmutableDictionary<string, string>.Empty);
        Assert.Null(ListenerValidation.CheckTargetGroup(LoadBalancerView.From(_lb.State!), "HTTP", View()));
        Assert.Null(ListenerValidation.CheckTargetGroup(LoadBalancerView.From(_lb.State!), "HTTP", View(users: Arn)));
        Assert.Equal("InvalidConfigurationRequest", ListenerValidation.CheckTargetGroup(LoadBalancerView.From(_lb.State!), "HTTP", View(vpc: "vpc-2"))!.Code);
        Assert.Equal("IncompatibleProtocols", ListenerValidation.CheckTargetGroup(LoadBalancerView.From(_lb.State!), "HTTP", View("TCP"))!.Code);
        Assert.Equal("InvalidConfigurationRequest", ListenerValidation.CheckTargetGroup(LoadBalancerView.From(_lb.State!), "HTTP", View(users: "arn:other"))!.Code);
    }
}
