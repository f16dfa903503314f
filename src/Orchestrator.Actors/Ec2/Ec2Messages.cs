using Orchestrator.Actors.Serialization;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>The manifests of everything EC2 and VPC persist or send between nodes.</summary>
public static class Ec2Messages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("common", typeof(TagRemoval));
        MessageRegistry.RegisterAll("ec2.instance.command", typeof(InstanceCommands));
        MessageRegistry.RegisterAll("ec2.instance.event", typeof(InstanceEvents));
        MessageRegistry.RegisterAll("ec2.instance", typeof(Instance), typeof(InstanceLaunchSpec), typeof(LaunchTemplateReference),
            typeof(StateReason), typeof(BillingMeter), typeof(InstanceView), typeof(InstanceStateView), typeof(InstanceStateChange));
        MessageRegistry.RegisterAll("ec2.instance.query", typeof(InstanceQueries));
        MessageRegistry.RegisterAll("ec2.instance", typeof(ProbeAnswer), typeof(ServedRequest), typeof(ServedLoad), typeof(InstanceStatusView), typeof(StatusCheck));
        MessageRegistry.RegisterAll("ec2.launch-template.command", typeof(LaunchTemplateCommands));
        MessageRegistry.RegisterAll("ec2.launch-template.event", typeof(LaunchTemplateEvents));
        MessageRegistry.RegisterAll("ec2.launch-template", typeof(LaunchTemplate), typeof(LaunchTemplateData), typeof(LaunchTemplateVersion),
            typeof(LaunchTemplateTagSpecification), typeof(LaunchTemplateView), typeof(LaunchTemplateVersionView));
        MessageRegistry.RegisterAll("ec2.security-group.command", typeof(SecurityGroupCommands));
        MessageRegistry.RegisterAll("ec2.security-group.event", typeof(SecurityGroupEvents));
        MessageRegistry.RegisterAll("ec2.security-group", typeof(SecurityGroup), typeof(SecurityGroupRule), typeof(RuleSpec), typeof(SecurityGroupView),
            typeof(RuleReplacement), typeof(RuleDescriptionUpdate));
        MessageRegistry.RegisterAll("vpc.command", typeof(VpcCommands));
        MessageRegistry.RegisterAll("vpc.event", typeof(VpcEvents));
        MessageRegistry.RegisterAll("vpc", typeof(VpcState), typeof(Subnet), typeof(VpcView), typeof(SubnetView), typeof(RouteTableView), typeof(NetworkAclView));
        NetworkMessages.Register();
    }
}
