using Microsoft.AspNetCore.Http;
using Orchestrator.Node.Hosting;
using Orchestrator.Node.Management;

namespace Orchestrator.Node.Tests;

public sealed class ManagementTokenTests
{
    private static HttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
            context.Request.Headers.Authorization = authorization;
        return context;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_needs_no_token(string host) =>
        Assert.True(ManagementEndpoints.Authorized(Request(null), new NodeOptions { ManagementHost = host }));

    [Fact]
    public void Any_other_binding_requires_the_bearer_token()
    {
        var options = new NodeOptions { ManagementHost = "0.0.0.0", ManagementToken = "s3cret" };
        Assert.False(ManagementEndpoints.Authorized(Request(null), options));
        Assert.False(ManagementEndpoints.Authorized(Request("Bearer wrong"), options));
        Assert.True(ManagementEndpoints.Authorized(Request("Bearer s3cret"), options));
        Assert.False(ManagementEndpoints.Authorized(Request("Bearer "), new NodeOptions { ManagementHost = "10.1.2.3" }));
    }
}
