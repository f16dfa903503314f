// Every test here starts real node processes and a PostgreSQL server: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true, MaxParallelThreads = 1)]

namespace Orchestrator.Cluster.Tests;

/// <summary>The one collection of cluster tests (serial: they compete for CPU and time out otherwise).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";

    /// <summary>The trait of these tests: `--filter Category!=Cluster` runs the fast suites alone while developing.</summary>
    public const string Category = "Cluster";
}
