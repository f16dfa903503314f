namespace Orchestrator.Domain.Ec2;

/// <summary>
/// How often AWS publishes an instance's AWS/EC2 metrics: every 5 minutes with basic monitoring,
/// every minute with detailed, and nothing while the instance is not running.
/// </summary>
public static class InstanceMonitoring
{
    public static readonly TimeSpan BasicPeriod = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DetailedPeriod = TimeSpan.FromMinutes(1);

    public static TimeSpan Period(Instance instance) => instance.DetailedMonitoring ? DetailedPeriod : BasicPeriod;

    public static TimeSpan? PublishingPeriod(Instance instance) => instance.State == InstanceStateName.Running ? Period(instance) : null;
}
