using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;
using static Orchestrator.Domain.Ec2.InstanceCommands;
using static Orchestrator.Domain.Ec2.InstanceEvents;
using static Orchestrator.Domain.Ec2.InstanceStateName;

namespace Orchestrator.Domain.Ec2;

/// <summary>
/// The EC2 instance state machine (aws-semantics 1.1/1.2). Cells the sources leave open, decided here:
/// Start on pending is a no-op (it is already on its way to running); Stop on pending is IncorrectInstanceState;
/// Reboot on pending, stopping or stopped is IncorrectInstanceState and on shutting-down or terminated is ignored;
/// Terminate on stopped goes through shutting-down like the others. Protection (DisableApiStop,
/// DisableApiTermination) is checked only where the call would change the state, so no-ops stay no-ops.
/// A powered-off zone stops its pending and running instances and starts them again when power returns;
/// a network outage leaves EC2 state alone (health probes fail instead).
/// </summary>
public sealed class InstanceBehavior : IEntityBehavior<Instance, IInstanceCommand, IInstanceEvent>
{
    /// <summary>One key for boot, stop and termination completion: a new phase replaces the previous phase's deadline.</summary>
    public const string TransitionDeadlineKey = "transition";
    public const string ExpiryDeadlineKey = "expiry";

    public Result<IReadOnlyList<IInstanceEvent>> Decide(Instance? state, IInstanceCommand command, DecisionContext context)
    {
        if (state is null)
            return command is Launch launch ? DecideLaunch(launch.Spec, context) : Ec2Errors.InstanceNotFound(command.EntityId);
        var now = context.Now;
        return command switch
        {
            Launch => None(), // a retried RunInstances: the instance already exists
            Start start => DecideStart(state, start, context),
            Stop stop => DecideStop(state, stop, context),
            Reboot => DecideReboot(state, now),
            Terminate => DecideTerminate(state, now),
            ModifyAttribute modify => DecideModify(state, modify, now),
            SetMonitoring monitoring => DecideMonitoring(state, monitoring, now),
            ChangeTags tags => DecideTags(state, tags, now),
            AddTags add => Tags.Add(state.Tags, add.Tags).Bind(next => TagChange(state, next, now)),
            RemoveTags remove => TagChange(state, Tags.Remove(state.Tags, remove.Tags.IsDefault ? [] : remove.Tags), now),
            SetCreditSpecification credits => DecideCredits(state, credits, now),
            SetApplicationHealth health => DecideApplicationHealth(state, health, now),
            ObserveZone observe => DecideZone(state, observe.Zone, now),
            CompleteBoot => IsDue(state, Pending, now) ? Events(new BootCompleted(now)) : None(),
            CompleteStop => IsDue(state, Stopping, now) ? FinishStop(state, context) : None(),
            CompleteTermination => IsDue(state, ShuttingDown, now)
                ? Events(new TerminationCompleted(now, now + InstanceTimings.TerminatedVisibility))
                : None(),
            Expire => state is { State: Terminated, ExpiresAt: { } expiresAt } && expiresAt <= now ? Events(new Expired(now)) : None(),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown instance command"),
        };
    }

