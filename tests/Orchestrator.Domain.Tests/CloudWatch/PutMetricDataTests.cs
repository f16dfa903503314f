using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

/// <summary>PutMetricData's validation with AWS's codes, and what a valid datum becomes.</summary>
public sealed class PutMetricDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static MetricDatumInput Datum(double? value = 1, params (string?, string?)[] dimensions) => new("Requests", dimensions, Value: value);

    private static string? Code(string ns, params MetricDatumInput[] data) => PutMetricData.Validate(ns, data, Now).Error?.Code;

    [Fact]
    public void Custom_namespaces_may_not_start_with_AWS()
    {
        Assert.Equal("InvalidParameterValue", Code("AWS/EC2", Datum()));
        Assert.False(PutMetricData.Validate("AWS/EC2", [Datum()], Now, allowReserved: true).IsError);
        Assert.Equal("InvalidParameterValue", Code(":App", Datum()));
        Assert.Null(Code("App", Datum()));
    }

    [Fact]
    public void Each_datum_is_checked_with_the_code_AWS_answers()
    {
        var tooMany = Enumerable.Range(0, 31).Select(i => ((string?)$"d{i}", (string?)"v")).ToArray();
        Assert.Equal("InvalidParameterValue", Code("App", Datum(1, tooMany)));
        Assert.Null(Code("App", Datum(1, tooMany[..30])));
        Assert.Equal("InvalidParameterValue", Code("App", Datum(1, ("a", "1"), ("a", "2"))));
        Assert.Equal("MissingParameter", Code("App", Datum(1, ("a", null))));
        Assert.Equal("MissingParameter", Code("App", Datum(null)));
        Assert.Equal("MissingParameter", Code("App", new MetricDatumInput(null, [], Value: 1)));
        Assert.Equal("InvalidParameterCombination", Code("App", Datum() with { StatisticValues = new StatisticSetInput(1, 1, 1, 1) }));
        Assert.Equal("InvalidParameterCombination", Code("App", Datum(null) with { Counts = [1] }));
        Assert.Equal("InvalidParameterValue", Code("App", Datum(null) with { Values = [1, 2], Counts = [1] }));
        Assert.Equal("InvalidParameterValue", Code("App", Datum(double.NaN)));
        Assert.Equal("InvalidParameterValue", Code("App", Datum(null) with { StatisticValues = new StatisticSetInput(1, 1, 5, 1) }));
        Assert.Equal("MissingParameter", Code("App", Datum(null) with { StatisticValues = new StatisticSetInput(1, null, 1, 1) }));
        Assert.Equal("InvalidParameterValue", Code("App", Datum() with { StorageResolution = 30 }));
        Assert.Equal("InvalidParameterValue", Code("App", Datum() with { Timestamp = Now.AddDays(-15) }));
        Assert.Equal("InvalidParameterValue", Code("App", Datum() with { Timestamp = Now.AddHours(3) }));
        Assert.Null(Code("App", Datum() with { Timestamp = Now.AddDays(-13), StorageResolution = 1 }));
        Assert.Equal("InvalidParameterValue", Code("App", [.. Enumerable.Repeat(Datum(), 1001)]));
        Assert.Equal("MissingParameter", Code("App"));
    }

    [Fact]
    public void Dimension_order_does_not_make_another_series()
    {
        var accepted = PutMetricData.Validate("App", [Datum(1, ("b", "2"), ("a", "1")), Datum(2, ("a", "1"), ("b", "2"))], Now).Value;
        var series = Assert.Single(PutMetricData.BySeries(accepted));
        Assert.Equal(2, series.Samples.Length);
        Assert.Equal(["a", "b"], series.Key.Dimensions.Keys);
        Assert.Equal("App/Requests/a=1/b=2", series.Key.EntityId());
        Assert.Equal(Now, series.Samples[0].Timestamp);
        Assert.Equal("None", series.Samples[0].Aggregate.Unit);
    }

    [Fact]
    public void Values_and_counts_become_one_weighted_sample()
    {
        var sample = PutMetricData.Validate("App", [Datum(null) with { Values = [1, 5], Counts = [2, 1], Unit = "Seconds" }], Now).Value[0].Sample;
        Assert.Equal((3.0, 7.0, 1.0, 5.0, "Seconds"), (sample.Aggregate.SampleCount, sample.Aggregate.Sum, sample.Aggregate.Minimum, sample.Aggregate.Maximum, sample.Aggregate.Unit));
    }
}
