using System.Collections.Immutable;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// A target group as DescribeTargetGroups shows it (one read-model row). Load balancers read it to
/// check a forward action: the group exists, its VPC, protocol and which load balancers use it.
/// </summary>
public sealed record TargetGroupView(
    string TargetGroupArn,
    string TargetGroupId,
    string TargetGroupName,
    string? Protocol,
    string? ProtocolVersion,
    int? Port,
    string? VpcId,
    string TargetType,
    string IpAddressType,
    bool HealthCheckEnabled,
    string? HealthCheckProtocol,
    string? HealthCheckPort,
    string? HealthCheckPath,
    int HealthCheckIntervalSeconds,
    int HealthCheckTimeoutSeconds,
    int HealthyThresholdCount,
    int UnhealthyThresholdCount,
    string? MatcherHttpCode,
    string? MatcherGrpcCode,
    ImmutableArray<string> LoadBalancerArns,
    ImmutableDictionary<string, string> Tags);
