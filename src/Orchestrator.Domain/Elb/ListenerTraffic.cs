using System.Collections.Immutable;

namespace Orchestrator.Domain.Elb;

/// <summary>One HTTP request arriving at a listener, as routing sees it. Header names are lower case.</summary>
public sealed record ListenerRequest(
    string Method,
    string Host,
    string Path,
    ImmutableArray<KeyValuePair<string, string>> Query,
    ImmutableDictionary<string, string> Headers,
    string SourceIp,
    string? StickyTarget);

/// <summary>
/// What a load balancer's router decided for one request. Exactly one of the cases: forward to a
/// target (Sequence numbers the requests that target received, OfferedPerSecond is its current load),
/// answer itself (a fixed response, a redirect, or an error such as 503 without registered targets).
/// </summary>
public sealed record RouteDecision(
    RouteDecisionKind Kind,
    int StatusCode,
    string? ContentType = null,
    string? Body = null,
    string? Location = null,
    RoutableTarget? Target = null,
    string? TargetGroupArn = null,
    long Sequence = 0,
    double OfferedPerSecond = 0,
    bool FailOpen = false,
    bool StickinessEnabled = false,
    int StickinessDurationSeconds = 0);

public enum RouteDecisionKind
{
    Forward,
    Respond,
}

/// <summary>The load balancer's own timeouts (aws-semantics 3.6): 10 s to connect, the idle timeout (60 s by default) to answer.</summary>
public static class ListenerTimeouts
{
    public static readonly TimeSpan Connect = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromSeconds(60);
}

/// <summary>What a listener port asks a load balancer's router.</summary>
public static class RouterRequests
{
    /// <summary>Answered with a <see cref="RouteDecision"/>.</summary>
    public sealed record Route(string LoadBalancerId, int Port, ListenerRequest Request);

    /// <summary>A forwarded request finished (least outstanding requests counts in-flight requests; metrics count outcomes).</summary>
    public sealed record Completed(string LoadBalancerId, RoutableTarget Target, string TargetGroupArn, int StatusCode, bool FromTarget, TimeSpan Latency);
}
