using System.Globalization;
using System.Collections.Immutable;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Elb;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.AutoScaling;

/// <summary>The settings CreateAutoScalingGroup and UpdateAutoScalingGroup may name; null means not given.</summary>
public sealed record GroupRequest(
    string? LaunchTemplateId = null,
    string? LaunchTemplateName = null,
    string? LaunchTemplateVersion = null,
    string? VpcZoneIdentifier = null,
    IReadOnlyList<string>? AvailabilityZones = null,
    string? HealthCheckType = null,
    int? HealthCheckGracePeriod = null,
    int? DefaultCooldown = null,
    IReadOnlyList<string>? TerminationPolicies = null,
    bool? NewInstancesProtectedFromScaleIn = null);

/// <summary>
/// Auto Scaling as the API and the palette see it: it resolves what spans resources (the launch
/// template and version, the subnets and their zones, the target groups) before sending the facts to
/// the group's entity, and answers reads from the read model.
/// </summary>
public sealed class AutoScalingService(EntityServices services, string accountId)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RegionState Region => services.Region.Current;

    public async Task<Result<AutoScalingGroup>> Create(string? name, int? minSize, int? maxSize, int? desired, GroupRequest request,
        ImmutableArray<string> targetGroupArns, ImmutableArray<GroupTag> tags, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(name))
            return AutoScalingErrors.Validation("AutoScalingGroupName is required");
        if (minSize is null || maxSize is null)
            return AutoScalingErrors.Validation("MinSize and MaxSize are required");
        if (request.LaunchTemplateId is null && request.LaunchTemplateName is null)
            return AutoScalingErrors.Validation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.");
        var settings = await Resolve(null, request, cancellationToken).ConfigureAwait(false);
        if (settings.IsError)
            return settings.Error!;
        if (AutoScalingBehavior.Validate(name, settings.Value, minSize.Value, maxSize.Value, desired) is { } invalid)
            return invalid;
        if (await CheckTargetGroups(targetGroupArns).ConfigureAwait(false) is { } missing)
            return missing;
        if ((await List().ConfigureAwait(false)).Any(g => g.Name == name))
            return AutoScalingErrors.AlreadyExists(name);
        var arn = AutoScalingIds.GroupArn(Region.Region, accountId, Guid.NewGuid().ToString(), name);
        return await Send(name, new AutoScalingCommands.Create(name, arn, settings.Value, minSize.Value, maxSize.Value, desired, targetGroupArns, tags), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<Result<AutoScalingGroup>> Update(string name, int? minSize, int? maxSize, int? desired, GroupRequest request, CancellationToken cancellationToken = default)
    {
        var group = await Find(name).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var settings = await Resolve(group.Value.Settings, request, cancellationToken).ConfigureAwait(false);
        if (settings.IsError)
            return settings.Error!;
        return await Send(name, new AutoScalingCommands.Update(name, settings.Value, minSize, maxSize, desired), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every group of this generation, by name.</summary>
    public async Task<IReadOnlyList<AutoScalingGroup>> List() =>
        [.. (await services.Index.List(AutoScalingKinds.Group, Region.Generation).ConfigureAwait(false)).Cast<AutoScalingGroup>()
            .OrderBy(g => g.Name, StringComparer.Ordinal)];

    /// <summary>DescribeAutoScalingGroups: unknown names are left out, not an error.</summary>
    public async Task<IReadOnlyList<AutoScalingGroup>> Describe(IReadOnlyCollection<string> names) =>
        [.. (await List().ConfigureAwait(false)).Where(g => names.Count == 0 || names.Contains(g.Name))];

    public async Task<Result<AutoScalingGroup>> Find(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return AutoScalingErrors.Validation("AutoScalingGroupName is required");
        return await services.Index.Get(AutoScalingKinds.Group, name, Region.Generation).ConfigureAwait(false) is AutoScalingGroup group
            ? group
            : AutoScalingErrors.GroupNotFound(name);
    }

    /// <summary>The group an instance belongs to, for the calls that name only the instance.</summary>
    public async Task<Result<AutoScalingGroup>> GroupOf(string? instanceId)
    {
        var group = (await List().ConfigureAwait(false)).FirstOrDefault(g => g.Find(instanceId ?? "") is not null);
        return group is null ? AutoScalingErrors.Validation($"Instance Id not found - No managed instance found for instance ID: {instanceId}") : group;
    }

    /// <summary>A policy named by its ARN, or by its name within a group.</summary>
    public async Task<Result<(AutoScalingGroup Group, ScalingPolicy Policy)>> FindPolicy(string? groupName, string? policyName)
    {
        if (string.IsNullOrEmpty(policyName))
            return AutoScalingErrors.Validation("PolicyName is required");
        if (policyName.StartsWith("arn:", StringComparison.Ordinal))
        {
            foreach (var group in await List().ConfigureAwait(false))
                if (group.Policies.Find(p => p.PolicyArn == policyName) is { } byArn)
                    return (group, byArn);
            return AutoScalingErrors.PolicyNotFound(policyName);
        }
        if (string.IsNullOrEmpty(groupName))
            return AutoScalingErrors.Validation("The AutoScaling Group name is required when specifying a policy by its name");
        var found = await Find(groupName).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        return found.Value.Policies.Find(p => p.PolicyName == policyName) is { } policy ? (found.Value, policy) : AutoScalingErrors.PolicyNotFound(policyName);
    }

    /// <summary>
    /// PutScalingPolicy. A target tracking policy is given the alarms it owns; once the group has
    /// accepted it they are put (the same names again when the policy is put again), and an alarm
    /// the policy no longer wants (AlarmLow when scale-in is disabled) is deleted.
    /// </summary>
    public async Task<Result<ScalingPolicy>> PutPolicy(string groupName, ScalingPolicy policy, CancellationToken cancellationToken = default)
    {
        var group = await Find(groupName).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var previous = group.Value.Policies.Find(p => p.PolicyName == policy.PolicyName);
        var alarms = policy.TargetTracking is { } tracking
            ? TargetTracking.AlarmKinds(tracking).Select(which => TargetTracking.AlarmInput(groupName, policy, which)).ToList()
            : [];
        var owned = policy with
        {
            Alarms = policy.TargetTracking is null ? null : [.. alarms.Select(a => new PolicyAlarm(a.AlarmName!, MetricAlarm.Arn(Region.Region, accountId, a.AlarmName!)))],
        };
        var configs = new List<MetricAlarmConfig>();
        foreach (var input in alarms)
        {
            var config = MetricAlarmConfig.Validate(input);
            if (config.IsError)
                return AutoScalingErrors.Validation(config.Error!.Message);
            configs.Add(config.Value);
        }
        var put = await Send(groupName, new AutoScalingCommands.PutPolicy(groupName, owned), cancellationToken).ConfigureAwait(false);
        if (put.IsError)
            return put.Error!;
        foreach (var config in configs)
        {
            var reply = await services.Router.Ask<object>(AlarmKinds.MetricAlarm, config.AlarmName,
                new MetricAlarmCommands.Put(MetricAlarm.Arn(Region.Region, accountId, config.AlarmName), config), Timeout, cancellationToken).ConfigureAwait(false);
            if (reply is EntityReplies.Rejected rejected)
                return rejected.Error;
        }
        await DeleteAlarms(previous?.Alarms?.Where(a => owned.Alarms?.Contains(a) != true) ?? [], cancellationToken).ConfigureAwait(false);
        return owned;
    }

    /// <summary>DeletePolicy: the policy's alarms go with it.</summary>
    public async Task<Result<AutoScalingGroup>> DeletePolicy(AutoScalingGroup group, ScalingPolicy policy, CancellationToken cancellationToken = default)
    {
        var deleted = await Send(group.Name, new AutoScalingCommands.DeletePolicy(group.Name, policy.PolicyName), cancellationToken).ConfigureAwait(false);
        if (!deleted.IsError)
            await DeleteAlarms(policy.Alarms ?? [], cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async Task DeleteAlarms(IEnumerable<PolicyAlarm> alarms, CancellationToken cancellationToken)
    {
        foreach (var alarm in alarms)
            await services.Router.Ask<object>(AlarmKinds.MetricAlarm, alarm.AlarmName, new MetricAlarmCommands.Delete(alarm.AlarmName), Timeout, cancellationToken)
                .ConfigureAwait(false);
    }

    /// <summary>StartInstanceRefresh: the refresh targets the version number the group's launch template version resolves to now.</summary>
    public async Task<Result<InstanceRefresh>> StartRefresh(string? name, int? minHealthyPercentage, int? instanceWarmup, CancellationToken cancellationToken = default)
    {
        var group = await Find(name).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var settings = group.Value.Settings.LaunchTemplate;
        var template = await new Ec2Service(services).FindLaunchTemplate(settings.LaunchTemplateId, null, cancellationToken).ConfigureAwait(false);
        if (template.IsError)
            return AutoScalingErrors.Validation($"The launch template of the group cannot be used: {template.Error!.Message}");
        var version = template.Value.ResolveVersion(settings.Version);
        if (version.IsError)
            return AutoScalingErrors.Validation(version.Error!.Message);
        var started = await Send(group.Value.Name, new AutoScalingCommands.StartInstanceRefresh(group.Value.Name,
            version.Value.VersionNumber.ToString(CultureInfo.InvariantCulture), minHealthyPercentage, instanceWarmup), cancellationToken).ConfigureAwait(false);
        return started.IsError ? started.Error! : started.Value.Refreshes[^1];
    }

    /// <summary>Sends a command to a group; the reply is its state after (null once deleted).</summary>
    public async Task<Result<AutoScalingGroup>> Send(string name, IAutoScalingCommand command, CancellationToken cancellationToken = default)
    {
        var reply = await services.Router.Ask<object>(AutoScalingKinds.Group, name, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: AutoScalingGroup group } => group,
            EntityReplies.Accepted => AutoScalingErrors.GroupNotFound(name),
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from group {name}: {reply}"),
        };
    }

    /// <summary>DeleteAutoScalingGroup: true when the group is gone, false when a forced delete is still terminating its instances.</summary>
    public async Task<Result<bool>> Delete(string? name, bool force, CancellationToken cancellationToken = default)
    {
        var group = await Find(name).ConfigureAwait(false);
        if (group.IsError)
            return group.Error!;
        var reply = await services.Router.Ask<object>(AutoScalingKinds.Group, name!, new AutoScalingCommands.Delete(name!, force), Timeout, cancellationToken).ConfigureAwait(false);
        if (reply is EntityReplies.Accepted)
            await DeleteAlarms(group.Value.Policies.SelectMany(p => p.Alarms ?? []), cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: null } => true,
            EntityReplies.Accepted => false,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from group {name}: {reply}"),
        };
    }

    /// <summary>The request's settings over the current ones (none when creating), with the template and subnets resolved.</summary>
    private async Task<Result<GroupSettings>> Resolve(GroupSettings? current, GroupRequest request, CancellationToken cancellationToken)
    {
        var template = current?.LaunchTemplate;
        if (request.LaunchTemplateId is not null || request.LaunchTemplateName is not null)
        {
            var found = await new Ec2Service(services).FindLaunchTemplate(request.LaunchTemplateId, request.LaunchTemplateName, cancellationToken).ConfigureAwait(false);
            if (found.IsError)
                return AutoScalingErrors.Validation(
                    $"You must use a valid fully-formed launch template. {found.Error!.Message}");
            var version = request.LaunchTemplateVersion ?? "$Default";
            if (found.Value.ResolveVersion(version).IsError)
                return AutoScalingErrors.Validation($"You must use a valid fully-formed launch template. The specified version {version} of launch template {found.Value.LaunchTemplateId} does not exist.");
            template = new GroupLaunchTemplate(found.Value.LaunchTemplateId, found.Value.LaunchTemplateName, version);
        }
        var subnets = current?.Subnets ?? [];
        if (request.VpcZoneIdentifier is { Length: > 0 } identifier)
        {
            var resolved = await Subnets(identifier.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ConfigureAwait(false);
            if (resolved.IsError)
                return resolved.Error!;
            subnets = resolved.Value;
        }
        else if (request.AvailabilityZones is { Count: > 0 } zones)
        {
            var resolved = await DefaultSubnets(zones).ConfigureAwait(false);
            if (resolved.IsError)
                return resolved.Error!;
            subnets = resolved.Value;
        }
        return new GroupSettings(
            template!,
            subnets,
            request.HealthCheckType ?? current?.HealthCheckType ?? "EC2",
            request.HealthCheckGracePeriod ?? current?.HealthCheckGracePeriod ?? 0,
            request.DefaultCooldown ?? current?.DefaultCooldown ?? 300,
            request.TerminationPolicies is { Count: > 0 } policies ? [.. policies] : current?.TerminationPolicies ?? [TerminationPolicies.Default],
            request.NewInstancesProtectedFromScaleIn ?? current?.NewInstancesProtectedFromScaleIn ?? false);
    }

    private async Task<Result<ImmutableArray<GroupSubnet>>> Subnets(IReadOnlyList<string> ids)
    {
        var found = new List<SubnetView>();
        foreach (var id in ids)
        {
            if (await services.Index.Get(Ec2Kinds.Subnet, id, Region.Generation).ConfigureAwait(false) is not SubnetView subnet)
                return AutoScalingErrors.Validation($"The subnet ID '{id}' does not exist");
            found.Add(subnet);
        }
        if (found.Select(s => s.VpcId).Distinct().Count() > 1)
            return AutoScalingErrors.Validation("The subnets in VPCZoneIdentifier must all belong to the same VPC");
        return found.Select(s => new GroupSubnet(s.SubnetId, s.AvailabilityZone)).ToImmutableArray();
    }

    /// <summary>AvailabilityZones without subnets means the default VPC's default subnet in each zone.</summary>
    private async Task<Result<ImmutableArray<GroupSubnet>>> DefaultSubnets(IReadOnlyList<string> zones)
    {
        var vpc = (await services.Index.List(Ec2Kinds.Vpc, Region.Generation).ConfigureAwait(false)).Cast<VpcView>().FirstOrDefault(v => v.IsDefault);
        var defaults = (await services.Index.List(Ec2Kinds.Subnet, Region.Generation).ConfigureAwait(false)).Cast<SubnetView>()
            .Where(s => s.VpcId == vpc?.VpcId && s.DefaultForAz).ToList();
        var subnets = ImmutableArray.CreateBuilder<GroupSubnet>();
        foreach (var zone in zones)
        {
            if (defaults.FirstOrDefault(s => s.AvailabilityZone == zone) is not { } subnet)
                return AutoScalingErrors.Validation($"No default subnet for availability zone: '{zone}'");
            subnets.Add(new GroupSubnet(subnet.SubnetId, zone));
        }
        return subnets.ToImmutable();
    }

    public async Task<AwsError?> CheckTargetGroups(IEnumerable<string> arns)
    {
        foreach (var arn in arns)
            if (!ElbArn.TryParse(arn, out var parsed) || await services.Index.Get(TargetGroupKinds.TargetGroup, parsed.Id, Region.Generation).ConfigureAwait(false) is null)
                return AutoScalingErrors.Validation($"Provided Target Groups may not be valid. Please ensure they exist and try again: {arn}");
        return null;
    }
}
