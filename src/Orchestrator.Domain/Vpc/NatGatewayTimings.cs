namespace Orchestrator.Domain.Vpc;

/// <summary>
/// Simulated durations of a NAT gateway's transitions. AWS publishes none; real public NAT gateways
/// usually turn available one to two minutes after CreateNatGateway (Terraform and CloudFormation
/// logs show about 1.5 min), and deletion takes under a minute. At the CLI waiter's 15 s poll both
/// finish in a handful of polls.
/// </summary>
public static class NatGatewayTimings
{
    public static readonly TimeSpan Provision = TimeSpan.FromSeconds(90);

    public static readonly TimeSpan Deletion = TimeSpan.FromSeconds(30);

    /// <summary>Deleted and failed gateways stay describable for about an hour, like terminated instances.</summary>
    public static readonly TimeSpan DeletedVisibility = TimeSpan.FromHours(1);
}
