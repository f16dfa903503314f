using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>With --verify-signatures, a request signed with the wrong secret is refused as AWS refuses it.</summary>
public sealed class SignatureTests(VerifyingNodeFixture node) : IClassFixture<VerifyingNodeFixture>
{
    [Fact]
    public async Task Correctly_signed_requests_pass_and_report_the_configured_account()
    {
        var (code, stdout, stderr) = await node.Aws("sts", "get-caller-identity");
        Assert.True(code == 0, stderr);
        Assert.Equal("123456789012", (string)JsonNode.Parse(stdout)!["Account"]!);
        Assert.Equal(0, (await node.Aws("ec2", "describe-availability-zones")).Code);
    }

    [Fact]
    public async Task A_bad_signature_gets_SignatureDoesNotMatch()
    {
        var (code, _, stderr) = await node.AwsWithSecret("not-the-secret", "ec2", "describe-instances");
        Assert.NotEqual(0, code);
        Assert.Contains("SignatureDoesNotMatch", stderr);
    }
}
