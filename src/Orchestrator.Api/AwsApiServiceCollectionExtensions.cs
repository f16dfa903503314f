using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;
using Orchestrator.Api.Sts;

namespace Orchestrator.Api;

public static class AwsApiServiceCollectionExtensions
{
    /// <summary>Registers the registry (with the built-in STS module), options and <see cref="AwsApiEndpoint"/>; add service modules with <c>IAwsServiceModule</c> singletons.</summary>
    public static IServiceCollection AddAwsApi(this IServiceCollection services, Action<AwsApiOptions>? configure = null)
    {
        var options = new AwsApiOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton<IAwsServiceModule, StsModule>();
        services.AddSingleton(sp =>
        {
            var registry = new AwsOperationRegistry(ServiceCatalog.Shared);
            foreach (var module in sp.GetServices<IAwsServiceModule>())
            {
                registry.Add(module);
            }
            return registry;
        });
        services.AddSingleton(sp => new AwsApiEndpoint(
            sp.GetRequiredService<AwsOperationRegistry>(),
            sp.GetRequiredService<AwsApiOptions>(),
            sp.GetService<ILogger<AwsApiEndpoint>>() ?? NullLogger<AwsApiEndpoint>.Instance));
        return services;
    }
}
