using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Elb;

/// <summary>A target with its health, as DescribeTargetHealth lists it.</summary>
public sealed record TargetHealthDescription(string Id, int? Port, string? AvailabilityZone, string HealthCheckPort, TargetHealthView Health);

/// <summary>
/// Target groups as the API sees them: it resolves what spans resources (unique names, the VPC,
/// the instances behind targets and their zones) from the read model, mints ARNs, and sends the
/// facts to the group's entity. Health and attributes are read from the entity itself, live.
/// </summary>
public sealed class TargetGroupService(EntityServices services, string accountId) : IElbTaggable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RegionState Region => services.Region.Current;

    public IReadOnlyCollection<string> ResourceTypes { get; } = [ElbArn.TargetGroup];

    public async Task<Result<TargetGroup>> Create(
        string? name, string? protocol, string? protocolVersion, int? port, string? vpcId, string? targetType, string? ipAddressType,
        HealthCheckRequest healthCheck, ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        var id = ElbArn.NewId();
        var create = new TargetGroupCommands.Create(id, ElbArn.ForTargetGroup(Region.Region, accountId, name ?? "", id), name ?? "", protocol, protocolVersion,
            port, vpcId, targetType ?? TargetTypes.Instance, ipAddressType ?? "ipv4", healthCheck, tags);
        if (TargetGroupBehavior.Validate(create) is { } invalid)
            return invalid;
        if (vpcId is not null)
        {
            if (!AwsIds.IsWellFormed(vpcId, "vpc"))
                return TargetGroupErrors.Validation($"The VPC ID '{vpcId}' is not valid");
            if (await services.Index.Get(Ec2Kinds.Vpc, vpcId, Region.Generation).ConfigureAwait(false) is null)
                return TargetGroupErrors.Validation($"The VPC ID '{vpcId}' is not found");
        }
        if ((await List().ConfigureAwait(false)).Any(g => g.TargetGroupName == name))
            return TargetGroupErrors.DuplicateName();
        return await Send(id, create, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every group of this generation, ordered as AWS lists them (by ARN).</summary>
    public async Task<IReadOnlyList<TargetGroupView>> List() =>
        [.. (await services.Index.List(TargetGroupKinds.TargetGroup, Region.Generation).ConfigureAwait(false)).Cast<TargetGroupView>()
            .OrderBy(g => g.TargetGroupArn, StringComparer.Ordinal)];

    /// <summary>DescribeTargetGroups: by ARNs, by names, or those a load balancer uses; any unknown one is TargetGroupNotFound.</summary>
    public async Task<Result<IReadOnlyList<TargetGroupView>>> Describe(IReadOnlyList<string> arns, IReadOnlyList<string> names, string? loadBalancerArn)
    {
        if (arns.Count > 0 && names.Count > 0)
            return TargetGroupErrors.Validation("Target group ARNs and names cannot be specified at the same time");
        var all = await List().ConfigureAwait(false);
        foreach (var arn in arns)
            if (!all.Any(g => g.TargetGroupArn == arn))
                return ElbArn.TryParse(arn, out var parsed) && parsed.ResourceType == ElbArn.TargetGroup
                    ? TargetGroupErrors.NotFound(arn)
                    : TargetGroupErrors.Validation($"'{arn}' is not a valid target group ARN");
        foreach (var name in names)
            if (!all.Any(g => g.TargetGroupName == name))
                return TargetGroupErrors.NotFound(name);
        return all.Where(g => (arns.Count == 0 || arns.Contains(g.TargetGroupArn)) && (names.Count == 0 || names.Contains(g.TargetGroupName))
            && (loadBalancerArn is null || g.LoadBalancerArns.Contains(loadBalancerArn))).ToList();
    }

    /// <summary>The group an ARN names, from the read model.</summary>
    public async Task<Result<TargetGroupView>> Find(string? arn)
    {
        if (!ElbArn.TryParse(arn, out var parsed) || parsed.ResourceType != ElbArn.TargetGroup)
            return TargetGroupErrors.Validation($"'{arn}' is not a valid target group ARN");
        return await services.Index.Get(TargetGroupKinds.TargetGroup, parsed.Id, Region.Generation).ConfigureAwait(false) is TargetGroupView view
            && view.TargetGroupArn == arn
            ? view
            : TargetGroupErrors.NotFound(arn);
    }

    /// <summary>The group's live state (attributes, targets with their health).</summary>
    public async Task<Result<TargetGroup>> State(string? arn, CancellationToken cancellationToken = default)
    {
        var found = await Find(arn).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var reply = await services.Router.Ask<object>(TargetGroupKinds.TargetGroup, found.Value.TargetGroupId, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Accepted { State: TargetGroup group } ? group : TargetGroupErrors.NotFound(arn);
    }

    public Task<Result<TargetGroup>> ModifyHealthCheck(string? arn, HealthCheckRequest request, CancellationToken cancellationToken = default) =>
        SendTo(arn, id => new TargetGroupCommands.ModifyHealthCheck(id, request), cancellationToken);

    public Task<Result<TargetGroup>> ModifyAttributes(string? arn, ImmutableDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        SendTo(arn, id => new TargetGroupCommands.ModifyAttributes(id, attributes), cancellationToken);

    public async Task<Result<bool>> Delete(string? arn, CancellationToken cancellationToken = default)
    {
        var found = await Find(arn).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var reply = await services.Router.Ask<object>(TargetGroupKinds.TargetGroup, found.Value.TargetGroupId, new TargetGroupCommands.Delete(found.Value.TargetGroupId), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? rejected.Error : true;
    }

    /// <summary>
    /// RegisterTargets: an instance must exist, be running and live in the group's VPC; an IP is
    /// resolved to the instance holding it in that VPC now (its probes go there), else it is
    /// probed as unreachable. The target's zone comes from its instance, or the request.
    /// </summary>
    public async Task<Result<TargetGroup>> Register(string? arn, IReadOnlyList<TargetRegistration> targets, CancellationToken cancellationToken = default)
    {
        var found = await Find(arn).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var group = found.Value;
        if (targets.Count == 0)
            return TargetGroupErrors.Validation("At least one target must be specified");
        var resolved = await Resolve(group, targets, checkRunning: true).ConfigureAwait(false);
        if (resolved.IsError)
            return resolved.Error!;
        return await Send(group.TargetGroupId, new TargetGroupCommands.RegisterTargets(group.TargetGroupId, resolved.Value), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<TargetGroup>> Deregister(string? arn, IReadOnlyList<TargetRegistration> targets, CancellationToken cancellationToken = default)
    {
        if (targets.Count == 0)
            return TargetGroupErrors.Validation("At least one target must be specified");
        return await SendTo(arn, id => new TargetGroupCommands.DeregisterTargets(id, [.. targets]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// DescribeTargetHealth: every registered target (draining ones too), or the targets named;
    /// a named target that is not registered reads unused/Target.NotRegistered.
    /// </summary>
    public async Task<Result<IReadOnlyList<TargetHealthDescription>>> Health(string? arn, IReadOnlyList<TargetRegistration> named, CancellationToken cancellationToken = default)
    {
        var state = await State(arn, cancellationToken).ConfigureAwait(false);
        if (state.IsError)
            return state.Error!;
        var group = state.Value;
        string CheckPort(int port) => group.HealthCheck.PortFor(port);
        if (named.Count == 0)
            return group.Targets.Select(t => new TargetHealthDescription(t.Id, t.Port, t.AvailabilityZone, CheckPort(t.Port), group.HealthOf(t))).ToList();
        var descriptions = new List<TargetHealthDescription>();
        foreach (var target in named)
        {
            if (group.TargetType == TargetTypes.Instance && !AwsIds.IsWellFormed(target.Id, "i"))
                return TargetGroupErrors.InvalidTarget($"The following targets are not valid instance IDs: '{target.Id}'");
            var matching = group.Targets.Where(t => t.Id == target.Id && (target.Port is null || t.Port == target.Port)).ToList();
            if (matching.Count == 0)
            {
                var port = target.Port ?? group.Port;
                descriptions.Add(new TargetHealthDescription(target.Id, port, target.AvailabilityZone, CheckPort(port ?? 0), TargetHealthView.NotRegistered));
            }
            descriptions.AddRange(matching.Select(t => new TargetHealthDescription(t.Id, t.Port, t.AvailabilityZone, CheckPort(t.Port), group.HealthOf(t))));
        }
        return descriptions;
    }

    public async Task<Result<ImmutableDictionary<string, string>>> Tags(ElbArn arn, CancellationToken cancellationToken = default) =>
        (await Find(ArnText(arn)).ConfigureAwait(false)).Map(view => view.Tags);

    public async Task<Result<ImmutableDictionary<string, string>>> AddTags(ElbArn arn, ImmutableDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        (await SendTo(ArnText(arn), id => new TargetGroupCommands.AddTags(id, tags), cancellationToken).ConfigureAwait(false)).Map(group => group.Tags);

    public async Task<Result<ImmutableDictionary<string, string>>> RemoveTags(ElbArn arn, ImmutableArray<string> keys, CancellationToken cancellationToken = default) =>
        (await SendTo(ArnText(arn), id => new TargetGroupCommands.RemoveTags(id, keys), cancellationToken).ConfigureAwait(false)).Map(group => group.Tags);

    private static string ArnText(ElbArn arn) => ElbArn.ForTargetGroup(arn.Region, arn.AccountId, arn.Name, arn.Id);

    private async Task<Result<ImmutableArray<TargetRegistration>>> Resolve(TargetGroupView group, IReadOnlyList<TargetRegistration> targets, bool checkRunning)
    {
        if (group.TargetType is not (TargetTypes.Instance or TargetTypes.Ip))
            return targets.ToImmutableArray();
        var instances = (await services.Index.List(Ec2Kinds.Instance, Region.Generation).ConfigureAwait(false)).Cast<InstanceView>().ToList();
        var resolved = ImmutableArray.CreateBuilder<TargetRegistration>();
        foreach (var target in targets)
        {
            if (target.Port is < 1 or > 65535)
                return TargetGroupErrors.Validation($"Port '{target.Port}' must be between 1 and 65535");
            if (group.TargetType == TargetTypes.Ip)
            {
                if (!Ipv4.TryParse(target.Id, out _))
                    return TargetGroupErrors.InvalidTarget($"The following targets are not valid IP addresses: '{target.Id}'");
                var holder = instances.FirstOrDefault(i => i.PrivateIpAddress == target.Id && i.VpcId == group.VpcId);
                resolved.Add(target with { InstanceId = holder?.InstanceId, AvailabilityZone = target.AvailabilityZone ?? holder?.AvailabilityZone });
                continue;
            }
            if (!AwsIds.IsWellFormed(target.Id, "i"))
                return TargetGroupErrors.InvalidTarget($"The following targets are not valid instance IDs: '{target.Id}'");
            var instance = instances.FirstOrDefault(i => i.InstanceId == target.Id);
            if (instance is null)
                return TargetGroupErrors.InvalidTarget($"The following targets are not valid instance IDs: '{target.Id}'");
            if (checkRunning && instance.State.Name != "running")
                return TargetGroupErrors.InvalidTarget($"The following targets are not in a running state and cannot be registered: '{target.Id}'");
            if (instance.VpcId != group.VpcId)
                return TargetGroupErrors.InvalidTarget($"The following targets are not in the target group VPC '{group.VpcId}': '{target.Id}'");
            resolved.Add(target with { InstanceId = instance.InstanceId, AvailabilityZone = instance.AvailabilityZone });
        }
        return resolved.ToImmutable();
    }

    private async Task<Result<TargetGroup>> SendTo(string? arn, Func<string, ITargetGroupCommand> command, CancellationToken cancellationToken)
    {
        var found = await Find(arn).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        return await Send(found.Value.TargetGroupId, command(found.Value.TargetGroupId), cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<TargetGroup>> Send(string id, ITargetGroupCommand command, CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(TargetGroupKinds.TargetGroup, id, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: TargetGroup group } => group,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from target group {id}: {reply}"),
        };
    }
}
