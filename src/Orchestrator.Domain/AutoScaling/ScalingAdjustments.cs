using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.AutoScaling;

public static class AdjustmentTypes
{
    public const string ChangeInCapacity = "ChangeInCapacity";
    public const string ExactCapacity = "ExactCapacity";
    public const string PercentChangeInCapacity = "PercentChangeInCapacity";

    public static bool IsKnown(string? type) => type is ChangeInCapacity or ExactCapacity or PercentChangeInCapacity;
}

public static class PolicyTypes
{
    public const string SimpleScaling = "SimpleScaling";
    public const string StepScaling = "StepScaling";
    public const string TargetTrackingScaling = "TargetTrackingScaling";
    public const string PredictiveScaling = "PredictiveScaling";
}

/// <summary>Simple and step scaling as arithmetic (aws-semantics 4.6): the new desired capacity, clamped to [min, max].</summary>
public static class ScalingAdjustments
{
    /// <summary>The desired capacity an adjustment asks for from the current one.</summary>
    public static int Apply(int current, string adjustmentType, int adjustment, int? minAdjustmentMagnitude, int min, int max)
    {
        var target = adjustmentType switch
        {
            AdjustmentTypes.ExactCapacity => adjustment,
            AdjustmentTypes.PercentChangeInCapacity => current + PercentChange(current, adjustment, minAdjustmentMagnitude),
            _ => current + adjustment,
        };
        return Math.Clamp(target, min, max);
    }

    /// <summary>
    /// A percentage of the current capacity, rounded as AWS does: above 1 down, between 0 and 1 to 1,
    /// between -1 and 0 to -1, below -1 toward zero; MinAdjustmentMagnitude floors the magnitude.
    /// </summary>
    public static int PercentChange(int current, int percent, int? minAdjustmentMagnitude)
    {
        var raw = current * percent / 100.0;
        var rounded = raw switch
        {
            > 1 => (int)Math.Floor(raw),
            > 0 => 1,
            0 => 0,
            > -1 => -1,
            _ => (int)Math.Ceiling(raw),
        };
        if (rounded != 0 && minAdjustmentMagnitude is { } floor && Math.Abs(rounded) < floor)
            return Math.Sign(rounded) * floor;
        return rounded;
    }

    /// <summary>
    /// The step a breach falls in, by its distance from the threshold: above it the lower bound is
    /// inclusive and the upper exclusive, below it the other way round. Null: no step covers it.
    /// </summary>
    public static StepAdjustment? Step(IEnumerable<StepAdjustment> steps, double metricValue, double breachThreshold)
    {
        var delta = metricValue - breachThreshold;
        foreach (var step in steps)
        {
            var lower = step.MetricIntervalLowerBound ?? double.NegativeInfinity;
            var upper = step.MetricIntervalUpperBound ?? double.PositiveInfinity;
            var within = delta >= 0 ? lower <= delta && delta < upper : lower < delta && delta <= upper;
            if (within)
                return step;
        }
        return null;
    }

    /// <summary>The checks PutScalingPolicy makes of a simple or step policy.</summary>
    public static AwsError? Validate(ScalingPolicy policy)
    {
        if (!AdjustmentTypes.IsKnown(policy.AdjustmentType))
            return AutoScalingErrors.Validation($"Invalid adjustment type {policy.AdjustmentType}");
        if (policy.MinAdjustmentMagnitude is not null && policy.AdjustmentType != AdjustmentTypes.PercentChangeInCapacity)
            return AutoScalingErrors.Validation("MinAdjustmentMagnitude may only be specified with PercentChangeInCapacity");
        switch (policy.PolicyType)
        {
            case PolicyTypes.SimpleScaling:
                if (policy.ScalingAdjustment is null)
                    return AutoScalingErrors.Validation("ScalingAdjustment is required for SimpleScaling policy");
                if (!policy.StepAdjustments.IsDefaultOrEmpty)
                    return AutoScalingErrors.Validation("StepAdjustments are not allowed for SimpleScaling policy");
                return null;
            case PolicyTypes.StepScaling:
                if (policy.StepAdjustments.IsDefaultOrEmpty)
                    return AutoScalingErrors.Validation("StepAdjustments are required for StepScaling policy");
                if (policy.ScalingAdjustment is not null || policy.Cooldown is not null)
                    return AutoScalingErrors.Validation("ScalingAdjustment and Cooldown are not allowed for StepScaling policy");
                return ValidateSteps(policy.StepAdjustments);
            default:
                return AutoScalingErrors.Validation($"Invalid policy type {policy.PolicyType}");
        }
    }

    /// <summary>Intervals must neither overlap nor leave a gap, and at most one may be open at each end.</summary>
    private static AwsError? ValidateSteps(IReadOnlyList<StepAdjustment> steps)
    {
        var ordered = steps.OrderBy(s => s.MetricIntervalLowerBound ?? double.NegativeInfinity).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (lower, upper) = (ordered[i].MetricIntervalLowerBound ?? double.NegativeInfinity, ordered[i].MetricIntervalUpperBound ?? double.PositiveInfinity);
            if (lower >= upper)
                return AutoScalingErrors.Validation("The lower bound of a step adjustment must be less than its upper bound");
            if (i > 0 && (ordered[i - 1].MetricIntervalUpperBound ?? double.PositiveInfinity) != lower)
                return AutoScalingErrors.Validation("Step adjustments must not overlap or leave gaps between their intervals");
        }
        return null;
    }
}
