using Orchestrator.Api.Auth;

namespace Orchestrator.Api.Tests;

public sealed class SigV4Tests
{
    [Fact]
    public void Aws_test_suite_get_vanilla()
    {
        var signature = SigV4.ParseAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")!;
        var request = new SigV4Request("GET", "/", "",
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            SigV4.Sha256Hex([]));

        Assert.Equal("AKIDEXAMPLE", signature.AccessKeyId);
        Assert.Equal("20150830/us-east-1/service/aws4_request", signature.Scope);
        Assert.Equal(["host", "x-amz-date"], signature.SignedHeaders);
        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            SigV4.CanonicalRequest(request, signature));
        Assert.True(SigV4.Verify(request, signature, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        Assert.False(SigV4.Verify(request with { Method = "POST" }, signature, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
    }

    [Fact]
    public void Presigned_query_parameters_are_parsed()
    {
        var query = new Dictionary<string, string>
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = "AKID/20260101/eu-west-1/s3/aws4_request",
            ["X-Amz-SignedHeaders"] = "host",
            ["X-Amz-Signature"] = "abc",
        };
        var signature = SigV4.ParseQuery(query.GetValueOrDefault)!;
        Assert.True(signature.Presigned);
        Assert.Equal(("AKID", "eu-west-1", "s3"), (signature.AccessKeyId, signature.Region, signature.Service));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AWS AKID:sig")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1, SignedHeaders=host, Signature=00")]
    public void Non_sigv4_or_malformed_authorization_is_ignored(string? header) => Assert.Null(SigV4.ParseAuthorization(header));
}
