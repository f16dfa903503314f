using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Time;

namespace Orchestrator.Domain.Region;

/// <summary>
/// The region controller's state, replicated to every node: zone status, the simulated clock, the
/// generation (bumped by a reset, so every entity starts over under new persistence ids) and the
/// ids planned for the default VPC. Version orders replicas: a node applies only newer states.
/// </summary>
public sealed record RegionState(
    long Version,
    RegionStatus Status,
    SimClockParameters Clock,
    long Generation,
    DefaultVpcPlan? DefaultVpc)
{
    public string Region => Status.Region;
}

public sealed record DefaultVpcPlan(long Generation, string VpcId, ImmutableArray<string> SubnetIds);

public interface IRegionCommand;

public interface IRegionEvent;

public static class RegionCommands
{
    /// <summary>A node joining: initialises the region on first start; an explicit time scale is applied.</summary>
    public sealed record Join(string Region, ImmutableArray<string> Zones, double? RequestedScale, DateTimeOffset WallNow) : IRegionCommand;
    public sealed record SetZoneStatus(string Zone, AzState State, OutageMode Mode) : IRegionCommand;
    public sealed record SetTimeScale(double Scale, DateTimeOffset WallNow) : IRegionCommand;
    public sealed record PauseClock(DateTimeOffset WallNow) : IRegionCommand;
    public sealed record ResumeClock(DateTimeOffset WallNow) : IRegionCommand;
    public sealed record Reset : IRegionCommand;
    public sealed record PlanDefaultVpc(string VpcId, ImmutableArray<string> SubnetIds) : IRegionCommand;
}

public static class RegionEvents
{
    public sealed record Initialized(string Region, ImmutableArray<string> Zones, SimClockParameters Clock) : IRegionEvent;
    public sealed record ZoneStatusChanged(string Zone, AzState State, OutageMode Mode, DateTimeOffset At) : IRegionEvent;
    public sealed record ClockChanged(SimClockParameters Clock) : IRegionEvent;
    public sealed record StateReset(long Generation, DateTimeOffset At) : IRegionEvent;
    public sealed record DefaultVpcPlanned(long Generation, string VpcId, ImmutableArray<string> SubnetIds) : IRegionEvent;
}

public sealed class RegionBehavior : IEntityBehavior<RegionState, IRegionCommand, IRegionEvent>
{
    public static readonly RegionBehavior Instance = new();

    public Result<IReadOnlyList<IRegionEvent>> Decide(RegionState? state, IRegionCommand command, DecisionContext context) =>
        (state, command) switch
        {
            (null, RegionCommands.Join join) => Join(join),
            (null, _) => AwsError.UnsupportedOperation("the region is not initialised yet"),
            (_, RegionCommands.Join { RequestedScale: { } scale } join) when Math.Abs(scale - state.Clock.Scale) > double.Epsilon
                => ChangeClock(state.Clock, c => c.WithScale(scale, join.WallNow), scale),
            (_, RegionCommands.Join) => Decisions.None<IRegionEvent>(),
            (_, RegionCommands.SetZoneStatus set) => SetZone(state, set, context.Now),
            (_, RegionCommands.SetTimeScale set) => ChangeClock(state.Clock, c => c.WithScale(set.Scale, set.WallNow), set.Scale),
            (_, RegionCommands.PauseClock pause) => state.Clock.Paused ? Decisions.None<IRegionEvent>() : Decisions.Events<IRegionEvent>(new RegionEvents.ClockChanged(state.Clock.Pause(pause.WallNow))),
            (_, RegionCommands.ResumeClock resume) => state.Clock.Paused ? Decisions.Events<IRegionEvent>(new RegionEvents.ClockChanged(state.Clock.Resume(resume.WallNow))) : Decisions.None<IRegionEvent>(),
            (_, RegionCommands.Reset) => Decisions.Events<IRegionEvent>(new RegionEvents.StateReset(state.Generation + 1, context.Now)),
            (_, RegionCommands.PlanDefaultVpc) when state.DefaultVpc?.Generation == state.Generation => Decisions.None<IRegionEvent>(),
            (_, RegionCommands.PlanDefaultVpc plan) => Decisions.Events<IRegionEvent>(new RegionEvents.DefaultVpcPlanned(state.Generation, plan.VpcId, plan.SubnetIds)),
            _ => AwsError.UnsupportedOperation($"unknown region command {command.GetType().Name}"),
        };

    public RegionState? Evolve(RegionState? state, IRegionEvent @event) => @event switch
    {
        RegionEvents.Initialized e => new RegionState(1, RegionStatus.AllAvailable(e.Region, e.Zones, e.Clock.SimEpoch), e.Clock, 1, null),
        RegionEvents.ZoneStatusChanged e => state! with
        {
            Version = state.Version + 1,
            Status = state.Status with
            {
                Zones = [.. state.Status.Zones.Select(z => z.Name == e.Zone ? z with { State = e.State, Mode = e.Mode, Since = e.At } : z)],
            },
        },
        RegionEvents.ClockChanged e => state! with { Version = state.Version + 1, Clock = e.Clock },
        RegionEvents.StateReset e => state! with { Version = state.Version + 1, Generation = e.Generation, DefaultVpc = null },
        RegionEvents.DefaultVpcPlanned e => state! with { Version = state.Version + 1, DefaultVpc = new DefaultVpcPlan(e.Generation, e.VpcId, e.SubnetIds) },
        _ => state,
    };

    public IEnumerable<Deadline<IRegionCommand>> Deadlines(RegionState? state) => [];

    private static Result<IReadOnlyList<IRegionEvent>> Join(RegionCommands.Join join)
    {
        if (join.Zones.IsDefaultOrEmpty)
            return AwsError.InvalidParameterValue("a region needs at least one availability zone");
        var scale = join.RequestedScale ?? 1;
        if (scale is <= 0 or > SimClockParameters.MaxScale)
            return AwsError.InvalidParameterValue($"time scale must be in (0, {SimClockParameters.MaxScale}]");
        return Decisions.Events<IRegionEvent>(new RegionEvents.Initialized(join.Region, join.Zones, SimClockParameters.StartingAt(join.WallNow, scale)));
    }

    private static Result<IReadOnlyList<IRegionEvent>> ChangeClock(SimClockParameters clock, Func<SimClockParameters, SimClockParameters> change, double scale) =>
        scale is <= 0 or > SimClockParameters.MaxScale
            ? AwsError.InvalidParameterValue($"time scale must be in (0, {SimClockParameters.MaxScale}], got {scale}")
            : Decisions.Events<IRegionEvent>(new RegionEvents.ClockChanged(change(clock)));

    private static Result<IReadOnlyList<IRegionEvent>> SetZone(RegionState state, RegionCommands.SetZoneStatus set, DateTimeOffset now)
    {
        var zone = state.Status.Zone(set.Zone);
        if (zone is null)
            return AwsError.InvalidParameterValue($"The availability zone '{set.Zone}' does not exist in region {state.Region}; zones are {string.Join(", ", state.Status.Zones.Select(z => z.Name))}");
        return zone.State == set.State && (set.State != AzState.Unavailable || zone.Mode == set.Mode)
            ? Decisions.None<IRegionEvent>()
            : Decisions.Events<IRegionEvent>(new RegionEvents.ZoneStatusChanged(set.Zone, set.State, set.Mode, now));
    }
}
