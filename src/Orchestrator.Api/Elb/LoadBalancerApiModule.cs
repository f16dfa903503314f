using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Elb;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Elb;
using static Orchestrator.Api.Elb.ElbValues;

namespace Orchestrator.Api.Elb;

/// <summary>ELBv2 load balancers, listeners and rules over the query protocol.</summary>
public sealed class LoadBalancerApiModule(LoadBalancerService service) : IAwsServiceModule
{
    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("elbv2", "CreateLoadBalancer", CreateLoadBalancer);
        registry.Register("elbv2", "DescribeLoadBalancers", (request, _) => DescribeLoadBalancers(request));
        registry.Register("elbv2", "DeleteLoadBalancer", async (request, cancellationToken) =>
            Empty(await service.Delete(String(request.Input, "LoadBalancerArn"), cancellationToken).ConfigureAwait(false)));
        registry.Register("elbv2", "DescribeLoadBalancerAttributes", async (request, _) =>
            Answer(await service.Find(String(request.Input, "LoadBalancerArn")).ConfigureAwait(false), lb => new JsonObject { ["Attributes"] = AttributeList(lb.Attributes) }));
        registry.Register("elbv2", "ModifyLoadBalancerAttributes", async (request, cancellationToken) =>
            Answer(await service.ModifyAttributes(String(request.Input, "LoadBalancerArn"), Attributes(request.Input), cancellationToken).ConfigureAwait(false),
                lb => new JsonObject { ["Attributes"] = AttributeList(lb.Attributes) }));
        registry.Register("elbv2", "SetSubnets", SetSubnets);
        registry.Register("elbv2", "SetSecurityGroups", async (request, cancellationToken) =>
            Answer(await service.SetSecurityGroups(String(request.Input, "LoadBalancerArn"), Strings(request.Input, "SecurityGroups"), cancellationToken).ConfigureAwait(false),
                lb => new JsonObject { ["SecurityGroupIds"] = new JsonArray([.. lb.SecurityGroups.Select(g => (JsonNode)g)]) }));
        registry.Register("elbv2", "CreateListener", CreateListener);
        registry.Register("elbv2", "DescribeListeners", (request, _) => DescribeListeners(request));
        registry.Register("elbv2", "ModifyListener", ModifyListener);
        registry.Register("elbv2", "DeleteListener", async (request, cancellationToken) =>
            Empty(await service.DeleteListener(String(request.Input, "ListenerArn"), cancellationToken).ConfigureAwait(false)));
        registry.Register("elbv2", "DescribeListenerAttributes", async (request, _) =>
            Answer(await service.FindListener(String(request.Input, "ListenerArn")).ConfigureAwait(false), l => new JsonObject { ["Attributes"] = AttributeList(l.Attributes) }));
        registry.Register("elbv2", "ModifyListenerAttributes", async (request, cancellationToken) =>
            Answer(await service.ModifyListenerAttributes(String(request.Input, "ListenerArn"), Attributes(request.Input), cancellationToken).ConfigureAwait(false),
                l => new JsonObject { ["Attributes"] = AttributeList(l.Attributes) }));
        registry.Register("elbv2", "CreateRule", CreateRule);
        registry.Register("elbv2", "DescribeRules", (request, _) => DescribeRules(request));
        registry.Register("elbv2", "ModifyRule", ModifyRule);
        registry.Register("elbv2", "DeleteRule", async (request, cancellationToken) =>
            Empty(await service.DeleteRule(String(request.Input, "RuleArn"), cancellationToken).ConfigureAwait(false)));
        registry.Register("elbv2", "SetRulePriorities", SetRulePriorities);
    }

    private async ValueTask<AwsResult> CreateLoadBalancer(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var tags = Tags(input);
        if (tags.IsError)
            return ToApi(tags.Error!);
        var subnets = Subnets(input);
        if (subnets.IsError)
            return ToApi(subnets.Error!);
        var created = await service.Create(new CreateLoadBalancerRequest(String(input, "Name"), subnets.Value, Strings(input, "SecurityGroups"),
            String(input, "Scheme"), String(input, "Type"), String(input, "IpAddressType"), tags.Value), cancellationToken).ConfigureAwait(false);
        return Answer(created, lb => new JsonObject { ["LoadBalancers"] = new JsonArray(LoadBalancerJson(lb)) });
    }

    private async ValueTask<AwsResult> DescribeLoadBalancers(AwsRequest request)
    {
        var found = await service.Describe(Strings(request.Input, "LoadBalancerArns"), Strings(request.Input, "Names")).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var page = Page(found.Value, request.Input);
        return page.IsError ? ToApi(page.Error!) : Paged(page.Value, "LoadBalancers", lb => LoadBalancerJson(lb));
    }

    private async ValueTask<AwsResult> SetSubnets(AwsRequest request, CancellationToken cancellationToken)
    {
        var subnets = Subnets(request.Input);
        if (subnets.IsError)
            return ToApi(subnets.Error!);
        var changed = await service.SetSubnets(String(request.Input, "LoadBalancerArn"), subnets.Value, cancellationToken).ConfigureAwait(false);
        return Answer(changed, lb => new JsonObject { ["AvailabilityZones"] = ZonesJson(lb), ["IpAddressType"] = lb.IpAddressType });
    }

    private async ValueTask<AwsResult> CreateListener(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var tags = Tags(input);
        var actions = Actions(input["DefaultActions"] as JsonArray);
        if (tags.IsError || actions.IsError)
            return ToApi(tags.Error ?? actions.Error!);
        var created = await service.CreateListener(String(input, "LoadBalancerArn"),
            new ListenerSettings(String(input, "Protocol"), Int(input, "Port"), Certificates(input), String(input, "SslPolicy"), actions.Value), tags.Value, cancellationToken)
            .ConfigureAwait(false);
        return Answer(created, l => new JsonObject { ["Listeners"] = new JsonArray(ListenerJson(l)) });
    }

    private async ValueTask<AwsResult> DescribeListeners(AwsRequest request)
    {
        var found = await service.Listeners(String(request.Input, "LoadBalancerArn"), Strings(request.Input, "ListenerArns")).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var page = Page(found.Value, request.Input);
        return page.IsError ? ToApi(page.Error!) : Paged(page.Value, "Listeners", l => ListenerJson(l));
    }

    private async ValueTask<AwsResult> ModifyListener(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        ImmutableArray<ElbAction>? actions = null;
        if (input["DefaultActions"] is JsonArray given)
        {
            var parsed = Actions(given);
            if (parsed.IsError)
                return ToApi(parsed.Error!);
            actions = parsed.Value;
        }
        var modified = await service.ModifyListener(String(input, "ListenerArn"),
            new ListenerSettings(String(input, "Protocol"), Int(input, "Port"), input["Certificates"] is null ? null : Certificates(input), String(input, "SslPolicy"), actions),
            cancellationToken).ConfigureAwait(false);
        return Answer(modified, l => new JsonObject { ["Listeners"] = new JsonArray(ListenerJson(l)) });
    }

    private async ValueTask<AwsResult> CreateRule(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var tags = Tags(input);
        var conditions = Conditions(input["Conditions"] as JsonArray);
        var actions = Actions(input["Actions"] as JsonArray);
        if (tags.IsError || conditions.IsError || actions.IsError)
            return ToApi(tags.Error ?? conditions.Error ?? actions.Error!);
        var created = await service.CreateRule(String(input, "ListenerArn"), Int(input, "Priority") ?? 0, conditions.Value, actions.Value, tags.Value, cancellationToken)
            .ConfigureAwait(false);
        return Answer(created, r => new JsonObject { ["Rules"] = new JsonArray(RuleJson(r)) });
    }

    private async ValueTask<AwsResult> DescribeRules(AwsRequest request)
    {
        var found = await service.Rules(String(request.Input, "ListenerArn"), Strings(request.Input, "RuleArns")).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var page = Page(found.Value, request.Input);
        return page.IsError ? ToApi(page.Error!) : Paged(page.Value, "Rules", r => RuleJson(r));
    }

    private async ValueTask<AwsResult> ModifyRule(AwsRequest request, CancellationToken cancellationToken)
    {
        var input = request.Input;
        ImmutableArray<RuleCondition>? conditions = null;
        ImmutableArray<ElbAction>? actions = null;
        if (input["Conditions"] is JsonArray givenConditions)
        {
            var parsed = Conditions(givenConditions);
            if (parsed.IsError)
                return ToApi(parsed.Error!);
            conditions = parsed.Value;
        }
        if (input["Actions"] is JsonArray givenActions)
        {
            var parsed = Actions(givenActions);
            if (parsed.IsError)
                return ToApi(parsed.Error!);
            actions = parsed.Value;
        }
        var modified = await service.ModifyRule(String(input, "RuleArn"), conditions, actions, cancellationToken).ConfigureAwait(false);
        return Answer(modified, r => new JsonObject { ["Rules"] = new JsonArray(RuleJson(r)) });
    }

    private async ValueTask<AwsResult> SetRulePriorities(AwsRequest request, CancellationToken cancellationToken)
    {
        var pairs = (request.Input["RulePriorities"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => (String(p, "RuleArn") ?? "", Int(p, "Priority") ?? 0)).ToList();
        var changed = await service.SetRulePriorities(pairs, cancellationToken).ConfigureAwait(false);
        return Answer(changed, rules => new JsonObject { ["Rules"] = new JsonArray([.. rules.Select(r => (JsonNode)RuleJson(r))]) });
    }

    /// <summary>Subnets or SubnetMappings (their SubnetId; Elastic IPs and private addresses are not modelled), not both.</summary>
    private static Result<IReadOnlyList<string>> Subnets(JsonObject input)
    {
        var subnets = Strings(input, "Subnets");
        var mappings = (input["SubnetMappings"] as JsonArray ?? []).OfType<JsonObject>().Select(m => String(m, "SubnetId") ?? "").ToList();
        if (subnets.Count > 0 && mappings.Count > 0)
            return ElbErrors.Validation("Subnets and SubnetMappings cannot be specified at the same time");
        return mappings.Count > 0 ? mappings : Result<IReadOnlyList<string>>.Ok(subnets);
    }

    private static ImmutableArray<string> Certificates(JsonObject input) =>
        [.. (input["Certificates"] as JsonArray ?? []).OfType<JsonObject>().Select(c => String(c, "CertificateArn")).OfType<string>()];

    private static JsonObject LoadBalancerJson(LoadBalancerView lb)
    {
        var json = new JsonObject
        {
            ["LoadBalancerArn"] = lb.LoadBalancerArn,
            ["DNSName"] = lb.DnsName,
            ["CanonicalHostedZoneId"] = lb.CanonicalHostedZoneId,
            ["CreatedTime"] = JsonValue.Create(lb.CreatedTime),
            ["LoadBalancerName"] = lb.LoadBalancerName,
            ["Scheme"] = lb.Scheme,
            ["VpcId"] = lb.VpcId,
            ["State"] = new JsonObject { ["Code"] = lb.State },
            ["Type"] = lb.Type,
            ["AvailabilityZones"] = ZonesJson(lb),
            ["IpAddressType"] = lb.IpAddressType,
        };
        if (!lb.SecurityGroups.IsEmpty)
            json["SecurityGroups"] = new JsonArray([.. lb.SecurityGroups.Select(g => (JsonNode)g)]);
        return json;
    }

    private static JsonArray ZonesJson(LoadBalancerView lb) =>
        new([.. lb.AvailabilityZones.Select(z => (JsonNode)new JsonObject { ["ZoneName"] = z.ZoneName, ["SubnetId"] = z.SubnetId, ["LoadBalancerAddresses"] = new JsonArray() })]);

    private static JsonObject ListenerJson(ListenerView listener)
    {
        var json = new JsonObject
        {
            ["ListenerArn"] = listener.ListenerArn,
            ["LoadBalancerArn"] = listener.LoadBalancerArn,
            ["DefaultActions"] = ActionList(listener.DefaultActions),
        };
        if (listener.Port is { } port)
            json["Port"] = port;
        if (listener.Protocol is { } protocol)
            json["Protocol"] = protocol;
        if (!listener.Certificates.IsEmpty)
            json["Certificates"] = new JsonArray([.. listener.Certificates.Select(c => (JsonNode)new JsonObject { ["CertificateArn"] = c })]);
        if (listener.SslPolicy is { } policy)
            json["SslPolicy"] = policy;
        return json;
    }

    private static JsonObject RuleJson(RuleView rule) => new()
    {
        ["RuleArn"] = rule.RuleArn,
        ["Priority"] = rule.Priority,
        ["Conditions"] = ConditionList(rule.Conditions),
        ["Actions"] = ActionList(rule.Actions),
        ["IsDefault"] = rule.IsDefault,
    };

    private static AwsResult Answer<T>(Result<T> result, Func<T, JsonObject> json) => result.IsError ? ToApi(result.Error!) : json(result.Value);

    private static AwsResult Empty<T>(Result<T> result) => result.IsError ? ToApi(result.Error!) : new JsonObject();
}
