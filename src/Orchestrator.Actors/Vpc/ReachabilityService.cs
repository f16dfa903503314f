using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Vpc;

/// <summary>
/// Gathers a VPC's snapshot (the VPC entity's own state; instances, security groups and gateways
/// from the read model; the live zone status) and asks the pure evaluator. Nothing is persisted.
/// </summary>
public sealed class ReachabilityService(EntityServices services)
{
    private readonly VpcNetworkService _vpcs = new(services);

    private RegionState Region => services.Region.Current;

    /// <summary>From one instance to another instance or to the internet (<see cref="Reachability.Internet"/>).</summary>
    public async Task<Result<ReachabilityVerdict>> Reach(string sourceId, string destination, Flow flow, CancellationToken cancellationToken = default)
    {
        var source = await Instance(sourceId).ConfigureAwait(false);
        if (source.IsError)
            return source.Error!;
        if (source.Value.VpcId is not { } vpcId)
            return new AwsError("IncorrectInstanceState", $"The instance '{sourceId}' is {source.Value.State.Name} and has no network interface.");
        if (destination != Reachability.Internet)
        {
            var target = await Instance(destination).ConfigureAwait(false);
            if (target.IsError)
                return target.Error!;
        }
        var snapshot = await Snapshot(vpcId, cancellationToken).ConfigureAwait(false);
        if (snapshot.IsError)
            return snapshot.Error!;
        if (destination != Reachability.Internet)
        {
            // An instance of another VPC joins the snapshot so the evaluator can say why it is out of reach.
            var others = (await services.Index.List(Ec2Kinds.Instance, Region.Generation).ConfigureAwait(false)).Cast<InstanceView>().Where(i => i.InstanceId == destination && i.VpcId != vpcId);
            snapshot = snapshot.Value with { Instances = snapshot.Value.Instances.AddRange(others) };
        }
        return destination == Reachability.Internet
            ? Reachability.InstanceToInternet(snapshot.Value, sourceId, flow)
            : Reachability.InstanceToInstance(snapshot.Value, sourceId, destination, flow);
    }

    /// <summary>Every subnet of the VPC with its way to the internet, or what blocks it.</summary>
    public async Task<Result<IReadOnlyList<SubnetEgress>>> Egress(string vpcId, Flow flow, CancellationToken cancellationToken = default)
    {
        var snapshot = await Snapshot(vpcId, cancellationToken).ConfigureAwait(false);
        return snapshot.IsError ? snapshot.Error! : Result<IReadOnlyList<SubnetEgress>>.Ok(Reachability.SubnetEgress(snapshot.Value, flow));
    }

    /// <summary>
    /// The instances of a health-check round that no load balancer using the group reaches on the check
    /// port. A VPC or balancer the read model does not know yet leaves the probes to decide alone.
    /// </summary>
    public async Task<ReachabilityQueries.PathVerdicts> HealthCheck(ReachabilityQueries.HealthCheckPaths query, CancellationToken cancellationToken = default)
    {
        var snapshot = await Snapshot(query.VpcId, cancellationToken).ConfigureAwait(false);
        var balancers = new List<LoadBalancerView>();
        foreach (var arn in query.LoadBalancerArns)
            if (ElbArn.TryParse(arn, out var parsed)
                && await services.Index.Get(LoadBalancerKinds.LoadBalancer, parsed.Id, Region.Generation).ConfigureAwait(false) is LoadBalancerView lb)
                balancers.Add(lb);
        if (snapshot.IsError || balancers.Count == 0)
            return new ReachabilityQueries.PathVerdicts([]);
        return new ReachabilityQueries.PathVerdicts([.. query.Targets.Where(target => !balancers.Any(lb =>
            Reachability.LoadBalancerToInstance(snapshot.Value, lb.LoadBalancerName, lb.SecurityGroups,
                [.. lb.AvailabilityZones.Select(z => z.SubnetId)], target.InstanceId, Flow.Tcp(target.Port)).Reachable))]);
    }

    public async Task<Result<NetworkSnapshot>> Snapshot(string vpcId, CancellationToken cancellationToken = default)
    {
        var vpc = await _vpcs.Vpc(vpcId, cancellationToken).ConfigureAwait(false);
        if (vpc.IsError)
            return vpc.Error!;
        var generation = Region.Generation;
        async Task<IEnumerable<T>> List<T>(string kind) => (await services.Index.List(kind, generation).ConfigureAwait(false)).Cast<T>();
        return new NetworkSnapshot(
            vpc.Value,
            Region.Status,
            [.. (await List<InstanceView>(Ec2Kinds.Instance).ConfigureAwait(false)).Where(i => i.VpcId == vpcId)],
            [.. (await List<SecurityGroupView>(SecurityGroupKinds.SecurityGroup).ConfigureAwait(false)).Where(g => g.VpcId == vpcId)],
            [.. (await List<NatGatewayView>(NetworkKinds.NatGateway).ConfigureAwait(false)).Where(n => n.VpcId == vpcId)],
            [.. await List<InternetGatewayView>(NetworkKinds.InternetGateway).ConfigureAwait(false)],
            [.. await List<ElasticAddressView>(NetworkKinds.Address).ConfigureAwait(false)]);
    }

    private async Task<Result<InstanceView>> Instance(string instanceId)
    {
        if (!AwsIds.IsWellFormed(instanceId, "i"))
            return Ec2Errors.InstanceIdMalformed(instanceId);
        return await services.Index.Get(Ec2Kinds.Instance, instanceId, Region.Generation).ConfigureAwait(false) is InstanceView view
            ? view
            : Ec2Errors.InstanceNotFound(instanceId);
    }
}