    public Instance? Evolve(Instance? state, IInstanceEvent @event) =>
        @event switch
        {
            Launched e => Instance.Launched(e.Spec, e.At, e.BootCompletesAt),
            Expired => null,
            _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before Launched"),
            Started e => state with
            {
                State = Pending,
                LaunchTime = e.At,
                StateTransitionReason = "",
                StateReason = StateReason.Pending,
                TransitionCompletesAt = e.BootCompletesAt,
                PublicIpAddress = e.PublicIpAddress,
                StoppedByPowerOutage = false,
            },
            BootCompleted e => state with
            {
                State = Running,
                StateReason = null,
                TransitionCompletesAt = null,
                RunningSince = e.At,
                Billing = state.Billing.StartPeriod(e.At, state.InstanceType),
            },
            StopInitiated e => state with
            {
                State = Stopping,
                StateReason = e.Reason,
                StateTransitionReason = e.TransitionReason,
                TransitionCompletesAt = e.CompletesAt,
                RunningSince = null,
                RebootCompletesAt = null,
                StoppedByPowerOutage = e.ByPowerOutage,
                Billing = state.Billing.EndPeriod(e.At),
            },
            StopCompleted e => state with
            {
                State = Stopped,
                TransitionCompletesAt = null,
                PublicIpAddress = e.PublicIpReleased ? null : state.PublicIpAddress,
            },
            TerminationInitiated e => state with
            {
                State = ShuttingDown,
                StateReason = e.Reason,
                StateTransitionReason = e.TransitionReason,
                TransitionCompletesAt = e.CompletesAt,
                RunningSince = null,
                RebootCompletesAt = null,
                StoppedByPowerOutage = false,
                Billing = state.Billing.EndPeriod(e.At),
            },
            TerminationCompleted e => state with { State = Terminated, TransitionCompletesAt = null, ExpiresAt = e.ExpiresAt, PublicIpAddress = null },
            Rebooted e => state with { RebootCompletesAt = e.CompletesAt },
            AttributesModified e => state with
            {
                InstanceType = e.InstanceType ?? state.InstanceType,
                DisableApiTermination = e.DisableApiTermination ?? state.DisableApiTermination,
                DisableApiStop = e.DisableApiStop ?? state.DisableApiStop,
                InstanceInitiatedShutdownBehavior = e.InstanceInitiatedShutdownBehavior ?? state.InstanceInitiatedShutdownBehavior,
                UserData = e.UserData is { } userData ? NullIfEmpty(userData) : state.UserData,
                SecurityGroupIds = e.SecurityGroupIds ?? state.SecurityGroupIds,
                SourceDestCheck = e.SourceDestCheck ?? state.SourceDestCheck,
                EbsOptimized = e.EbsOptimized ?? state.EbsOptimized,
            },
            CreditSpecificationChanged e => state with { CpuCredits = e.CpuCredits },
            MonitoringChanged e => state with { DetailedMonitoring = e.Detailed },
            TagsChanged e => state with { Tags = state.Tags.SetItems(e.Set).RemoveRange(e.Removed) },
            ApplicationHealthChanged e => state with { ApplicationHealth = e.Health, SlowResponseLatency = e.SlowResponseLatency, ErrorRate = e.ErrorRate },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown instance event"),
        };

    public IEnumerable<Deadline<IInstanceCommand>> Deadlines(Instance? state) =>
        state switch
        {
            { State: Pending, TransitionCompletesAt: { } at } => [new(TransitionDeadlineKey, at, new CompleteBoot(state.InstanceId))],
            { State: Stopping, TransitionCompletesAt: { } at } => [new(TransitionDeadlineKey, at, new CompleteStop(state.InstanceId))],
            { State: ShuttingDown, TransitionCompletesAt: { } at } => [new(TransitionDeadlineKey, at, new CompleteTermination(state.InstanceId))],
            { State: Terminated, ExpiresAt: { } at } => [new(ExpiryDeadlineKey, at, new Expire(state.InstanceId))],
            _ => [],
        };

    private static Result<IReadOnlyList<IInstanceEvent>> DecideLaunch(InstanceLaunchSpec spec, DecisionContext context)
    {
        var compatible = InstanceTypes.Resolve(spec.InstanceType)
            .Bind(type => AmiCatalogue.Resolve(spec.ImageId, strict: false).Bind(image => InstanceTypes.CheckCompatible(type, image)));
        if (compatible.IsError)
            return compatible.Error!;
        if (CapacityRefusal(spec.InstanceType, spec.AvailabilityZone, context.Region) is { } refusal)
            return refusal;
        return Events(new Launched(spec, context.Now, context.Now + InstanceTimings.Boot));
    }

    private static Result<IReadOnlyList<IInstanceEvent>> DecideStart(Instance state, Start start, DecisionContext context)
    {
        switch (state.State)
        {
            case Pending or Running:
                return None();
            case Stopped:
                if (CapacityRefusal(state.InstanceType, state.AvailabilityZone, context.Region) is { } refusal)
                    return refusal;
                return Events(new Started(context.Now, context.Now + InstanceTimings.Boot, start.PublicIpAddress, AfterPowerOutage: false));
            default:
                return Ec2Errors.IncorrectInstanceState(state.InstanceId, "started");
        }
    }

    private static Result<IReadOnlyList<IInstanceEvent>> DecideStop(Instance state, Stop stop, DecisionContext context)
    {
        var now = context.Now;
        switch (state.State)
        {
            case Running when state.DisableApiStop:
                return Ec2Errors.StopProtected(state.InstanceId);
            case Running:
                var duration = stop.Force ? InstanceTimings.ForcedStop : InstanceTimings.Stop;
                return Events(new StopInitiated(now, now + duration, StateReason.UserInitiatedShutdown, TransitionReasons.UserInitiated(now), ByPowerOutage: false));
            case Stopping when stop.Force:
                return FinishStop(state, context); // Force is the way out for an instance stuck in stopping
            case Stopping or Stopped:
                return None();
            default:
                return Ec2Errors.IncorrectInstanceState(state.InstanceId, "stopped");
        }
    }

