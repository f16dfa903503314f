namespace Orchestrator.Api;

public sealed class AwsApiOptions
{
    public string AccountId { get; set; } = "000000000000";

    /// <summary>Region when a request carries no SigV4 credential scope.</summary>
    public string DefaultRegion { get; set; } = "us-east-1";

    /// <summary>Off by default like LocalStack; when on, a bad signature gets SignatureDoesNotMatch.</summary>
    public bool VerifySignatures { get; set; }

    /// <summary>Secret key of an access key id for verification; null means unknown key (InvalidClientTokenId).</summary>
    public Func<string, string?> SecretKeyFor { get; set; } = _ => "test";

    /// <summary>Clock handed to handlers as <see cref="Handlers.AwsRequestContext.Now"/> (simulated time when the node scales it).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Request ids (fixed in golden-file tests).</summary>
    public Func<string> NewRequestId { get; set; } = () => Guid.NewGuid().ToString();

    /// <summary>Bodies above this size are refused (413) rather than buffered.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;
}
