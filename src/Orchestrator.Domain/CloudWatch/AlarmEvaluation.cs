using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Domain.CloudWatch;

public static class AlarmStates
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
    public const string InsufficientData = "INSUFFICIENT_DATA";
}

public static class MissingDataTreatments
{
    public const string Missing = "missing";
    public const string NotBreaching = "notBreaching";
    public const string Breaching = "breaching";
    public const string Ignore = "ignore";
}

public static class ComparisonOperators
{
    public const string GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold";
    public const string GreaterThanThreshold = "GreaterThanThreshold";
    public const string LessThanThreshold = "LessThanThreshold";
    public const string LessThanOrEqualToThreshold = "LessThanOrEqualToThreshold";

    public static bool IsStatic(string comparison) =>
        comparison is GreaterThanOrEqualToThreshold or GreaterThanThreshold or LessThanThreshold or LessThanOrEqualToThreshold;

    public static bool Breaches(string comparison, double value, double threshold) => comparison switch
    {
        GreaterThanOrEqualToThreshold => value >= threshold,
        GreaterThanThreshold => value > threshold,
        LessThanThreshold => value < threshold,
        LessThanOrEqualToThreshold => value <= threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "not a static-threshold comparison"),
    };

    /// <summary>How StateReason words the comparison: "greater than or equal to".</summary>
    public static string Words(string comparison) => comparison switch
    {
        GreaterThanOrEqualToThreshold => "greater than or equal to",
        GreaterThanThreshold => "greater than",
        LessThanThreshold => "less than",
        LessThanOrEqualToThreshold => "less than or equal to",
        _ => comparison,
    };
}

/// <summary>What "M out of N" compares: EvaluationPeriods (N), DatapointsToAlarm (M), the threshold and how missing data counts.</summary>
public sealed record AlarmCriteria(int EvaluationPeriods, int DatapointsToAlarm, double Threshold, string ComparisonOperator, string TreatMissingData);

/// <summary>
/// One evaluation's outcome. State is null when the alarm keeps its current state (TreatMissingData
/// "ignore" with too little data). Datapoints are the real ones the verdict rests on, newest first.
/// </summary>
public sealed record AlarmVerdict(string? State, ImmutableArray<(DateTimeOffset Timestamp, double Value)> Datapoints, int Breaching, int Evaluated);

/// <summary>
/// The metric-alarm evaluation of aws-semantics 5.4, pure. The caller passes the evaluation range:
/// one slot per period, oldest first, null where the period has no datapoint. With N real datapoints
/// or more, the N most recent decide (M breaching: ALARM, else OK) whatever TreatMissingData says.
/// With none: missing -> INSUFFICIENT_DATA, ignore -> keep, breaching -> ALARM, notBreaching -> OK.
/// With some but fewer than N, the gaps are filled as breaching or not breaching for those two
/// treatments; for missing, the real points decide, and a lone run of breaching points alarms only
/// once it spans M periods (the premature-alarm guard: "- - X - -" alarms at M = 3, "- - - - X" not
/// yet); ignore behaves as missing except that what would alarm keeps the current state instead.
/// </summary>
public static class AlarmEvaluation
{
    /// <summary>The range fetched for N periods: N plus two, to cover late and missing data (N = 3 -> 5, as AWS's example). Our choice.</summary>
    public static int RangeFor(int evaluationPeriods) => evaluationPeriods + 2;

    public static AlarmVerdict Evaluate(AlarmCriteria criteria, IReadOnlyList<(DateTimeOffset Timestamp, double? Value)> range, string currentState)
    {
        var (n, m) = (criteria.EvaluationPeriods, criteria.DatapointsToAlarm);
        // Newest first, with each point's position counted from the newest slot (1 = the newest period).
        var real = range
            .Select((slot, index) => (slot.Timestamp, slot.Value, Position: range.Count - index))
            .Where(slot => slot.Value is not null)
            .Reverse()
            .Select(slot => (slot.Timestamp, Value: slot.Value!.Value, slot.Position, Breaching: ComparisonOperators.Breaches(criteria.ComparisonOperator, slot.Value!.Value, criteria.Threshold)))
            .ToList();
        if (real.Count >= n)
        {
            var recent = real.Take(n).ToList();
            var breaching = recent.Count(p => p.Breaching);
            return Verdict(breaching >= m ? AlarmStates.Alarm : AlarmStates.Ok, recent, breaching, n);
        }
        var realBreaching = real.Count(p => p.Breaching);
        switch (criteria.TreatMissingData)
        {
            case MissingDataTreatments.Breaching:
                var filled = realBreaching + (n - real.Count);
                return Verdict(filled >= m ? AlarmStates.Alarm : AlarmStates.Ok, real, filled, n);
            case MissingDataTreatments.NotBreaching:
                return Verdict(realBreaching >= m ? AlarmStates.Alarm : AlarmStates.Ok, real, realBreaching, n);
        }
        if (real.Count == 0)
            return Verdict(criteria.TreatMissingData == MissingDataTreatments.Ignore ? null : AlarmStates.InsufficientData, real, 0, 0);
        var alarms = realBreaching >= m || (realBreaching == real.Count && real[^1].Position >= m);
        var state = (alarms, criteria.TreatMissingData) switch
        {
            (true, MissingDataTreatments.Ignore) => null,
            (true, _) => AlarmStates.Alarm,
            // Breaching points too recent to alarm on (premature): an alarm already in ALARM stays there.
            (false, _) when realBreaching == real.Count && currentState == AlarmStates.Alarm => null,
            _ => AlarmStates.Ok,
        };
        return Verdict(state, real, realBreaching, real.Count);
    }

    /// <summary>
    /// StateReason as AWS words it: "Threshold Crossed: 3 out of the last 3 datapoints [71.5 (27/11/26 09:03:00), ...] were
    /// greater than the threshold (70.0) (minimum 3 datapoints for OK -> ALARM transition)."
    /// </summary>
    public static string Reason(AlarmCriteria criteria, AlarmVerdict verdict, string fromState)
    {
        if (verdict.Evaluated == 0)
            return "Insufficient Data: no datapoints were received for the evaluation range.";
        var points = string.Join(", ", verdict.Datapoints.Select(p =>
            $"{Number(p.Value)} ({p.Timestamp.UtcDateTime.ToString("dd/MM/yy HH:mm:ss", CultureInfo.InvariantCulture)})"));
        var toAlarm = verdict.State == AlarmStates.Alarm;
        var counted = toAlarm ? verdict.Breaching : verdict.Evaluated - verdict.Breaching;
        var plural = counted == 1 ? "was" : "were";
        var needed = toAlarm ? criteria.DatapointsToAlarm : criteria.EvaluationPeriods - criteria.DatapointsToAlarm + 1;
        return $"Threshold Crossed: {counted} out of the last {verdict.Evaluated} datapoints [{points}] {plural} {(toAlarm ? "" : "not ")}"
            + $"{ComparisonOperators.Words(criteria.ComparisonOperator)} the threshold ({Number(criteria.Threshold)}) "
            + $"(minimum {needed} datapoint{(needed == 1 ? "" : "s")} for {fromState} -> {verdict.State} transition).";
    }

    /// <summary>AWS prints thresholds and datapoints with at least one decimal: 70.0, 71.5.</summary>
    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static AlarmVerdict Verdict(string? state, IEnumerable<(DateTimeOffset Timestamp, double Value, int Position, bool Breaching)> points, int breaching, int evaluated) =>
        new(state, [.. points.Select(p => (p.Timestamp, p.Value))], breaching, evaluated);
}
