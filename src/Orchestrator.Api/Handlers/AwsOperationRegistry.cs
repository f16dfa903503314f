using System.Collections.Concurrent;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Handlers;

/// <summary>Handlers per (service, operation); the service name is the model's botocore name (ec2, sts, elbv2, ...).</summary>
public sealed class AwsOperationRegistry(ServiceCatalog catalog)
{
    private readonly ConcurrentDictionary<(string Service, string Operation), IAwsOperationHandler> _handlers = new();

    public ServiceCatalog Catalog { get; } = catalog;

    /// <summary>Registers a handler; the operation must exist in the model so typos fail at startup, not at request time.</summary>
    public AwsOperationRegistry Register(string service, string operation, IAwsOperationHandler handler)
    {
        var model = Catalog.Find(service) ?? throw new ArgumentException($"Unknown service '{service}'.", nameof(service));
        if (model.FindOperation(operation) is null)
        {
            throw new ArgumentException($"Service '{service}' has no operation '{operation}'.", nameof(operation));
        }
        if (!_handlers.TryAdd((service, operation), handler))
        {
            throw new InvalidOperationException($"{service}.{operation} already has a handler.");
        }
        return this;
    }

    public AwsOperationRegistry Register(string service, string operation, Func<AwsRequest, CancellationToken, ValueTask<AwsResult>> handler) =>
        Register(service, operation, new DelegateHandler(handler));

    public AwsOperationRegistry Register(string service, string operation, Func<AwsRequest, AwsResult> handler) =>
        Register(service, operation, new DelegateHandler((r, _) => ValueTask.FromResult(handler(r))));

    public AwsOperationRegistry Add(IAwsServiceModule module)
    {
        module.Register(this);
        return this;
    }

    public IAwsOperationHandler? Find(string service, string operation) => _handlers.GetValueOrDefault((service, operation));

    public bool HasHandlers(string service) => _handlers.Keys.Any(k => k.Service == service);

    private sealed class DelegateHandler(Func<AwsRequest, CancellationToken, ValueTask<AwsResult>> handler) : IAwsOperationHandler
    {
        public ValueTask<AwsResult> HandleAsync(AwsRequest request, CancellationToken cancellationToken) => handler(request, cancellationToken);
    }
}
