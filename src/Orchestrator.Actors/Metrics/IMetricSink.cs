using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Orchestrator.Actors.Metrics;

/// <summary>One datapoint of an AWS/* metric published by a simulated resource.</summary>
public sealed record MetricDatum(
    string Namespace,
    string MetricName,
    ImmutableSortedDictionary<string, string> Dimensions,
    DateTimeOffset Timestamp,
    double Value,
    string Unit,
    int StorageResolutionSeconds);

/// <summary>
/// Where resources publish their built-in metrics (AWS/EC2, AWS/ApplicationELB ...). On a node,
/// CloudWatch's series consume it (SeriesMetricSink); tests may record the latest points instead.
/// Datapoints the simulation produces are transient: a crash may lose the last few (DESIGN.md, principle 5).
/// </summary>
public interface IMetricSink
{
    void Publish(MetricDatum datum);
}

/// <summary>Keeps the most recent datapoints per series, bounded, for tests and the region view.</summary>
public sealed class RecordingMetricSink(int pointsPerSeries = 1440) : IMetricSink
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<MetricDatum>> _series = new();

    public void Publish(MetricDatum datum)
    {
        var key = SeriesKey(datum.Namespace, datum.MetricName, datum.Dimensions);
        var queue = _series.GetOrAdd(key, _ => new ConcurrentQueue<MetricDatum>());
        queue.Enqueue(datum);
        while (queue.Count > pointsPerSeries && queue.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<MetricDatum> Points(string metricNamespace, string metricName, IReadOnlyDictionary<string, string> dimensions) =>
        _series.TryGetValue(SeriesKey(metricNamespace, metricName, dimensions), out var queue) ? [.. queue] : [];

    private static string SeriesKey(string metricNamespace, string metricName, IEnumerable<KeyValuePair<string, string>> dimensions) =>
        $"{metricNamespace}|{metricName}|{string.Join(',', dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}";
}
