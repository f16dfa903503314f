using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>
/// One in-memory node with its AWS endpoint on an ephemeral port, called over HTTP with EC2 query
/// requests as the CLI sends them. The clock runs at x1000, so a 90 s NAT gateway build takes 90 ms.
/// </summary>
public sealed class NetworkApiFixture : IAsyncLifetime
{
    private OrchestratorNode _node = null!;
    private WebApplication _api = null!;
    private HttpClient _http = null!;

    public OrchestratorNode Node => _node;

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { Persistence = PersistenceMode.Memory, NodePort = 0, ApiPort = 0, TimeScale = 1000 };
        _node = await OrchestratorNode.Start(options, Modules.All(options), _ => { }, CancellationToken.None);
        _api = await ApiServer.Start(options, _node);
        var address = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
        await _node.DisposeAsync();
    }

    /// <summary>Posts Action=... with the given parameters; answers the HTTP status and the response document's root.</summary>
    public async Task<(HttpStatusCode Status, XElement Body)> Call(string action, params (string Name, string Value)[] parameters)
    {
        var body = string.Join('&', new[] { ("Action", action), ("Version", "2016-11-15") }.Concat(parameters)
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        content.Headers.Add("X-Amz-Date", "20260101T000000Z");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, StripNamespaces(XElement.Parse(await response.Content.ReadAsStringAsync())));
    }

    /// <summary>A call that must succeed.</summary>
    public async Task<XElement> Ok(string action, params (string Name, string Value)[] parameters)
    {
        var (status, body) = await Call(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} failed: {body}");
        return body;
    }

    /// <summary>A call that must fail with a client error: answers its code.</summary>
    public async Task<string> Fails(string action, params (string Name, string Value)[] parameters)
    {
        var (status, body) = await Call(action, parameters);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.Descendants("Code").Single().Value;
    }

    /// <summary>Polls (in wall time, the clock runs fast) until the probe is satisfied.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
                return value;
            await Task.Delay(20);
        }
    }

    private static XElement StripNamespaces(XElement element)
    {
        foreach (var e in element.DescendantsAndSelf())
        {
            e.Name = e.Name.LocalName;
            e.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        }
        return element;
    }
}
