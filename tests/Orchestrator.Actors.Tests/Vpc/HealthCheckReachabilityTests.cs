using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Tests.Vpc;

/// <summary>
/// An application load balancer's health checks cross the network as in AWS: until the targets'
/// security group admits the balancer's group on the check port, probes time out (Target.Timeout).
/// </summary>
public sealed class HealthCheckReachabilityTests : EntityTestKit
{
    private readonly Ec2Service _ec2;
    private readonly SecurityGroupService _groups;
    private readonly TargetGroupService _targetGroups;
    private readonly LoadBalancerService _balancers;

    public HealthCheckReachabilityTests()
    {
        _ec2 = new Ec2Service(Services);
        _groups = new SecurityGroupService(Services);
        _targetGroups = new TargetGroupService(Services, "000000000000");
        _balancers = new LoadBalancerService(Services, "us-east-1", "000000000000");
    }

    private static T Ok<T>(Result<T> result)
    {
        Assert.False(result.IsError, result.Error?.ToString());
        return result.Value;
    }

    private static PermissionRequest Tcp(int port, PermissionPeer peer) => new("tcp", port, port, [peer]);

    /// <summary>Moves time a second at a time and lets every probe round that fell due finish before moving on.</summary>
    private async Task Step(TargetGroup group, TimeSpan by)
    {
        var gathering = PersistenceIds.For(TargetGroupKinds.TargetGroup, 1, group.TargetGroupId) + "/gather";
        for (var i = 0; i < (int)by.TotalSeconds; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Settle();
            await Router.Ask<object>(TargetGroupKinds.TargetGroup, group.TargetGroupId, new EntityQueries.GetState(), TimeSpan.FromSeconds(5));
            AwaitCondition(() => !Clock.AnyPending(gathering), TimeSpan.FromSeconds(15)); // generous: the machine may be busy
        }
    }

    private async Task<TargetHealthView> Health(TargetGroup group) => Assert.Single(Ok(await _targetGroups.Health(group.TargetGroupArn, []))).Health;

    [Fact]
    public async Task Probes_time_out_until_the_target_group_admits_the_balancer_group_on_the_check_port()
    {
        var vpcId = Ok(await _ec2.CreateVpc("10.5.0.0/16", null, null)).VpcId;
        Touch(Ec2Kinds.Vpc, vpcId);
        var subnetA = Ok(await _ec2.CreateSubnet(vpcId, "10.5.0.0/24", "us-east-1a", null, null)).SubnetId;
        var subnetB = Ok(await _ec2.CreateSubnet(vpcId, "10.5.1.0/24", "us-east-1b", null, null)).SubnetId;
        var albSg = Ok(await _groups.CreateSecurityGroup("alb", "alb", vpcId, null)).GroupId;
        Ok(await _groups.Authorize(albSg, null, false, [Tcp(80, new PermissionPeer(CidrIpv4: "0.0.0.0/0"))], null));
        var appSg = Ok(await _groups.CreateSecurityGroup("app", "app", vpcId, null)).GroupId;
        var instance = Assert.Single(Ok(await _ec2.Launch(new LaunchRequest("ami-0c02fb55956c7d316", "t3.micro", SubnetId: subnetA, SecurityGroupIds: [appSg]))).Instances).InstanceId;
        Touch(Ec2Kinds.Instance, instance);
        Advance(InstanceTimings.Boot);

        var group = Ok(await _targetGroups.Create("web", "HTTP", null, 80, vpcId, null, null, new HealthCheckRequest(), null));
        Ok(await _targetGroups.Register(group.TargetGroupArn, [new TargetRegistration(instance)]));
        var lb = Ok(await _balancers.Create(new CreateLoadBalancerRequest("web", [subnetA, subnetB], [albSg], Scheme: "internal")));
        Ok(await _balancers.CreateListener(lb.LoadBalancerArn, new ListenerSettings("HTTP", 80, null, null, [ElbAction.ForwardTo(group.TargetGroupArn)]), ImmutableDictionary<string, string>.Empty));

        await Step(group, TimeSpan.FromSeconds(95));
        var blocked = await Health(group);
        Assert.Equal((TargetHealthStates.Unhealthy, TargetHealth.TimeoutReason), (blocked.State, blocked.Reason));

        Ok(await _groups.Authorize(appSg, null, false, [Tcp(80, new PermissionPeer(GroupId: albSg))], null));
        await Step(group, TimeSpan.FromSeconds(5 * 30 + 5));
        Assert.Equal(TargetHealthStates.Healthy, (await Health(group)).State);
    }
}