    /// <summary>Stopping becomes stopped; an instance the outage stopped starts again at once if power is already back.</summary>
    private static Result<IReadOnlyList<IInstanceEvent>> FinishStop(Instance state, DecisionContext context)
    {
        var now = context.Now;
        var stopped = new StopCompleted(now, PublicIpReleased: !state.StoppedByPowerOutage);
        var powerIsBack = state.StoppedByPowerOutage && context.Region.Zone(state.AvailabilityZone) is not { IsPoweredOff: true };
        return powerIsBack
            ? Events(stopped, new Started(now, now + InstanceTimings.Boot, state.PublicIpAddress, AfterPowerOutage: true))
            : Events(stopped);
    }

    private static Result<IReadOnlyList<IInstanceEvent>> DecideReboot(Instance state, DateTimeOffset now) =>
        state.State switch
        {
            Running => Events(new Rebooted(now, now + InstanceTimings.Reboot)),
            ShuttingDown or Terminated => None(),
            _ => Ec2Errors.IncorrectInstanceState(state.InstanceId, "rebooted"),
        };

    private static Result<IReadOnlyList<IInstanceEvent>> DecideTerminate(Instance state, DateTimeOffset now) =>
        state.State switch
        {
            ShuttingDown or Terminated => None(),
            _ when state.DisableApiTermination => Ec2Errors.TerminationProtected(state.InstanceId),
            _ => Events(new TerminationInitiated(now, now + InstanceTimings.ShutDown, StateReason.UserInitiatedShutdown, TransitionReasons.UserInitiated(now))),
        };

    /// <summary>
    /// The type, user data and EBS optimization change only while stopped; protection, shutdown behavior,
    /// groups and the source/destination check change in any state but the terminal ones.
    /// </summary>
    private static Result<IReadOnlyList<IInstanceEvent>> DecideModify(Instance state, ModifyAttribute modify, DateTimeOffset now)
    {
        if (modify is { InstanceType: null, DisableApiTermination: null, DisableApiStop: null, InstanceInitiatedShutdownBehavior: null,
                UserData: null, SecurityGroupIds: null, SourceDestCheck: null, EbsOptimized: null })
            return Ec2Errors.NoAttributeToModify(state.InstanceId);
        if (state.State is ShuttingDown or Terminated)
            return Ec2Errors.IncorrectInstanceState(state.InstanceId, "modified");
        if (modify.InstanceInitiatedShutdownBehavior is { } behavior && !ShutdownBehaviors.IsValid(behavior))
            return Ec2Errors.InvalidAttributeValue("instanceInitiatedShutdownBehavior", behavior);
        if (modify.SecurityGroupIds is { } groups && CheckGroups(groups) is { } groupError)
            return groupError;
        if (InstanceLimits.CheckUserData(modify.UserData) is { } userDataError)
            return userDataError;
        var needsStopped = modify.InstanceType is not null || modify.UserData is not null || modify.EbsOptimized is not null;
        if (needsStopped && state.State != Stopped)
            return Ec2Errors.InstanceNotStopped(state.InstanceId);
        string? instanceType = null;
        if (modify.InstanceType is { } requestedType)
        {
            if (InstanceTypes.Find(requestedType) is not { } type)
                return Ec2Errors.InvalidAttributeValue("instanceType", requestedType);
            var compatible = AmiCatalogue.Resolve(state.ImageId, strict: false).Bind(image => InstanceTypes.CheckCompatible(type, image));
            if (compatible.IsError)
                return compatible.Error!;
            instanceType = requestedType == state.InstanceType ? null : requestedType;
        }
        var changed = new AttributesModified(
            now,
            instanceType,
            Changed(modify.DisableApiTermination, state.DisableApiTermination),
            Changed(modify.DisableApiStop, state.DisableApiStop),
            modify.InstanceInitiatedShutdownBehavior == state.InstanceInitiatedShutdownBehavior ? null : modify.InstanceInitiatedShutdownBehavior,
            modify.UserData is { } userData && NullIfEmpty(userData) != state.UserData ? userData : null,
            modify.SecurityGroupIds is { } requested && !requested.SequenceEqual(state.SecurityGroupIds) ? requested : null,
            Changed(modify.SourceDestCheck, state.SourceDestCheck),
            Changed(modify.EbsOptimized, state.EbsOptimized));
        var unchanged = changed == new AttributesModified(now, null, null, null);
        return unchanged ? None() : Events(changed);
    }

    private static AwsError? CheckGroups(ImmutableArray<string> groups)
    {
        if (groups.IsEmpty)
            return AwsError.MissingParameter("The request must contain the parameter groupId");
        return groups.FirstOrDefault(id => !AwsIds.IsWellFormed(id, "sg")) is { } malformed
            ? new AwsError("InvalidGroupId.Malformed", $"Invalid id: \"{malformed}\" (expecting \"sg-...\")")
            : null;
    }

