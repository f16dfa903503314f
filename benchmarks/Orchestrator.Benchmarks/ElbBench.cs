using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Vpc;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Benchmarks;

/// <summary>What the ELBv2 scenarios build through the real services: default-VPC instances, target groups, load balancers.</summary>
public sealed class ElbBench(OrchestratorNode node)
{
    public const string ImageId = "ami-0c02fb55956c7d316";

    /// <summary>The machine's load average (shared machines: other work competes for the cores).</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public Ec2Service Ec2 { get; } = new(node.Services);
    public TargetGroupService TargetGroups { get; } = new(node.Services, node.Options.AccountId);
    public LoadBalancerService LoadBalancers { get; } = new(node.Services, node.Options.Region, node.Options.AccountId);

    public async Task<(string VpcId, IReadOnlyList<SubnetView> Subnets)> DefaultVpc()
    {
        var vpc = (await Ec2.List<VpcView>(Ec2Kinds.Vpc)).Single(v => v.IsDefault);
        var subnets = (await Ec2.List<SubnetView>(Ec2Kinds.Subnet)).Where(s => s.VpcId == vpc.VpcId).OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal).ToList();
        return (vpc.VpcId, subnets);
    }

    /// <summary>RunInstances in batches (round-robin over the subnets), a few calls at once; returns the ids in launch order.</summary>
    public async Task<IReadOnlyList<string>> Launch(int count, string instanceType, IReadOnlyList<SubnetView> subnets, int batch, int inFlight)
    {
        var calls = (count + batch - 1) / batch;
        var ids = new string[calls][];
        using var gate = new SemaphoreSlim(inFlight);
        await Task.WhenAll(Enumerable.Range(0, calls).Select(async call =>
        {
            await gate.WaitAsync();
            try
            {
                var size = Math.Min(batch, count - call * batch);
                var launched = await Ec2.Launch(new LaunchRequest(ImageId, instanceType, size, size, subnets[call % subnets.Count].SubnetId));
                if (launched.IsError)
                    throw new InvalidOperationException($"launch refused: {launched.Error}");
                ids[call] = [.. launched.Value.Instances.Select(i => i.InstanceId)];
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. ids.SelectMany(i => i)];
    }

    public async Task WaitRunning(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var running = (await Ec2.List<InstanceView>(Ec2Kinds.Instance)).Count(i => i.State.Name == "running");
            if (running >= count)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{running} of {count} instances running after {timeout.TotalSeconds:F0} s");
            await Task.Delay(500);
        }
    }

    public async Task<TargetGroup> CreateGroup(string name, string vpcId)
    {
        var created = await TargetGroups.Create(name, TargetGroupProtocols.Http, null, 80, vpcId, TargetTypes.Instance, null, new HealthCheckRequest(), null);
        return created.IsError ? throw new InvalidOperationException($"target group {name} refused: {created.Error}") : created.Value;
    }

    public async Task Register(string groupArn, IEnumerable<string> instanceIds)
    {
        var registered = await TargetGroups.Register(groupArn, [.. instanceIds.Select(id => new TargetRegistration(id, 80))]);
        if (registered.IsError)
            throw new InvalidOperationException($"registration refused: {registered.Error}");
    }

    /// <summary>An ALB over the given subnets with an HTTP listener on port 80 forwarding to the group.</summary>
    public async Task<LoadBalancerView> CreateAlbForwardingTo(string name, IReadOnlyList<SubnetView> subnets, string groupArn)
    {
        var lb = await LoadBalancers.Create(new CreateLoadBalancerRequest(name, [.. subnets.Select(s => s.SubnetId)], []));
        if (lb.IsError)
            throw new InvalidOperationException($"load balancer {name} refused: {lb.Error}");
        var listener = await LoadBalancers.CreateListener(lb.Value.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(groupArn)]),
            ImmutableDictionary<string, string>.Empty);
        if (listener.IsError)
            throw new InvalidOperationException($"listener of {name} refused: {listener.Error}");
        return lb.Value;
    }

    /// <summary>Healthy targets over all groups, from DescribeTargetHealth (the group entities, live).</summary>
    public async Task<int> Healthy(IReadOnlyList<string> groupArns)
    {
        var counts = await Task.WhenAll(groupArns.Select(async arn =>
        {
            var health = await TargetGroups.Health(arn, []);
            return health.IsError ? 0 : health.Value.Count(t => t.Health.State == TargetHealthStates.Healthy);
        }));
        return counts.Sum();
    }

    public async Task WaitHealthy(IReadOnlyList<string> groupArns, int targets, TimeSpan timeout, TimeSpan poll)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var healthy = await Healthy(groupArns);
            if (healthy >= targets)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{healthy} of {targets} targets healthy after {timeout.TotalSeconds:F0} s");
            await Task.Delay(poll);
        }
    }
}

/// <summary>Counts what entities send through the node's router: the health-check probes among them.</summary>
public sealed class CountingRouter(IEntityRouter inner) : IEntityRouter
{
    private long _probes;
    private long _messages;

    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Every message sent to an entity through the router.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public Akka.Actor.IActorRef RefFor(string kind) => inner.RefFor(kind);

    public object Envelope(string entityId, object message)
    {
        Interlocked.Increment(ref _messages);
        if (message is InstanceQueries.Probe)
            Interlocked.Increment(ref _probes);
        return inner.Envelope(entityId, message);
    }

    /// <summary>Puts a counter between the node's entities and its shard regions.</summary>
    public static CountingRouter Install(OrchestratorNode node)
    {
        var counting = new CountingRouter(node.Router);
        ((DeferredEntityRouter)node.Services.Router).Inner = counting;
        return counting;
    }
}
