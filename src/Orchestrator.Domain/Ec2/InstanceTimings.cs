namespace Orchestrator.Domain.Ec2;

/// <summary>
/// Simulated durations (AWS specifies none; these sit well inside the CLI waiters' 15 s x 40 polls).
/// Every time-dependent field stores the absolute sim time computed from these.
/// </summary>
public static class InstanceTimings
{
    public static readonly TimeSpan Boot = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(10);

    /// <summary>A forced stop skips the guest's orderly shutdown.</summary>
    public static readonly TimeSpan ForcedStop = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan ShutDown = TimeSpan.FromSeconds(10);

    /// <summary>The instance stays running, but its application does not answer while the guest restarts.</summary>
    public static readonly TimeSpan Reboot = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan TerminatedVisibility = TimeSpan.FromHours(1);

    /// <summary>Status checks read initializing for this long after the instance starts running.</summary>
    public static readonly TimeSpan StatusChecksInitializing = TimeSpan.FromMinutes(2);

    /// <summary>How long a Slow application takes to answer unless the fault says otherwise (beyond the ALB's 5 s default timeout).</summary>
    public static readonly TimeSpan SlowResponse = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan HealthyResponse = TimeSpan.FromMilliseconds(5);
}
