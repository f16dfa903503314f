using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

public sealed class MetricMathAlarmTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly MetricKey Errors = MetricKey.Of("App", "Errors", []);
    private static readonly MetricKey Requests = MetricKey.Of("App", "Requests", []);

    private static MetricDataQueryInput Stat(string id, MetricKey metric, int period = 60, bool returnData = false) =>
        new(id, new MetricStatInput(metric, period, "Sum", null), null, null, returnData, null);

    private static MetricDataQueryInput Expression(string id, string expression, bool returnData = true) => new(id, null, expression, "error rate", returnData, null);

    private static PutMetricAlarmInput Input(IReadOnlyList<MetricDataQueryInput> metrics, string? metricName = null, int? period = null) =>
        new("error-rate", null, null, [], [], [], null, metricName, [], period, null, null, null, 2, null, 5, ComparisonOperators.GreaterThanThreshold, null, metrics);

    private static readonly MetricDataQueryInput[] Rate = [Stat("e", Errors), Stat("r", Requests), Expression("rate", "100 * e / r")];

    [Fact]
    public void A_math_alarm_takes_its_period_from_the_query_returning_data()
    {
        var config = MetricAlarmConfig.Validate(Input(Rate)).Value;
        Assert.Null(config.Metric);
        Assert.Equal((60, 3), (config.Period, config.Metrics!.Value.Length));
        Assert.Equal(300, MetricAlarmConfig.Validate(Input([Stat("e", Errors, 300, returnData: true)])).Value.Period);
    }

    [Theory]
    [InlineData("both-selectors", "InvalidParameterCombination", "The parameters Metrics and MetricName are mutually exclusive and you have specified both.")]
    [InlineData("period-too", "InvalidParameterCombination", "The parameters Metrics and Period are mutually exclusive and you have specified both.")]
    [InlineData("two-return", "ValidationError", "Exactly one element of the metrics list should return data.")]
    [InlineData("none-return", "ValidationError", "Exactly one element of the metrics list should return data.")]
    [InlineData("stat-and-expression", "ValidationError", "The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have specified both.")]
    [InlineData("bad-expression", "ValidationError", "Query rate: Error in expression: unexpected end of expression")]
    [InlineData("unknown-id", "ValidationError", "Query rate: Error in expression: unknown metric id 'x'")]
    [InlineData("bad-id", "ValidationError", "The value Rate for parameter MetricDataQueries.Id is invalid")]
    [InlineData("eleven-metrics", "ValidationError", "The collection Metrics must not hold more than 10 metrics.")]
    public void Invalid_math_alarms_are_refused_as_aws_refuses_them(string @case, string code, string message)
    {
        var input = @case switch
        {
            "both-selectors" => Input(Rate, metricName: "Errors"),
            "period-too" => Input(Rate, period: 60),
            "two-return" => Input([Stat("e", Errors, returnData: true), Stat("r", Requests), Expression("rate", "e / r")]),
            "none-return" => Input([Stat("e", Errors), Expression("rate", "e * 2", returnData: false)]),
            "stat-and-expression" => Input([new MetricDataQueryInput("e", new MetricStatInput(Errors, 60, "Sum", null), "e * 2", null, true, null)]),
            "bad-expression" => Input([Stat("e", Errors), Expression("rate", "100 * e /")]),
            "unknown-id" => Input([Stat("e", Errors), Expression("rate", "e / x")]),
            "bad-id" => Input([Stat("e", Errors), Expression("Rate", "e * 2")]),
            _ => Input([.. Enumerable.Range(0, 11).Select(i => Stat($"m{i}", MetricKey.Of("App", $"M{i}", []))), Expression("total", "SUM(METRICS())")]),
        };
        var error = MetricAlarmConfig.Validate(input).Error;
        Assert.Equal(code, error?.Code);
        Assert.StartsWith(message, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slots_are_the_expression_per_period_and_missing_where_it_has_no_value()
    {
        var config = MetricAlarmConfig.Validate(Input(Rate)).Value;
        var grid = Enumerable.Range(0, 4).Select(i => T0.AddMinutes(i)).ToList();
        PeriodAggregates Sums(params (int Minute, double Sum)[] points) =>
            new([.. points.Select(p => new PeriodAggregate(T0.AddMinutes(p.Minute), Aggregate.OfValues("None", [new ValueCount(p.Sum, 1)])))]);
        var fetched = new Dictionary<string, PeriodAggregates>
        {
            ["e"] = Sums((0, 1), (1, 10), (3, 0)),
            ["r"] = Sums((0, 100), (1, 100), (2, 100), (3, 0)),
        };
        var slots = MetricMathAlarm.Slots(config.Metrics!.Value, fetched, grid, config.Period);
        // Minute 2 has no errors datapoint; minute 3 divides by zero: both are missing data.
        Assert.Equal([1.0, 10.0, null, null], slots.Select(s => s.Value));
        Assert.Equal(grid, slots.Select(s => s.Timestamp));
        var verdict = AlarmEvaluation.Evaluate(config.Criteria, [.. slots.Select(s => (s.Timestamp, s.Value))], AlarmStates.InsufficientData);
        Assert.Equal(AlarmStates.Ok, verdict.State);
        Assert.Equal([10.0, 1.0], verdict.Datapoints.Select(p => p.Value));
    }
}
