using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>The ELBv2 errors a target group answers with (all 400, Sender).</summary>
public static class TargetGroupErrors
{
    public static AwsError Validation(string message) => new("ValidationError", message);

    public static AwsError InvalidConfiguration(string message) => new("InvalidConfigurationRequest", message);

    public static AwsError NotFound(string? nameOrArn = null) =>
        new("TargetGroupNotFound", nameOrArn is null ? "One or more target groups not found" : $"Target groups '{nameOrArn}' not found");

    public static AwsError DuplicateName() => new("DuplicateTargetGroupName", "A target group with the same name exists, but with different settings");

    public static AwsError InUse(string arn) => new("ResourceInUse", $"Target group '{arn}' is currently in use by a listener or a rule");

    public static AwsError TooManyTargets(int limit) => new("TooManyTargets", $"You've reached the limit on the number of targets per target group ({limit})");

    public static AwsError InvalidTarget(string message) => new("InvalidTarget", message);
}
