using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Logs;

/// <summary>The CloudWatch Logs error vocabulary (json 1.1 __type names from the model).</summary>
public static class LogsErrors
{
    public static AwsError GroupNotFound() => new("ResourceNotFoundException", "The specified log group does not exist.");

    public static AwsError StreamNotFound() => new("ResourceNotFoundException", "The specified log stream does not exist.");

    public static AwsError GroupExists() => new("ResourceAlreadyExistsException", "The specified log group already exists");

    public static AwsError StreamExists() => new("ResourceAlreadyExistsException", "The specified log stream already exists");

    public static AwsError InvalidParameter(string message) => new("InvalidParameterException", message);
}
