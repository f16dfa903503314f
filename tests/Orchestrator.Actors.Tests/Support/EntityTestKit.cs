using System.Collections.Immutable;
using Akka.Configuration;
using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Chaos;
using Orchestrator.Actors.Clock;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Metrics;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Rds;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Actors.Vpc;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// Entities in virtual time: local entity routing (no cluster), the in-memory journal, every
/// message serialized on each send (so what would cross nodes is proven to), and a virtual
/// clock the test advances. Nothing here waits on the wall clock.
/// </summary>
public abstract class EntityTestKit : Akka.TestKit.Xunit2.TestKit
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    static EntityTestKit() => RegisterAllMessages();

    /// <param name="standIns">Kinds that replace the real ones of the same name (a test double for a kind built elsewhere).</param>
    protected EntityTestKit(IEnumerable<EntityKind>? standIns = null) : base(Configuration())
    {
        Clock = new VirtualClock(Start);
        var state = new RegionState(1, RegionStatus.AllAvailable("us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c"], Start),
            SimClockParameters.StartingAt(Start, 1), 1, null);
        Region = new RegionSnapshot(state);
        var router = new DeferredEntityRouter();
        Services = new EntityServices(Clock, Clock, router, Region, Index, Metrics);
        var replacing = (standIns ?? []).ToList();
        Router = new LocalEntityRouter(Sys, Ec2Kinds.All(Services, "us-east-1").Concat(ElbKinds.All(Services)).Concat(LogsKinds.All(Services)).Concat(CloudWatchKinds.All(Services)).Concat(AlarmKinds.All(Services)).Concat(CompositeAlarmKinds.All(Services)).Concat(ResourceTagsKinds.All(Services)).Concat(AutoScalingKinds.All(Services))
            .Concat(ReachabilityKinds.All(Services))
            .Concat(RdsKinds.All(Services))
            .Where(k => replacing.TrueForAll(r => r.Name != k.Name)).Concat(replacing));
        router.Inner = Router;
    }

    public static void RegisterAllMessages()
    {
        CoreMessages.Register();
        Ec2Messages.Register();
        ElbMessages.Register();
        LogsMessages.Register();
        CloudWatchMessages.Register();
        AutoScalingMessages.Register();
        ChaosMessages.Register();
        ReachabilityMessages.Register();
        RdsMessages.Register();
    }

    protected VirtualClock Clock { get; }
    protected RegionSnapshot Region { get; }
    protected InMemoryResourceIndex Index { get; } = new();
    protected RecordingMetricSink Metrics { get; } = new();
    protected EntityServices Services { get; }
    protected LocalEntityRouter Router { get; }

    private static Config Configuration() => ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.serialize-messages = on
            akka.actor.serialization-settings.json.preserve-object-references = off
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """).WithFallback(ConfigurationFactory.ParseString(WithMessages(OrchestratorSerializer.BindingsHocon)));

    private static string WithMessages(Func<string> hocon)
    {
        RegisterAllMessages();
        return hocon();
    }

    /// <summary>Moves simulated time in steps, letting the entities react between steps as they would in real time.</summary>
    protected void Advance(TimeSpan by, TimeSpan? step = null)
    {
        var stepSize = step ?? TimeSpan.FromSeconds(1);
        var remaining = by;
        while (remaining > TimeSpan.Zero)
        {
            var next = remaining < stepSize ? remaining : stepSize;
            Clock.Advance(next);
            remaining -= next;
            Settle();
        }
    }

    /// <summary>Changes the region as the controller would, and lets every entity see it.</summary>
    protected void SetZone(string zone, AzState state, OutageMode mode = OutageMode.Power)
    {
        var current = Region.Current;
        var next = current with
        {
            Version = current.Version + 1,
            Status = current.Status with
            {
                Zones = [.. current.Status.Zones.Select(z => z.Name == zone ? z with { State = state, Mode = mode, Since = Clock.Now } : z)],
            },
        };
        Region.TryAdvance(next);
        Sys.EventStream.Publish(new RegionChanged(next));
        Settle();
    }

    /// <summary>Waits until every local entity has processed what was sent to it so far (a round trip through each).</summary>
    protected void Settle()
    {
        foreach (var kind in new[] { Ec2Kinds.Instance, Ec2Kinds.Vpc, Ec2Kinds.LaunchTemplate, NetworkKinds.InternetGateway, NetworkKinds.Address, NetworkKinds.NatGateway })
            foreach (var id in Live(kind))
                Router.Ask<object>(kind, id, new EntityQueries.GetState(), TimeSpan.FromSeconds(5)).Wait();
    }

    private readonly HashSet<(string Kind, string Id)> _touched = [];

    protected void Touch(string kind, string id) => _touched.Add((kind, id));

    private IEnumerable<string> Live(string kind) => _touched.Where(t => t.Kind == kind).Select(t => t.Id).ToImmutableArray();
}
