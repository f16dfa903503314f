using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>
/// A load balancer's data plane: the transient routing view of one load balancer (its listeners and
/// rules, and the health of every target group they forward to). Kept apart from the persistent
/// entity so requests never queue behind control-plane writes, and so what is lost in a shard
/// hand-off is only a view: on start, and whenever the load balancer changes, it reads the entity
/// and asks each target group for its routing again; in between, published health changes keep it
/// current. It also counts what it routes and publishes AWS/ApplicationELB every minute.
/// </summary>
public sealed class LoadBalancerRouter : ReceiveActor, IWithStash
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MetricsPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often the fluid flow is re-spread over the targets (and reported to their instances).</summary>
    public static readonly TimeSpan FluidTick = TimeSpan.FromSeconds(10);

    private readonly string _loadBalancerId;
    private readonly EntityServices _services;
    private readonly TargetBalancer _targets = new();
    private readonly Dictionary<string, TargetGroupRouting> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TargetLoad> _load = new(StringComparer.Ordinal);
    // Requests counted per minute (keyed by the minute's start) and per target group ("" for the load balancer's own answers).
    private readonly SortedDictionary<DateTimeOffset, Dictionary<string, RequestCounters>> _minutes = [];
    // Flow ticks whose answers are still out, per minute: a minute is published only once they are in.
    private readonly Dictionary<DateTimeOffset, int> _flowsOut = [];
    private readonly HashSet<DateTimeOffset> _publishWhenIn = [];
    private readonly Dictionary<string, double> _fluidRates = new(StringComparer.Ordinal);
    // The load balancer's OfferedLoadPerSecond as last read: the fluid flow this router spreads.
    private double _offeredPerSecond;
    private bool _metricsArmed;
    private LoadBalancer? _balancer;
    private int _entryRotation;
    private long _syncVersion;

    public LoadBalancerRouter(string loadBalancerId, EntityServices services)
    {
        (_loadBalancerId, _services) = (loadBalancerId, services);
        Syncing();
    }

    public IStash Stash { get; set; } = null!;

    private string Owner => $"{ElbKinds.Router}-{_loadBalancerId}";

    private sealed record Synced(long Version, LoadBalancer? Balancer, ImmutableArray<TargetGroupRouting> Groups);

    private sealed record PublishMetrics(DateTimeOffset At);

    private sealed record SpreadFlow(DateTimeOffset At);

    private sealed record FlowServed(DateTimeOffset At, ImmutableArray<(string TargetGroupArn, double Requests, ServedLoad? Answer)> Parts, double Unrouted);

    private sealed record StopRouter;

    protected override void PreStart() => Resync();

    protected override void PostStop() => _services.Scheduler.CancelAll(Owner);

    private void Syncing()
    {
        Receive<Synced>(synced => synced.Version == _syncVersion, synced =>
        {
            Apply(synced);
            Become(Routing);
            Stash.UnstashAll();
        });
        Receive<Synced>(_ => { });
        Receive<LoadBalancerRouterMessages.LoadBalancerChanged>(_ => Resync());
        Receive<LoadBalancerRouterMessages.TargetGroupChanged>(changed => _groups[changed.Routing.TargetGroupArn] = changed.Routing);
        Receive<Status.Failure>(_ => Resync());
        ReceiveAny(_ => Stash.Stash());
    }

    private void Routing()
    {
        Receive<RouterRequests.Route>(route => Sender.Tell(Decide(route)));
        Receive<RouterRequests.Completed>(Complete);
        Receive<LoadBalancerRouterMessages.TargetGroupChanged>(changed => _groups[changed.Routing.TargetGroupArn] = changed.Routing);
        Receive<LoadBalancerRouterMessages.LoadBalancerChanged>(_ =>
        {
            Resync();
            Become(Syncing);
        });
        Receive<PublishMetrics>(tick => Publish(tick.At));
        Receive<SpreadFlow>(tick => Spread(tick.At));
        Receive<FlowServed>(Count);
        Receive<StopRouter>(_ => Context.Stop(Self));
        Receive<Synced>(_ => { });
    }

    /// <summary>Reads the load balancer and the routing of every group it forwards to; the newest read wins.</summary>
    private void Resync()
    {
        var version = ++_syncVersion;
        var router = _services.Router;
        var id = _loadBalancerId;
        Task.Run(async () =>
        {
            var reply = await router.Ask<object>(LoadBalancerKinds.LoadBalancer, id, new EntityQueries.GetState(), AskTimeout).ConfigureAwait(false);
            var balancer = (reply as EntityReplies.Accepted)?.State as LoadBalancer;
            if (balancer is null)
                return new Synced(version, null, []);
            var groups = await Task.WhenAll(balancer.ForwardedTargetGroupArns()
                .Select(arn => ElbArn.TryParse(arn, out var parsed) ? parsed.Id : null)
                .OfType<string>()
                .Select(async groupId => await router.Ask<object>(TargetGroupKinds.TargetGroup, groupId, new TargetGroupQueries.Routing(groupId), AskTimeout).ConfigureAwait(false)))
                .ConfigureAwait(false);
            return new Synced(version, balancer, [.. groups.OfType<TargetGroupRouting>()]);
        }).PipeTo(Self);
    }

    private void Apply(Synced synced)
    {
        _balancer = synced.Balancer;
        foreach (var group in synced.Groups)
            _groups[group.TargetGroupArn] = group;
        if (_balancer is null)
        {
            // Deleted: nothing to route; the next message (if any) starts a fresh router.
            Context.Parent.Tell(new Passivate(new StopRouter()));
            return;
        }
        var starting = _offeredPerSecond <= 0 && _balancer.OfferedLoadPerSecond > 0;
        _offeredPerSecond = _balancer.OfferedLoadPerSecond;
        if (starting)
            Self.Tell(new SpreadFlow(_services.Clock.Now));
        var used = _balancer.ForwardedTargetGroupArns();
        foreach (var stale in _groups.Keys.Where(arn => !used.Contains(arn)).ToArray())
            _groups.Remove(stale);
        // Armed once: re-arming on every resync could push a boundary that is due now to the next minute, merging two minutes' counts.
        if (!_metricsArmed)
        {
            var next = NextMinute(_services.Clock.Now);
            _services.Scheduler.Schedule(Owner, "metrics", next, Self, new PublishMetrics(next));
            _metricsArmed = true;
        }
    }

    private RouteDecision Decide(RouterRequests.Route route)
    {
        var now = _services.Clock.Now;
        if (_balancer is not { State: LoadBalancerStates.Active } balancer || balancer.Listeners.Find(l => l.Port == route.Port) is not { } listener)
            return ElbError(503, "503 Service Temporarily Unavailable");
        var action = RuleMatching.Route(balancer, listener, Describe(route.Request)).Actions.LastOrDefault(a => a.IsTerminal());
        switch (action)
        {
            case { Type: ElbAction.FixedResponseType, FixedResponse: { } fixedResponse }:
                return new RouteDecision(RouteDecisionKind.Respond, int.Parse(fixedResponse.StatusCode, System.Globalization.CultureInfo.InvariantCulture),
                    fixedResponse.ContentType, fixedResponse.MessageBody ?? "");
            case { Type: ElbAction.RedirectType, Redirect: { } redirect }:
                return new RouteDecision(RouteDecisionKind.Respond, redirect.StatusCode == "HTTP_301" ? 301 : 302,
                    Location: Redirects.Location(redirect, listener.Protocol ?? "HTTP", route.Port, route.Request));
            case { Type: ElbAction.Forward }:
                return Forward(balancer, action, route, now);
            default:
                return ElbError(503, "503 Service Temporarily Unavailable");
        }
    }

    private RouteDecision Forward(LoadBalancer balancer, ElbAction action, RouterRequests.Route route, DateTimeOffset now)
    {
        var groupArn = _targets.PickGroup([.. action.TargetGroups.Select(g => (g.TargetGroupArn, g.Weight))]);
        if (groupArn is null || !_groups.TryGetValue(groupArn, out var group))
            return ElbError(503, "503 Service Temporarily Unavailable");
        var region = _services.Region.Current.Status;
        var upZones = balancer.ZoneNames().Where(z => region.Zone(z) is not { IsUp: false }).ToList();
        var entryZone = upZones.Count == 0 ? null : upZones[_entryRotation++ % upZones.Count];
        var pick = _targets.Pick(group, balancer.ZoneNames(), CrossZone(balancer, group), entryZone, now, route.Request.StickyTarget);
        if (pick is null)
            return ElbError(503, "503 Service Temporarily Unavailable");
        var key = TargetBalancer.KeyOf(pick.Target);
        var load = _load.TryGetValue(key, out var known) ? known : _load[key] = new TargetLoad();
        var sequence = load.Next(now);
        _targets.Started(pick.Target);
        return new RouteDecision(RouteDecisionKind.Forward, 0, Target: pick.Target, TargetGroupArn: groupArn, Sequence: sequence,
            OfferedPerSecond: load.RatePerSecond + _fluidRates.GetValueOrDefault(key), FailOpen: pick.FailOpen, StickinessEnabled: group.StickinessEnabled,
            StickinessDurationSeconds: group.StickinessDurationSeconds);
    }

    private static HttpRequestDescription Describe(ListenerRequest request) =>
        new(request.Method, request.Host, request.Path, request.Query, [.. request.Headers],
            System.Net.IPAddress.TryParse(request.SourceIp, out var source) ? source : System.Net.IPAddress.Loopback);

    /// <summary>
    /// One fluid tick: the offered flow follows the default action of the lowest listener, is split by the
    /// forward weights and spread over each group's targets as requests would be; each instance is told
    /// the load it now carries and answers how it serves it, which the counters record as requests.
    /// </summary>
    private void Spread(DateTimeOffset at)
    {
        if (_offeredPerSecond <= 0)
        {
            _fluidRates.Clear();
            return;
        }
        _services.Scheduler.Schedule(Owner, "flow", at + FluidTick, Self, new SpreadFlow(at + FluidTick));
        var requests = _offeredPerSecond * FluidTick.TotalSeconds;
        var forward = _balancer is { State: LoadBalancerStates.Active } balancer
            ? balancer.Listeners.Where(l => l.Port is not null).OrderBy(l => l.Port).Select(l => l.DefaultActions.LastOrDefault(a => a.IsTerminal())).FirstOrDefault()
            : null;
        if (_balancer is null || forward is not { Type: ElbAction.Forward })
        {
            Self.Tell(new FlowServed(at, [], requests));
            return;
        }
        var region = _services.Region.Current.Status;
        var entryZones = _balancer.ZoneNames().Where(z => region.Zone(z) is not { IsUp: false }).ToList();
        var weights = forward.TargetGroups.Where(g => g.Weight > 0).ToList();
        var totalWeight = weights.Sum(g => g.Weight);
        var asks = new List<Task<(string, double, ServedLoad?)>>();
        var routed = 0.0;
        _fluidRates.Clear();
        foreach (var weighted in weights)
        {
            if (!_groups.TryGetValue(weighted.TargetGroupArn, out var group))
                continue;
            var groupShare = (double)weighted.Weight / totalWeight;
            foreach (var (target, share) in TargetBalancer.Shares(group, _balancer.ZoneNames(), CrossZone(_balancer, group), entryZones, at))
            {
                var perSecond = _offeredPerSecond * groupShare * share;
                var key = TargetBalancer.KeyOf(target);
                _fluidRates[key] = _fluidRates.GetValueOrDefault(key) + perSecond;
                var combined = _fluidRates[key] + (_load.TryGetValue(key, out var real) ? real.RatePerSecond : 0);
                routed += groupShare * share;
                asks.Add(AskFlow(group.TargetGroupArn, target.InstanceId, perSecond * FluidTick.TotalSeconds, combined));
            }
        }
        var unrouted = requests * Math.Max(0, 1 - routed);
        _flowsOut[MinuteOf(at)] = _flowsOut.GetValueOrDefault(MinuteOf(at)) + 1;
        Task.WhenAll(asks).ContinueWith(done => new FlowServed(at, [.. done.Result], unrouted), TaskContinuationOptions.OnlyOnRanToCompletion).PipeTo(Self);
    }

    private async Task<(string, double, ServedLoad?)> AskFlow(string targetGroupArn, string? instanceId, double requests, double offeredPerSecond)
    {
        if (instanceId is null)
            return (targetGroupArn, requests, null); // an IP no instance holds: nothing answers
        try
        {
            var answer = await _services.Router.Ask<ServedLoad>(Ec2Kinds.Instance, instanceId, new InstanceQueries.Offer(instanceId, _loadBalancerId, offeredPerSecond), AskTimeout)
                .ConfigureAwait(false);
            return (targetGroupArn, requests, answer);
        }
        catch (Exception unanswered) when (unanswered is TaskCanceledException or AskTimeoutException)
        {
            return (targetGroupArn, requests, null);
        }
    }

    private void Count(FlowServed served)
    {
        var minute = MinuteOf(served.At);
        if (_flowsOut.TryGetValue(minute, out var outstanding))
        {
            if (outstanding <= 1)
                _flowsOut.Remove(minute);
            else
                _flowsOut[minute] = outstanding - 1;
        }
        CountFlow(served);
        if (!_flowsOut.ContainsKey(minute) && _publishWhenIn.Remove(minute))
            PublishMinute(minute);
    }

    private void CountFlow(FlowServed served)
    {
        if (served.Unrouted > 0)
        {
            var elb = Counters("", served.At);
            elb.Requests += served.Unrouted;
            elb.ElbErrors += served.Unrouted;
        }
        foreach (var (groupArn, requests, answer) in served.Parts)
        {
            var counters = Counters(groupArn, served.At);
            counters.Requests += requests;
            if (answer is not { Outcome: ServeOutcome.Answered })
            {
                counters.ElbErrors += requests;
                continue;
            }
            counters.Target2xx += requests * answer.SuccessShare;
            if (answer.ErrorStatus >= 500)
                counters.Target5xx += requests * answer.ErrorShare;
            else if (answer.ErrorStatus >= 400)
                counters.Target4xx += requests * answer.ErrorShare;
            counters.Responses += requests;
            counters.ResponseSeconds += requests * answer.Latency.TotalSeconds;
        }
    }

    /// <summary>An ALB always balances across zones unless the group turns it off; other types follow the load balancer's attribute.</summary>
    private static bool CrossZone(LoadBalancer balancer, TargetGroupRouting group) => group.CrossZone switch
    {
        "true" => true,
        "false" => false,
        _ => balancer.Type == LoadBalancerTypes.Application
            || balancer.Attributes.GetValueOrDefault("load_balancing.cross_zone.enabled") == "true",
    };

    private RouteDecision ElbError(int status, string body)
    {
        var counters = Counters("", _services.Clock.Now);
        counters.Requests++;
        counters.ElbErrors++;
        return new RouteDecision(RouteDecisionKind.Respond, status, "text/html", body);
    }

    private void Complete(RouterRequests.Completed completed)
    {
        _targets.Completed(completed.Target);
        var counters = Counters(completed.TargetGroupArn, _services.Clock.Now);
        counters.Requests++;
        if (!completed.FromTarget)
            counters.ElbErrors++;
        else if (completed.StatusCode is >= 500)
            counters.Target5xx++;
        else if (completed.StatusCode is >= 400)
            counters.Target4xx++;
        else if (completed.StatusCode is >= 200 and < 300)
            counters.Target2xx++;
        if (completed.FromTarget)
        {
            counters.ResponseSeconds += completed.Latency.TotalSeconds;
            counters.Responses++;
        }
    }

    /// <summary>The counters of the minute holding at: a flow counts in the minute it was offered, however late its answers arrive.</summary>
    private RequestCounters Counters(string targetGroupArn, DateTimeOffset at)
    {
        var minute = MinuteOf(at);
        if (!_minutes.TryGetValue(minute, out var groups))
            _minutes[minute] = groups = new Dictionary<string, RequestCounters>(StringComparer.Ordinal);
        return groups.TryGetValue(targetGroupArn, out var counters) ? counters : groups[targetGroupArn] = new RequestCounters();
    }

    /// <summary>
    /// AWS/ApplicationELB for the minute that ended a flow tick ago, stamped with the minute's start as
    /// CloudWatch stamps a period; a minute whose flow answers are still out waits for them.
    /// </summary>
    private void Publish(DateTimeOffset at)
    {
        var minute = at - PublishDelay - MetricsPeriod;
        // A minute still waiting a whole minute later will not be completed: publish what it has.
        foreach (var overdue in _publishWhenIn.Where(m => m < minute).ToArray())
        {
            _publishWhenIn.Remove(overdue);
            _flowsOut.Remove(overdue);
            PublishMinute(overdue);
        }
        if (_flowsOut.ContainsKey(minute))
            _publishWhenIn.Add(minute);
        else
            PublishMinute(minute);
        var next = at + MetricsPeriod;
        _services.Scheduler.Schedule(Owner, "metrics", next, Self, new PublishMetrics(next));
    }

    private void PublishMinute(DateTimeOffset minute)
    {
        var counters = _minutes.GetValueOrDefault(minute) ?? [];
        if (_balancer is { } balancer && balancer.Type == LoadBalancerTypes.Application)
        {
            foreach (var datum in ApplicationElbMetrics.Sample(balancer, _groups.Values, counters, minute))
                _services.Metrics.Publish(datum);
        }
        _minutes.Remove(minute);
    }

    /// <summary>A minute is published one flow tick after it ends.</summary>
    private static readonly TimeSpan PublishDelay = FluidTick;

    private static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % MetricsPeriod.Ticks, TimeSpan.Zero);

    private static DateTimeOffset NextMinute(DateTimeOffset now) => MinuteOf(now) + MetricsPeriod + PublishDelay;

    /// <summary>Requests a target received per simulated second, measured over whole seconds: the load its queue sees.</summary>
    private sealed class TargetLoad
    {
        private long _second;
        private int _inSecond;
        private long _sequence;

        public double RatePerSecond { get; private set; }

        public long Next(DateTimeOffset now)
        {
            var second = now.ToUnixTimeSeconds();
            if (second != _second)
            {
                RatePerSecond = second == _second + 1 ? _inSecond : 0;
                (_second, _inSecond) = (second, 0);
            }
            _inSecond++;
            RatePerSecond = Math.Max(RatePerSecond, _inSecond);
            return _sequence++;
        }
    }
}

/// <summary>What a router counted in one minute for one target group (fluid flows count fractions of requests) ("" for requests the load balancer answered itself).</summary>
public sealed class RequestCounters
{
    public double Requests { get; set; }
    public double Target2xx { get; set; }
    public double Target4xx { get; set; }
    public double Target5xx { get; set; }
    public double ElbErrors { get; set; }
    public double Responses { get; set; }
    public double ResponseSeconds { get; set; }
}
