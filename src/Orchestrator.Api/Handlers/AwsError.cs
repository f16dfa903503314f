namespace Orchestrator.Api.Handlers;

/// <summary>
/// An AWS error as the client sees it. <see cref="HttpStatus"/> null means: take the modelled
/// error.httpStatusCode when the code is a modelled error, else 400 (sender) / 500 (receiver).
/// </summary>
public sealed record AwsError(string Code, string Message, int? HttpStatus = null, bool Sender = true)
{
    /// <summary>For query-compatible JSON/CBOR services: the query code sent in x-amzn-query-error, when it differs from <see cref="Code"/>.</summary>
    public string? QueryCode { get; init; }

    public static AwsError Receiver(string code, string message, int status = 500) => new(code, message, status, Sender: false);

    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Thrown anywhere below a handler to answer with an AWS error (same as returning it).</summary>
public sealed class AwsErrorException(AwsError error) : Exception(error.ToString())
{
    public AwsError Error { get; } = error;
}
