using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using static Orchestrator.Domain.AutoScaling.AutoScalingCommands;
using static Orchestrator.Domain.AutoScaling.AutoScalingEvents;

namespace Orchestrator.Domain.AutoScaling;

/// <summary>
/// The rules of one Auto Scaling group: its capacity constraints, the periodic health check that
/// marks and replaces instances, convergence to the desired capacity with AZ balance, AZRebalance,
/// and simple and step policies. Every decision ends by converging, so a command that changes
/// desired capacity plans its launches and terminations in the same events.
/// </summary>
public sealed class AutoScalingBehavior : IEntityBehavior<AutoScalingGroup, IAutoScalingCommand, IAutoScalingEvent>
{
    public const string SweepDeadline = "sweep";

    /// <summary>How long a launch or a termination EC2 has not carried out waits before it is asked again (our choice).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>Failing status checks are tolerated this long before the instance is unhealthy ("a few minutes": our choice).</summary>
    public static readonly TimeSpan ImpairedTolerance = TimeSpan.FromMinutes(2);

    public Result<IReadOnlyList<IAutoScalingEvent>> Decide(AutoScalingGroup? state, IAutoScalingCommand command, DecisionContext context)
    {
        if (state is null)
            return command switch
            {
                Create create => Plan(null, context, plan => CreateGroup(plan, create)),
                Sweep or RecordSweep or LaunchSucceeded or LaunchFailed or RunScheduledAction or LifecycleActionTimedOut => Decisions.None<IAutoScalingEvent>(),
                _ => AutoScalingErrors.GroupNotFound(command.GroupName),
            };
        return command switch
        {
            Create => AutoScalingErrors.AlreadyExists(state.Name),
            Sweep => Decisions.None<IAutoScalingEvent>(), // the shell gathers the observations; RecordSweep decides
            RecordSweep sweep => Plan(state, context, plan => Observe(plan, sweep)),
            LaunchSucceeded ok => Plan(state, context, plan =>
            {
                if (plan.Group.Find(ok.InstanceId) is { InstanceType: null })
                    plan.Add(new InstanceLaunched(ok.InstanceId, ok.InstanceType, ok.LaunchTemplateVersion, plan.Now));
                return null;
            }),
            LaunchFailed failed => RecordFailedLaunch(state, context, failed),
            LifecycleActionTimedOut timedOut => Plan(state, context, plan => TimeOut(plan, timedOut)),
            _ when state.Deleting => AutoScalingErrors.ActivityInProgress("An AutoScalingGroup deletion is in progress."),
            Update update => Plan(state, context, plan => UpdateGroup(plan, update)),
            Delete delete => DeleteGroup(state, delete, context),
            SetDesiredCapacity set => Plan(state, context, plan => SetDesired(plan, set)),
            TerminateInstance terminate => Plan(state, context, plan => Terminate(plan, terminate)),
            SetInstanceHealth health => Plan(state, context, plan => SetHealth(plan, health)),
            EnterStandby enter => Plan(state, context, plan => Standby(plan, enter)),
            ExitStandby exit => Plan(state, context, plan => LeaveStandby(plan, exit)),
            SuspendProcesses suspend => Plan(state, context, plan => ChangeProcesses(plan, suspend.Processes, suspend: true)),
            ResumeProcesses resume => Plan(state, context, plan => ChangeProcesses(plan, resume.Processes, suspend: false)),
            AttachTargetGroups attach => Plan(state, context, plan =>
                ChangeTargetGroups(plan, [.. state.TargetGroupArns.Union(attach.TargetGroupArns, StringComparer.Ordinal)])),
            DetachTargetGroups detach => Plan(state, context, plan =>
                ChangeTargetGroups(plan, [.. state.TargetGroupArns.Except(detach.TargetGroupArns, StringComparer.Ordinal)])),
            PutPolicy put => (put.Policy.PolicyType == PolicyTypes.TargetTrackingScaling ? TargetTracking.Validate(put.Policy, state) : ScalingAdjustments.Validate(put.Policy)) is { } invalid
                ? invalid
                : Decisions.Events<IAutoScalingEvent>(new PolicyPut(put.Policy, context.Now)),
            DeletePolicy delete => state.Policies.Exists(p => p.PolicyName == delete.PolicyName)
                ? Decisions.Events<IAutoScalingEvent>(new PolicyDeleted(delete.PolicyName, context.Now))
                : AutoScalingErrors.PolicyNotFound(delete.PolicyName),
            ExecutePolicy execute => Plan(state, context, plan => Execute(plan, execute)),
            PutScheduledAction put => Schedules.Put(state, put, context.Now)
                .Bind(action => Decisions.Events<IAutoScalingEvent>(new ScheduledActionPut(action, context.Now))),
            DeleteScheduledAction delete => state.Scheduled.Exists(a => a.Name == delete.Name)
                ? Decisions.Events<IAutoScalingEvent>(new ScheduledActionDeleted(delete.Name, context.Now))
                : Schedules.NotFound(delete.Name),
            RunScheduledAction run => Plan(state, context, plan => RunSchedule(plan, run)),
            PutLifecycleHook put => LifecycleHooks.Put(state, put)
                .Bind(hook => Decisions.Events<IAutoScalingEvent>(new LifecycleHookPut(hook, context.Now))),
            DeleteLifecycleHook delete => Plan(state, context, plan => DeleteHook(plan, delete)),
            CompleteLifecycleAction complete => Plan(state, context, plan => CompleteAction(plan, complete)),
            RecordLifecycleActionHeartbeat heartbeat => Plan(state, context, plan => Heartbeat(plan, heartbeat)),
            EnableMetricsCollection enable => ChangeMetrics(state, GroupMetrics.Change(state, enable.Metrics, enable.Granularity, enable: true), context),
            DisableMetricsCollection disable => ChangeMetrics(state, GroupMetrics.Change(state, disable.Metrics, null, enable: false), context),
            StartInstanceRefresh start => InstanceRefreshes.Start(state, start, context.Now)
                .Bind(refresh => Decisions.Events<IAutoScalingEvent>(new InstanceRefreshStarted(refresh, context.Now))),
            CancelInstanceRefresh => state.Refreshes.Find(InstanceRefreshes.IsActive) is { } active
                ? Decisions.Events<IAutoScalingEvent>(new InstanceRefreshProgressed(active.InstanceRefreshId, InstanceRefreshes.Cancelled, active.InstancesToUpdate,
                    active.PercentageComplete, "Cancelled by a user request.", context.Now))
                : new AwsError("ActiveInstanceRefreshNotFound", $"No in progress or pending Instance Refresh found for Auto Scaling group {state.Name}"),
            SetTags set => Decisions.Events<IAutoScalingEvent>(new TagsChanged(
                set.Tags.Aggregate(state.Tags, (tags, tag) => tags.RemoveAll(t => t.Key == tag.Key).Add(tag)), context.Now)),
            RemoveTags remove => Decisions.Events<IAutoScalingEvent>(new TagsChanged(state.Tags.RemoveAll(t => remove.Keys.Contains(t.Key)), context.Now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown Auto Scaling command"),
        };
    }

    public AutoScalingGroup? Evolve(AutoScalingGroup? state, IAutoScalingEvent @event) => @event switch
    {
        Created e => new AutoScalingGroup(e.GroupName, e.Arn, e.Settings, e.MinSize, e.MaxSize, e.DesiredCapacity, e.TargetGroupArns,
            [], [.. e.Tags], [], [], [], 0, 0, null, null, false, e.At),
        Deleted => null,
        _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Created"),
        SettingsChanged e => state with { Settings = e.Settings },
        CapacityChanged e => state with { MinSize = e.MinSize, MaxSize = e.MaxSize, DesiredCapacity = e.DesiredCapacity, DesiredCause = e.Cause ?? state.DesiredCause },
        CooldownStarted e => state with { CooldownUntil = e.Until },
        InstanceLaunching e => WithActivity(state with { Instances = state.Instances.Add(e.Instance), LaunchSequence = state.LaunchSequence + 1 }, e.Activity),
        LaunchRetried e => Change(state, e.InstanceId, i => i with { LaunchedAt = e.At }),
        InstanceLaunched e => CompleteActivity(Change(state, e.InstanceId, i => i with { InstanceType = e.InstanceType, LaunchTemplateVersion = e.LaunchTemplateVersion }), e.InstanceId, e.At),
        LaunchAbandoned e => WithActivity(e.InstanceId is { } id ? state with { Instances = state.Instances.RemoveAll(i => i.InstanceId == id) } : state, e.Activity),
        InstanceInService e => Change(state, e.InstanceId, i => i with { LifecycleState = LifecycleStates.InService, Rebalancing = false }),
        InstanceHealthChanged e => Change(state, e.InstanceId, i => i with { HealthStatus = e.HealthStatus, UnhealthyCause = e.Cause }),
        InstanceTerminating e => WithActivity(Change(state, e.InstanceId, i => i with
        {
            LifecycleState = LifecycleStates.Terminating, TerminatingSince = e.At, Draining = e.Drain, LifecycleActions = null,
        }), e.Activity),
        InstanceDrained e => ChangeActivity(Change(state, e.InstanceId, i => i with { Draining = false, TerminatingSince = e.At }), e.InstanceId,
            a => a with { StatusCode = Activities.InProgress }),
        TerminationRetried e => Change(state, e.InstanceId, i => i with { TerminatingSince = e.At }),
        InstanceGone e => CompleteActivity(state with { Instances = state.Instances.RemoveAll(i => i.InstanceId == e.InstanceId) }, e.InstanceId, e.At),
        InstanceStandby e => Change(state, e.InstanceId, i => i with { LifecycleState = e.InStandby ? LifecycleStates.Standby : LifecycleStates.Pending, LaunchedAt = e.InStandby ? i.LaunchedAt : e.At }),
        ProcessesChanged e => state with { SuspendedProcesses = e.Suspended },
        TargetGroupsChanged e => state with { TargetGroupArns = e.TargetGroupArns },
        PolicyPut e => state with { Policies = state.Policies.RemoveAll(p => p.PolicyName == e.Policy.PolicyName).Add(e.Policy) },
        PolicyDeleted e => state with { Policies = state.Policies.RemoveAll(p => p.PolicyName == e.PolicyName) },
        ScheduledActionPut e => state with { ScheduledActions = state.Scheduled.RemoveAll(a => a.Name == e.Action.Name).Add(e.Action) },
        ScheduledActionDeleted e => state with { ScheduledActions = state.Scheduled.RemoveAll(a => a.Name == e.Name) },
        ScheduledActionRan e => state with
        {
            ScheduledActions = e.NextRun is { } next
                ? state.Scheduled.ConvertAll(a => a.Name == e.Name ? a with { NextRun = next } : a)
                : state.Scheduled.RemoveAll(a => a.Name == e.Name),
        },
        TagsChanged e => state with { Tags = e.Tags },
        MetricsCollectionChanged e => state with { EnabledMetrics = e.Metrics.IsEmpty ? null : [.. e.Metrics] },
        InstanceRefreshStarted e => state with
        {
            InstanceRefreshes = (state.Refreshes.Count >= InstanceRefreshes.MaxKept ? state.Refreshes.RemoveAt(0) : state.Refreshes).Add(e.Refresh),
        },
        InstanceRefreshProgressed e => state with
        {
            InstanceRefreshes = state.Refreshes.ConvertAll(r => r.InstanceRefreshId != e.InstanceRefreshId ? r : r with
            {
                Status = e.Status,
                InstancesToUpdate = e.InstancesToUpdate,
                PercentageComplete = e.PercentageComplete,
                StatusReason = e.StatusReason ?? r.StatusReason,
                EndTime = InstanceRefreshes.IsActive(r with { Status = e.Status }) ? null : e.At,
            }),
        },
        LifecycleHookPut e => state with { LifecycleHooks = state.Hooks.RemoveAll(h => h.Name == e.Hook.Name).Add(e.Hook) },
        LifecycleHookDeleted e => state with { LifecycleHooks = state.Hooks.RemoveAll(h => h.Name == e.HookName) },
        LifecycleWaitStarted e => ChangeActivity(Change(state, e.InstanceId, i => i with { LifecycleState = e.LifecycleState, LifecycleActions = e.Actions, Draining = false }),
            e.InstanceId, a => a with { StatusCode = Activities.MidLifecycleAction }),
        LifecycleHeartbeatRecorded e => Change(state, e.InstanceId, i => i with
        {
            LifecycleActions = i.Actions.ConvertAll(a => a.HookName == e.HookName ? a with { Deadline = e.Deadline } : a),
        }),
        LifecycleActionCompleted e => Proceed(state, e),
        DeleteStarted => state with { Deleting = true, MinSize = 0, MaxSize = 0, DesiredCapacity = 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown Auto Scaling event"),
    };

    /// <summary>A failed launch leaves the group until the next sweep, which tries again (in another zone if this one is down).</summary>
    private static Result<IReadOnlyList<IAutoScalingEvent>> RecordFailedLaunch(AutoScalingGroup group, DecisionContext ctx, LaunchFailed failed)
    {
        if (group.Find(failed.InstanceId) is not { LifecycleState: LifecycleStates.Pending, InstanceType: null } instance)
            return Decisions.None<IAutoScalingEvent>();
        var activity = group.Activities.Find(a => a.InstanceId == instance.InstanceId && Activities.IsActive(a));
        var failedActivity = (activity ?? NewActivity(group, ctx.Now, "", "", "{}")) with
        {
            Description = Activities.FailedLaunchDescription(failed.Message),
            EndTime = ctx.Now,
            StatusCode = Activities.Failed,
            StatusMessage = failed.Message,
            Progress = 100,
        };
        return Decisions.Events<IAutoScalingEvent>(new LaunchAbandoned(instance.InstanceId, failedActivity, ctx.Now));
    }

    private static Result<IReadOnlyList<IAutoScalingEvent>> ChangeMetrics(AutoScalingGroup group, Result<ImmutableArray<string>> metrics, DecisionContext context) =>
        metrics.Bind(next => next.SequenceEqual(group.Collected)
            ? Decisions.None<IAutoScalingEvent>()
            : Decisions.Events<IAutoScalingEvent>(new MetricsCollectionChanged(next, context.Now)));

    /// <summary>The instance's waits after one ends; with none left it proceeds (a terminating one is terminated from now, its activity in progress again).</summary>
    private static AutoScalingGroup Proceed(AutoScalingGroup state, LifecycleActionCompleted e)
    {
        if (state.Find(e.InstanceId) is not { } instance)
            return state;
        var left = e.Result == LifecycleHooks.Abandon ? [] : instance.Actions.RemoveAll(a => a.HookName == e.HookName);
        if (!left.IsEmpty)
            return Change(state, e.InstanceId, i => i with { LifecycleActions = left });
        if (instance.LifecycleState == LifecycleStates.PendingWait)
            return Change(state, e.InstanceId, i => i with { LifecycleState = LifecycleStates.PendingProceed, LifecycleActions = null });
        return ChangeActivity(Change(state, e.InstanceId, i => i with { LifecycleState = LifecycleStates.TerminatingProceed, LifecycleActions = null, TerminatingSince = e.At }),
            e.InstanceId, a => a with { StatusCode = Activities.InProgress });
    }

    /// <summary>The periodic health check runs every 10 s from the group's creation for as long as it exists; each scheduled action waits for its next run.</summary>
    public IEnumerable<Deadline<IAutoScalingCommand>> Deadlines(AutoScalingGroup? state)
    {
        if (state is null)
            yield break;
        yield return new Deadline<IAutoScalingCommand>(SweepDeadline, state.CreatedAt, new Sweep(state.Name), AutoScalingGroup.SweepInterval);
        foreach (var action in state.Scheduled)
            yield return new Deadline<IAutoScalingCommand>($"scheduled-{action.Name}", action.NextRun, new RunScheduledAction(state.Name, action.Name));
        foreach (var instance in state.Instances)
            foreach (var action in instance.Actions)
                yield return new Deadline<IAutoScalingCommand>($"lifecycle-{instance.InstanceId}-{action.HookName}", action.Deadline,
                    new LifecycleActionTimedOut(state.Name, instance.InstanceId, action.HookName));
    }

    /// <summary>The checks of CreateAutoScalingGroup that need nothing but the request.</summary>
    public static AwsError? Validate(string name, GroupSettings settings, int min, int max, int? desired)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 255 || name.Contains(':'))
            return AutoScalingErrors.Validation($"AutoScalingGroupName '{name}' must be 1 to 255 characters long and must not contain ':'");
        if (settings.Subnets.IsDefaultOrEmpty)
            return AutoScalingErrors.Validation("At least one Availability Zone or VPC Subnet is required.");
        if (settings.HealthCheckType.Split(',').Any(t => t.Trim() is not ("EC2" or "ELB")))
            return AutoScalingErrors.Validation($"Invalid health check type: {settings.HealthCheckType}");
        if (settings.HealthCheckGracePeriod < 0 || settings.DefaultCooldown < 0)
            return AutoScalingErrors.Validation("HealthCheckGracePeriod and DefaultCooldown must not be negative");
        if (settings.TerminationPolicies.FirstOrDefault(p => !TerminationPolicies.All.Contains(p)) is { } unknown)
            return AutoScalingErrors.Validation($"Invalid termination policy: {unknown}");
        return CheckCapacity(min, max, desired ?? min);
    }

    private static AwsError? CheckCapacity(int min, int max, int desired)
    {
        if (min < 0 || max < 0)
            return AutoScalingErrors.Validation("MinSize and MaxSize must not be negative");
        if (min > max)
            return AutoScalingErrors.Validation($"Max bound, {max}, must be greater than or equal to min bound, {min}");
        if (desired < min || desired > max)
            return AutoScalingErrors.Validation($"Desired capacity:{desired} must be between the specified min size:{min} and max size:{max}");
        return null;
    }

    /// <summary>Events decided one after another, each seen by the next step through Evolve.</summary>
    private sealed class Planner(AutoScalingBehavior behavior, AutoScalingGroup? state, DecisionContext context)
    {
        public List<IAutoScalingEvent> Events { get; } = [];
        public AutoScalingGroup? State { get; private set; } = state;
        public AutoScalingGroup Group => State!;
        public DecisionContext Context { get; } = context;
        public DateTimeOffset Now => Context.Now;

        public void Add(IAutoScalingEvent @event)
        {
            Events.Add(@event);
            State = behavior.Evolve(State, @event);
        }
    }

    /// <summary>Runs a step that may refuse (an error) or add events, then converges.</summary>
    private Result<IReadOnlyList<IAutoScalingEvent>> Plan(AutoScalingGroup? state, DecisionContext context, Func<Planner, AwsError?> step)
    {
        var plan = new Planner(this, state, context);
        if (step(plan) is { } error)
            return error;
        if (plan.State is not null)
            Converge(plan);
        return plan.Events;
    }

    private static AwsError? CreateGroup(Planner plan, Create create)
    {
        if (Validate(create.GroupName, create.Settings, create.MinSize, create.MaxSize, create.DesiredCapacity) is { } error)
            return error;
        var desired = create.DesiredCapacity ?? create.MinSize;
        plan.Add(new Created(create.GroupName, create.Arn, create.Settings, create.MinSize, create.MaxSize, desired, create.TargetGroupArns, create.Tags, plan.Now));
        if (desired > 0)
            plan.Add(new CapacityChanged(create.MinSize, create.MaxSize, desired, Activities.UserCreated(plan.Now, desired), plan.Now));
        return null;
    }

    /// <summary>A new minimum above the desired capacity raises it, a new maximum below it lowers it, as AWS does when desired is not given.</summary>
    private static AwsError? UpdateGroup(Planner plan, Update update)
    {
        var group = plan.Group;
        var (min, max) = (update.MinSize ?? group.MinSize, update.MaxSize ?? group.MaxSize);
        var desired = update.DesiredCapacity ?? Math.Clamp(group.DesiredCapacity, Math.Min(min, max), max);
        if (CheckCapacity(min, max, desired) is { } error)
            return error;
        if (update.Settings is { } settings && settings != group.Settings)
        {
            if (Validate(group.Name, settings, min, max, desired) is { } invalid)
                return invalid;
            plan.Add(new SettingsChanged(settings, plan.Now));
        }
        if ((min, max, desired) != (group.MinSize, group.MaxSize, group.DesiredCapacity))
            plan.Add(new CapacityChanged(min, max, desired,
                desired != group.DesiredCapacity ? Activities.UserUpdated(plan.Now, min, max, group.DesiredCapacity, desired) : null, plan.Now));
        return null;
    }

    private Result<IReadOnlyList<IAutoScalingEvent>> DeleteGroup(AutoScalingGroup group, Delete delete, DecisionContext context)
    {
        if (delete.ForceDelete)
            return Plan(group, context, plan =>
            {
                plan.Add(new DeleteStarted(plan.Now));
                return null;
            });
        if (!group.Instances.IsEmpty)
            return AutoScalingErrors.InUse();
        if (group.Activities.Exists(Activities.IsActive))
            return AutoScalingErrors.ActivityInProgress("You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.");
        return Decisions.Events<IAutoScalingEvent>(new Deleted(context.Now));
    }

    private static AwsError? SetDesired(Planner plan, SetDesiredCapacity set)
    {
        var group = plan.Group;
        if (set.DesiredCapacity > group.MaxSize)
            return AutoScalingErrors.Validation($"New SetDesiredCapacity value {set.DesiredCapacity} is above max value {group.MaxSize} for the AutoScalingGroup.");
        if (set.DesiredCapacity < group.MinSize)
            return AutoScalingErrors.Validation($"New SetDesiredCapacity value {set.DesiredCapacity} is below min value {group.MinSize} for the AutoScalingGroup.");
        if (set.HonorCooldown && group.CooldownUntil > plan.Now)
            return AutoScalingErrors.ActivityInProgress("Scaling activity is in progress and blocks this action: the group is in its cooldown period");
        if (set.DesiredCapacity != group.DesiredCapacity)
            plan.Add(new CapacityChanged(group.MinSize, group.MaxSize, set.DesiredCapacity, Activities.UserSetDesired(plan.Now, group.DesiredCapacity, set.DesiredCapacity), plan.Now));
        return null;
    }

    private static AwsError? Terminate(Planner plan, TerminateInstance terminate)
    {
        var group = plan.Group;
        if (group.Find(terminate.InstanceId) is not { } instance || LifecycleStates.IsTerminating(instance.LifecycleState))
            return AutoScalingErrors.InstanceNotInGroup(terminate.InstanceId);
        int? from = null, to = null;
        if (terminate.ShouldDecrementDesiredCapacity && instance.Counts)
        {
            if (group.DesiredCapacity - 1 < group.MinSize)
                return AutoScalingErrors.Validation($"Currently, desiredSize equals minSize ({group.MinSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.");
            (from, to) = (group.DesiredCapacity, group.DesiredCapacity - 1);
            plan.Add(new CapacityChanged(group.MinSize, group.MaxSize, to.Value, null, plan.Now));
        }
        TerminateOne(plan, instance, Activities.UserTerminated(plan.Now, instance.InstanceId, from, to));
        return null;
    }

    private static AwsError? SetHealth(Planner plan, SetInstanceHealth health)
    {
        if (health.HealthStatus is not (HealthStatuses.Healthy or HealthStatuses.Unhealthy))
            return AutoScalingErrors.Validation($"Invalid health status: {health.HealthStatus}");
        if (plan.Group.Find(health.InstanceId) is not { } instance)
            return AutoScalingErrors.InstanceNotInGroup(health.InstanceId);
        var inGrace = plan.Now < instance.LaunchedAt + TimeSpan.FromSeconds(plan.Group.Settings.HealthCheckGracePeriod);
        if (!(health.ShouldRespectGracePeriod && inGrace) && instance.HealthStatus != health.HealthStatus)
            plan.Add(new InstanceHealthChanged(instance.InstanceId, health.HealthStatus,
                health.HealthStatus == HealthStatuses.Unhealthy ? Activities.UserUnhealthy(plan.Now) : null, plan.Now));
        return null;
    }

    private static AwsError? Standby(Planner plan, EnterStandby enter)
    {
        var group = plan.Group;
        if (group.Find(enter.InstanceId) is not { LifecycleState: LifecycleStates.InService } instance)
            return AutoScalingErrors.Validation($"The instance {enter.InstanceId} is not in InService.");
        if (enter.ShouldDecrementDesiredCapacity)
        {
            if (group.DesiredCapacity - 1 < group.MinSize)
                return AutoScalingErrors.Validation($"Cannot move instance {enter.InstanceId} to Standby: the desired capacity would fall below the minimum size ({group.MinSize}).");
            plan.Add(new CapacityChanged(group.MinSize, group.MaxSize, group.DesiredCapacity - 1, null, plan.Now));
        }
        plan.Add(new InstanceStandby(instance.InstanceId, true, plan.Now));
        return null;
    }

    /// <summary>Leaving standby raises desired by one; the instance goes back through Pending (and its grace period) to InService.</summary>
    private static AwsError? LeaveStandby(Planner plan, ExitStandby exit)
    {
        var group = plan.Group;
        if (group.Find(exit.InstanceId) is not { LifecycleState: LifecycleStates.Standby } instance)
            return AutoScalingErrors.Validation($"The instance {exit.InstanceId} is not in Standby.");
        if (group.DesiredCapacity + 1 > group.MaxSize)
            return AutoScalingErrors.Validation($"Cannot move instance {exit.InstanceId} out of Standby: the desired capacity would exceed the maximum size ({group.MaxSize}).");
        plan.Add(new CapacityChanged(group.MinSize, group.MaxSize, group.DesiredCapacity + 1, null, plan.Now));
        plan.Add(new InstanceStandby(instance.InstanceId, false, plan.Now));
        return null;
    }

    private static AwsError? ChangeProcesses(Planner plan, ImmutableArray<string> processes, bool suspend)
    {
        var named = processes.IsDefaultOrEmpty ? ScalingProcesses.All : processes;
        if (named.FirstOrDefault(p => !ScalingProcesses.All.Contains(p)) is { } unknown)
            return AutoScalingErrors.Validation($"Invalid process name: {unknown}");
        var next = (suspend ? plan.Group.SuspendedProcesses.Union(named) : plan.Group.SuspendedProcesses.Except(named)).Order(StringComparer.Ordinal).ToImmutableArray();
        if (!next.SequenceEqual(plan.Group.SuspendedProcesses))
            plan.Add(new ProcessesChanged(next, plan.Now));
        return null;
    }

    private static AwsError? ChangeTargetGroups(Planner plan, ImmutableArray<string> arns)
    {
        if (!arns.SequenceEqual(plan.Group.TargetGroupArns))
            plan.Add(new TargetGroupsChanged(arns, plan.Now));
        return null;
    }

    /// <summary>ExecutePolicy: simple policies honour the cooldown when asked; step policies pick the step the breach falls in.</summary>
    private static AwsError? Execute(Planner plan, ExecutePolicy execute)
    {
        var group = plan.Group;
        if (group.Policies.Find(p => p.PolicyName == execute.PolicyName) is not { } policy)
            return AutoScalingErrors.PolicyNotFound(execute.PolicyName);
        if (policy.PolicyType == PolicyTypes.TargetTrackingScaling)
            return TrackTarget(plan, policy, execute.MetricValue);
        int adjustment;
        if (policy.PolicyType == PolicyTypes.StepScaling)
        {
            if (execute.MetricValue is not { } value || execute.BreachThreshold is not { } threshold)
                return AutoScalingErrors.Validation("MetricValue and BreachThreshold are required for a StepScaling policy");
            if (ScalingAdjustments.Step(policy.StepAdjustments, value, threshold) is not { } step)
                return AutoScalingErrors.Validation($"No step adjustment covers metric value {value} against breach threshold {threshold}");
            adjustment = step.ScalingAdjustment;
        }
        else
        {
            if (execute.HonorCooldown && group.CooldownUntil > plan.Now)
                return AutoScalingErrors.ActivityInProgress($"The cooldown of the group {group.Name} has not expired yet");
            adjustment = policy.ScalingAdjustment ?? 0;
        }
        var desired = ScalingAdjustments.Apply(group.DesiredCapacity, policy.AdjustmentType, adjustment, policy.MinAdjustmentMagnitude, group.MinSize, group.MaxSize);
        if (desired != group.DesiredCapacity)
            plan.Add(new CapacityChanged(group.MinSize, group.MaxSize, desired, Activities.PolicyExecuted(plan.Now, policy.PolicyName, group.DesiredCapacity, desired), plan.Now));
        // Cooldowns belong to simple scaling; measured here from the decision rather than the activity's end (our simplification).
        if (policy.PolicyType == PolicyTypes.SimpleScaling)
            plan.Add(new CooldownStarted(plan.Now + TimeSpan.FromSeconds(policy.Cooldown ?? group.Settings.DefaultCooldown), plan.Now));
        return null;
    }

    /// <summary>
    /// A due scheduled action sets the capacity it names (desired follows new bounds when it names
    /// none, as an update does); while ScheduledActions is suspended it is skipped. Either way its next run is decided.
    /// </summary>
    private static AwsError? RunSchedule(Planner plan, RunScheduledAction run)
    {
        var group = plan.Group;
        if (group.Scheduled.Find(a => a.Name == run.Name) is not { } action || action.NextRun > plan.Now)
            return null;
        if (!group.IsSuspended(ScalingProcesses.ScheduledActions))
        {
            var (min, max) = (action.MinSize ?? group.MinSize, action.MaxSize ?? group.MaxSize);
            var desired = action.DesiredCapacity ?? Math.Clamp(group.DesiredCapacity, Math.Min(min, max), max);
            if (CheckCapacity(min, max, desired) is null && (min, max, desired) != (group.MinSize, group.MaxSize, group.DesiredCapacity))
                plan.Add(new CapacityChanged(min, max, desired, Activities.ScheduledUpdate(plan.Now, min, max, group.DesiredCapacity, desired), plan.Now));
        }
        plan.Add(new ScheduledActionRan(action.Name, Schedules.Next(action, plan.Now), plan.Now));
        return null;
    }

    /// <summary>
    /// A target tracking policy's alarm reports its latest datapoint: the group moves toward the
    /// target (no cooldown; warm-up instead), unless alarm notifications are suspended.
    /// </summary>
    private static AwsError? TrackTarget(Planner plan, ScalingPolicy policy, double? metricValue)
    {
        var group = plan.Group;
        if (metricValue is not { } metric)
            return AutoScalingErrors.Validation("MetricValue is required for a TargetTrackingScaling policy");
        if (group.IsSuspended(ScalingProcesses.AlarmNotification) || !policy.Enabled || TargetTracking.Desired(group, policy, metric, plan.Now) is not { } desired)
            return null;
        var which = desired > group.DesiredCapacity ? TargetTracking.High : TargetTracking.Low;
        var alarm = TargetTracking.AlarmName(group.Name, policy.PolicyArn, which);
        plan.Add(new CapacityChanged(group.MinSize, group.MaxSize, desired,
            TargetTracking.AlarmCause(plan.Now, alarm, policy.PolicyName, group.DesiredCapacity, desired), plan.Now));
        return null;
    }

    /// <summary>
    /// One periodic health check: pending instances EC2 runs go in service (their target registration
    /// goes with it); in-service ones fail the EC2 check at once when not running, the status checks
    /// after a tolerance, and the ELB check once their grace period is over; terminating ones leave
    /// the group when EC2 no longer runs them. Launches and terminations EC2 has not carried out are asked again.
    /// </summary>
    private static AwsError? Observe(Planner plan, RecordSweep sweep)
    {
        var group = plan.Group;
        var targets = sweep.Targets.ToLookup(t => t.InstanceId, t => t.State, StringComparer.Ordinal);
        var checking = !group.IsSuspended(ScalingProcesses.HealthCheck);
        foreach (var seen in sweep.Instances)
        {
            if (plan.Group.Find(seen.InstanceId) is not { } instance)
                continue;
            switch (instance.LifecycleState)
            {
                case LifecycleStates.Pending when seen.State == "running"
                    && LifecycleHooks.Start(plan.Group, instance.InstanceId, LifecycleHooks.Launching, plan.Now) is { Count: > 0 } launchWaits:
                    plan.Add(new LifecycleWaitStarted(instance.InstanceId, LifecycleStates.PendingWait, [.. launchWaits], plan.Now));
                    break;
                case LifecycleStates.Pending or LifecycleStates.PendingProceed when seen.State == "running":
                    plan.Add(new InstanceInService(instance.InstanceId, plan.Now));
                    break;
                case LifecycleStates.Pending when seen.State is null:
                    if (plan.Now - instance.LaunchedAt >= RetryAfter)
                        plan.Add(new LaunchRetried(instance.InstanceId, plan.Now));
                    break;
                case LifecycleStates.Pending when checking && seen.State is not "pending" && instance.HealthStatus == HealthStatuses.Healthy:
                    plan.Add(new InstanceHealthChanged(instance.InstanceId, HealthStatuses.Unhealthy, Activities.Ec2Unhealthy(plan.Now), plan.Now));
                    break;
                case LifecycleStates.InService when checking && instance.HealthStatus == HealthStatuses.Healthy:
                    if (Unhealthy(group, instance, seen, targets[instance.InstanceId], plan.Now) is { } cause)
                        plan.Add(new InstanceHealthChanged(instance.InstanceId, HealthStatuses.Unhealthy, cause, plan.Now));
                    break;
                case LifecycleStates.Terminating or LifecycleStates.TerminatingWait or LifecycleStates.TerminatingProceed when seen.State is null or "terminated":
                    plan.Add(new InstanceGone(instance.InstanceId, plan.Now));
                    break;
                case LifecycleStates.Terminating when instance.Draining:
                    if (targets.Contains(instance.InstanceId))
                        break;
                    // Terminate hooks run once the targets have drained.
                    if (TerminationWaits(plan, instance) is { Count: > 0 } waits)
                        plan.Add(new LifecycleWaitStarted(instance.InstanceId, LifecycleStates.TerminatingWait, [.. waits], plan.Now));
                    else
                        plan.Add(new InstanceDrained(instance.InstanceId, plan.Now));
                    break;
                case LifecycleStates.Terminating or LifecycleStates.TerminatingProceed
                    when plan.Now - instance.TerminatingSince >= RetryAfter && seen.State is not "shutting-down":
                    plan.Add(new TerminationRetried(instance.InstanceId, plan.Now));
                    break;
            }
        }
        Refresh(plan);
        return null;
    }

    /// <summary>
    /// One step of the active instance refresh, each sweep: it records its progress, succeeds once
    /// nothing outdated is left and all is in service, or terminates the next batch (converging then launches the replacements).
    /// </summary>
    private static void Refresh(Planner plan)
    {
        if (plan.Group.Refreshes.Find(InstanceRefreshes.IsActive) is not { } refresh || plan.Group.IsSuspended(ScalingProcesses.InstanceRefresh))
            return;
        var (left, percentage) = InstanceRefreshes.Progress(plan.Group, refresh);
        var settled = plan.Group.Instances.All(i => i.LifecycleState is LifecycleStates.InService or LifecycleStates.Standby);
        var status = left == 0 && settled ? InstanceRefreshes.Successful : InstanceRefreshes.InProgress;
        if ((status, left, percentage) != (refresh.Status, refresh.InstancesToUpdate, refresh.PercentageComplete))
            plan.Add(new InstanceRefreshProgressed(refresh.InstanceRefreshId, status, left, percentage, null, plan.Now));
        if (status == InstanceRefreshes.Successful)
            return;
        foreach (var outdated in InstanceRefreshes.NextBatch(plan.Group, refresh, plan.Now))
            TerminateOne(plan, outdated, Activities.Refreshing(plan.Now, outdated.InstanceId));
    }

    /// <summary>The cause an in-service instance is unhealthy by, or null: EC2 state at once, status checks after a tolerance, ELB after the grace period.</summary>
    public static string? Unhealthy(AutoScalingGroup group, GroupInstance instance, InstanceObservation seen, IEnumerable<string> targetStates, DateTimeOffset now)
    {
        if (seen.State != "running")
            return Activities.Ec2Unhealthy(now);
        if (seen.ImpairedSince is { } since && now - since >= ImpairedTolerance)
            return Activities.StatusChecksFailed(now);
        var graceOver = now >= instance.LaunchedAt + TimeSpan.FromSeconds(group.Settings.HealthCheckGracePeriod);
        if (group.Settings.UsesElbHealth && graceOver && targetStates.Contains("unhealthy"))
            return Activities.ElbUnhealthy(now);
        return null;
    }

    /// <summary>
    /// Brings the group to its desired capacity: replaces unhealthy instances, launches into the
    /// least-populated available zone, terminates by the termination policies, and rebalances zones
    /// (launch first; the surplus goes once the new instance is in service). A deleting group terminates everything.
    /// </summary>
    private static void Converge(Planner plan)
    {
        if (plan.Group.Deleting)
        {
            // A forced delete ends the outstanding lifecycle actions.
            foreach (var waiting in plan.Group.Instances.Where(i => i.LifecycleState == LifecycleStates.TerminatingWait).ToList())
                plan.Add(new LifecycleActionCompleted(waiting.InstanceId, waiting.Actions[0].HookName, LifecycleHooks.Abandon, plan.Now));
            foreach (var instance in plan.Group.Instances.Where(i => !LifecycleStates.IsTerminating(i.LifecycleState)).ToList())
                TerminateOne(plan, instance, Activities.Deleting(plan.Now));
            if (plan.Group.Instances.IsEmpty)
                plan.Add(new Deleted(plan.Now));
            return;
        }
        if (!plan.Group.IsSuspended(ScalingProcesses.ReplaceUnhealthy))
            foreach (var sick in plan.Group.Instances.Where(i => i.Counts && i.HealthStatus == HealthStatuses.Unhealthy).ToList())
                TerminateOne(plan, sick, sick.UnhealthyCause ?? Activities.Ec2Unhealthy(plan.Now));
        if (!plan.Group.IsSuspended(ScalingProcesses.Launch))
            while (plan.Group.Capacity < plan.Group.DesiredCapacity)
            {
                var (from, to) = (plan.Group.Capacity, plan.Group.DesiredCapacity);
                if (!LaunchOne(plan, Capacity.LaunchSubnet(plan.Group, plan.Context.Region), Activities.ScaleOut(plan.Now, from, to), rebalancing: false))
                    break;
            }
        var rebalancing = plan.Group.Instances.Exists(i => i.Rebalancing && LifecycleStates.IsPending(i.LifecycleState));
        if (!plan.Group.IsSuspended(ScalingProcesses.Terminate) && !rebalancing)
            while (plan.Group.Capacity > plan.Group.DesiredCapacity && Capacity.ScaleInVictim(plan.Group, plan.Now) is { } victim)
                TerminateOne(plan, victim, Activities.ScaleIn(plan.Now, plan.Group.Capacity, plan.Group.DesiredCapacity, victim.InstanceId));
        var group = plan.Group;
        var settled = group.Capacity == group.DesiredCapacity && !group.Instances.Exists(i => LifecycleStates.IsPending(i.LifecycleState));
        if (settled && !new[] { ScalingProcesses.AZRebalance, ScalingProcesses.Launch, ScalingProcesses.Terminate }.Any(group.IsSuspended)
            && Capacity.RebalanceSubnet(group, plan.Context.Region) is { } subnet)
            LaunchOne(plan, subnet, Activities.Rebalance(plan.Now, group.Settings.ZoneNames()), rebalancing: true);
    }

    /// <summary>Plans one launch into the subnet, or records a failed activity when no zone can take it.</summary>
    private static bool LaunchOne(Planner plan, GroupSubnet? subnet, string cause, bool rebalancing)
    {
        var group = plan.Group;
        if (subnet is null)
        {
            var reason = $"We currently do not have sufficient capacity in the Availability Zones you requested ({string.Join(", ", group.Settings.ZoneNames())})";
            plan.Add(new LaunchAbandoned(null, NewActivity(group, plan.Now, Activities.FailedLaunchDescription(reason), Prefixed(group, cause), "{}") with
            {
                EndTime = plan.Now,
                StatusCode = Activities.Failed,
                StatusMessage = reason,
                Progress = 100,
            }, plan.Now));
            return false;
        }
        var id = AutoScalingIds.Instance(group.Arn, group.LaunchSequence);
        var instance = new GroupInstance(id, subnet.SubnetId, subnet.AvailabilityZone, LifecycleStates.Pending, HealthStatuses.Healthy, plan.Now,
            group.Settings.NewInstancesProtectedFromScaleIn, group.Settings.LaunchTemplate.Version, Rebalancing: rebalancing);
        var activity = NewActivity(group, plan.Now, Activities.LaunchDescription(id), Prefixed(group, cause), Activities.Details(subnet)) with { InstanceId = id };
        plan.Add(new InstanceLaunching(instance, activity, plan.Now));
        return true;
    }

    /// <summary>
    /// An instance in service behind target groups drains first (deregistered now, terminated once
    /// drained), as AWS waits for connection draining; then the terminate lifecycle hooks hold it in
    /// Terminating:Wait (held at once when there is nothing to drain).
    /// </summary>
    private static void TerminateOne(Planner plan, GroupInstance instance, string cause)
    {
        var subnet = new GroupSubnet(instance.SubnetId, instance.AvailabilityZone);
        var drain = instance.LifecycleState == LifecycleStates.InService && !plan.Group.TargetGroupArns.IsEmpty;
        var waits = drain ? [] : TerminationWaits(plan, instance);
        var activity = NewActivity(plan.Group, plan.Now, Activities.TerminateDescription(instance.InstanceId), cause, Activities.Details(subnet)) with
        {
            InstanceId = instance.InstanceId,
            StatusCode = drain ? Activities.WaitingForELBConnectionDraining : Activities.InProgress,
        };
        plan.Add(new InstanceTerminating(instance.InstanceId, activity, drain || waits.Count > 0, plan.Now));
        if (waits.Count > 0)
            plan.Add(new LifecycleWaitStarted(instance.InstanceId, LifecycleStates.TerminatingWait, [.. waits], plan.Now));
    }

    /// <summary>The terminate hooks' waits; a deleting group runs none.</summary>
    private static List<LifecycleAction> TerminationWaits(Planner plan, GroupInstance instance) =>
        plan.Group.Deleting ? [] : LifecycleHooks.Start(plan.Group, instance.InstanceId, LifecycleHooks.Terminating, plan.Now);

    /// <summary>The instance waiting for the hook, named by its id or by the action's token.</summary>
    private static GroupInstance? Waiting(AutoScalingGroup group, string hookName, string? instanceId, string? token) =>
        group.Instances.Find(i => (instanceId is null || i.InstanceId == instanceId)
            && i.Actions.Exists(a => a.HookName == hookName && (token is null || a.Token == token)));

    private static AwsError? CompleteAction(Planner plan, CompleteLifecycleAction complete)
    {
        if (complete.Result is not (LifecycleHooks.Continue or LifecycleHooks.Abandon))
            return AutoScalingErrors.Validation($"Invalid LifecycleActionResult: {complete.Result}");
        if (complete.InstanceId is null && complete.Token is null)
            return AutoScalingErrors.Validation("Either InstanceId or LifecycleActionToken must be specified");
        if (!plan.Group.Hooks.Exists(h => h.Name == complete.HookName))
            return LifecycleHooks.NotFound(plan.Group.Name, complete.HookName);
        if (Waiting(plan.Group, complete.HookName, complete.InstanceId, complete.Token) is not { } instance)
            return LifecycleHooks.NoAction(complete.HookName, complete.InstanceId, complete.Token);
        EndAction(plan, instance, complete.HookName, complete.Result);
        return null;
    }

    private static AwsError? Heartbeat(Planner plan, RecordLifecycleActionHeartbeat heartbeat)
    {
        if (heartbeat.InstanceId is null && heartbeat.Token is null)
            return AutoScalingErrors.Validation("Either InstanceId or LifecycleActionToken must be specified");
        if (plan.Group.Hooks.Find(h => h.Name == heartbeat.HookName) is not { } hook)
            return LifecycleHooks.NotFound(plan.Group.Name, heartbeat.HookName);
        if (Waiting(plan.Group, heartbeat.HookName, heartbeat.InstanceId, heartbeat.Token) is not { } instance)
            return LifecycleHooks.NoAction(heartbeat.HookName, heartbeat.InstanceId, heartbeat.Token);
        var action = instance.Actions.Find(a => a.HookName == hook.Name)!;
        plan.Add(new LifecycleHeartbeatRecorded(instance.InstanceId, hook.Name, LifecycleHooks.Extend(hook, action, plan.Now), plan.Now));
        return null;
    }

    /// <summary>A due heartbeat deadline applies the hook's DefaultResult.</summary>
    private static AwsError? TimeOut(Planner plan, LifecycleActionTimedOut timedOut)
    {
        if (plan.Group.Find(timedOut.InstanceId) is { } instance && instance.Actions.Find(a => a.HookName == timedOut.HookName) is { } action
            && action.Deadline <= plan.Now)
            EndAction(plan, instance, action.HookName, plan.Group.Hooks.Find(h => h.Name == action.HookName)?.DefaultResult ?? LifecycleHooks.Abandon);
        return null;
    }

    /// <summary>Deleting a hook completes its outstanding actions first: ABANDON for launching instances, CONTINUE for terminating ones.</summary>
    private static AwsError? DeleteHook(Planner plan, DeleteLifecycleHook delete)
    {
        if (!plan.Group.Hooks.Exists(h => h.Name == delete.HookName))
            return LifecycleHooks.NotFound(plan.Group.Name, delete.HookName);
        foreach (var instance in plan.Group.Instances.Where(i => i.Actions.Exists(a => a.HookName == delete.HookName)).ToList())
            EndAction(plan, instance, delete.HookName, instance.LifecycleState == LifecycleStates.PendingWait ? LifecycleHooks.Abandon : LifecycleHooks.Continue);
        plan.Add(new LifecycleHookDeleted(delete.HookName, plan.Now));
        return null;
    }

    /// <summary>An abandoned launch terminates the instance (converging then launches its replacement).</summary>
    private static void EndAction(Planner plan, GroupInstance instance, string hookName, string result)
    {
        plan.Add(new LifecycleActionCompleted(instance.InstanceId, hookName, result, plan.Now));
        if (instance.LifecycleState == LifecycleStates.PendingWait && result == LifecycleHooks.Abandon)
            TerminateOne(plan, plan.Group.Find(instance.InstanceId)!, Activities.LaunchAbandoned(plan.Now, instance.InstanceId));
    }

    /// <summary>A launch answers the last change of desired capacity: AWS starts its cause with that change's sentence.</summary>
    private static string Prefixed(AutoScalingGroup group, string cause) => group.DesiredCause is { } first ? $"{first}  {cause}" : cause;

    private static ScalingActivity NewActivity(AutoScalingGroup group, DateTimeOffset now, string description, string cause, string details) =>
        new(AutoScalingIds.Activity(group.Arn, group.ActivitySequence), description, cause, now, null, Activities.InProgress, null, 0, details);

    private static AutoScalingGroup Change(AutoScalingGroup group, string instanceId, Func<GroupInstance, GroupInstance> change) =>
        group with { Instances = group.Instances.ConvertAll(i => i.InstanceId == instanceId ? change(i) : i) };

    /// <summary>Adds an activity, or replaces the one with its id; only the latest are kept.</summary>
    private static AutoScalingGroup WithActivity(AutoScalingGroup group, ScalingActivity activity)
    {
        var index = group.Activities.FindIndex(a => a.ActivityId == activity.ActivityId);
        if (index >= 0)
            return group with { Activities = group.Activities.SetItem(index, activity) };
        var activities = group.Activities.Add(activity);
        return group with
        {
            Activities = activities.Count > AutoScalingGroup.MaxActivities ? activities.RemoveAt(0) : activities,
            ActivitySequence = group.ActivitySequence + 1,
        };
    }

    private static AutoScalingGroup CompleteActivity(AutoScalingGroup group, string instanceId, DateTimeOffset at) =>
        ChangeActivity(group, instanceId, a => a with { StatusCode = Activities.Successful, EndTime = at, Progress = 100 });

    /// <summary>Changes the instance's latest unfinished activity, if any.</summary>
    private static AutoScalingGroup ChangeActivity(AutoScalingGroup group, string instanceId, Func<ScalingActivity, ScalingActivity> change)
    {
        var index = group.Activities.FindLastIndex(a => a.InstanceId == instanceId && Activities.IsActive(a));
        return index < 0 ? group : group with { Activities = group.Activities.SetItem(index, change(group.Activities[index])) };
    }
}
