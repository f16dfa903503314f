using System.Collections.Immutable;
using Orchestrator.Actors.Metrics;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>
/// AWS/ApplicationELB as AWS publishes it, per minute: request and response-code counts and
/// TargetResponseTime only for minutes with requests (ELB reports nothing when no traffic flows),
/// HealthyHostCount and UnHealthyHostCount always, per load balancer and per target group, and
/// RequestCountPerTarget per target group (the metric of ALBRequestCountPerTarget target tracking).
/// </summary>
public static class ApplicationElbMetrics
{
    public const string Namespace = "AWS/ApplicationELB";
    private const int Resolution = 60;

    /// <summary>The dimension value of an ELB ARN: the part after "loadbalancer/" (app/name/id) or the "targetgroup/name/id" path.</summary>
    public static string DimensionOf(string arn)
    {
        var resource = arn.Split(':', 6)[^1];
        return resource.StartsWith("loadbalancer/", StringComparison.Ordinal) ? resource["loadbalancer/".Length..] : resource;
    }

    public static IEnumerable<MetricDatum> Sample(LoadBalancer balancer, IEnumerable<TargetGroupRouting> groups, IReadOnlyDictionary<string, RequestCounters> counters,
        DateTimeOffset at)
    {
        var balancerDimension = DimensionOf(balancer.LoadBalancerArn);
        var perBalancer = Dimensions(("LoadBalancer", balancerDimension));
        var total = new RequestCounters();
        foreach (var c in counters.Values)
        {
            total.Requests += c.Requests;
            total.Target2xx += c.Target2xx;
            total.Target4xx += c.Target4xx;
            total.Target5xx += c.Target5xx;
            total.ElbErrors += c.ElbErrors;
            total.Responses += c.Responses;
            total.ResponseSeconds += c.ResponseSeconds;
        }
        foreach (var datum in Counts(perBalancer, total, at))
            yield return datum;
        if (total.ElbErrors > 0)
            yield return Datum(perBalancer, "HTTPCode_ELB_5XX_Count", total.ElbErrors, "Count", at);
        foreach (var group in groups)
        {
            var perGroup = Dimensions(("LoadBalancer", balancerDimension), ("TargetGroup", DimensionOf(group.TargetGroupArn)));
            var healthy = group.Targets.Count(t => t.State == TargetHealthStates.Healthy);
            var unhealthy = group.Targets.Count(t => t.State == TargetHealthStates.Unhealthy);
            yield return Datum(perGroup, "HealthyHostCount", healthy, "Count", at);
            yield return Datum(perGroup, "UnHealthyHostCount", unhealthy, "Count", at);
            if (!counters.TryGetValue(group.TargetGroupArn, out var groupCounters))
                continue;
            foreach (var datum in Counts(perGroup, groupCounters, at))
                yield return datum;
            // Requests over healthy targets (all registered ones when none is healthy), as AWS defines it. Published per
            // TargetGroup alone too, which target tracking reads: the Sum over balancers is the group's whole share per target.
            var targets = healthy > 0 ? healthy : group.Targets.Length;
            if (groupCounters.Requests > 0 && targets > 0)
            {
                var perTarget = (double)groupCounters.Requests / targets;
                yield return Datum(perGroup, "RequestCountPerTarget", perTarget, "None", at);
                yield return Datum(Dimensions(("TargetGroup", DimensionOf(group.TargetGroupArn))), "RequestCountPerTarget", perTarget, "None", at);
            }
        }
    }

    private static IEnumerable<MetricDatum> Counts(ImmutableSortedDictionary<string, string> dimensions, RequestCounters counters, DateTimeOffset at)
    {
        if (counters.Requests == 0)
            yield break;
        yield return Datum(dimensions, "RequestCount", counters.Requests, "Count", at);
        if (counters.Target2xx > 0)
            yield return Datum(dimensions, "HTTPCode_Target_2XX_Count", counters.Target2xx, "Count", at);
        if (counters.Target4xx > 0)
            yield return Datum(dimensions, "HTTPCode_Target_4XX_Count", counters.Target4xx, "Count", at);
        if (counters.Target5xx > 0)
            yield return Datum(dimensions, "HTTPCode_Target_5XX_Count", counters.Target5xx, "Count", at);
        if (counters.Responses > 0)
            yield return Datum(dimensions, "TargetResponseTime", counters.ResponseSeconds / counters.Responses, "Seconds", at);
    }

    private static ImmutableSortedDictionary<string, string> Dimensions(params (string Name, string Value)[] dimensions) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, dimensions.Select(d => KeyValuePair.Create(d.Name, d.Value)));

    private static MetricDatum Datum(ImmutableSortedDictionary<string, string> dimensions, string name, double value, string unit, DateTimeOffset at) =>
        new(Namespace, name, dimensions, at, value, unit, Resolution);
}
