using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// Load balancer and listener attributes: the full default set per type (DescribeLoadBalancerAttributes
/// lists every key) and the values ModifyLoadBalancerAttributes accepts.
/// </summary>
public static class LoadBalancerAttributes
{
    public const string DeletionProtection = "deletion_protection.enabled";
    public const string CrossZone = "load_balancing.cross_zone.enabled";
    public const string TcpIdleTimeout = "tcp.idle_timeout.seconds";

    private static readonly ImmutableDictionary<string, string> Common = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
    {
        ["access_logs.s3.enabled"] = "false",
        ["access_logs.s3.bucket"] = "",
        ["access_logs.s3.prefix"] = "",
        [DeletionProtection] = "false",
        ["zonal_shift.config.enabled"] = "false",
    });

    private static readonly ImmutableDictionary<string, string> Application = Common.SetItems(new Dictionary<string, string>
    {
        ["connection_logs.s3.enabled"] = "false",
        ["connection_logs.s3.bucket"] = "",
        ["connection_logs.s3.prefix"] = "",
        ["idle_timeout.timeout_seconds"] = "60",
        ["client_keep_alive.seconds"] = "3600",
        ["routing.http.desync_mitigation_mode"] = "defensive",
        ["routing.http.drop_invalid_header_fields.enabled"] = "false",
        ["routing.http.preserve_host_header.enabled"] = "false",
        ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled"] = "false",
        ["routing.http.xff_client_port.enabled"] = "false",
        ["routing.http.xff_header_processing.mode"] = "append",
        ["routing.http2.enabled"] = "true",
        ["waf.fail_open.enabled"] = "false",
        [CrossZone] = "true",
    });

    private static readonly ImmutableDictionary<string, string> Network = Common.SetItems(new Dictionary<string, string>
    {
        [CrossZone] = "false",
        ["dns_record.client_routing_policy"] = "any_availability_zone",
    });

    private static readonly ImmutableDictionary<string, string> Gateway = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
    {
        [DeletionProtection] = "false",
        [CrossZone] = "false",
    });

    public static ImmutableDictionary<string, string> Defaults(string type) => type switch
    {
        LoadBalancerTypes.Network => Network,
        LoadBalancerTypes.Gateway => Gateway,
        _ => Application,
    };

    /// <summary>The attributes after a modification: every key must exist for the type and every value be valid for its key.</summary>
    public static Result<ImmutableDictionary<string, string>> Modify(string type, ImmutableDictionary<string, string> current, IReadOnlyList<KeyValuePair<string, string>> changes)
    {
        var defaults = Defaults(type);
        var next = current;
        foreach (var (key, value) in changes)
        {
            if (!defaults.ContainsKey(key))
                return ElbErrors.Validation($"Load balancer attribute key '{key}' is not recognized");
            if (CheckValue(key, value) is { } error)
                return error;
            next = next.SetItem(key, value);
        }
        if (type == LoadBalancerTypes.Application && next[CrossZone] != "true")
            return ElbErrors.InvalidConfiguration("Cross-zone load balancing cannot be disabled for Application Load Balancers");
        if (next["access_logs.s3.enabled"] == "true" && next["access_logs.s3.bucket"].Length == 0)
            return ElbErrors.InvalidConfiguration("The value of 'access_logs.s3.bucket' cannot be empty when access logs are enabled");
        return next;
    }

    /// <summary>Listener attributes: NLB TCP listeners have their idle timeout; ALB listeners can hide the Server header.</summary>
    public static ImmutableDictionary<string, string> ListenerDefaults(string type, string? protocol) => (type, protocol) switch
    {
        (LoadBalancerTypes.Network, "TCP") => ImmutableDictionary<string, string>.Empty.Add(TcpIdleTimeout, "350"),
        (LoadBalancerTypes.Application, _) => ImmutableDictionary<string, string>.Empty.Add("routing.http.response.server.enabled", "true"),
        _ => ImmutableDictionary<string, string>.Empty,
    };

    public static Result<ImmutableDictionary<string, string>> ModifyListener(ImmutableDictionary<string, string> current, IReadOnlyList<KeyValuePair<string, string>> changes)
    {
        var next = current;
        foreach (var (key, value) in changes)
        {
            if (!current.ContainsKey(key))
                return ElbErrors.Validation($"Listener attribute key '{key}' is not recognized");
            if (CheckValue(key, value) is { } error)
                return error;
            next = next.SetItem(key, value);
        }
        return next;
    }

    private static AwsError? CheckValue(string key, string value) => key switch
    {
        _ when key.EndsWith(".enabled", StringComparison.Ordinal) => value is "true" or "false" ? null : Invalid(key, value),
        "idle_timeout.timeout_seconds" => InRange(key, value, 1, 4000),
        "client_keep_alive.seconds" => InRange(key, value, 60, 604800),
        TcpIdleTimeout => InRange(key, value, 60, 6000),
        "routing.http.desync_mitigation_mode" => value is "monitor" or "defensive" or "strictest" ? null : Invalid(key, value),
        "routing.http.xff_header_processing.mode" => value is "append" or "preserve" or "remove" ? null : Invalid(key, value),
        "dns_record.client_routing_policy" => value is "availability_zone_affinity" or "partial_availability_zone_affinity" or "any_availability_zone"
            ? null
            : Invalid(key, value),
        _ => null, // free text: bucket names and prefixes
    };

    private static AwsError? InRange(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null
            : ElbErrors.Validation($"The value of '{key}' must be an integer between {min} and {max}");

    private static AwsError Invalid(string key, string value) => ElbErrors.Validation($"'{value}' is not a valid value for attribute '{key}'");
}
