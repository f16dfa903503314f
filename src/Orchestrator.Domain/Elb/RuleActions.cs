using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// The action list of a rule or a listener's default rule: orders, exactly one terminal action and
/// it last, and each action's own configuration, as AWS validates them.
/// </summary>
public static partial class RuleActions
{
    public const int MaxActions = 5;
    public const int MaxForwardGroups = 5;
    public const int MaxMessageBody = 1024;
    public const int MaxStickinessSeconds = 604800;

    private static readonly ImmutableHashSet<string> ContentTypes =
        ["text/plain", "text/css", "text/html", "application/javascript", "application/json"];

    private static readonly ImmutableHashSet<string> AuthenticateTypes = ["authenticate-oidc", "authenticate-cognito", "jwt-validation"];

    /// <summary>
    /// The actions sorted by Order (an action without one takes its position), or why they are refused.
    /// Authenticate actions need HTTPS; the simulator does not model identity providers, so it refuses them there too.
    /// </summary>
    public static Result<ImmutableArray<ElbAction>> Validate(string loadBalancerType, string? listenerProtocol, ImmutableArray<ElbAction> actions)
    {
        if (actions.IsDefaultOrEmpty)
            return ElbErrors.Validation("At least one action must be specified");
        if (actions.Length > MaxActions)
            return ElbErrors.TooManyActions();
        var ordered = actions.Select((a, i) => a.Order > 0 ? a : a with { Order = i + 1 }).ToImmutableArray();
        if (ordered.Any(a => a.Order > 50000))
            return ElbErrors.Validation("Action order must be between 1 and 50000");
        if (ordered.Select(a => a.Order).Distinct().Count() != ordered.Length)
            return ElbErrors.InvalidAction("Action orders must be unique");
        ordered = [.. ordered.OrderBy(a => a.Order)];
        foreach (var action in ordered)
        {
            if (CheckAction(loadBalancerType, listenerProtocol, action) is { } error)
                return error;
        }
        if (ordered.Count(a => a.IsTerminal()) != 1)
            return ElbErrors.InvalidAction("A rule must have exactly one forward, redirect or fixed-response action");
        if (!ordered[^1].IsTerminal())
            return ElbErrors.InvalidAction($"The {ordered[^1].Type} action must come before the forward, redirect or fixed-response action");
        return ordered;
    }

    private static AwsError? CheckAction(string loadBalancerType, string? listenerProtocol, ElbAction action)
    {
        if (AuthenticateTypes.Contains(action.Type))
            return listenerProtocol == "HTTPS"
                ? ElbErrors.InvalidAction($"Action type '{action.Type}' is not supported by this simulator")
                : ElbErrors.InvalidAction($"Action type '{action.Type}' is supported only on HTTPS listeners");
        if (action.Type is not (ElbAction.Forward or ElbAction.RedirectType or ElbAction.FixedResponseType))
            return ElbErrors.Validation($"'{action.Type}' is not a valid action type");
        if (action.Type != ElbAction.Forward && loadBalancerType != LoadBalancerTypes.Application)
            return ElbErrors.InvalidAction($"Action type '{action.Type}' is supported only by Application Load Balancers");
        return action.Type switch
        {
            ElbAction.Forward => CheckForward(loadBalancerType, action),
            ElbAction.RedirectType => CheckRedirect(listenerProtocol, action.Redirect),
            _ => CheckFixedResponse(action.FixedResponse),
        };
    }

    private static AwsError? CheckForward(string loadBalancerType, ElbAction action)
    {
        var groups = action.TargetGroups;
        if (groups.IsEmpty)
            return ElbErrors.Validation("A forward action must specify a target group ARN or a forward configuration with target groups");
        if (groups.Length > MaxForwardGroups)
            return ElbErrors.InvalidAction($"A forward action can have at most {MaxForwardGroups} target groups");
        if (groups.Length > 1 && loadBalancerType != LoadBalancerTypes.Application)
            return ElbErrors.InvalidAction("Only Application Load Balancers can forward to several target groups");
        if (groups.Select(g => g.TargetGroupArn).Distinct(StringComparer.Ordinal).Count() != groups.Length)
            return ElbErrors.InvalidAction("A target group can appear only once in a forward action");
        if (groups.FirstOrDefault(g => !ElbArn.TryParse(g.TargetGroupArn, out var arn) || arn.ResourceType != ElbArn.TargetGroup) is { } bad)
            return ElbErrors.Validation($"'{bad.TargetGroupArn}' is not a valid target group ARN");
        if (groups.Any(g => g.Weight is < 0 or > 999))
            return ElbErrors.Validation("Target group weights must be between 0 and 999");
        if (action.StickinessEnabled && action.StickinessDurationSeconds is not (>= 1 and <= MaxStickinessSeconds))
            return ElbErrors.Validation($"The stickiness duration must be between 1 and {MaxStickinessSeconds} seconds");
        return null;
    }

    private static AwsError? CheckRedirect(string? listenerProtocol, RedirectConfig? redirect)
    {
        if (redirect is null)
            return ElbErrors.Validation("A redirect action must have a redirect configuration");
        if (redirect.StatusCode is not ("HTTP_301" or "HTTP_302"))
            return ElbErrors.Validation("The redirect status code must be HTTP_301 or HTTP_302");
        if (redirect.Protocol is { } protocol && protocol is not ("HTTP" or "HTTPS" or "#{protocol}"))
            return ElbErrors.Validation("The redirect protocol must be HTTP, HTTPS or #{protocol}");
        if (listenerProtocol == "HTTPS" && redirect.Protocol == "HTTP")
            return ElbErrors.InvalidAction("Redirects from HTTPS to HTTP are not allowed");
        if (redirect.Path is { Length: > 0 } path && !path.StartsWith('/'))
            return ElbErrors.Validation("The redirect path must start with '/'");
        return null;
    }

    private static AwsError? CheckFixedResponse(FixedResponseConfig? response)
    {
        if (response is null)
            return ElbErrors.Validation("A fixed-response action must have a fixed-response configuration");
        if (!StatusCodePattern().IsMatch(response.StatusCode))
            return ElbErrors.Validation($"Fixed-response status code '{response.StatusCode}' must match the pattern ^(2|4|5)\\d\\d$");
        if (response.ContentType is { } type && !ContentTypes.Contains(type))
            return ElbErrors.Validation($"Content type '{type}' is not supported: use text/plain, text/css, text/html, application/javascript or application/json");
        if (response.MessageBody is { Length: > MaxMessageBody })
            return ElbErrors.Validation($"The message body can be at most {MaxMessageBody} characters");
        return null;
    }

    [GeneratedRegex(@"^(2|4|5)\d\d$")]
    private static partial Regex StatusCodePattern();
}
