using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Domain.Elb;

/// <summary>The short type segment of a load balancer's ARN: app, net or gwy.</summary>
public static class LoadBalancerTypes
{
    public const string Application = "application";
    public const string Network = "network";
    public const string Gateway = "gateway";

    public static string ArnSegment(string type) => type switch
    {
        Network => "net",
        Gateway => "gwy",
        _ => "app",
    };

    public static string FromArnSegment(string segment) => segment switch
    {
        "net" => Network,
        "gwy" => Gateway,
        _ => Application,
    };
}

/// <summary>
/// A parsed ELBv2 ARN. Entities are keyed by the 16-hex id of the resource that owns them: a load
/// balancer by its id (its listeners and rules live in it), a target group by its own id.
/// </summary>
public sealed record ElbArn(string Region, string AccountId, string ResourceType, string LoadBalancerType, string Name, string Id,
    string? ListenerId = null, string? RuleId = null)
{
    public const string LoadBalancer = "loadbalancer";
    public const string TargetGroup = "targetgroup";
    public const string Listener = "listener";
    public const string ListenerRule = "listener-rule";

    private const string Prefix = "arn:aws:elasticloadbalancing:";

    public static string ForLoadBalancer(string region, string accountId, string type, string name, string id) =>
        $"{Prefix}{region}:{accountId}:{LoadBalancer}/{LoadBalancerTypes.ArnSegment(type)}/{name}/{id}";

    public static string ForTargetGroup(string region, string accountId, string name, string id) =>
        $"{Prefix}{region}:{accountId}:{TargetGroup}/{name}/{id}";

    public static string ForListener(string loadBalancerArn, string listenerId) =>
        loadBalancerArn.Replace($":{LoadBalancer}/", $":{Listener}/", StringComparison.Ordinal) + "/" + listenerId;

    public static string ForRule(string listenerArn, string ruleId) =>
        listenerArn.Replace($":{Listener}/", $":{ListenerRule}/", StringComparison.Ordinal) + "/" + ruleId;

    /// <summary>Parses any of the four ARN shapes; null when the text is not one (the caller answers ValidationError).</summary>
    public static bool TryParse(string? arn, [NotNullWhen(true)] out ElbArn? parsed)
    {
        parsed = null;
        if (arn is null || !arn.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var parts = arn[Prefix.Length..].Split(':', 3);
        if (parts.Length != 3)
            return false;
        var (region, account) = (parts[0], parts[1]);
        var path = parts[2].Split('/');
        parsed = path switch
        {
            [TargetGroup, var name, var id] when IsId(id) => new ElbArn(region, account, TargetGroup, "", name, id),
            [LoadBalancer, var type, var name, var id] when IsId(id) => new ElbArn(region, account, LoadBalancer, LoadBalancerTypes.FromArnSegment(type), name, id),
            [Listener, var type, var name, var id, var listener] when IsId(id) && IsId(listener)
                => new ElbArn(region, account, Listener, LoadBalancerTypes.FromArnSegment(type), name, id, listener),
            [ListenerRule, var type, var name, var id, var listener, var rule] when IsId(id) && IsId(listener) && IsId(rule)
                => new ElbArn(region, account, ListenerRule, LoadBalancerTypes.FromArnSegment(type), name, id, listener, rule),
            _ => null,
        };
        return parsed is not null;
    }

    /// <summary>AWS ids in ELBv2 ARNs are 16 lowercase hex digits.</summary>
    public static bool IsId(string text) => text.Length == 16 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
