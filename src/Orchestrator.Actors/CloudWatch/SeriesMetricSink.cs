using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>
/// The node's metric sink: datapoints our own resources publish (AWS/EC2, AWS/ApplicationELB ...)
/// are gathered per series and delivered as one Record per series each flush, fire-and-forget,
/// so a minute of 100,000 instances costs one event per series, not one per point. What is
/// still buffered when a node dies is lost, as DESIGN.md allows for simulation-produced points.
/// Flush runs every <c>interval</c> of wall time once started (after routing is up), and whenever the buffer reaches
/// <see cref="MaxBuffered"/> points.
/// </summary>
public sealed class SeriesMetricSink(IEntityRouter router) : IMetricSink, IDisposable
{
    public const int MaxBuffered = 10_000;

    private readonly Lock _lock = new();
    private Dictionary<string, (MetricKey Key, List<Sample> Samples)> _pending = new(StringComparer.Ordinal);
    private int _buffered;
    private Timer? _timer;

    public void Start(TimeSpan interval) => _timer = new Timer(_ => Flush(), null, interval, interval);

    public void Publish(MetricDatum datum)
    {
        var key = new MetricKey(datum.Namespace, datum.MetricName, datum.Dimensions);
        var sample = new Sample(datum.Timestamp, datum.StorageResolutionSeconds,
            Aggregate.OfValues(datum.Unit, [new ValueCount(datum.Value, 1)]));
        bool full;
        lock (_lock)
        {
            var id = key.EntityId();
            if (!_pending.TryGetValue(id, out var entry))
                _pending[id] = entry = (key, []);
            entry.Samples.Add(sample);
            full = ++_buffered >= MaxBuffered;
        }
        if (full)
            Flush();
    }

    /// <summary>Sends what is buffered: one Record per series.</summary>
    public void Flush()
    {
        Dictionary<string, (MetricKey Key, List<Sample> Samples)> batch;
        lock (_lock)
        {
            if (_buffered == 0)
                return;
            (batch, _pending, _buffered) = (_pending, new Dictionary<string, (MetricKey, List<Sample>)>(StringComparer.Ordinal), 0);
        }
        try
        {
            foreach (var (id, (key, samples)) in batch)
                router.Tell(CloudWatchKinds.MetricSeries, id, new MetricSeriesCommands.Record(key, [.. samples]));
        }
        catch (InvalidOperationException)
        {
            // Routing not started yet, or CloudWatch not hosted on this node: the points are dropped, as a lost tell would be.
        }
    }

    public void Dispose() => _timer?.Dispose();
}
