using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Vpc;
using LoadBalancerState = Orchestrator.Domain.Elb.LoadBalancer;

namespace Orchestrator.Actors.Elb;

/// <summary>CreateLoadBalancer as the service sees it; null means the AWS default.</summary>
public sealed record CreateLoadBalancerRequest(
    string? Name,
    IReadOnlyList<string> Subnets,
    IReadOnlyList<string> SecurityGroups,
    string? Scheme = null,
    string? Type = null,
    string? IpAddressType = null,
    ImmutableDictionary<string, string>? Tags = null);

/// <summary>A listener's settings; on modification null (or a null array) keeps the current value.</summary>
public sealed record ListenerSettings(
    string? Protocol,
    int? Port,
    ImmutableArray<string>? Certificates,
    string? SslPolicy,
    ImmutableArray<ElbAction>? DefaultActions);

/// <summary>
/// Load balancers, listeners and rules as the API sees them: it resolves what spans resources
/// (names unique in the region, subnets, security groups, target groups) from the read model,
/// generates ids and ARNs, and sends the facts to the load balancer's entity.
/// </summary>
public sealed class LoadBalancerService(EntityServices services, string region, string accountId) : IElbTaggable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private long Generation => services.Region.Current.Generation;

    public IReadOnlyCollection<string> ResourceTypes { get; } = [ElbArn.LoadBalancer, ElbArn.Listener, ElbArn.ListenerRule];

    public async Task<Result<LoadBalancerView>> Create(CreateLoadBalancerRequest request, CancellationToken cancellationToken = default)
    {
        if (LoadBalancerState.ValidateName(request.Name) is { } nameError)
            return nameError;
        var type = request.Type ?? LoadBalancerTypes.Application;
        var scheme = request.Scheme ?? LoadBalancerSchemes.InternetFacing;
        if ((await List<LoadBalancerView>(LoadBalancerKinds.LoadBalancer).ConfigureAwait(false)).FirstOrDefault(lb => lb.LoadBalancerName == request.Name) is { } existing)
            return SameSettings(existing, request, type, scheme) ? existing : ElbErrors.DuplicateLoadBalancerName(request.Name!);
        var zones = await Zones(type, request.Subnets, null).ConfigureAwait(false);
        if (zones.IsError)
            return zones.Error!;
        var vpcId = await VpcOf(zones.Value[0].SubnetId).ConfigureAwait(false);
        var groups = await SecurityGroups(type, vpcId, request.SecurityGroups, defaultWhenNone: type == LoadBalancerTypes.Application).ConfigureAwait(false);
        if (groups.IsError)
            return groups.Error!;
        var id = ElbArn.NewId();
        var arn = ElbArn.ForLoadBalancer(region, accountId, type, request.Name!, id);
        var create = new LoadBalancerCommands.Create(id, arn, request.Name!, type, scheme, request.IpAddressType ?? "ipv4", vpcId, zones.Value, groups.Value,
            LoadBalancerDns.Name(request.Name!, id, scheme, region), LoadBalancerDns.HostedZoneId(type, region), request.Tags ?? ImmutableDictionary<string, string>.Empty);
        return (await Send(id, create, cancellationToken).ConfigureAwait(false)).Map(LoadBalancerView.From);
    }

    /// <summary>CreateLoadBalancer is idempotent: the same name with the same settings answers the existing load balancer.</summary>
    private static bool SameSettings(LoadBalancerView existing, CreateLoadBalancerRequest request, string type, string scheme) =>
        existing.Type == type
        && existing.Scheme == scheme
        && existing.IpAddressType == (request.IpAddressType ?? "ipv4")
        && existing.AvailabilityZones.Select(z => z.SubnetId).ToHashSet().SetEquals(request.Subnets)
        && (request.SecurityGroups.Count == 0 || existing.SecurityGroups.ToHashSet().SetEquals(request.SecurityGroups));

    /// <summary>DescribeLoadBalancers: all, or those named by ARN or by name (every one must exist).</summary>
    public async Task<Result<IReadOnlyList<LoadBalancerView>>> Describe(IReadOnlyList<string> arns, IReadOnlyList<string> names)
    {
        var all = (await List<LoadBalancerView>(LoadBalancerKinds.LoadBalancer).ConfigureAwait(false)).OrderBy(lb => lb.CreatedTime).ToList();
        if (arns.FirstOrDefault(a => !ElbArn.TryParse(a, out var parsed) || parsed.ResourceType != ElbArn.LoadBalancer) is { } malformed)
            return ElbErrors.Validation($"'{malformed}' is not a valid load balancer ARN");
        if (arns.Count > 0 && names.Count > 0)
            return ElbErrors.Validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        if (arns.FirstOrDefault(a => all.All(lb => lb.LoadBalancerArn != a)) is { } missingArn)
            return ElbErrors.LoadBalancerNotFound(missingArn);
        if (names.FirstOrDefault(n => all.All(lb => lb.LoadBalancerName != n)) is { } missingName)
            return ElbErrors.LoadBalancerNotFound(missingName);
        return arns.Count + names.Count == 0 ? all : all.Where(lb => arns.Contains(lb.LoadBalancerArn) || names.Contains(lb.LoadBalancerName)).ToList();
    }

    public async Task<Result<LoadBalancerView>> Find(string? arn)
    {
        if (!ElbArn.TryParse(arn, out var parsed) || parsed.ResourceType != ElbArn.LoadBalancer)
            return ElbErrors.Validation($"'{arn}' is not a valid load balancer ARN");
        return await LoadBalancerOf(parsed).ConfigureAwait(false) is { } view ? view : ElbErrors.LoadBalancerNotFound(arn);
    }

    /// <summary>DeleteLoadBalancer succeeds for a load balancer that does not exist, as AWS does.</summary>
    public async Task<Result<bool>> Delete(string? arn, CancellationToken cancellationToken = default)
    {
        var found = await Find(arn).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!.Code == "LoadBalancerNotFound" ? true : found.Error!;
        var reply = await services.Router.Ask<object>(LoadBalancerKinds.LoadBalancer, found.Value.LoadBalancerId,
            new LoadBalancerCommands.Delete(found.Value.LoadBalancerId), Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted => true,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from load balancer {found.Value.LoadBalancerId}: {reply}"),
        };
    }

    public Task<Result<LoadBalancerView>> ModifyAttributes(string? arn, ImmutableDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        Change(arn, lb => Task.FromResult<Result<ILoadBalancerCommand>>(new LoadBalancerCommands.ModifyAttributes(lb.LoadBalancerId, attributes)), cancellationToken);

    /// <summary>The simulation's fluid traffic to this load balancer (the `load` palette), in requests per simulated second.</summary>
    public Task<Result<LoadBalancerView>> OfferLoad(string? arn, double requestsPerSecond, CancellationToken cancellationToken = default) =>
        Change(arn, lb => Task.FromResult<Result<ILoadBalancerCommand>>(new LoadBalancerCommands.OfferLoad(lb.LoadBalancerId, requestsPerSecond)), cancellationToken);

    public Task<Result<LoadBalancerView>> SetSubnets(string? arn, IReadOnlyList<string> subnets, CancellationToken cancellationToken = default) =>
        Change(arn, async lb => (await Zones(lb.Type, subnets, lb.VpcId).ConfigureAwait(false))
            .Map<ILoadBalancerCommand>(zones => new LoadBalancerCommands.SetSubnets(lb.LoadBalancerId, zones)), cancellationToken);

    public Task<Result<LoadBalancerView>> SetSecurityGroups(string? arn, IReadOnlyList<string> groups, CancellationToken cancellationToken = default) =>
        Change(arn, async lb => (await SecurityGroups(lb.Type, lb.VpcId, groups, defaultWhenNone: false).ConfigureAwait(false))
            .Map<ILoadBalancerCommand>(resolved => new LoadBalancerCommands.SetSecurityGroups(lb.LoadBalancerId, resolved)), cancellationToken);

    public async Task<Result<ListenerView>> CreateListener(string? loadBalancerArn, ListenerSettings settings, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        var lb = await Find(loadBalancerArn).ConfigureAwait(false);
        if (lb.IsError)
            return lb.Error!;
        var actions = settings.DefaultActions ?? [];
        if (await CheckTargetGroups(lb.Value, settings.Protocol, actions).ConfigureAwait(false) is { } error)
            return error;
        var listenerId = ElbArn.NewId();
        var create = new LoadBalancerCommands.CreateListener(lb.Value.LoadBalancerId, listenerId, ElbArn.NewId(), settings.Protocol, settings.Port,
            settings.Certificates ?? [], settings.SslPolicy, actions, tags);
        return (await Send(lb.Value.LoadBalancerId, create, cancellationToken).ConfigureAwait(false))
            .Map(state => ListenerView.AllOf(state).Single(l => l.ListenerId == listenerId));
    }

    /// <summary>DescribeListeners: the listeners of one load balancer, or those named by ARN.</summary>
    public async Task<Result<IReadOnlyList<ListenerView>>> Listeners(string? loadBalancerArn, IReadOnlyList<string> listenerArns)
    {
        if (loadBalancerArn is not null && listenerArns.Count > 0)
            return ElbErrors.Validation("A load balancer ARN and listener ARNs cannot be specified at the same time");
        if (loadBalancerArn is not null)
        {
            var lb = await Find(loadBalancerArn).ConfigureAwait(false);
            if (lb.IsError)
                return lb.Error!;
            return (await List<ListenerView>(LoadBalancerKinds.Listener).ConfigureAwait(false))
                .Where(l => l.LoadBalancerArn == lb.Value.LoadBalancerArn).OrderBy(l => l.Port).ToList();
        }
        if (listenerArns.Count == 0)
            return ElbErrors.Validation("A load balancer ARN or listener ARNs must be specified");
        return await FindAll(listenerArns, FindListener).ConfigureAwait(false);
    }

    public async Task<Result<ListenerView>> FindListener(string? arn)
    {
        if (!ElbArn.TryParse(arn, out var parsed) || parsed.ResourceType != ElbArn.Listener)
            return ElbErrors.Validation($"'{arn}' is not a valid listener ARN");
        return await services.Index.Get(LoadBalancerKinds.Listener, parsed.ListenerId!, Generation).ConfigureAwait(false) is ListenerView view && view.ListenerArn == arn
            ? view
            : ElbErrors.ListenerNotFound(arn);
    }

    public async Task<Result<ListenerView>> ModifyListener(string? listenerArn, ListenerSettings settings, CancellationToken cancellationToken = default)
    {
        var listener = await FindListener(listenerArn).ConfigureAwait(false);
        if (listener.IsError)
            return listener.Error!;
        var lb = await Find(listener.Value.LoadBalancerArn).ConfigureAwait(false);
        if (lb.IsError)
            return ElbErrors.ListenerNotFound(listenerArn);
        var protocol = settings.Protocol ?? listener.Value.Protocol;
        if (protocol != listener.Value.Protocol || settings.DefaultActions is not null)
        {
            if (await CheckTargetGroups(lb.Value, protocol, settings.DefaultActions ?? listener.Value.DefaultActions).ConfigureAwait(false) is { } error)
                return error;
        }
        var id = listener.Value.ListenerId;
        var modify = new LoadBalancerCommands.ModifyListener(lb.Value.LoadBalancerId, id, settings.Protocol, settings.Port, settings.Certificates, settings.SslPolicy,
            settings.DefaultActions);
        return (await Send(lb.Value.LoadBalancerId, modify, cancellationToken).ConfigureAwait(false)).Map(state => ListenerView.AllOf(state).Single(l => l.ListenerId == id));
    }

    public async Task<Result<ListenerView>> ModifyListenerAttributes(string? listenerArn, ImmutableDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        var listener = await FindListener(listenerArn).ConfigureAwait(false);
        if (listener.IsError)
            return listener.Error!;
        var (lbId, id) = (ElbArnId(listener.Value.LoadBalancerArn), listener.Value.ListenerId);
        return (await Send(lbId, new LoadBalancerCommands.ModifyListenerAttributes(lbId, id, attributes), cancellationToken).ConfigureAwait(false))
            .Map(state => ListenerView.AllOf(state).Single(l => l.ListenerId == id));
    }

    public async Task<Result<bool>> DeleteListener(string? listenerArn, CancellationToken cancellationToken = default)
    {
        var listener = await FindListener(listenerArn).ConfigureAwait(false);
        if (listener.IsError)
            return listener.Error!;
        var lbId = ElbArnId(listener.Value.LoadBalancerArn);
        return (await Send(lbId, new LoadBalancerCommands.DeleteListener(lbId, listener.Value.ListenerId), cancellationToken).ConfigureAwait(false)).Map(_ => true);
    }

    public async Task<Result<RuleView>> CreateRule(
        string? listenerArn, int priority, ImmutableArray<RuleCondition> conditions, ImmutableArray<ElbAction> actions, ImmutableDictionary<string, string> tags,
        CancellationToken cancellationToken = default)
    {
        var listener = await FindListener(listenerArn).ConfigureAwait(false);
        if (listener.IsError)
            return listener.Error!;
        var lb = await Find(listener.Value.LoadBalancerArn).ConfigureAwait(false);
        if (lb.IsError)
            return ElbErrors.ListenerNotFound(listenerArn);
        if (await CheckTargetGroups(lb.Value, listener.Value.Protocol, actions).ConfigureAwait(false) is { } error)
            return error;
        var ruleId = ElbArn.NewId();
        var create = new LoadBalancerCommands.CreateRule(lb.Value.LoadBalancerId, listener.Value.ListenerId, ruleId, priority, conditions, actions, tags);
        return (await Send(lb.Value.LoadBalancerId, create, cancellationToken).ConfigureAwait(false)).Map(state => RuleView.AllOf(state).Single(r => r.RuleId == ruleId));
    }

    /// <summary>DescribeRules: the rules of one listener (its default rule last), or those named by ARN.</summary>
    public async Task<Result<IReadOnlyList<RuleView>>> Rules(string? listenerArn, IReadOnlyList<string> ruleArns)
    {
        if (listenerArn is not null && ruleArns.Count > 0)
            return ElbErrors.Validation("A listener ARN and rule ARNs cannot be specified at the same time");
        if (listenerArn is not null)
        {
            var listener = await FindListener(listenerArn).ConfigureAwait(false);
            if (listener.IsError)
                return listener.Error!;
            return (await List<RuleView>(LoadBalancerKinds.ListenerRule).ConfigureAwait(false))
                .Where(r => r.ListenerArn == listenerArn)
                .OrderBy(r => r.IsDefault).ThenBy(r => r.IsDefault ? 0 : int.Parse(r.Priority, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
        }
        if (ruleArns.Count == 0)
            return ElbErrors.Validation("A listener ARN or rule ARNs must be specified");
        return await FindAll(ruleArns, FindRule).ConfigureAwait(false);
    }

    /// <summary>Every named resource, in the order named, or the error of the first one missing (as AWS answers).</summary>
    private static async Task<Result<IReadOnlyList<T>>> FindAll<T>(IEnumerable<string> arns, Func<string, Task<Result<T>>> find)
    {
        var found = new List<T>();
        foreach (var arn in arns.Distinct())
        {
            var one = await find(arn).ConfigureAwait(false);
            if (one.IsError)
                return one.Error!;
            found.Add(one.Value);
        }
        return found;
    }

    public async Task<Result<RuleView>> FindRule(string? arn)
    {
        if (!ElbArn.TryParse(arn, out var parsed) || parsed.ResourceType != ElbArn.ListenerRule)
            return ElbErrors.Validation($"'{arn}' is not a valid rule ARN");
        return await services.Index.Get(LoadBalancerKinds.ListenerRule, parsed.RuleId!, Generation).ConfigureAwait(false) is RuleView view && view.RuleArn == arn
            ? view
            : ElbErrors.RuleNotFound(arn);
    }

    public async Task<Result<RuleView>> ModifyRule(string? ruleArn, ImmutableArray<RuleCondition>? conditions, ImmutableArray<ElbAction>? actions, CancellationToken cancellationToken = default)
    {
        var rule = await FindRule(ruleArn).ConfigureAwait(false);
        if (rule.IsError)
            return rule.Error!;
        var listener = await FindListener(rule.Value.ListenerArn).ConfigureAwait(false);
        var lb = await Find(rule.Value.LoadBalancerArn).ConfigureAwait(false);
        if (listener.IsError || lb.IsError)
            return ElbErrors.RuleNotFound(ruleArn);
        if (actions is { } changed && await CheckTargetGroups(lb.Value, listener.Value.Protocol, changed).ConfigureAwait(false) is { } error)
            return error;
        var id = rule.Value.RuleId;
        var modify = new LoadBalancerCommands.ModifyRule(lb.Value.LoadBalancerId, listener.Value.ListenerId, id, conditions, actions);
        return (await Send(lb.Value.LoadBalancerId, modify, cancellationToken).ConfigureAwait(false)).Map(state => RuleView.AllOf(state).Single(r => r.RuleId == id));
    }

    public async Task<Result<bool>> DeleteRule(string? ruleArn, CancellationToken cancellationToken = default)
    {
        var rule = await FindRule(ruleArn).ConfigureAwait(false);
        if (rule.IsError)
            return rule.Error!;
        var lbId = ElbArnId(rule.Value.LoadBalancerArn);
        var listenerId = ElbArn.TryParse(rule.Value.ListenerArn, out var parsed) ? parsed.ListenerId! : "";
        return (await Send(lbId, new LoadBalancerCommands.DeleteRule(lbId, listenerId, rule.Value.RuleId), cancellationToken).ConfigureAwait(false)).Map(_ => true);
    }

    /// <summary>SetRulePriorities: the changes of each load balancer are applied together (all or none within it).</summary>
    public async Task<Result<IReadOnlyList<RuleView>>> SetRulePriorities(IReadOnlyList<(string RuleArn, int Priority)> priorities, CancellationToken cancellationToken = default)
    {
        if (priorities.Count == 0)
            return ElbErrors.Validation("At least one rule priority must be specified");
        var rules = new List<(RuleView Rule, int Priority)>();
        foreach (var (arn, priority) in priorities)
        {
            var rule = await FindRule(arn).ConfigureAwait(false);
            if (rule.IsError)
                return rule.Error!;
            rules.Add((rule.Value, priority));
        }
        var changed = new List<RuleView>();
        foreach (var perLoadBalancer in rules.GroupBy(r => r.Rule.LoadBalancerArn))
        {
            var lbId = ElbArnId(perLoadBalancer.Key);
            var set = new LoadBalancerCommands.SetRulePriorities(lbId, [.. perLoadBalancer.Select(r => new RulePriorityChange(r.Rule.RuleId, r.Priority))]);
            var state = await Send(lbId, set, cancellationToken).ConfigureAwait(false);
            if (state.IsError)
                return state.Error!;
            var ids = perLoadBalancer.Select(r => r.Rule.RuleId).ToHashSet(StringComparer.Ordinal);
            changed.AddRange(RuleView.AllOf(state.Value).Where(r => ids.Contains(r.RuleId)));
        }
        return changed;
    }

    public async Task<Result<ImmutableDictionary<string, string>>> Tags(ElbArn arn, CancellationToken cancellationToken = default) =>
        arn.ResourceType switch
        {
            ElbArn.LoadBalancer => (await Find(ArnText(arn)).ConfigureAwait(false)).Map(lb => lb.Tags),
            ElbArn.Listener => (await FindListener(ArnText(arn)).ConfigureAwait(false)).Map(l => l.Tags),
            _ => (await FindRule(ArnText(arn)).ConfigureAwait(false)).Map(r => r.Tags),
        };

    public Task<Result<ImmutableDictionary<string, string>>> AddTags(ElbArn arn, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        ChangeTags(arn, new LoadBalancerCommands.AddTags(arn.Id, arn.ListenerId, arn.RuleId, tags), cancellationToken);

    public Task<Result<ImmutableDictionary<string, string>>> RemoveTags(ElbArn arn, ImmutableArray<string> keys, CancellationToken cancellationToken = default) =>
        ChangeTags(arn, new LoadBalancerCommands.RemoveTags(arn.Id, arn.ListenerId, arn.RuleId, keys), cancellationToken);

    private async Task<Result<ImmutableDictionary<string, string>>> ChangeTags(ElbArn arn, ILoadBalancerCommand command, CancellationToken cancellationToken)
    {
        var current = await Tags(arn, cancellationToken).ConfigureAwait(false);
        if (current.IsError)
            return current.Error!;
        var state = await Send(arn.Id, command, cancellationToken).ConfigureAwait(false);
        if (state.IsError)
            return state.Error!;
        var text = ArnText(arn);
        return arn.ResourceType switch
        {
            ElbArn.LoadBalancer => state.Value.Tags,
            ElbArn.Listener => ListenerView.AllOf(state.Value).Single(l => l.ListenerArn == text).Tags,
            _ => RuleView.AllOf(state.Value).Single(r => r.RuleArn == text).Tags,
        };
    }

    private static string ArnText(ElbArn arn)
    {
        var lb = ElbArn.ForLoadBalancer(arn.Region, arn.AccountId, arn.LoadBalancerType, arn.Name, arn.Id);
        return arn.ResourceType switch
        {
            ElbArn.LoadBalancer => lb,
            ElbArn.Listener => ElbArn.ForListener(lb, arn.ListenerId!),
            _ => ElbArn.ForRule(ElbArn.ForListener(lb, arn.ListenerId!), arn.RuleId!),
        };
    }

    /// <summary>The load balancer a parsed ARN names, if it exists under exactly that ARN.</summary>
    private async Task<LoadBalancerView?> LoadBalancerOf(ElbArn parsed) =>
        await services.Index.Get(LoadBalancerKinds.LoadBalancer, parsed.Id, Generation).ConfigureAwait(false) is LoadBalancerView view
        && view.LoadBalancerArn == ElbArn.ForLoadBalancer(parsed.Region, parsed.AccountId, parsed.LoadBalancerType, parsed.Name, parsed.Id)
            ? view
            : null;

    private async Task<Result<LoadBalancerView>> Change(string? arn, Func<LoadBalancerView, Task<Result<ILoadBalancerCommand>>> command, CancellationToken cancellationToken)
    {
        var lb = await Find(arn).ConfigureAwait(false);
        if (lb.IsError)
            return lb.Error!;
        var resolved = await command(lb.Value).ConfigureAwait(false);
        if (resolved.IsError)
            return resolved.Error!;
        return (await Send(lb.Value.LoadBalancerId, resolved.Value, cancellationToken).ConfigureAwait(false)).Map(LoadBalancerView.From);
    }

    /// <summary>The subnets must exist (SubnetNotFound); the domain checks zones, VPC and the two-zone rule.</summary>
    private async Task<Result<ImmutableArray<LoadBalancerZone>>> Zones(string type, IReadOnlyList<string> subnetIds, string? vpcId)
    {
        var placements = new List<SubnetPlacement>();
        foreach (var subnetId in subnetIds.Distinct())
        {
            if (await services.Index.Get(Ec2Kinds.Subnet, subnetId, Generation).ConfigureAwait(false) is not SubnetView subnet)
                return ElbErrors.SubnetNotFound(subnetId);
            placements.Add(new SubnetPlacement(subnet.SubnetId, subnet.VpcId, subnet.AvailabilityZone));
        }
        return LoadBalancerZones.Resolve(type, placements, vpcId);
    }

    private async Task<string> VpcOf(string subnetId) =>
        ((SubnetView)(await services.Index.Get(Ec2Kinds.Subnet, subnetId, Generation).ConfigureAwait(false))!).VpcId;

    /// <summary>Named groups must exist in the VPC; an ALB given none gets the VPC's default group, as AWS does.</summary>
    private async Task<Result<ImmutableArray<string>>> SecurityGroups(string type, string vpcId, IReadOnlyList<string> groupIds, bool defaultWhenNone)
    {
        if (type == LoadBalancerTypes.Gateway && groupIds.Count > 0)
            return ElbErrors.InvalidConfiguration("Gateway Load Balancers do not support security groups");
        var all = await List<SecurityGroupView>(SecurityGroupKinds.SecurityGroup).ConfigureAwait(false);
        if (groupIds.Count == 0)
            return defaultWhenNone && all.FirstOrDefault(g => g.VpcId == vpcId && g.GroupName == SecurityGroup.DefaultGroupName) is { } defaultGroup
                ? ImmutableArray.Create(defaultGroup.GroupId)
                : ImmutableArray<string>.Empty;
        foreach (var id in groupIds)
            if (all.FirstOrDefault(g => g.GroupId == id) is not { } group || group.VpcId != vpcId)
                return ElbErrors.InvalidSecurityGroup(id);
        return groupIds.Distinct().ToImmutableArray();
    }

    /// <summary>Each target group a forward action names must exist and suit this load balancer and listener.</summary>
    private async Task<AwsError?> CheckTargetGroups(LoadBalancerView lb, string? listenerProtocol, ImmutableArray<ElbAction> actions)
    {
        foreach (var arn in actions.SelectMany(a => a.ForwardedArns()).Distinct())
        {
            if (!ElbArn.TryParse(arn, out var parsed) || parsed.ResourceType != ElbArn.TargetGroup)
                return ElbErrors.Validation($"'{arn}' is not a valid target group ARN");
            if (await services.Index.Get(TargetGroupKinds.TargetGroup, parsed.Id, Generation).ConfigureAwait(false) is not TargetGroupView group || group.TargetGroupArn != arn)
                return ElbErrors.TargetGroupNotFound(arn);
            if (ListenerValidation.CheckTargetGroup(lb, listenerProtocol, group) is { } error)
                return error;
        }
        return null;
    }

    private static string ElbArnId(string arn) => ElbArn.TryParse(arn, out var parsed) ? parsed.Id : throw new InvalidOperationException($"stored ARN '{arn}' does not parse");

    private async Task<IReadOnlyList<T>> List<T>(string kind) => [.. (await services.Index.List(kind, Generation).ConfigureAwait(false)).Cast<T>()];

    private async Task<Result<LoadBalancerState>> Send(string loadBalancerId, ILoadBalancerCommand command, CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(LoadBalancerKinds.LoadBalancer, loadBalancerId, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: LoadBalancerState state } => state,
            EntityReplies.Rejected rejected => rejected.Error,
            EntityReplies.Accepted => ElbErrors.LoadBalancerNotFound(),
            _ => throw new InvalidOperationException($"unexpected reply from load balancer {loadBalancerId}: {reply}"),
        };
    }
}
