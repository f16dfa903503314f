using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.AutoScaling;
using Orchestrator.Domain.CloudWatch;

using static Orchestrator.Api.Ec2.Ec2Values;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;

namespace Orchestrator.Api.AutoScaling;

/// <summary>
/// EC2 Auto Scaling (query protocol): groups, their instances and activities, processes, target
/// groups, simple, step and target tracking policies (the latter with the CloudWatch alarms they
/// own), scheduled actions, and tags. Predictive scaling is refused plainly.
/// </summary>
public sealed class AutoScalingApiModule(AutoScalingService groups, string accountId) : IAwsServiceModule
{
    private const string Service = "autoscaling";
    private const int DefaultPageSize = 50;

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register(Service, "CreateAutoScalingGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await groups.Create(String(input, "AutoScalingGroupName"), Int(input, "MinSize"), Int(input, "MaxSize"), Int(input, "DesiredCapacity"),
                Settings(input), [.. Strings(input, "TargetGroupARNs")], [.. GroupTags(input)], cancellationToken).ConfigureAwait(false);
            if (created.IsError)
                return ToApi(created.Error!);
            // Initial hooks are put before the first sweep can see an instance running, so the first launches wait for them.
            foreach (var hook in (input["LifecycleHookSpecificationList"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var put = await groups.Send(created.Value.Name, new PutLifecycleHook(created.Value.Name, String(hook, "LifecycleHookName") ?? "",
                    String(hook, "LifecycleTransition"), Int(hook, "HeartbeatTimeout"), String(hook, "DefaultResult"), String(hook, "NotificationMetadata"),
                    String(hook, "NotificationTargetARN"), String(hook, "RoleARN")), cancellationToken).ConfigureAwait(false);
                if (put.IsError)
                    return ToApi(put.Error!);
            }
            return new JsonObject();
        });
        registry.Register(Service, "UpdateAutoScalingGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var updated = await groups.Update(String(input, "AutoScalingGroupName") ?? "", Int(input, "MinSize"), Int(input, "MaxSize"), Int(input, "DesiredCapacity"),
                Settings(input), cancellationToken).ConfigureAwait(false);
            return updated.IsError ? ToApi(updated.Error!) : new JsonObject();
        });
        registry.Register(Service, "DescribeAutoScalingGroups", async (request, _) =>
        {
            var input = request.Input;
            var found = (await groups.Describe(Strings(input, "AutoScalingGroupNames")).ConfigureAwait(false)).Where(g => MatchesFilters(g, input)).ToList();
            return Page(input, found, "AutoScalingGroups", Json);
        });
        registry.Register(Service, "DeleteAutoScalingGroup", async (request, cancellationToken) =>
        {
            var deleted = await groups.Delete(String(request.Input, "AutoScalingGroupName"), Bool(request.Input, "ForceDelete"), cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
        registry.Register(Service, "SetDesiredCapacity", (request, cancellationToken) =>
            Command(request.Input, name => new SetDesiredCapacity(name, Int(request.Input, "DesiredCapacity") ?? -1, Bool(request.Input, "HonorCooldown")), cancellationToken));
        registry.Register(Service, "DescribeAutoScalingInstances", async (request, _) =>
        {
            var input = request.Input;
            var ids = Strings(input, "InstanceIds");
            var instances = (await groups.List().ConfigureAwait(false))
                .SelectMany(g => g.Instances.Select(i => (Group: g, Instance: i)))
                .Where(p => ids.Count == 0 || ids.Contains(p.Instance.InstanceId))
                .ToList();
            return Page(input, instances, "AutoScalingInstances", p =>
            {
                var json = Json(p.Instance);
                json["AutoScalingGroupName"] = p.Group.Name;
                return json;
            });
        });
        registry.Register(Service, "DescribeScalingActivities", async (request, _) =>
        {
            var input = request.Input;
            var name = String(input, "AutoScalingGroupName");
            var ids = Strings(input, "ActivityIds");
            var activities = (await groups.Describe(name is null ? [] : [name]).ConfigureAwait(false))
                .SelectMany(g => g.Activities.Reverse().Select(a => (Group: g, Activity: a))) // newest first, as AWS lists them
                .Where(p => ids.Count == 0 || ids.Contains(p.Activity.ActivityId))
                .ToList();
            return Page(input, activities, "Activities", p => Json(p.Group, p.Activity));
        });
        registry.Register(Service, "TerminateInstanceInAutoScalingGroup", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var instanceId = String(input, "InstanceId");
            var group = await groups.GroupOf(instanceId).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var terminated = await groups.Send(group.Value.Name, new TerminateInstance(group.Value.Name, instanceId!, Bool(input, "ShouldDecrementDesiredCapacity")), cancellationToken)
                .ConfigureAwait(false);
            if (terminated.IsError)
                return ToApi(terminated.Error!);
            return new JsonObject { ["Activity"] = Json(terminated.Value, terminated.Value.Activities.Last(a => a.InstanceId == instanceId)) };
        });
        registry.Register(Service, "SetInstanceHealth", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var instanceId = String(input, "InstanceId");
            var group = await groups.GroupOf(instanceId).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var set = await groups.Send(group.Value.Name, new SetInstanceHealth(group.Value.Name, instanceId!, String(input, "HealthStatus") ?? "",
                input["ShouldRespectGracePeriod"]?.GetValue<bool>() ?? true), cancellationToken).ConfigureAwait(false);
            return set.IsError ? ToApi(set.Error!) : new JsonObject();
        });
        registry.Register(Service, "EnterStandby", (request, cancellationToken) =>
            PerInstance(request.Input, (name, id) => new EnterStandby(name, id, Bool(request.Input, "ShouldDecrementDesiredCapacity")), cancellationToken));
        registry.Register(Service, "ExitStandby", (request, cancellationToken) => PerInstance(request.Input, (name, id) => new ExitStandby(name, id), cancellationToken));
        registry.Register(Service, "SuspendProcesses", (request, cancellationToken) =>
            Command(request.Input, name => new SuspendProcesses(name, [.. Strings(request.Input, "ScalingProcesses")]), cancellationToken));
        registry.Register(Service, "ResumeProcesses", (request, cancellationToken) =>
            Command(request.Input, name => new ResumeProcesses(name, [.. Strings(request.Input, "ScalingProcesses")]), cancellationToken));
        registry.Register(Service, "AttachLoadBalancerTargetGroups", async (request, cancellationToken) =>
        {
            var arns = Strings(request.Input, "TargetGroupARNs");
            if (await groups.CheckTargetGroups(arns).ConfigureAwait(false) is { } missing)
                return ToApi(missing);
            return await Command(request.Input, name => new AttachTargetGroups(name, [.. arns]), cancellationToken).ConfigureAwait(false);
        });
        registry.Register(Service, "DetachLoadBalancerTargetGroups", (request, cancellationToken) =>
            Command(request.Input, name => new DetachTargetGroups(name, [.. Strings(request.Input, "TargetGroupARNs")]), cancellationToken));
        registry.Register(Service, "DescribeLoadBalancerTargetGroups", async (request, _) =>
        {
            var group = await groups.Find(String(request.Input, "AutoScalingGroupName")).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            return new JsonObject
            {
                ["LoadBalancerTargetGroups"] = new JsonArray([.. group.Value.TargetGroupArns.Select(arn =>
                    (JsonNode)new JsonObject { ["LoadBalancerTargetGroupARN"] = arn, ["State"] = "InService" })]),
            };
        });
        // Traffic sources are the newer face of the same attachment; only elbv2 target groups exist on this node.
        registry.Register(Service, "AttachTrafficSources", async (request, cancellationToken) =>
        {
            var arns = TrafficSourceArns(request.Input);
            if (arns.IsError)
                return ToApi(arns.Error!);
            if (await groups.CheckTargetGroups(arns.Value).ConfigureAwait(false) is { } missing)
                return ToApi(missing);
            return await Command(request.Input, name => new AttachTargetGroups(name, arns.Value), cancellationToken).ConfigureAwait(false);
        });
        registry.Register(Service, "DetachTrafficSources", async (request, cancellationToken) =>
        {
            var arns = TrafficSourceArns(request.Input);
            return arns.IsError
                ? ToApi(arns.Error!)
                : await Command(request.Input, name => new DetachTargetGroups(name, arns.Value), cancellationToken).ConfigureAwait(false);
        });
        registry.Register(Service, "DescribeTrafficSources", async (request, _) =>
        {
            var group = await groups.Find(String(request.Input, "AutoScalingGroupName")).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var type = String(request.Input, "TrafficSourceType");
            var sources = type is null or ElbV2TrafficSource ? group.Value.TargetGroupArns : [];
            return new JsonObject
            {
                ["TrafficSources"] = new JsonArray([.. sources.Select(arn => (JsonNode)new JsonObject
                {
                    ["TrafficSource"] = arn, ["Identifier"] = arn, ["Type"] = ElbV2TrafficSource, ["State"] = "InService",
                })]),
            };
        });
        registry.Register(Service, "PutScalingPolicy", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var group = await groups.Find(String(input, "AutoScalingGroupName")).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var type = String(input, "PolicyType") ?? PolicyTypes.SimpleScaling;
            if (type is PolicyTypes.PredictiveScaling)
                return ToApi(AutoScalingErrors.Validation($"{type} is not supported by this node"));
            var tracking = TargetTrackingOf(input["TargetTrackingConfiguration"] as JsonObject);
            if (tracking.IsError)
                return ToApi(tracking.Error!);
            var policyName = String(input, "PolicyName") ?? "";
            var policy = new ScalingPolicy(policyName, AutoScalingIds.PolicyArn(group.Value.Arn, policyName), type,
                String(input, "AdjustmentType") ?? "", Int(input, "ScalingAdjustment"), Int(input, "MinAdjustmentMagnitude"), Int(input, "Cooldown"),
                [.. (input["StepAdjustments"] as JsonArray ?? []).OfType<JsonObject>().Select(Step)],
                String(input, "MetricAggregationType"), Int(input, "EstimatedInstanceWarmup"), input["Enabled"]?.GetValue<bool>() ?? true, tracking.Value);
            var put = await groups.PutPolicy(group.Value.Name, policy, cancellationToken).ConfigureAwait(false);
            return put.IsError ? ToApi(put.Error!) : new JsonObject { ["PolicyARN"] = policy.PolicyArn, ["Alarms"] = Json(put.Value.Alarms) };
        });
        registry.Register(Service, "DescribePolicies", async (request, _) =>
        {
            var input = request.Input;
            var name = String(input, "AutoScalingGroupName");
            var names = Strings(input, "PolicyNames");
            var types = Strings(input, "PolicyTypes");
            var policies = (await groups.Describe(name is null ? [] : [name]).ConfigureAwait(false))
                .SelectMany(g => g.Policies.Select(p => (Group: g, Policy: p)))
                .Where(p => (names.Count == 0 || names.Contains(p.Policy.PolicyName) || names.Contains(p.Policy.PolicyArn))
                    && (types.Count == 0 || types.Contains(p.Policy.PolicyType)))
                .ToList();
            return Page(input, policies, "ScalingPolicies", p => Json(p.Group, p.Policy));
        });
        registry.Register(Service, "DeletePolicy", async (request, cancellationToken) =>
        {
            var found = await groups.FindPolicy(String(request.Input, "AutoScalingGroupName"), String(request.Input, "PolicyName")).ConfigureAwait(false);
            if (found.IsError)
                return ToApi(found.Error!);
            var (group, policy) = found.Value;
            var deleted = await groups.DeletePolicy(group, policy, cancellationToken).ConfigureAwait(false);
            return deleted.IsError ? ToApi(deleted.Error!) : new JsonObject();
        });
        registry.Register(Service, "ExecutePolicy", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var found = await groups.FindPolicy(String(input, "AutoScalingGroupName"), String(input, "PolicyName")).ConfigureAwait(false);
            if (found.IsError)
                return ToApi(found.Error!);
            var (group, policy) = found.Value;
            if (policy.PolicyType == PolicyTypes.TargetTrackingScaling)
                return ToApi(AutoScalingErrors.Validation("ExecutePolicy is not supported for TargetTrackingScaling policies: their alarms execute them"));
            var executed = await groups.Send(group.Name, new ExecutePolicy(group.Name, policy.PolicyName, Bool(input, "HonorCooldown"),
                input["MetricValue"]?.GetValue<double>(), input["BreachThreshold"]?.GetValue<double>()), cancellationToken).ConfigureAwait(false);
            return executed.IsError ? ToApi(executed.Error!) : new JsonObject();
        });
        registry.Register(Service, "PutScheduledUpdateGroupAction", (request, cancellationToken) =>
        {
            var input = request.Input;
            return Command(input, name => new PutScheduledAction(name, String(input, "ScheduledActionName") ?? "",
                Time(input, "StartTime") ?? Time(input, "Time"), Time(input, "EndTime"), String(input, "Recurrence"),
                Int(input, "MinSize"), Int(input, "MaxSize"), Int(input, "DesiredCapacity"), String(input, "TimeZone")), cancellationToken);
        });
        registry.Register(Service, "DeleteScheduledAction", (request, cancellationToken) =>
            Command(request.Input, name => new DeleteScheduledAction(name, String(request.Input, "ScheduledActionName") ?? ""), cancellationToken));
        registry.Register(Service, "DescribeScheduledActions", async (request, _) =>
        {
            var input = request.Input;
            var name = String(input, "AutoScalingGroupName");
            var names = Strings(input, "ScheduledActionNames");
            var (from, to) = (Time(input, "StartTime"), Time(input, "EndTime"));
            var actions = (await groups.Describe(name is null ? [] : [name]).ConfigureAwait(false))
                .SelectMany(g => g.Scheduled.Select(a => (Group: g, Action: a)))
                .Where(p => (names.Count == 0 || names.Contains(p.Action.Name)) && (from is null || p.Action.NextRun >= from) && (to is null || p.Action.NextRun <= to))
                .OrderBy(p => p.Action.NextRun)
                .ToList();
            return Page(input, actions, "ScheduledUpdateGroupActions", p => Json(p.Group, p.Action));
        });
        registry.Register(Service, "EnableMetricsCollection", (request, cancellationToken) =>
            Command(request.Input, name => new EnableMetricsCollection(name, [.. Strings(request.Input, "Metrics")], String(request.Input, "Granularity")), cancellationToken));
        registry.Register(Service, "DisableMetricsCollection", (request, cancellationToken) =>
            Command(request.Input, name => new DisableMetricsCollection(name, [.. Strings(request.Input, "Metrics")]), cancellationToken));
        registry.Register(Service, "DescribeMetricCollectionTypes", (_, _) => ValueTask.FromResult<AwsResult>(new JsonObject
        {
            ["Metrics"] = new JsonArray([.. GroupMetrics.All.Select(m => (JsonNode)new JsonObject { ["Metric"] = m })]),
            ["Granularities"] = new JsonArray(new JsonObject { ["Granularity"] = GroupMetrics.Granularity }),
        }));
        registry.Register(Service, "StartInstanceRefresh", async (request, cancellationToken) =>
        {
            var input = request.Input;
            if (String(input, "Strategy") is { } strategy && strategy != "Rolling")
                return ToApi(AutoScalingErrors.Validation($"Strategy {strategy} is not supported, only Rolling"));
            var preferences = input["Preferences"] as JsonObject ?? [];
            var started = await groups.StartRefresh(String(input, "AutoScalingGroupName"), Int(preferences, "MinHealthyPercentage"), Int(preferences, "InstanceWarmup"),
                cancellationToken).ConfigureAwait(false);
            return started.IsError ? ToApi(started.Error!) : new JsonObject { ["InstanceRefreshId"] = started.Value.InstanceRefreshId };
        });
        registry.Register(Service, "CancelInstanceRefresh", async (request, cancellationToken) =>
        {
            var group = await groups.Find(String(request.Input, "AutoScalingGroupName")).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var cancelled = await groups.Send(group.Value.Name, new CancelInstanceRefresh(group.Value.Name), cancellationToken).ConfigureAwait(false);
            return cancelled.IsError
                ? ToApi(cancelled.Error!)
                : new JsonObject { ["InstanceRefreshId"] = cancelled.Value.Refreshes.Last(r => r.Status == InstanceRefreshes.Cancelled).InstanceRefreshId };
        });
        registry.Register(Service, "DescribeInstanceRefreshes", async (request, _) =>
        {
            var input = request.Input;
            var group = await groups.Find(String(input, "AutoScalingGroupName")).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var ids = Strings(input, "InstanceRefreshIds");
            var refreshes = group.Value.Refreshes.Where(r => ids.Count == 0 || ids.Contains(r.InstanceRefreshId)).Reverse().ToList();
            return Page(input, refreshes, "InstanceRefreshes", r => Json(group.Value.Name, r));
        });
        registry.Register(Service, "PutLifecycleHook", (request, cancellationToken) =>
        {
            var input = request.Input;
            return Command(input, name => new PutLifecycleHook(name, String(input, "LifecycleHookName") ?? "", String(input, "LifecycleTransition"),
                Int(input, "HeartbeatTimeout"), String(input, "DefaultResult"), String(input, "NotificationMetadata"), String(input, "NotificationTargetARN"),
                String(input, "RoleARN")), cancellationToken);
        });
        registry.Register(Service, "DeleteLifecycleHook", (request, cancellationToken) =>
            Command(request.Input, name => new DeleteLifecycleHook(name, String(request.Input, "LifecycleHookName") ?? ""), cancellationToken));
        registry.Register(Service, "DescribeLifecycleHooks", async (request, _) =>
        {
            var group = await groups.Find(String(request.Input, "AutoScalingGroupName")).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            var names = Strings(request.Input, "LifecycleHookNames");
            return new JsonObject
            {
                ["LifecycleHooks"] = new JsonArray([.. group.Value.Hooks.Where(h => names.Count == 0 || names.Contains(h.Name)).Select(h => (JsonNode)Json(group.Value.Name, h))]),
            };
        });
        registry.Register(Service, "DescribeLifecycleHookTypes", (_, _) =>
            ValueTask.FromResult<AwsResult>(new JsonObject { ["LifecycleHookTypes"] = new JsonArray(LifecycleHooks.Launching, LifecycleHooks.Terminating) }));
        registry.Register(Service, "CompleteLifecycleAction", (request, cancellationToken) =>
        {
            var input = request.Input;
            return Command(input, name => new CompleteLifecycleAction(name, String(input, "LifecycleHookName") ?? "", String(input, "InstanceId"),
                String(input, "LifecycleActionToken"), String(input, "LifecycleActionResult") ?? ""), cancellationToken);
        });
        registry.Register(Service, "RecordLifecycleActionHeartbeat", (request, cancellationToken) =>
        {
            var input = request.Input;
            return Command(input, name => new RecordLifecycleActionHeartbeat(name, String(input, "LifecycleHookName") ?? "", String(input, "InstanceId"),
                String(input, "LifecycleActionToken")), cancellationToken);
        });
        registry.Register(Service, "CreateOrUpdateTags", (request, cancellationToken) => ChangeTags(request.Input, remove: false, cancellationToken));
        registry.Register(Service, "DeleteTags", (request, cancellationToken) => ChangeTags(request.Input, remove: true, cancellationToken));
        registry.Register(Service, "DescribeTags", async (request, _) =>
        {
            var input = request.Input;
            var filters = Filters(input);
            var tags = (await groups.List().ConfigureAwait(false))
                .SelectMany(g => g.Tags.Select(t => (Group: g, Tag: t)))
                .Where(p => filters.All(f => f.Name switch
                {
                    "auto-scaling-group" => f.Values.Contains(p.Group.Name),
                    "key" => f.Values.Contains(p.Tag.Key),
                    "value" => f.Values.Contains(p.Tag.Value),
                    "propagate-at-launch" => f.Values.Contains(p.Tag.PropagateAtLaunch ? "true" : "false"),
                    _ => true,
                }))
                .ToList();
            return Page(input, tags, "Tags", p => Json(p.Group.Name, p.Tag));
        });
    }

    private async ValueTask<AwsResult> Command(JsonObject input, Func<string, IAutoScalingCommand> command, CancellationToken cancellationToken)
    {
        var group = await groups.Find(String(input, "AutoScalingGroupName")).ConfigureAwait(false);
        if (group.IsError)
            return ToApi(group.Error!);
        var sent = await groups.Send(group.Value.Name, command(group.Value.Name), cancellationToken).ConfigureAwait(false);
        return sent.IsError ? ToApi(sent.Error!) : new JsonObject();
    }

    /// <summary>Enter/ExitStandby: one command per instance named, answered with the group's latest activities (none are recorded for standby here).</summary>
    private async ValueTask<AwsResult> PerInstance(JsonObject input, Func<string, string, IAutoScalingCommand> command, CancellationToken cancellationToken)
    {
        var group = await groups.Find(String(input, "AutoScalingGroupName")).ConfigureAwait(false);
        if (group.IsError)
            return ToApi(group.Error!);
        foreach (var instanceId in Strings(input, "InstanceIds"))
        {
            var sent = await groups.Send(group.Value.Name, command(group.Value.Name, instanceId), cancellationToken).ConfigureAwait(false);
            if (sent.IsError)
                return ToApi(sent.Error!);
        }
        return new JsonObject { ["Activities"] = new JsonArray() };
    }

    /// <summary>Tags name their group as ResourceId (ResourceType auto-scaling-group); one request may touch several groups.</summary>
    private async ValueTask<AwsResult> ChangeTags(JsonObject input, bool remove, CancellationToken cancellationToken)
    {
        var byGroup = (input["Tags"] as JsonArray ?? []).OfType<JsonObject>().GroupBy(t => String(t, "ResourceId") ?? "");
        foreach (var tags in byGroup)
        {
            var group = await groups.Find(tags.Key).ConfigureAwait(false);
            if (group.IsError)
                return ToApi(group.Error!);
            IAutoScalingCommand command = remove
                ? new RemoveTags(tags.Key, [.. tags.Select(t => String(t, "Key") ?? "")])
                : new SetTags(tags.Key, [.. tags.Select(Tag)]);
            var sent = await groups.Send(tags.Key, command, cancellationToken).ConfigureAwait(false);
            if (sent.IsError)
                return ToApi(sent.Error!);
        }
        return new JsonObject();
    }

    private static GroupRequest Settings(JsonObject input)
    {
        var template = input["LaunchTemplate"] as JsonObject;
        return new GroupRequest(
            template is null ? null : String(template, "LaunchTemplateId"),
            template is null ? null : String(template, "LaunchTemplateName"),
            template is null ? null : String(template, "Version"),
            String(input, "VPCZoneIdentifier"),
            Strings(input, "AvailabilityZones"),
            String(input, "HealthCheckType"),
            Int(input, "HealthCheckGracePeriod"),
            Int(input, "DefaultCooldown"),
            Strings(input, "TerminationPolicies"),
            input["NewInstancesProtectedFromScaleIn"]?.GetValue<bool>());
    }

    private static IEnumerable<GroupTag> GroupTags(JsonObject input) => (input["Tags"] as JsonArray ?? []).OfType<JsonObject>().Select(Tag);

    private const string ElbV2TrafficSource = "elbv2";

    /// <summary>The target group ARNs of TrafficSources; Type may be left out for them, as AWS allows.</summary>
    private static Domain.Common.Result<ImmutableArray<string>> TrafficSourceArns(JsonObject input)
    {
        var arns = ImmutableArray.CreateBuilder<string>();
        foreach (var source in (input["TrafficSources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var identifier = String(source, "Identifier") ?? "";
            var type = String(source, "Type") ?? ElbV2TrafficSource;
            if (type != ElbV2TrafficSource || !identifier.Contains(":targetgroup/", StringComparison.Ordinal))
                return AutoScalingErrors.Validation($"Traffic source {identifier} of type {type} is not supported: only elbv2 target groups exist on this node");
            arns.Add(identifier);
        }
        return arns.Count == 0 ? AutoScalingErrors.Validation("TrafficSources must name at least one traffic source") : arns.ToImmutable();
    }

    private static GroupTag Tag(JsonObject tag) => new(String(tag, "Key") ?? "", String(tag, "Value") ?? "", tag["PropagateAtLaunch"]?.GetValue<bool>() ?? false);

    /// <summary>TargetTrackingConfiguration as sent; null when absent. A customized metric's name and dimensions are checked as CloudWatch checks them.</summary>
    private static Domain.Common.Result<TargetTrackingConfiguration?> TargetTrackingOf(JsonObject? input)
    {
        if (input is null)
            return (TargetTrackingConfiguration?)null;
        if (input["TargetValue"]?.GetValue<double>() is not { } target)
            return AutoScalingErrors.Validation("TargetValue is required in TargetTrackingConfiguration");
        var predefined = input["PredefinedMetricSpecification"] as JsonObject;
        CustomizedMetric? customized = null;
        if (input["CustomizedMetricSpecification"] is JsonObject custom)
        {
            if (custom["Metrics"] is JsonArray { Count: > 0 })
                return AutoScalingErrors.Validation("Metric math in CustomizedMetricSpecification is not supported by this node");
            var dimensions = (custom["Dimensions"] as JsonArray ?? []).OfType<JsonObject>().Select(d => (String(d, "Name"), String(d, "Value"))).ToList();
            var key = MetricKey.Create(String(custom, "Namespace") ?? "", String(custom, "MetricName"), dimensions, "TargetTrackingConfiguration.CustomizedMetricSpecification.");
            if (key.IsError)
                return AutoScalingErrors.Validation(key.Error!.Message);
            customized = new CustomizedMetric(key.Value, String(custom, "Statistic") ?? "", String(custom, "Unit"));
        }
        return new TargetTrackingConfiguration(predefined is null ? null : String(predefined, "PredefinedMetricType") ?? "", predefined is null ? null : String(predefined, "ResourceLabel"),
            customized, target, Bool(input, "DisableScaleIn"));
    }

    private static JsonObject Json(string groupName, InstanceRefresh refresh)
    {
        var preferences = new JsonObject
        {
            ["MinHealthyPercentage"] = refresh.MinHealthyPercentage,
            ["MaxHealthyPercentage"] = 100,
            ["SkipMatching"] = false,
        };
        if (refresh.InstanceWarmup is { } warmup)
            preferences["InstanceWarmup"] = warmup;
        var json = new JsonObject
        {
            ["InstanceRefreshId"] = refresh.InstanceRefreshId,
            ["AutoScalingGroupName"] = groupName,
            ["Status"] = refresh.Status,
            ["StartTime"] = JsonValue.Create(refresh.StartTime),
            ["PercentageComplete"] = refresh.PercentageComplete,
            ["InstancesToUpdate"] = refresh.InstancesToUpdate,
            ["Preferences"] = preferences,
            ["Strategy"] = "Rolling",
        };
        if (refresh.EndTime is { } end)
            json["EndTime"] = JsonValue.Create(end);
        if (refresh.StatusReason is { } reason)
            json["StatusReason"] = reason;
        return json;
    }

    private static JsonObject Json(string groupName, LifecycleHook hook)
    {
        var json = new JsonObject
        {
            ["LifecycleHookName"] = hook.Name,
            ["AutoScalingGroupName"] = groupName,
            ["LifecycleTransition"] = hook.Transition,
            ["HeartbeatTimeout"] = hook.HeartbeatTimeout,
            ["GlobalTimeout"] = (int)Math.Min(LifecycleHooks.MaxGlobalTimeout.TotalSeconds, 100.0 * hook.HeartbeatTimeout),
            ["DefaultResult"] = hook.DefaultResult,
        };
        if (hook.NotificationMetadata is { } metadata)
            json["NotificationMetadata"] = metadata;
        if (hook.NotificationTargetArn is { } target)
            json["NotificationTargetARN"] = target;
        if (hook.RoleArn is { } role)
            json["RoleARN"] = role;
        return json;
    }

    private static DateTimeOffset? Time(JsonObject input, string name) => input[name]?.GetValue<DateTimeOffset>();

    /// <summary>StartTime (and the deprecated Time) read as the action's next run, as AWS shows a recurring action.</summary>
    private static JsonObject Json(AutoScalingGroup group, ScheduledAction action)
    {
        var json = new JsonObject
        {
            ["AutoScalingGroupName"] = group.Name,
            ["ScheduledActionName"] = action.Name,
            ["ScheduledActionARN"] = action.Arn,
            ["Time"] = JsonValue.Create(action.NextRun),
            ["StartTime"] = JsonValue.Create(action.NextRun),
        };
        if (action.EndTime is { } end)
            json["EndTime"] = JsonValue.Create(end);
        if (action.Recurrence is { } recurrence)
            json["Recurrence"] = recurrence;
        if (action.MinSize is { } min)
            json["MinSize"] = min;
        if (action.MaxSize is { } max)
            json["MaxSize"] = max;
        if (action.DesiredCapacity is { } desired)
            json["DesiredCapacity"] = desired;
        if (action.TimeZone is { } zone)
            json["TimeZone"] = zone;
        return json;
    }

    private static JsonArray Json(IEnumerable<PolicyAlarm>? alarms) =>
        new([.. (alarms ?? []).Select(a => (JsonNode)new JsonObject { ["AlarmName"] = a.AlarmName, ["AlarmARN"] = a.AlarmArn })]);

    private static JsonObject Json(TargetTrackingConfiguration config)
    {
        var json = new JsonObject { ["TargetValue"] = config.TargetValue, ["DisableScaleIn"] = config.DisableScaleIn };
        if (config.PredefinedMetricType is { } type)
        {
            var predefined = new JsonObject { ["PredefinedMetricType"] = type };
            if (config.ResourceLabel is { } label)
                predefined["ResourceLabel"] = label;
            json["PredefinedMetricSpecification"] = predefined;
        }
        if (config.CustomizedMetric is { } custom)
        {
            var customized = new JsonObject
            {
                ["MetricName"] = custom.Metric.MetricName,
                ["Namespace"] = custom.Metric.Namespace,
                ["Dimensions"] = new JsonArray([.. custom.Metric.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value })]),
                ["Statistic"] = custom.Statistic,
            };
            if (custom.Unit is { } unit)
                customized["Unit"] = unit;
            json["CustomizedMetricSpecification"] = customized;
        }
        return json;
    }

    private static StepAdjustment Step(JsonObject step) =>
        new(step["MetricIntervalLowerBound"]?.GetValue<double>(), step["MetricIntervalUpperBound"]?.GetValue<double>(), Int(step, "ScalingAdjustment") ?? 0);

    private static List<(string Name, IReadOnlyList<string> Values)> Filters(JsonObject input) =>
        [.. (input["Filters"] as JsonArray ?? []).OfType<JsonObject>().Select(f => (String(f, "Name") ?? "", Strings(f, "Values")))];

    /// <summary>DescribeAutoScalingGroups filters: tag-key, tag-value and tag:&lt;key&gt;.</summary>
    private static bool MatchesFilters(AutoScalingGroup group, JsonObject input) => Filters(input).All(f => f.Name switch
    {
        "tag-key" => group.Tags.Exists(t => f.Values.Contains(t.Key)),
        "tag-value" => group.Tags.Exists(t => f.Values.Contains(t.Value)),
        var name when name.StartsWith("tag:", StringComparison.Ordinal) => group.Tags.Exists(t => t.Key == name[4..] && f.Values.Contains(t.Value)),
        _ => true,
    });

    /// <summary>NextToken is the offset of the next page; MaxRecords defaults to 50 and may not exceed 100.</summary>
    private static JsonObject Page<T>(JsonObject input, IReadOnlyList<T> items, string member, Func<T, JsonObject> json)
    {
        var start = 0;
        if (String(input, "NextToken") is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
            throw new AwsErrorException(new AwsError("InvalidNextToken", "The token provided is not valid."));
        var size = Int(input, "MaxRecords") ?? DefaultPageSize;
        if (size is < 1 or > 100)
            throw new AwsErrorException(new AwsError("ValidationError", "MaxRecords must be between 1 and 100"));
        var page = items.Skip(start).Take(size).ToList();
        var output = new JsonObject { [member] = new JsonArray([.. page.Select(i => (JsonNode)json(i))]) };
        if (start + page.Count < items.Count)
            output["NextToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
        return output;
    }

    private JsonObject Json(AutoScalingGroup group)
    {
        var json = new JsonObject
        {
            ["AutoScalingGroupName"] = group.Name,
            ["AutoScalingGroupARN"] = group.Arn,
            ["LaunchTemplate"] = Template(group.Settings.LaunchTemplate, group.Settings.LaunchTemplate.Version),
            ["MinSize"] = group.MinSize,
            ["MaxSize"] = group.MaxSize,
            ["DesiredCapacity"] = group.DesiredCapacity,
            ["DefaultCooldown"] = group.Settings.DefaultCooldown,
            ["AvailabilityZones"] = new JsonArray([.. group.Settings.ZoneNames().Select(z => (JsonNode)z!)]),
            ["LoadBalancerNames"] = new JsonArray(),
            ["TargetGroupARNs"] = new JsonArray([.. group.TargetGroupArns.Select(a => (JsonNode)a!)]),
            ["HealthCheckType"] = group.Settings.HealthCheckType,
            ["HealthCheckGracePeriod"] = group.Settings.HealthCheckGracePeriod,
            ["Instances"] = new JsonArray([.. group.Instances.Select(i => (JsonNode)Json(i))]),
            ["CreatedTime"] = JsonValue.Create(group.CreatedAt),
            ["SuspendedProcesses"] = new JsonArray([.. group.SuspendedProcesses.Select(p => (JsonNode)new JsonObject
            {
                ["ProcessName"] = p,
                ["SuspensionReason"] = "User suspended",
            })]),
            ["VPCZoneIdentifier"] = string.Join(',', group.Settings.Subnets.Select(s => s.SubnetId)),
            ["EnabledMetrics"] = new JsonArray([.. group.Collected.Select(m => (JsonNode)new JsonObject { ["Metric"] = m, ["Granularity"] = GroupMetrics.Granularity })]),
            ["Tags"] = new JsonArray([.. group.Tags.Select(t => (JsonNode)Json(group.Name, t))]),
            ["TerminationPolicies"] = new JsonArray([.. group.Settings.TerminationPolicies.Select(p => (JsonNode)p!)]),
            ["NewInstancesProtectedFromScaleIn"] = group.Settings.NewInstancesProtectedFromScaleIn,
            ["ServiceLinkedRoleARN"] = $"arn:aws:iam::{accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            ["CapacityRebalance"] = false,
        };
        if (group.Status is { } status)
            json["Status"] = status;
        return json;
    }

    private static JsonObject Template(GroupLaunchTemplate template, string version) => new()
    {
        ["LaunchTemplateId"] = template.LaunchTemplateId,
        ["LaunchTemplateName"] = template.LaunchTemplateName,
        ["Version"] = version,
    };

    private static JsonObject Json(GroupInstance instance) => new()
    {
        ["InstanceId"] = instance.InstanceId,
        ["InstanceType"] = instance.InstanceType,
        ["AvailabilityZone"] = instance.AvailabilityZone,
        ["LifecycleState"] = instance.LifecycleState,
        ["HealthStatus"] = instance.HealthStatus,
        ["ProtectedFromScaleIn"] = instance.ProtectedFromScaleIn,
    };

    private static JsonObject Json(AutoScalingGroup group, ScalingActivity activity)
    {
        var json = new JsonObject
        {
            ["ActivityId"] = activity.ActivityId,
            ["AutoScalingGroupName"] = group.Name,
            ["AutoScalingGroupARN"] = group.Arn,
            ["Description"] = activity.Description,
            ["Cause"] = activity.Cause,
            ["StartTime"] = JsonValue.Create(activity.StartTime),
            ["StatusCode"] = activity.StatusCode,
            ["Progress"] = activity.Progress,
            ["Details"] = activity.Details,
        };
        if (activity.EndTime is { } end)
            json["EndTime"] = JsonValue.Create(end);
        if (activity.StatusMessage is { } message)
            json["StatusMessage"] = message;
        return json;
    }

    private static JsonObject Json(AutoScalingGroup group, ScalingPolicy policy)
    {
        var json = new JsonObject
        {
            ["AutoScalingGroupName"] = group.Name,
            ["PolicyName"] = policy.PolicyName,
            ["PolicyARN"] = policy.PolicyArn,
            ["PolicyType"] = policy.PolicyType,
            ["StepAdjustments"] = new JsonArray([.. policy.StepAdjustments.Select(s =>
            {
                var step = new JsonObject { ["ScalingAdjustment"] = s.ScalingAdjustment };
                if (s.MetricIntervalLowerBound is { } lower)
                    step["MetricIntervalLowerBound"] = lower;
                if (s.MetricIntervalUpperBound is { } upper)
                    step["MetricIntervalUpperBound"] = upper;
                return (JsonNode)step;
            })]),
            ["Alarms"] = Json(policy.Alarms),
            ["Enabled"] = policy.Enabled,
        };
        if (policy.AdjustmentType.Length > 0)
            json["AdjustmentType"] = policy.AdjustmentType;
        if (policy.TargetTracking is { } tracking)
            json["TargetTrackingConfiguration"] = Json(tracking);
        if (policy.ScalingAdjustment is { } adjustment)
            json["ScalingAdjustment"] = adjustment;
        if (policy.MinAdjustmentMagnitude is { } magnitude)
            json["MinAdjustmentMagnitude"] = magnitude;
        if (policy.Cooldown is { } cooldown)
            json["Cooldown"] = cooldown;
        if (policy.MetricAggregationType is { } aggregation)
            json["MetricAggregationType"] = aggregation;
        if (policy.EstimatedInstanceWarmup is { } warmup)
            json["EstimatedInstanceWarmup"] = warmup;
        return json;
    }

    private static JsonObject Json(string groupName, GroupTag tag) => new()
    {
        ["ResourceId"] = groupName,
        ["ResourceType"] = "auto-scaling-group",
        ["Key"] = tag.Key,
        ["Value"] = tag.Value,
        ["PropagateAtLaunch"] = tag.PropagateAtLaunch,
    };
}
