using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>Target group protocols as the API spells them.</summary>
public static class TargetGroupProtocols
{
    public const string Http = "HTTP";
    public const string Https = "HTTPS";
    public const string Tcp = "TCP";
    public const string Tls = "TLS";
    public const string Udp = "UDP";
    public const string TcpUdp = "TCP_UDP";
    public const string Geneve = "GENEVE";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Http, Https, Tcp, Tls, Udp, TcpUdp, Geneve, "QUIC", "TCP_QUIC" };

    /// <summary>HTTP and HTTPS groups belong to Application Load Balancers.</summary>
    public static bool IsApplication(string? protocol) => protocol is Http or Https;
}

/// <summary>What a group's targets are; a group holds one type only.</summary>
public static class TargetTypes
{
    public const string Instance = "instance";
    public const string Ip = "ip";
    public const string Lambda = "lambda";
    public const string Alb = "alb";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Instance, Ip, Lambda, Alb };
}

/// <summary>What a request says about health checks; null fields take the default for the group's protocol and target type.</summary>
public sealed record HealthCheckRequest(
    bool? Enabled = null,
    string? Protocol = null,
    string? Port = null,
    string? Path = null,
    int? IntervalSeconds = null,
    int? TimeoutSeconds = null,
    int? HealthyThresholdCount = null,
    int? UnhealthyThresholdCount = null,
    string? MatcherHttpCode = null,
    string? MatcherGrpcCode = null);

/// <summary>The health check in force, every field resolved.</summary>
public sealed record HealthCheckSettings(
    bool Enabled,
    string? Protocol,
    string? Port,
    string? Path,
    int IntervalSeconds,
    int TimeoutSeconds,
    int HealthyThresholdCount,
    int UnhealthyThresholdCount,
    string? MatcherHttpCode,
    string? MatcherGrpcCode)
{
    public const string TrafficPort = "traffic-port";

    public bool UsesHttp => Protocol is TargetGroupProtocols.Http or TargetGroupProtocols.Https;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>The port probes go to: the target's own for traffic-port.</summary>
    public string PortFor(int targetPort) => Port is null or TrafficPort ? targetPort.ToString(CultureInfo.InvariantCulture) : Port;

    /// <summary>Whether an HTTP status is in the matcher ("200", "200,202", "200-299").</summary>
    public bool Matches(int status) =>
        (MatcherHttpCode ?? "200").Split(',').Any(part => part.Split('-') switch
        {
            [var single] => int.TryParse(single, CultureInfo.InvariantCulture, out var code) && code == status,
            [var from, var to] => int.TryParse(from, CultureInfo.InvariantCulture, out var low) && int.TryParse(to, CultureInfo.InvariantCulture, out var high)
                && status >= low && status <= high,
            _ => false,
        });
}

/// <summary>Health-check defaults per protocol and target type (aws-semantics 3.4) and the ranges AWS enforces.</summary>
public static class HealthChecks
{
    public const int MinInterval = 5, MaxInterval = 300;
    public const int MinTimeout = 2, MaxTimeout = 120;
    public const int MinThreshold = 2, MaxThreshold = 10;

    public static HealthCheckSettings Defaults(string? protocol, string targetType, string? healthCheckProtocol = null)
    {
        if (targetType == TargetTypes.Lambda)
            return new(false, null, null, "/", 35, 30, 5, 2, "200", null);
        if (protocol == TargetGroupProtocols.Geneve)
            return new(true, TargetGroupProtocols.Tcp, "80", null, 10, 5, 5, 2, "200-399", null);
        if (TargetGroupProtocols.IsApplication(protocol))
            return new(true, healthCheckProtocol ?? TargetGroupProtocols.Http, HealthCheckSettings.TrafficPort, "/", 30, 5, 5, 2, "200", null);
        // Network Load Balancer groups check over TCP unless told otherwise; an HTTP check there waits 6 s, others 10 s.
        var checkProtocol = healthCheckProtocol ?? TargetGroupProtocols.Tcp;
        var http = checkProtocol is TargetGroupProtocols.Http or TargetGroupProtocols.Https;
        return new(true, checkProtocol, HealthCheckSettings.TrafficPort, http ? "/" : null, 30, checkProtocol == TargetGroupProtocols.Http ? 6 : 10, 5, 2,
            "200-399", null);
    }

    /// <summary>The settings a create request resolves to, or the error AWS gives for them.</summary>
    public static Result<HealthCheckSettings> Resolve(string? protocol, string targetType, HealthCheckRequest request) =>
        Apply(Defaults(protocol, targetType, request.Protocol), protocol, targetType, request);

