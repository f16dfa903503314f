using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>ELBv2 errors with the codes of the model (all HTTP 400, Sender); ValidationError is the generic one.</summary>
public static class ElbErrors
{
    public static AwsError Validation(string message) => new("ValidationError", message);

    public static AwsError LoadBalancerNotFound(string? arn = null) =>
        new("LoadBalancerNotFound", arn is null ? "One or more load balancers not found" : $"Load balancers '[{arn}]' not found");

    public static AwsError ListenerNotFound(string? arn = null) =>
        new("ListenerNotFound", arn is null ? "One or more listeners not found" : $"Listener '{arn}' not found");

    public static AwsError RuleNotFound(string? arn = null) => new("RuleNotFound", arn is null ? "One or more rules not found" : $"Rule '{arn}' not found");

    public static AwsError TargetGroupNotFound(string arn) => new("TargetGroupNotFound", $"Target groups '[{arn}]' not found");

    public static AwsError DuplicateLoadBalancerName(string name) =>
        new("DuplicateLoadBalancerName", $"A load balancer with the name '{name}' already exists");

    public static AwsError DuplicateListener(int port) => new("DuplicateListener", $"A listener already exists on this port '{port}'");

    public static AwsError PriorityInUse(int priority) => new("PriorityInUse", $"Priority '{priority}' is currently in use");

    public static AwsError TooManyListeners() =>
        new("TooManyListeners", $"You've reached the limit on the number of listeners per load balancer ({LoadBalancer.MaxListeners})");

    public static AwsError TooManyRules() =>
        new("TooManyRules", $"You've reached the limit on the number of rules per load balancer ({LoadBalancer.MaxRules})");

    public static AwsError TooManyActions() => new("TooManyActions", $"A rule can have at most {RuleActions.MaxActions} actions");

    public static AwsError TooManyTags() => new("TooManyTags", $"A resource can have at most {ElbTags.MaxTags} tags");

    public static AwsError DuplicateTagKeys(string key) => new("DuplicateTagKeys", $"Tag key '{key}' is duplicated");

    public static AwsError InvalidConfiguration(string message) => new("InvalidConfigurationRequest", message);

    public static AwsError SubnetNotFound(string subnetId) => new("SubnetNotFound", $"The subnet ID '{subnetId}' is not valid");

    public static AwsError InvalidSubnet(string message) => new("InvalidSubnet", message);

    public static AwsError InvalidSecurityGroup(string groupId) => new("InvalidSecurityGroup", $"One or more security groups are invalid: '{groupId}'");

    public static AwsError UnsupportedProtocol(string protocol, string type) =>
        new("UnsupportedProtocol", $"Protocol '{protocol}' is not supported with load balancer type '{type}'");

    public static AwsError IncompatibleProtocols(string message) => new("IncompatibleProtocols", message);

    public static AwsError InvalidAction(string message) => new("InvalidLoadBalancerAction", message);

    public static AwsError OperationNotPermitted(string message) => new("OperationNotPermitted", message);
}
