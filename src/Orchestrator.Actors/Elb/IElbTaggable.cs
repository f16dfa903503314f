using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Elb;

namespace Orchestrator.Actors.Elb;

/// <summary>
/// The ELBv2 resources a service can tag (AddTags, RemoveTags and DescribeTags take ARNs of any
/// kind): load balancers, listeners and rules live in the load balancer entity, target groups in their own.
/// </summary>
public interface IElbTaggable
{
    /// <summary>The ARN resource types this service owns (ElbArn.LoadBalancer, ElbArn.TargetGroup ...).</summary>
    IReadOnlyCollection<string> ResourceTypes { get; }

    Task<Result<ImmutableDictionary<string, string>>> Tags(ElbArn arn, CancellationToken cancellationToken = default);

    Task<Result<ImmutableDictionary<string, string>>> AddTags(ElbArn arn, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken = default);

    Task<Result<ImmutableDictionary<string, string>>> RemoveTags(ElbArn arn, ImmutableArray<string> keys, CancellationToken cancellationToken = default);
}