    /// <summary>A modification applied over the settings in force, validated as a whole.</summary>
    public static Result<HealthCheckSettings> Apply(HealthCheckSettings current, string? protocol, string targetType, HealthCheckRequest request)
    {
        var checkProtocol = request.Protocol ?? current.Protocol;
        var httpCheck = checkProtocol is TargetGroupProtocols.Http or TargetGroupProtocols.Https;
        var next = new HealthCheckSettings(
            request.Enabled ?? current.Enabled,
            checkProtocol,
            request.Port ?? current.Port,
            request.Path ?? (httpCheck ? current.Path ?? "/" : current.Path),
            request.IntervalSeconds ?? current.IntervalSeconds,
            request.TimeoutSeconds ?? current.TimeoutSeconds,
            request.HealthyThresholdCount ?? current.HealthyThresholdCount,
            request.UnhealthyThresholdCount ?? current.UnhealthyThresholdCount,
            request.MatcherHttpCode ?? current.MatcherHttpCode,
            request.MatcherGrpcCode ?? current.MatcherGrpcCode);
        return Validate(next, protocol, targetType, request) is { } error ? error : next;
    }

    private static AwsError? Validate(HealthCheckSettings settings, string? protocol, string targetType, HealthCheckRequest request)
    {
        if (!settings.Enabled && targetType is TargetTypes.Instance or TargetTypes.Ip or TargetTypes.Alb)
            return TargetGroupErrors.InvalidConfiguration($"Health checks cannot be disabled for target groups with the target type '{targetType}'");
        if (settings.Protocol is { } p && p is not (TargetGroupProtocols.Http or TargetGroupProtocols.Https or TargetGroupProtocols.Tcp))
            return TargetGroupErrors.Validation($"Health check protocol '{p}' must be one of HTTP, HTTPS, TCP");
        if (TargetGroupProtocols.IsApplication(protocol) && settings.Protocol == TargetGroupProtocols.Tcp)
            return TargetGroupErrors.InvalidConfiguration($"Health check protocol 'TCP' is not supported for target groups with the protocol '{protocol}'");
        if (settings.Port is { } port && port != HealthCheckSettings.TrafficPort
            && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535))
            return TargetGroupErrors.Validation($"Health check port '{port}' must be 'traffic-port' or a number between 1 and 65535");
        if (settings.Path is { } path && (path.Length is 0 or > 1024 || !path.StartsWith('/')))
            return TargetGroupErrors.Validation("Health check path must begin with a '/' character and be at most 1024 characters long");
        if (request.Path is not null && !settings.UsesHttp)
            return TargetGroupErrors.InvalidConfiguration("A health check path can only be set for HTTP and HTTPS health checks");
        if (settings.IntervalSeconds is < MinInterval or > MaxInterval)
            return TargetGroupErrors.Validation($"Health check interval must be between {MinInterval} and {MaxInterval} seconds");
        if (settings.TimeoutSeconds is < MinTimeout or > MaxTimeout)
            return TargetGroupErrors.Validation($"Health check timeout must be between {MinTimeout} and {MaxTimeout} seconds");
        if (settings.TimeoutSeconds >= settings.IntervalSeconds)
            return TargetGroupErrors.InvalidConfiguration("Health check timeout must be smaller than the interval");
        if (settings.HealthyThresholdCount is < MinThreshold or > MaxThreshold)
            return TargetGroupErrors.Validation($"Healthy threshold count must be between {MinThreshold} and {MaxThreshold}");
        if (settings.UnhealthyThresholdCount is < MinThreshold or > MaxThreshold)
            return TargetGroupErrors.Validation($"Unhealthy threshold count must be between {MinThreshold} and {MaxThreshold}");
        if (request.MatcherHttpCode is { } matcher && !ValidMatcher(matcher, TargetGroupProtocols.IsApplication(protocol) ? 499 : 599))
            return TargetGroupErrors.Validation($"Health check matcher HTTP code '{matcher}' must be within 200-{(TargetGroupProtocols.IsApplication(protocol) ? 499 : 599)}");
        return null;
    }

    private static bool ValidMatcher(string matcher, int max) =>
        matcher.Split(',').All(part => part.Split('-') is { Length: 1 or 2 } bounds
            && bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code >= 200 && code <= max)
            && (bounds.Length == 1 || int.Parse(bounds[0], CultureInfo.InvariantCulture) <= int.Parse(bounds[1], CultureInfo.InvariantCulture)));
}
