using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;
using Orchestrator.Api.Sts;

namespace Orchestrator.Api.Tests;

/// <summary>The endpoint in process (no socket): signature verification and handler failures.</summary>
public sealed class EndpointTests
{
    private static AwsApiEndpoint Endpoint(AwsApiOptions options, Action<AwsOperationRegistry>? register = null)
    {
        var registry = new AwsOperationRegistry(ServiceCatalog.Shared).Add(new StsModule());
        register?.Invoke(registry);
        return new AwsApiEndpoint(registry, options, NullLogger<AwsApiEndpoint>.Instance);
    }

    private static async Task<(int Status, string Body)> Send(AwsApiEndpoint endpoint, RequestFixture f)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = f.Method;
        context.Request.Path = f.Path;
        foreach (var (k, v) in f.Headers)
        {
            context.Request.Headers[k] = v;
        }
        context.Request.ContentType = f.Header("Content-Type");
        context.Request.Body = new MemoryStream(f.Body);
        var body = new MemoryStream();
        context.Response.Body = body;
        await endpoint.Handle(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static RequestFixture StsFixture() =>
        RequestFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests", "sts-GetCallerIdentity.json"));

    [Fact]
    public async Task Verification_accepts_the_botocore_signature_and_rejects_a_wrong_secret()
    {
        var ok = await Send(Endpoint(new AwsApiOptions { VerifySignatures = true }), StsFixture());
        Assert.Equal(200, ok.Status);
        Assert.Contains("<Account>000000000000</Account>", ok.Body, StringComparison.Ordinal);

        var bad = await Send(Endpoint(new AwsApiOptions { VerifySignatures = true, SecretKeyFor = _ => "other" }), StsFixture());
        Assert.Equal(403, bad.Status);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", bad.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_exception_is_a_500_in_the_protocol_envelope()
    {
        var endpoint = Endpoint(new AwsApiOptions(), r => r.Register("sts", "GetSessionToken", _ => throw new InvalidOperationException("bug")));
        var f = StsFixture() with { Body = "Action=GetSessionToken&Version=2011-06-15"u8.ToArray() };
        var (status, body) = await Send(endpoint, f);
        Assert.Equal(500, status);
        Assert.Contains("<Type>Receiver</Type><Code>InternalFailure</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_an_operation_the_model_does_not_have_fails_at_startup()
    {
        var registry = new AwsOperationRegistry(ServiceCatalog.Shared);
        Assert.Throws<ArgumentException>(() => registry.Register("sts", "NoSuchOperation", _ => AwsResult.Ok()));
        Assert.Throws<ArgumentException>(() => registry.Register("nosuch", "X", _ => AwsResult.Ok()));
    }
}
