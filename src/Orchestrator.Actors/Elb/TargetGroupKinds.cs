using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>Target groups: one entity per group (keyed by the 16-hex id of its ARN).</summary>
public static class TargetGroupKinds
{
    public const string TargetGroup = "target-group";

    public static IEnumerable<EntityKind> All(EntityServices services) => [];
}

public static class TargetGroupMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("elbv2.target-group.command", typeof(TargetGroupCommands));
        MessageRegistry.RegisterAll("elbv2.target-group.query", typeof(TargetGroupQueries));
        MessageRegistry.RegisterAll("elbv2.target-group", typeof(TargetGroupView), typeof(TargetGroupRouting), typeof(RoutableTarget));
    }
}
