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
    /// <summary>Can the load balancers (by ARN) using a target group reach the instance on the health-check port? Answered with a PathVerdict.</summary>
    public sealed record HealthCheckPath(string VpcId, ImmutableArray<string> LoadBalancerArns, string InstanceId, int Port);

    public sealed record PathVerdict(string InstanceId, int Port, bool Reachable);
}

public static class ReachabilityMessages
{
    public static void Register() => MessageRegistry.RegisterAll("vpc.reachability.query", typeof(ReachabilityQueries));
}

internal sealed class ReachabilityActor : ReceiveActor
{
    public ReachabilityActor(ReachabilityService service) =>
        Receive<ReachabilityQueries.HealthCheckPath>(query => service.HealthCheck(query).PipeTo(Sender));
}
