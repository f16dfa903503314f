using System.Diagnostics;

namespace Orchestrator.Cluster.Tests.Infrastructure;

/// <summary>Waiting on conditions with deadlines: never a fixed sleep standing in for an assertion.</summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Evaluates <paramref name="probe"/> until it returns true; throws naming <paramref name="what"/> and the
    /// last observation (<paramref name="describe"/>) if the deadline passes first.
    /// </summary>
    public static async Task<TimeSpan> Until(Func<Task<bool>> probe, TimeSpan timeout, string what, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe().ConfigureAwait(false))
                return clock.Elapsed;
            if (clock.Elapsed >= timeout)
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0} s{(describe is null ? "" : $"; last seen: {describe()}")}");
            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }
}