    private static Result<IReadOnlyList<IInstanceEvent>> DecideCredits(Instance state, SetCreditSpecification credits, DateTimeOffset now)
    {
        if (!CreditSpecifications.IsValid(credits.CpuCredits))
            return CreditSpecifications.InvalidValue(credits.CpuCredits);
        if (state.State is ShuttingDown or Terminated)
            return Ec2Errors.IncorrectInstanceState(state.InstanceId, "modified");
        if (!CreditSpecifications.IsBurstable(state.InstanceType))
            return CreditSpecifications.NotSupported(state.InstanceId);
        return credits.CpuCredits == state.EffectiveCpuCredits() ? None() : Events(new CreditSpecificationChanged(now, credits.CpuCredits));
    }

    private static Result<IReadOnlyList<IInstanceEvent>> TagChange(Instance state, ImmutableDictionary<string, string> next, DateTimeOffset now)
    {
        var set = next.Where(tag => !state.Tags.TryGetValue(tag.Key, out var value) || value != tag.Value).ToImmutableDictionary();
        var removed = state.Tags.Keys.Where(key => !next.ContainsKey(key)).ToImmutableArray();
        return set.IsEmpty && removed.IsEmpty ? None() : Events(new TagsChanged(now, set, removed));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static Result<IReadOnlyList<IInstanceEvent>> DecideMonitoring(Instance state, SetMonitoring monitoring, DateTimeOffset now) =>
        state switch
        {
            { State: ShuttingDown or Terminated } => Ec2Errors.IncorrectInstanceState(state.InstanceId, "monitored"),
            _ when state.DetailedMonitoring == monitoring.Detailed => None(),
            _ => Events(new MonitoringChanged(now, monitoring.Detailed)),
        };

    private static Result<IReadOnlyList<IInstanceEvent>> DecideTags(Instance state, ChangeTags change, DateTimeOffset now)
    {
        var set = change.Set.Where(tag => !state.Tags.TryGetValue(tag.Key, out var value) || value != tag.Value).ToImmutableDictionary();
        var removed = change.Remove.IsDefault ? [] : change.Remove.Where(key => state.Tags.ContainsKey(key) && !set.ContainsKey(key)).Distinct().ToImmutableArray();
        return set.IsEmpty && removed.IsEmpty ? None() : Events(new TagsChanged(now, set, removed));
    }

    private static Result<IReadOnlyList<IInstanceEvent>> DecideApplicationHealth(Instance state, SetApplicationHealth health, DateTimeOffset now)
    {
        var latency = health.SlowResponseLatency ?? InstanceTimings.SlowResponse;
        if (health.ErrorRate is < 0 or > 1 || double.IsNaN(health.ErrorRate))
            return AwsError.InvalidParameterValue($"an error rate is between 0 and 1, got {health.ErrorRate}");
        return health.Health == state.ApplicationHealth && latency == state.SlowResponseLatency && health.ErrorRate == state.ErrorRate
            ? None()
            : Events(new ApplicationHealthChanged(now, health.Health, latency, health.ErrorRate));
    }

    private static Result<IReadOnlyList<IInstanceEvent>> DecideZone(Instance state, AvailabilityZoneStatus zone, DateTimeOffset now)
    {
        if (zone.Name != state.AvailabilityZone)
            return None();
        if (zone.IsPoweredOff && state.State is Pending or Running)
        {
            return Events(new StopInitiated(
                now, now + InstanceTimings.Stop, StateReason.PowerInterruption(zone.Name), TransitionReasons.ServerInitiated(now), ByPowerOutage: true));
        }
        if (!zone.IsPoweredOff && state is { State: Stopped, StoppedByPowerOutage: true })
            return Events(new Started(now, now + InstanceTimings.Boot, state.PublicIpAddress, AfterPowerOutage: true));
        return None();
    }

    /// <summary>A zone that is down takes no new instances, so launches and starts there fail as AWS fails them for lack of capacity.</summary>
    private static AwsError? CapacityRefusal(string instanceType, string availabilityZone, RegionStatus region) =>
        region.Zone(availabilityZone) is { IsUp: false }
            ? Ec2Errors.InsufficientCapacity(instanceType, availabilityZone, region.Zones.Where(z => z.IsUp).Select(z => z.Name))
            : null;

    private static bool IsDue(Instance state, InstanceStateName expected, DateTimeOffset now) =>
        state.State == expected && state.TransitionCompletesAt is { } at && at <= now;

    private static bool? Changed(bool? requested, bool current) => requested is { } value && value != current ? value : null;

    private static Result<IReadOnlyList<IInstanceEvent>> None() => Decisions.None<IInstanceEvent>();

    private static Result<IReadOnlyList<IInstanceEvent>> Events(params IInstanceEvent[] events) => Decisions.Events(events);
}
