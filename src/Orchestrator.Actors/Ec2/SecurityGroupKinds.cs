using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Ec2;

namespace Orchestrator.Actors.Ec2;

/// <summary>Security groups: one entity per group, projected as one <see cref="SecurityGroupView"/> row (rules included).</summary>
public static class SecurityGroupKinds
{
    public const string SecurityGroup = "security-group";

    public static EntityDefinition<SecurityGroup, ISecurityGroupCommand, ISecurityGroupEvent> Definition() => new(
        SecurityGroup,
        new SecurityGroupBehavior(),
        state => [new IndexRow(SecurityGroup, state.GroupId, SecurityGroupView.From(state))]);

    /// <summary>Groups only change when asked, so nothing needs them awake after a node dies.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var definition = Definition();
        yield return new EntityKind(SecurityGroup, id => Props.Create(() => new EntityActor<SecurityGroup, ISecurityGroupCommand, ISecurityGroupEvent>(definition, id, services)), RememberEntities: false);
    }
}
