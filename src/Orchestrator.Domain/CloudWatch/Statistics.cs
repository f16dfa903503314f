using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>A statistic CloudWatch can compute from an aggregate: one of the five, or a percentile pNN.NN.</summary>
public sealed partial record Statistic(string Name, double? Percentile)
{
    public static readonly IReadOnlyList<string> Standard = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    public bool IsExtended => Percentile is not null;

    public double? Of(Aggregate a) => Name switch
    {
        "SampleCount" => a.SampleCount,
        "Average" => a.Average,
        "Sum" => a.Sum,
        "Minimum" => a.Minimum,
        "Maximum" => a.Maximum,
        _ => a.Percentile(Percentile!.Value),
    };

    /// <summary>A standard statistic, or pNN / pNN.N / pNN.NN (0 &lt; NN &lt;= 100); trimmed means and the like are not computed here.</summary>
    public static Statistic? Parse(string? text)
    {
        if (text is null)
            return null;
        if (Standard.Contains(text))
            return new Statistic(text, null);
        var match = PercentilePattern().Match(text);
        return match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 100
            ? new Statistic(text, p)
            : null;
    }

    [GeneratedRegex(@"^p(\d{1,3}(?:\.\d{1,2})?)$")]
    private static partial Regex PercentilePattern();
}

/// <summary>The period and time-range rules of GetMetricStatistics and GetMetricData.</summary>
public static class Periods
{
    public const int MaxDatapoints = 1440;
    public static readonly IReadOnlySet<int> HighResolution = new HashSet<int> { 1, 5, 10, 20, 30 };

    public static bool IsValid(int period) => period > 0 && (period % 60 == 0 || HighResolution.Contains(period));

    public static AwsError? Validate(int period, string parameter = "Period") =>
        IsValid(period) ? null : AwsError.InvalidParameterValue($"The parameter {parameter} must be a multiple of 60 or one of 1, 5, 10, 20, 30.");

    /// <summary>StartTime rounded down as AWS does: to the second for sub-minute periods, else to the minute.</summary>
    public static DateTimeOffset AlignStart(DateTimeOffset start, int period)
    {
        var seconds = start.ToUnixTimeSeconds();
        if (start < DateTimeOffset.FromUnixTimeSeconds(seconds))
            seconds--;
        return DateTimeOffset.FromUnixTimeSeconds(period % 60 == 0 ? seconds - (((seconds % 60) + 60) % 60) : seconds);
    }

    /// <summary>GetMetricStatistics' checks on the range, the period and how many datapoints they make.</summary>
    public static AwsError? ValidateRange(DateTimeOffset start, DateTimeOffset end, int period)
    {
        if (Validate(period) is { } invalid)
            return invalid;
        if (start >= end)
            return AwsError.InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
        var datapoints = (long)Math.Ceiling((end - AlignStart(start, period)).TotalSeconds / period);
        return datapoints > MaxDatapoints
            ? AwsError.InvalidParameterCombination($"You have requested up to {datapoints:N0} datapoints, which exceeds the limit of {MaxDatapoints:N0}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.")
            : null;
    }

    /// <summary>
    /// GetMetricStatistics' statistics: at least one of Statistics or ExtendedStatistics, not
    /// both, each one CloudWatch knows.
    /// </summary>
    public static Result<IReadOnlyList<Statistic>> ParseStatistics(IReadOnlyList<string> statistics, IReadOnlyList<string> extended)
    {
        if (statistics.Count == 0 && extended.Count == 0)
            return AwsError.MissingParameter("Must specify either Statistics or ExtendedStatistics.");
        if (statistics.Count > 0 && extended.Count > 0)
            return AwsError.InvalidParameterCombination("Statistics and ExtendedStatistics are mutually exclusive: specify one or the other.");
        var parsed = new List<Statistic>();
        for (var i = 0; i < statistics.Count; i++)
        {
            if (Statistic.Parse(statistics[i]) is not { IsExtended: false } s)
                return AwsError.InvalidParameterValue($"The parameter Statistics.member.{i + 1} must be a value in the set [ {string.Join(", ", Statistic.Standard)} ].");
            parsed.Add(s);
        }
        for (var i = 0; i < extended.Count; i++)
        {
            if (Statistic.Parse(extended[i]) is not { IsExtended: true } s)
                return AwsError.InvalidParameterValue($"The value {extended[i]} for parameter ExtendedStatistics.member.{i + 1} is not a valid extended statistic (pNN or pNN.NN).");
            parsed.Add(s);
        }
        return parsed;
    }
}
