using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Actors.Vpc;

/// <summary>
/// Reachability answered inside the cluster, for entities whose decisions depend on it (a target
/// group's health checks). One stateless actor per VPC id, sharded like the entities: it keeps and
/// persists nothing, and reads the VPC afresh for each question.
/// </summary>
public static class ReachabilityKinds
{
    public const string Reachability = "vpc-reachability";

    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var service = new ReachabilityService(services);
        yield return new EntityKind(Reachability, _ => Props.Create(() => new ReachabilityActor(service)), RememberEntities: false);
    }
}

public static class ReachabilityQueries
{
    public sealed record InstancePort(string InstanceId, int Port);

    /// <summary>
    /// One health-check round's question: which of these instances can the load balancers (by ARN) using a
    /// target group not reach on their check ports? One snapshot answers the whole round. Answered with PathVerdicts.
    /// </summary>
    public sealed record HealthCheckPaths(string VpcId, ImmutableArray<string> LoadBalancerArns, ImmutableArray<InstancePort> Targets);

    public sealed record PathVerdicts(ImmutableArray<InstancePort> Unreachable);
}

public static class ReachabilityMessages
{
    public static void Register() => MessageRegistry.RegisterAll("vpc.reachability.query", typeof(ReachabilityQueries));
}

internal sealed class ReachabilityActor : ReceiveActor
{
    public ReachabilityActor(ReachabilityService service) =>
        Receive<ReachabilityQueries.HealthCheckPaths>(query => service.HealthCheck(query).PipeTo(Sender));
}
