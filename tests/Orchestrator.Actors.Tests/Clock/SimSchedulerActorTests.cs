using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Orchestrator.Actors.Clock;
using Orchestrator.Domain.Time;

namespace Orchestrator.Actors.Tests.Clock;

/// <summary>
/// The node's simulated scheduler against Akka's TestScheduler and a manual wall clock: deadlines
/// fire at their simulated instant, and follow changes of scale and pauses.
/// </summary>
public sealed class SimSchedulerActorTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(
    """akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit" """))
{
    private static readonly DateTimeOffset Wall0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualWallClock _wall = new(Wall0);

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private (SimClock Clock, IActorRef Actor) Start(double scale)
    {
        var clock = new SimClock(SimClockParameters.StartingAt(Wall0, scale), _wall);
        return (clock, Sys.ActorOf(Props.Create(() => new SimSchedulerActor(clock))));
    }

    /// <summary>Lets the scheduler actor process what it was told before the test moves time (Identify is answered in mailbox order).</summary>
    private static void Drain(IActorRef actor) => actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    private void Wait(TimeSpan wall)
    {
        _wall.Advance(wall);
        Scheduler.Advance(wall);
    }

    [Fact]
    public void Deadline_fires_when_simulated_time_reaches_it_at_the_scale_in_force()
    {
        var (_, scheduler) = Start(scale: 10);
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline("owner", "boot", Wall0.AddSeconds(60), TestActor, "due"));
        Drain(scheduler);

        Wait(TimeSpan.FromSeconds(5.9));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Wait(TimeSpan.FromSeconds(0.1));
        ExpectMsg("due");
    }

    [Fact]
    public void Speeding_up_re_arms_pending_deadlines_at_the_new_scale()
    {
        var (clock, scheduler) = Start(scale: 1);
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline("owner", "cooldown", Wall0.AddSeconds(300), TestActor, "cooled"));
        Drain(scheduler);
        Wait(TimeSpan.FromSeconds(100));

        clock.Update(clock.Parameters.WithScale(100, _wall.GetUtcNow()));
        scheduler.Tell(new SimSchedulerActor.ClockChanged(clock.Parameters));
        Drain(scheduler);

        // 200 simulated seconds remain: 2 wall seconds at x100, not 200.
        Wait(TimeSpan.FromSeconds(1.9));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Wait(TimeSpan.FromSeconds(0.1));
        ExpectMsg("cooled");
    }

    [Fact]
    public void Paused_clock_holds_deadlines_until_it_resumes()
    {
        var (clock, scheduler) = Start(scale: 1);
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline("owner", "k", Wall0.AddSeconds(10), TestActor, "fired"));
        Drain(scheduler);
        Wait(TimeSpan.FromSeconds(4));
        clock.Update(clock.Parameters.Pause(_wall.GetUtcNow()));
        scheduler.Tell(new SimSchedulerActor.ClockChanged(clock.Parameters));
        Drain(scheduler);

        Wait(TimeSpan.FromMinutes(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        clock.Update(clock.Parameters.Resume(_wall.GetUtcNow()));
        scheduler.Tell(new SimSchedulerActor.ClockChanged(clock.Parameters));
        Drain(scheduler);
        Wait(TimeSpan.FromSeconds(6));
        ExpectMsg("fired");
    }

    [Fact]
    public void Rescheduling_a_key_replaces_it_and_cancelling_an_owner_drops_its_deadlines()
    {
        var (_, scheduler) = Start(scale: 1);
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline("a", "k", Wall0.AddSeconds(5), TestActor, "first"));
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline("a", "k", Wall0.AddSeconds(8), TestActor, "second"));
        scheduler.Tell(new SimSchedulerActor.ScheduleDeadline("b", "k", Wall0.AddSeconds(6), TestActor, "other-owner"));
        scheduler.Tell(new SimSchedulerActor.CancelOwner("b"));
        Drain(scheduler);

        Wait(TimeSpan.FromSeconds(7));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Wait(TimeSpan.FromSeconds(1));
        ExpectMsg("second");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    private sealed class ManualWallClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
