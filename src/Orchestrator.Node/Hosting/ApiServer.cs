using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Clock;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Rds;
using Orchestrator.Api;
using Orchestrator.Api.AutoScaling;
using Orchestrator.Api.CloudWatch;
using Orchestrator.Api.Ec2;
using Orchestrator.Api.Elb;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Logs;
using Orchestrator.Api.Rds;
using Orchestrator.Node.Management;

namespace Orchestrator.Node.Hosting;

/// <summary>
/// The AWS endpoint (default 127.0.0.1:4566): the protocol layer with the node's service modules,
/// handlers reading simulated time, and every response stamped with the sim time.
/// </summary>
public static class ApiServer
{
    public static async Task<WebApplication> Start(NodeOptions options, OrchestratorNode node, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The management host owns SIGTERM and stops this one in order; a second console lifetime would race it.
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{options.ApiHost}:{options.ApiPort}");
        var ec2 = new Ec2Service(node.Services, options.StrictImages);
        builder.Services.AddSingleton<IAwsServiceModule>(new Ec2ApiModule(ec2, node.Region.Snapshot));
        builder.Services.AddSingleton<IAwsServiceModule>(new LaunchTemplateApiModule(ec2));
        var network = new NetworkService(node.Services);
        var keyPairs = new KeyPairService(node.Services);
        var securityGroups = new SecurityGroupService(node.Services);
        var vpcNetwork = new VpcNetworkService(node.Services);
        builder.Services.AddSingleton<IAwsServiceModule>(new NetworkApiModule(network));
        builder.Services.AddSingleton<IAwsServiceModule>(new KeyPairApiModule(keyPairs));
        builder.Services.AddSingleton<IAwsServiceModule>(new SecurityGroupApiModule(securityGroups));
        builder.Services.AddSingleton<IAwsServiceModule>(new VpcNetworkApiModule(vpcNetwork));
        builder.Services.AddSingleton<IAwsServiceModule>(new TagsApiModule([new Ec2TaggableResources(ec2), network, keyPairs, securityGroups, vpcNetwork]));
        builder.Services.AddSingleton<IAwsServiceModule>(new InstanceApiModule(ec2, node.Region.Snapshot));
        var loadBalancers = new LoadBalancerService(node.Services, options.Region, options.AccountId);
        var targetGroups = new TargetGroupService(node.Services, options.AccountId);
        builder.Services.AddSingleton<IAwsServiceModule>(new LoadBalancerApiModule(loadBalancers));
        builder.Services.AddSingleton<IAwsServiceModule>(new TargetGroupApiModule(targetGroups));
        builder.Services.AddSingleton<IAwsServiceModule>(new ElbTagsApiModule([loadBalancers, targetGroups]));
        builder.Services.AddSingleton<IAwsServiceModule>(new LogsApiModule(new LogsService(node.Services, options.AccountId)));
        builder.Services.AddSingleton<IAwsServiceModule>(new CloudWatchApiModule(new CloudWatchService(node.Services, options.AccountId)));
        builder.Services.AddSingleton<IAwsServiceModule>(new AlarmsApiModule(new AlarmService(node.Services, options.AccountId)));
        builder.Services.AddSingleton<IAwsServiceModule>(new AutoScalingApiModule(new AutoScalingService(node.Services, options.AccountId), options.AccountId));
        builder.Services.AddSingleton<IAwsServiceModule>(new RdsApiModule(new RdsService(node.Services, options.AccountId, RdsModule.FailoverTime(node.System.Settings.Config))));
        builder.Services.AddAwsApi(api =>
        {
            api.DefaultRegion = options.Region;
            api.AccountId = options.AccountId;
            api.VerifySignatures = options.VerifySignatures;
            api.Time = new SimTimeProvider(node.Clock);
        });
        var app = builder.Build();
        var endpoint = app.Services.GetRequiredService<AwsApiEndpoint>();
        app.Use(async (context, next) =>
        {
            context.Response.Headers[ManagementEndpoints.SimTimeHeader] = node.Clock.Now.ToString("O");
            await next(context).ConfigureAwait(false);
        });
        app.Run(endpoint.Handle);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    /// <summary>API timestamps are simulated time: handlers read the cluster clock, not the wall.</summary>
    private sealed class SimTimeProvider(SimClock clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.Now;
    }
}
