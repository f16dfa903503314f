using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

/// <summary>The reference outcomes of aws-semantics 5.4 (AWS's "missing data" tables), every column, newest point on the right.</summary>
public sealed class AlarmEvaluationTests
{
    private const string Retain = "retain";
    private static readonly DateTimeOffset Start = TestRegion.Epoch;

    /// <summary>"0 - X - X": 0 is a datapoint under the threshold, X one over it, - no datapoint; one slot per minute.</summary>
    private static List<(DateTimeOffset, double?)> Range(string data) =>
        [.. data.Split(' ').Select((slot, i) => (Start.AddMinutes(i), slot switch { "0" => 0.0, "X" => 2.0, _ => (double?)null }))];

    private static string Outcome(int m, int n, string data, string treatment, string current = AlarmStates.Ok) =>
        AlarmEvaluation.Evaluate(new AlarmCriteria(n, m, 1, ComparisonOperators.GreaterThanThreshold, treatment), Range(data), current).State ?? Retain;

    [Theory]
    [InlineData("0 - X - X", "OK", "OK", "OK", "OK")]
    [InlineData("0 - - - -", "OK", "OK", "OK", "OK")]
    [InlineData("- - - - -", "INSUFFICIENT_DATA", Retain, "ALARM", "OK")]
    [InlineData("0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM")]
    [InlineData("- - X - -", "ALARM", Retain, "ALARM", "OK")]
    public void Three_of_three(string data, string missing, string ignore, string breaching, string notBreaching) =>
        Assert.Equal((missing, ignore, breaching, notBreaching),
            (Outcome(3, 3, data, "missing"), Outcome(3, 3, data, "ignore"), Outcome(3, 3, data, "breaching"), Outcome(3, 3, data, "notBreaching")));

    [Theory]
    [InlineData("0 - X - X", "ALARM", "ALARM", "ALARM", "ALARM")]
    [InlineData("0 - X - -", "OK", "OK", "ALARM", "OK")]
    [InlineData("- - - - 0", "OK", "OK", "ALARM", "OK")]
    [InlineData("- - - X -", "ALARM", Retain, "ALARM", "OK")]
    public void Two_of_three(string data, string missing, string ignore, string breaching, string notBreaching) =>
        Assert.Equal((missing, ignore, breaching, notBreaching),
            (Outcome(2, 3, data, "missing"), Outcome(2, 3, data, "ignore"), Outcome(2, 3, data, "breaching"), Outcome(2, 3, data, "notBreaching")));

    [Fact]
    public void A_lone_newest_breaching_point_does_not_alarm_yet_but_does_not_end_an_alarm_either()
    {
        Assert.Equal(AlarmStates.Ok, Outcome(3, 3, "- - - - X", "missing"));
        Assert.Equal(Retain, Outcome(3, 3, "- - - - X", "missing", AlarmStates.Alarm));
        Assert.Equal(AlarmStates.Alarm, Outcome(1, 1, "- - X", "missing"));
    }

    [Fact]
    public void With_n_real_points_the_n_most_recent_decide_whatever_the_treatment()
    {
        Assert.Equal(AlarmStates.Ok, Outcome(3, 3, "X X X 0 X X", "breaching"));
        Assert.Equal(AlarmStates.Alarm, Outcome(3, 3, "0 0 X X X", "notBreaching"));
    }

    [Theory]
    [InlineData(ComparisonOperators.GreaterThanOrEqualToThreshold, 70, true)]
    [InlineData(ComparisonOperators.GreaterThanThreshold, 70, false)]
    [InlineData(ComparisonOperators.LessThanThreshold, 69.9, true)]
    [InlineData(ComparisonOperators.LessThanOrEqualToThreshold, 70, true)]
    [InlineData(ComparisonOperators.LessThanOrEqualToThreshold, 70.1, false)]
    public void Every_comparison_operator_compares_with_the_threshold(string comparison, double value, bool breaches) =>
        Assert.Equal(breaches, ComparisonOperators.Breaches(comparison, value, 70));

    [Fact]
    public void The_state_reason_reads_as_aws_writes_it()
    {
        var criteria = new AlarmCriteria(3, 3, 70, ComparisonOperators.GreaterThanThreshold, "missing");
        List<(DateTimeOffset, double?)> range = [(Start, 10.0), (Start.AddMinutes(1), 71.5), (Start.AddMinutes(2), 80.0), (Start.AddMinutes(3), 90.25), (Start.AddMinutes(4), null)];
        var verdict = AlarmEvaluation.Evaluate(criteria, range, AlarmStates.Ok);
        Assert.Equal(AlarmStates.Alarm, verdict.State);
        Assert.Equal(
            "Threshold Crossed: 3 out of the last 3 datapoints [90.25 (01/03/25 12:03:00), 80.0 (01/03/25 12:02:00), 71.5 (01/03/25 12:01:00)] were greater than the threshold (70.0) (minimum 3 datapoints for OK -> ALARM transition).",
            AlarmEvaluation.Reason(criteria, verdict, AlarmStates.Ok));
        Assert.Equal(5, AlarmEvaluation.RangeFor(3));
    }
}
