namespace Orchestrator.Domain.Common;

/// <summary>An error as AWS reports it: a code from the service's error vocabulary, a message and an HTTP status.</summary>
public sealed record AwsError(string Code, string Message, int HttpStatus = 400)
{
    public static AwsError InvalidParameterValue(string message) => new("InvalidParameterValue", message);
    public static AwsError MissingParameter(string message) => new("MissingParameter", message);
    public static AwsError InvalidParameterCombination(string message) => new("InvalidParameterCombination", message);
    public static AwsError UnsupportedOperation(string message) => new("UnsupportedOperation", message);
    public static AwsError InsufficientInstanceCapacity(string message) => new("InsufficientInstanceCapacity", message, 500);

    public override string ToString() => $"{Code}: {Message}";
}
