using Orchestrator.Actors.Clock;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Entities;

/// <summary>What every entity is given by its node: time, routing, the region's status, reads and metrics.</summary>
public sealed record EntityServices(
    ISimClock Clock,
    ISimScheduler Scheduler,
    IEntityRouter Router,
    RegionSnapshot Region,
    IResourceIndex Index,
    IMetricSink Metrics,
    int SnapshotEvery = 100);
