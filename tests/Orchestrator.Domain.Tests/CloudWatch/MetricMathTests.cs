using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

/// <summary>Metric math over hand-made series: arithmetic, reductions, FILL, and errors.</summary>
public sealed class MetricMathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);
    private static readonly DateTimeOffset T2 = T0.AddMinutes(2);
    private static readonly DateTimeOffset[] Grid = [T0, T1, T2];

    private static readonly Dictionary<string, TimeSeries> Inputs = new()
    {
        ["m1"] = TimeSeries.Of([KeyValuePair.Create(T0, 1.0), KeyValuePair.Create(T1, 2.0), KeyValuePair.Create(T2, 4.0)]),
        ["m2"] = TimeSeries.Of([KeyValuePair.Create(T0, 10.0), KeyValuePair.Create(T2, 20.0)]),
    };

    private static IReadOnlyList<(DateTimeOffset, double)> Eval(string expression)
    {
        var result = MetricMath.Evaluate(expression, Inputs, ["m1", "m2"], Grid);
        Assert.False(result.IsError, result.Error?.Message);
        return [.. result.Value.Points.Select(p => (p.Key, p.Value))];
    }

    [Fact]
    public void Arithmetic_between_series_uses_their_common_timestamps() =>
        Assert.Equal([(T0, 11.0), (T2, 24.0)], Eval("m1 + m2"));

    [Fact]
    public void Scalars_apply_to_every_point_with_precedence() =>
        Assert.Equal([(T0, 3.0), (T1, 5.0), (T2, 9.0)], Eval("m1*2+1"));

    [Fact]
    public void Precedence_and_parentheses()
    {
        Assert.Equal([(T0, -4.0), (T2, -6.0)], Eval("m1 - m2 / 2"));
        Assert.Equal([(T0, -4.5), (T2, -8.0)], Eval("(m1 - m2) / 2"));
        Assert.Equal([(T0, -1.0), (T1, -2.0), (T2, -4.0)], Eval("-m1"));
    }

    [Fact]
    public void Reductions_of_one_series_are_scalars_and_of_arrays_series()
    {
        Assert.Equal([(T0, 7.0), (T1, 7.0), (T2, 7.0)], Eval("SUM(m1)"));
        Assert.Equal([(T0, 15.0), (T1, 15.0), (T2, 15.0)], Eval("AVG(m2)"));
        Assert.Equal([(T0, 11.0), (T1, 2.0), (T2, 24.0)], Eval("SUM([m1, m2])"));
        Assert.Equal([(T0, 5.5), (T1, 2.0), (T2, 12.0)], Eval("AVG(METRICS())"));
        Assert.Equal([(T0, 1.0), (T1, 2.0), (T2, 4.0)], Eval("MIN([m1, m2])"));
        Assert.Equal([(T0, 10.0), (T1, 2.0), (T2, 20.0)], Eval("MAX([m1, m2])"));
        Assert.Equal([(T0, 0.1), (T1, 0.1), (T2, 0.1)], Eval("MIN(m1) / MAX(m2) * 2"));
    }

    [Fact]
    public void Fill_completes_the_period_grid()
    {
        Assert.Equal([(T0, 10.0), (T1, 0.0), (T2, 20.0)], Eval("FILL(m2, 0)"));
        Assert.Equal([(T0, 10.0), (T1, 10.0), (T2, 20.0)], Eval("FILL(m2, REPEAT)"));
        Assert.Equal([(T0, 10.0), (T1, 15.0), (T2, 20.0)], Eval("FILL(m2, LINEAR)"));
        Assert.Equal([(T0, 11.0), (T1, 2.0), (T2, 24.0)], Eval("m1 + FILL(m2, 0)"));
    }

    [Fact]
    public void Division_by_zero_drops_the_point() => Assert.Empty(Eval("m1 / 0"));

    [Theory]
    [InlineData("m3 + 1")]
    [InlineData("(m1 + 1")]
    [InlineData("FOO(m1)")]
    [InlineData("FILL(m1, SIDEWAYS)")]
    [InlineData("[m1, m2]")]
    [InlineData("m1 +")]
    public void Bad_expressions_are_validation_errors(string expression) =>
        Assert.Equal("ValidationError", MetricMath.Evaluate(expression, Inputs, ["m1", "m2"], Grid).Error?.Code);

    [Fact]
    public void Results_are_newest_first_unless_asked_otherwise_and_hidden_queries_feed_expressions()
    {
        var key = MetricKey.Of("App", "Latency", []);
        MetricDataQueryInput[] queries =
        [
            new("m1", new MetricStatInput(key, 60, "Sum", null), null, null, false, null),
            new("e1", null, "m1 * 10", "ten times", true, null),
        ];
        Assert.Null(GetMetricData.Validate(queries, T0, T2.AddMinutes(1)));
        var results = GetMetricData.Results(queries, new Dictionary<string, TimeSeries> { ["m1"] = Inputs["m1"] }, T0, T2.AddMinutes(1), ascending: false).Value;
        var result = Assert.Single(results);
        Assert.Equal(("e1", "ten times"), (result.Id, result.Label));
        Assert.Equal<DateTimeOffset>([T2, T1, T0], result.Timestamps);
        Assert.Equal<double>([40.0, 20.0, 10.0], result.Values);
        var ascending = GetMetricData.Results(queries, new Dictionary<string, TimeSeries> { ["m1"] = Inputs["m1"] }, T0, T2.AddMinutes(1), ascending: true).Value;
        Assert.Equal<DateTimeOffset>([T0, T1, T2], ascending[0].Timestamps);
    }

    [Fact]
    public void Queries_are_validated()
    {
        var key = MetricKey.Of("App", "Latency", []);
        Assert.Equal("ValidationError", GetMetricData.Validate([new("m1", new MetricStatInput(key, 45, "Sum", null), null, null, true, null)], T0, T1)?.Code);
        Assert.Equal("ValidationError", GetMetricData.Validate([new("m1", new MetricStatInput(key, 60, "Median", null), null, null, true, null)], T0, T1)?.Code);
        Assert.Equal("ValidationError", GetMetricData.Validate([new("M1", new MetricStatInput(key, 60, "Sum", null), null, null, true, null)], T0, T1)?.Code);
        Assert.Equal("ValidationError", GetMetricData.Validate([new("m1", null, null, null, true, null)], T0, T1)?.Code);
        Assert.Equal("ValidationError", GetMetricData.Validate([new("m1", new MetricStatInput(key, 60, "Sum", null), null, null, false, null)], T0, T1)?.Code);
    }
}
