using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>The answer a listener port sends back to the client.</summary>
public sealed record ListenerResponse(int StatusCode, ImmutableDictionary<string, string> Headers, string Body, TimeSpan WallDelay);

/// <summary>
/// One real request through a listener: the router decides (rules, target choice), the target
/// instance answers from its model, and the load balancer maps that to what AWS's ALB sends
/// (aws-semantics 3.6): the target's own status; 502 when the connection is reset (a rebooting
/// instance); 504 when nothing answers within the 10 s connect timeout (an instance stopped or cut
/// off by a network outage) or the answer outlasts the idle timeout. Simulated latency is served as wall
/// time divided by the time scale, so a compressed hour keeps its shape.
/// </summary>
public sealed class ListenerTraffic(EntityServices services)
{
    public const string InstanceHeader = "x-orchestrator-instance-id";
    public const string ZoneHeader = "x-orchestrator-availability-zone";
    public const string TargetGroupHeader = "x-orchestrator-target-group";
    public const string StickyCookie = "AWSALB";

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public async Task<ListenerResponse> Handle(string loadBalancerId, int port, ListenerRequest request, CancellationToken cancellationToken)
    {
        var decision = await services.Router.Ask<RouteDecision>(ElbKinds.Router, loadBalancerId, new RouterRequests.Route(loadBalancerId, port, request), AskTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (decision is not { Kind: RouteDecisionKind.Forward, Target: { } target })
            return Respond(decision);
        // An IP target that no instance holds never answers.
        var served = target.InstanceId is { } instanceId
            ? await services.Router.Ask<ServedRequest>(Ec2Kinds.Instance, instanceId, new InstanceQueries.Serve(instanceId, loadBalancerId, decision.OfferedPerSecond, decision.Sequence), AskTimeout, cancellationToken)
                .ConfigureAwait(false)
            : new ServedRequest(ServeOutcome.NoResponse, 0, TimeSpan.Zero, 0);
        var (status, fromTarget, latency) = served switch
        {
            { Outcome: ServeOutcome.NoResponse } => (504, false, ListenerTimeouts.Connect),
            { Outcome: ServeOutcome.Refused } => (502, false, TimeSpan.Zero),
            { Latency: var slow } when slow > ListenerTimeouts.DefaultIdle => (504, false, ListenerTimeouts.DefaultIdle),
            _ => (served.StatusCode, true, served.Latency),
        };
        services.Router.Tell(ElbKinds.Router, loadBalancerId, new RouterRequests.Completed(loadBalancerId, target, decision.TargetGroupArn!, status, fromTarget, latency));
        var headers = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        headers[InstanceHeader] = target.InstanceId ?? target.Id;
        if (target.AvailabilityZone is { } zone)
            headers[ZoneHeader] = zone;
        headers[TargetGroupHeader] = decision.TargetGroupArn!;
        headers["content-type"] = "text/plain; charset=utf-8";
        if (decision.StickinessEnabled)
            headers["set-cookie"] = $"{StickyCookie}={TargetBalancer.KeyOf(target)}; Max-Age={decision.StickinessDurationSeconds}; Path=/";
        var body = fromTarget ? $"{status} from {target.InstanceId ?? target.Id} in {target.AvailabilityZone}\n" : status == 502 ? "502 Bad Gateway\n" : "504 Gateway Time-out\n";
        return new ListenerResponse(status, headers.ToImmutable(), body, WallDelay(latency));
    }

    private ListenerResponse Respond(RouteDecision decision)
    {
        var headers = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        headers["content-type"] = decision.ContentType ?? "text/plain; charset=utf-8";
        if (decision.Location is { } location)
            headers["location"] = location;
        return new ListenerResponse(decision.StatusCode, headers.ToImmutable(), decision.Body ?? "", TimeSpan.Zero);
    }

    private TimeSpan WallDelay(TimeSpan simulated)
    {
        var clock = services.Region.Current.Clock;
        return clock.Paused || clock.Scale <= 0 ? TimeSpan.Zero : simulated / clock.Scale;
    }
}
