using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// Target group attributes: the defaults AWS reports for each kind of group, and the values it
/// accepts. A group stores only what was set; DescribeTargetGroupAttributes shows the full set.
/// </summary>
public static class TargetGroupAttributes
{
    public const string DeregistrationDelay = "deregistration_delay.timeout_seconds";
    public const string StickinessEnabled = "stickiness.enabled";
    public const string StickinessType = "stickiness.type";
    public const string LbCookieDuration = "stickiness.lb_cookie.duration_seconds";
    public const string AppCookieName = "stickiness.app_cookie.cookie_name";
    public const string AppCookieDuration = "stickiness.app_cookie.duration_seconds";
    public const string SlowStart = "slow_start.duration_seconds";
    public const string Algorithm = "load_balancing.algorithm.type";
    public const string AnomalyMitigation = "load_balancing.algorithm.anomaly_mitigation";
    public const string CrossZone = "load_balancing.cross_zone.enabled";

    private static readonly (string Key, string Value)[] GroupHealth =
    [
        ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
        ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"),
        ("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
        ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
    ];

    /// <summary>Every attribute the group has, with AWS's default, in the order AWS lists them.</summary>
    public static ImmutableArray<KeyValuePair<string, string>> Defaults(string? protocol, string targetType)
    {
        (string, string)[] specific = targetType == TargetTypes.Lambda
            ? [("lambda.multi_value_headers.enabled", "false")]
            : protocol == TargetGroupProtocols.Geneve
                ? [(DeregistrationDelay, "300"), (StickinessEnabled, "false"), (StickinessType, "source_ip_dest_ip_proto"), (CrossZone, "use_load_balancer_configuration"),
                   ("target_failover.on_deregistration", "no_rebalance"), ("target_failover.on_unhealthy", "no_rebalance")]
                : TargetGroupProtocols.IsApplication(protocol)
                    ? [(DeregistrationDelay, "300"), (StickinessEnabled, "false"), (StickinessType, "lb_cookie"), (LbCookieDuration, "86400"),
                       (AppCookieName, ""), (AppCookieDuration, "86400"), (SlowStart, "0"), (Algorithm, "round_robin"), (AnomalyMitigation, "off"),
                       (CrossZone, "use_load_balancer_configuration")]
                    : [(DeregistrationDelay, "300"), ("deregistration_delay.connection_termination.enabled", protocol is TargetGroupProtocols.Udp or TargetGroupProtocols.TcpUdp ? "true" : "false"),
                       ("preserve_client_ip.enabled", targetType == TargetTypes.Instance || protocol is TargetGroupProtocols.Udp or TargetGroupProtocols.TcpUdp ? "true" : "false"),
                       ("proxy_protocol_v2.enabled", "false"), (StickinessEnabled, "false"), (StickinessType, "source_ip"), (CrossZone, "use_load_balancer_configuration"),
                       ("target_health_state.unhealthy.connection_termination.enabled", "true"), ("target_health_state.unhealthy.draining_interval_seconds", "0")];
        return [.. specific.Concat(targetType == TargetTypes.Lambda ? [] : GroupHealth).Select(kv => KeyValuePair.Create(kv.Item1, kv.Item2))];
    }

    /// <summary>The full attribute set: defaults overlaid with what was set.</summary>
    public static ImmutableArray<KeyValuePair<string, string>> Effective(string? protocol, string targetType, ImmutableDictionary<string, string> set) =>
        [.. Defaults(protocol, targetType).Select(kv => set.TryGetValue(kv.Key, out var value) ? KeyValuePair.Create(kv.Key, value) : kv)];

    public static string Value(string? protocol, string targetType, ImmutableDictionary<string, string> set, string key) =>
        set.TryGetValue(key, out var value) ? value : Defaults(protocol, targetType).FirstOrDefault(kv => kv.Key == key).Value ?? "";

    /// <summary>Checks a ModifyTargetGroupAttributes request against the group's own attribute set and the combined result.</summary>
    public static AwsError? Validate(string? protocol, string targetType, IReadOnlyDictionary<string, string> changes, ImmutableDictionary<string, string> after)
    {
        var known = Defaults(protocol, targetType).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (!known.Contains(key))
                return TargetGroupErrors.Validation($"Target group attribute key '{key}' is not recognized");
            var error = key switch
            {
                DeregistrationDelay => Range(key, value, 0, 3600),
                LbCookieDuration or AppCookieDuration => Range(key, value, 1, 604800),
                SlowStart => Range(key, value, 0, 900) ?? (value != "0" && int.Parse(value, CultureInfo.InvariantCulture) < 30 ? Invalid(key, value, "0 or between 30 and 900") : null),
                Algorithm => OneOf(key, value, "round_robin", "least_outstanding_requests", "weighted_random"),
                AnomalyMitigation => OneOf(key, value, "on", "off"),
                CrossZone => OneOf(key, value, "true", "false", "use_load_balancer_configuration"),
                StickinessType => OneOf(key, value, TargetGroupProtocols.IsApplication(protocol) ? ["lb_cookie", "app_cookie"]
                    : protocol == TargetGroupProtocols.Geneve ? ["source_ip_dest_ip", "source_ip_dest_ip_proto"] : ["source_ip"]),
                AppCookieName => value.Length > 0 && (value.StartsWith("AWSALB", StringComparison.Ordinal) || value.StartsWith("AWSALBAPP", StringComparison.Ordinal) || value.StartsWith("AWSALBTG", StringComparison.Ordinal))
                    ? Invalid(key, value, "a cookie name not starting with AWSALB, AWSALBAPP or AWSALBTG") : null,
                _ when key.EndsWith(".enabled", StringComparison.Ordinal) => OneOf(key, value, "true", "false"),
                _ when key.EndsWith(".percentage", StringComparison.Ordinal) => value == "off" ? null : Range(key, value, 1, 100),
                _ when key.EndsWith(".count", StringComparison.Ordinal) => Range(key, value, 1, 1000),
                _ when key.EndsWith(".draining_interval_seconds", StringComparison.Ordinal) => Range(key, value, 0, 360000),
                _ => null,
            };
            if (error is not null)
                return error;
        }
        if (Value(protocol, targetType, after, Algorithm) == "least_outstanding_requests" && Value(protocol, targetType, after, SlowStart) != "0")
            return TargetGroupErrors.InvalidConfiguration("Slow start cannot be combined with the least outstanding requests algorithm");
        if (Value(protocol, targetType, after, StickinessType) == "app_cookie" && Value(protocol, targetType, after, StickinessEnabled) == "true"
            && Value(protocol, targetType, after, AppCookieName).Length == 0)
            return TargetGroupErrors.InvalidConfiguration("An application cookie name is required for app_cookie stickiness");
        return null;
    }

    private static AwsError? Range(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? null
            : Invalid(key, value, $"an integer between {min} and {max}");

    private static AwsError? OneOf(string key, string value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? null : Invalid(key, value, string.Join(", ", allowed.Select(a => $"'{a}'")));

    private static AwsError Invalid(string key, string value, string expected) =>
        TargetGroupErrors.Validation($"'{value}' is not a valid value for target group attribute '{key}': it must be {expected}");
}
