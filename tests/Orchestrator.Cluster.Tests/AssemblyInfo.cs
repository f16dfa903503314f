// Every test here starts real node processes and a PostgreSQL server: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true, MaxParallelThreads = 1)]

namespace Orchestrator.Cluster.Tests;

/// <summary>The one collection of cluster tests (serial: they compete for CPU and time out otherwise).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";

    /// <summary>The trait CI filters on: the fast suites run with Category!=Cluster, these in their own step.</summary>
    public const string Category = "Cluster";
}
