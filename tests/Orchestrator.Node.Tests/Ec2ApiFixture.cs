using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>
/// An in-process node (memory persistence, time x100) with its AWS endpoint on a free local port,
/// one running instance and one launch template, for raw EC2 query requests.
/// </summary>
public sealed partial class Ec2ApiFixture : IAsyncLifetime
{
    public const string Image = "ami-0c02fb55956c7d316";

    private OrchestratorNode _node = null!;
    private WebApplication _api = null!;
    private HttpClient _http = null!;

    public string InstanceId { get; private set; } = "";

    public string LaunchTemplateId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { Persistence = PersistenceMode.Memory, NodePort = 0, ApiPort = 0, TimeScale = 100 };
        _node = await OrchestratorNode.Start(options, Modules.All(options), _ => { }, CancellationToken.None);
        _api = await ApiServer.Start(options, _node);
        var address = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };

        var run = await Ok($"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1");
        InstanceId = Id().Match(run).Groups[1].Value;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        // The read model follows the entity: until it catches up the instance may be NotFound, as on AWS.
        string described;
        while (!(described = (await Send($"Action=DescribeInstances&InstanceId.1={InstanceId}")).Body).Contains("<name>running</name>", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{InstanceId} did not reach running: {described}");
            await Task.Delay(20);
        }
        var template = await Ok($"Action=CreateLaunchTemplate&LaunchTemplateName=fixture&LaunchTemplateData.ImageId={Image}");
        LaunchTemplateId = TemplateId().Match(template).Groups[1].Value;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
        await _node.DisposeAsync();
    }

    /// <summary>Posts an EC2 query body (Version is added) as the AWS CLI would, unsigned checks being off.</summary>
    public async Task<(HttpStatusCode Status, string Body)> Send(string body)
    {
        using var content = new StringContent(body + "&Version=2016-11-15", Encoding.UTF8, "application/x-www-form-urlencoded");
        content.Headers.Add("X-Amz-Date", "20260101T000000Z");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> Ok(string body)
    {
        var (status, text) = await Send(body);
        if (status != HttpStatusCode.OK)
            throw new InvalidOperationException($"{body} answered {(int)status}: {text}");
        return text;
    }

    /// <summary>Everything the bad requests could have changed, without the request ids that differ per call.</summary>
    public async Task<string> Snapshot()
    {
        var parts = new List<string>();
        foreach (var body in (string[])[
            "Action=DescribeInstances", "Action=DescribeVpcs", "Action=DescribeSubnets", "Action=DescribeLaunchTemplates",
            "Action=DescribeNetworkInterfaces", $"Action=DescribeInstanceCreditSpecifications&InstanceId.1={InstanceId}",
            $"Action=DescribeInstanceAttribute&InstanceId={InstanceId}&Attribute=userData",
            $"Action=DescribeInstanceAttribute&InstanceId={InstanceId}&Attribute=disableApiTermination",
            $"Action=DescribeInstanceAttribute&InstanceId={InstanceId}&Attribute=disableApiStop",
            $"Action=DescribeInstanceAttribute&InstanceId={InstanceId}&Attribute=instanceInitiatedShutdownBehavior"])
            parts.Add(RequestId().Replace(await Ok(body), ""));
        return string.Join('\n', parts);
    }

    [GeneratedRegex("<instanceId>(i-[0-9a-f]{17})</instanceId>")]
    private static partial Regex Id();

    [GeneratedRegex("<launchTemplateId>(lt-[0-9a-f]{17})</launchTemplateId>")]
    private static partial Regex TemplateId();

    [GeneratedRegex("<(requestId|RequestId)>[^<]*</(requestId|RequestId)>")]
    private static partial Regex RequestId();
}
