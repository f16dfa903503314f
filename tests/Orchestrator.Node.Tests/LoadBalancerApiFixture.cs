using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Domain.Elb;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>
/// One in-memory node (time x1000: a 60 s provisioning takes 60 ms) called over HTTP with EC2 and
/// ELBv2 query requests. Tests that only need a target group to exist write its read-model row directly.
/// </summary>
public sealed class LoadBalancerApiFixture : IAsyncLifetime
{
    private OrchestratorNode _node = null!;
    private WebApplication _api = null!;
    private HttpClient _http = null!;

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

    /// <summary>A target group as its read-model row says it exists (protocol HTTP unless told, in the VPC given).</summary>
    public async Task<string> TargetGroup(string vpcId, string protocol = "HTTP", params string[] usedBy)
    {
        var id = ElbArn.NewId();
        var arn = ElbArn.ForTargetGroup("us-east-1", "000000000000", "tg-" + id[..6], id);
        var view = new TargetGroupView(arn, id, "tg-" + id[..6], protocol, null, 80, vpcId, "instance", "ipv4", true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, "200", null,
            [.. usedBy], ImmutableDictionary<string, string>.Empty);
        await _node.Services.Index.ReplaceOwned("test-target-group-" + id, 1, _node.Services.Region.Current.Generation,
            [new IndexRow(TargetGroupKinds.TargetGroup, id, view)]);
        return arn;
    }

    public Task<(HttpStatusCode Status, XElement Body)> Ec2(string action, params (string Name, string Value)[] parameters) =>
        Call("ec2", "2016-11-15", action, parameters);

    public Task<(HttpStatusCode Status, XElement Body)> Elb(string action, params (string Name, string Value)[] parameters) =>
        Call("elasticloadbalancing", "2015-12-01", action, parameters);

    /// <summary>An ELBv2 call that must succeed.</summary>
    public async Task<XElement> Ok(string action, params (string Name, string Value)[] parameters)
    {
        var (status, body) = await Elb(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} failed: {body}");
        return body;
    }

    /// <summary>An ELBv2 call that must fail with a client error: answers its code.</summary>
    public async Task<string> Fails(string action, params (string Name, string Value)[] parameters)
    {
        var (status, body) = await Elb(action, parameters);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.Descendants("Code").Single().Value;
    }

    private async Task<(HttpStatusCode Status, XElement Body)> Call(string service, string version, string action, (string Name, string Value)[] parameters)
    {
        var body = string.Join('&', new[] { ("Action", action), ("Version", version) }.Concat(parameters)
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        content.Headers.Add("X-Amz-Date", "20260101T000000Z");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await _http.SendAsync(request);
        var root = XElement.Parse(await response.Content.ReadAsStringAsync());
        foreach (var e in root.DescendantsAndSelf())
        {
            e.Name = e.Name.LocalName;
            e.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        }
        return (response.StatusCode, root);
    }
}
