using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Elb;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Elb;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Elb;

/// <summary>ELBv2 target groups: create, describe (paged), modify, attributes, targets and their health, delete.</summary>
public sealed class TargetGroupApiModule(TargetGroupService groups) : IAwsServiceModule
{
    private const string Service = "elbv2";

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register(Service, "CreateTargetGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await groups.Create(String(input, "Name"), String(input, "Protocol"), NullIfEmpty(String(input, "ProtocolVersion")), Int(input, "Port"),
                String(input, "VpcId"), String(input, "TargetType"), String(input, "IpAddressType"), HealthCheck(input),
                input["Tags"] is JsonArray tags ? TagMap(tags) : null, cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["TargetGroups"] = new JsonArray(Json(created.Value.View())) };
        });
        registry.Register(Service, "DescribeTargetGroups", async (request, _) =>
        {
            var input = request.Input;
            var described = await groups.Describe(Strings(input, "TargetGroupArns"), Strings(input, "Names"), String(input, "LoadBalancerArn")).ConfigureAwait(false);
            if (described.IsError)
                return ToApi(described.Error!);
            var start = 0;
            if (String(input, "Marker") is { } marker && !int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out start))
                return ToApi(TargetGroupErrors.Validation($"The marker '{marker}' is not valid"));
            var pageSize = Int(input, "PageSize") ?? 400;
            var page = described.Value.Skip(start).Take(pageSize).ToList();
            var output = new JsonObject { ["TargetGroups"] = new JsonArray([.. page.Select(Json)]) };
            if (start + page.Count < described.Value.Count)
                output["NextMarker"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
            return output;
        });
        registry.Register(Service, "ModifyTargetGroup", async (request, cancellationToken) =>
        {
            var modified = await groups.ModifyHealthCheck(String(request.Input, "TargetGroupArn"), HealthCheck(request.Input), cancellationToken).ConfigureAwait(false);
            return modified.IsError ? ToApi(modified.Error!) : new JsonObject { ["TargetGroups"] = new JsonArray(Json(modified.Value.View())) };
        });
        registry.Register(Service, "DeleteTargetGroup", async (request, cancellationToken) =>
        {
            var deleted = await groups.Delete(String(request.Input, "TargetGroupArn"), cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
        registry.Register(Service, "DescribeTargetGroupAttributes", async (request, cancellationToken) =>
        {
            var state = await groups.State(String(request.Input, "TargetGroupArn"), cancellationToken).ConfigureAwait(false);
            return state.IsError ? ToApi(state.Error!) : new JsonObject { ["Attributes"] = Attributes(state.Value) };
        });
        registry.Register(Service, "ModifyTargetGroupAttributes", async (request, cancellationToken) =>
        {
            var changes = (request.Input["Attributes"] as JsonArray ?? []).OfType<JsonObject>()
                .Aggregate(ImmutableDictionary<string, string>.Empty, (map, a) => map.SetItem(String(a, "Key") ?? "", String(a, "Value") ?? ""));
            var modified = await groups.ModifyAttributes(String(request.Input, "TargetGroupArn"), changes, cancellationToken).ConfigureAwait(false);
            if (modified.IsError)
                return ToApi(modified.Error!);
            // AWS answers with the attributes the request set, not the whole set.
            return new JsonObject
            {
                ["Attributes"] = new JsonArray([.. Attributes(modified.Value).OfType<JsonObject>().Where(a => changes.ContainsKey((string)a["Key"]!)).Select(a => (JsonNode)a.DeepClone())]),
            };
        });
        registry.Register(Service, "RegisterTargets", async (request, cancellationToken) =>
        {
            var registered = await groups.Register(String(request.Input, "TargetGroupArn"), Targets(request.Input), cancellationToken).ConfigureAwait(false);
            return registered.IsError ? ToApi(registered.Error!) : new JsonObject();
        });
        registry.Register(Service, "DeregisterTargets", async (request, cancellationToken) =>
        {
            var deregistered = await groups.Deregister(String(request.Input, "TargetGroupArn"), Targets(request.Input), cancellationToken).ConfigureAwait(false);
            return deregistered.IsError ? ToApi(deregistered.Error!) : new JsonObject();
        });
        registry.Register(Service, "DescribeTargetHealth", async (request, cancellationToken) =>
        {
            var health = await groups.Health(String(request.Input, "TargetGroupArn"), Targets(request.Input), cancellationToken).ConfigureAwait(false);
            if (health.IsError)
                return ToApi(health.Error!);
            return new JsonObject
            {
                ["TargetHealthDescriptions"] = new JsonArray([.. health.Value.Select(d =>
                {
                    var target = new JsonObject { ["Id"] = d.Id };
                    if (d.Port is { } port)
                        target["Port"] = port;
                    if (d.AvailabilityZone is { } zone)
                        target["AvailabilityZone"] = zone;
                    var targetHealth = new JsonObject { ["State"] = d.Health.State };
                    if (d.Health.Reason is { } reason)
                        targetHealth["Reason"] = reason;
                    if (d.Health.Description is { } description)
                        targetHealth["Description"] = description;
                    return (JsonNode)new JsonObject { ["Target"] = target, ["HealthCheckPort"] = d.HealthCheckPort, ["TargetHealth"] = targetHealth };
                })]),
            };
        });
    }

    private static HealthCheckRequest HealthCheck(JsonObject input) => new(
        input["HealthCheckEnabled"]?.GetValue<bool>(),
        String(input, "HealthCheckProtocol"),
        String(input, "HealthCheckPort"),
        String(input, "HealthCheckPath"),
        Int(input, "HealthCheckIntervalSeconds"),
        Int(input, "HealthCheckTimeoutSeconds"),
        Int(input, "HealthyThresholdCount"),
        Int(input, "UnhealthyThresholdCount"),
        input["Matcher"] is JsonObject matcher ? String(matcher, "HttpCode") : null,
        input["Matcher"] is JsonObject grpc ? String(grpc, "GrpcCode") : null);

    private static List<TargetRegistration> Targets(JsonObject input) =>
        [.. (input["Targets"] as JsonArray ?? []).OfType<JsonObject>().Select(t => new TargetRegistration(String(t, "Id") ?? "", Int(t, "Port"), String(t, "AvailabilityZone")))];

    private static JsonArray Attributes(TargetGroup group) =>
        new([.. TargetGroupAttributes.Effective(group.Protocol, group.TargetType, group.Attributes)
            .Select(kv => (JsonNode)new JsonObject { ["Key"] = kv.Key, ["Value"] = kv.Value })]);

    private static JsonNode Json(TargetGroupView g)
    {
        var json = new JsonObject
        {
            ["TargetGroupArn"] = g.TargetGroupArn,
            ["TargetGroupName"] = g.TargetGroupName,
        };
        if (g.Protocol is { } protocol)
            json["Protocol"] = protocol;
        if (g.Port is { } port)
            json["Port"] = port;
        if (g.VpcId is { } vpc)
            json["VpcId"] = vpc;
        if (g.HealthCheckProtocol is { } checkProtocol)
            json["HealthCheckProtocol"] = checkProtocol;
        if (g.HealthCheckPort is { } checkPort)
            json["HealthCheckPort"] = checkPort;
        json["HealthCheckEnabled"] = g.HealthCheckEnabled;
        json["HealthCheckIntervalSeconds"] = g.HealthCheckIntervalSeconds;
        json["HealthCheckTimeoutSeconds"] = g.HealthCheckTimeoutSeconds;
        json["HealthyThresholdCount"] = g.HealthyThresholdCount;
        json["UnhealthyThresholdCount"] = g.UnhealthyThresholdCount;
        if (g.HealthCheckPath is { } path)
            json["HealthCheckPath"] = path;
        var matcher = new JsonObject();
        if (g.MatcherHttpCode is { } http)
            matcher["HttpCode"] = http;
        if (g.MatcherGrpcCode is { } grpcCode)
            matcher["GrpcCode"] = grpcCode;
        json["Matcher"] = matcher;
        json["LoadBalancerArns"] = new JsonArray([.. g.LoadBalancerArns.Select(a => (JsonNode)a)]);
        json["TargetType"] = g.TargetType;
        if (g.ProtocolVersion is { } version)
            json["ProtocolVersion"] = version;
        json["IpAddressType"] = g.IpAddressType;
        return json;
    }

    /// <summary>The Terraform provider sends ProtocolVersion= (empty) when none is configured; AWS takes that as the default.</summary>
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
