using System.Globalization;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Rds;
using Orchestrator.Actors.Vpc;
using Orchestrator.Actors.Entities;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// Reads what a drill expectation is about, the way an operator would look: zone status from the
/// region, groups and alarms from the read model, target health from the target group itself.
/// Null when the subject does not exist (which fails the expectation with "not found").
/// </summary>
public sealed class DrillObserver(EntityServices services, string accountId)
{
    public async Task<string?> Observe(Expectation expectation)
    {
        var generation = services.Region.Current.Generation;
        switch (expectation.SubjectKind, expectation.Property)
        {
            case ("zone", "state"):
                return services.Region.Current.Status.Zone(expectation.Subject)?.State.ToString().ToLowerInvariant();
            case ("zone", _):
                if (services.Region.Current.Status.Zone(expectation.Subject) is null)
                    return null;
                var instances = await services.Index.List(Ec2Kinds.Instance, generation).ConfigureAwait(false);
                return Count(instances.OfType<InstanceView>().Count(i => i.AvailabilityZone == expectation.Subject && i.State.Name == "running"));
            case ("asg", var property):
                if (await services.Index.Get(AutoScalingKinds.Group, expectation.Subject, generation).ConfigureAwait(false) is not AutoScalingGroup group)
                    return null;
                return Count(property switch
                {
                    "in-service" => group.Instances.Count(i => i.LifecycleState == LifecycleStates.InService),
                    "desired" => group.DesiredCapacity,
                    _ => group.Instances.Count,
                });
            case ("target-group", var property):
                var targetGroups = new TargetGroupService(services, accountId);
                var described = await targetGroups.Describe([], [expectation.Subject], null).ConfigureAwait(false);
                if (described.IsError || described.Value.Count == 0)
                    return null;
                var state = await targetGroups.State(described.Value[0].TargetGroupArn).ConfigureAwait(false);
                if (state.IsError)
                    return null;
                var wanted = property == "healthy" ? TargetProbeState.Healthy : TargetProbeState.Unhealthy;
                return Count(state.Value.Targets.Count(t => !t.IsDraining && t.Health.State == wanted));
            case ("instance", _):
                // What `net reach <id> internet` answers, on the port most egress is for (HTTPS).
                var verdict = await new ReachabilityService(services).Reach(expectation.Subject, Reachability.Internet, Flow.Tcp(443)).ConfigureAwait(false);
                return verdict.IsError ? null : verdict.Value.Reachable ? "yes" : "no";
            case ("db", var property):
                var db = await new RdsService(services, accountId).State(expectation.Subject).ConfigureAwait(false);
                if (db.IsError)
                    return null;
                return property switch
                {
                    "status" => db.Value.Status,
                    "primary-az" => db.Value.PrimaryZone,
                    _ => db.Value.IsServing(services.Region.Current.Status) ? "yes" : "no",
                };
            default:
                return await services.Index.Get(AlarmKinds.MetricAlarm, expectation.Subject, generation).ConfigureAwait(false) is MetricAlarm alarm
                    ? alarm.StateValue
                    : null;
        }
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
