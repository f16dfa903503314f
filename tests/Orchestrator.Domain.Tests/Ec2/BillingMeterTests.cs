using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.InstanceCommands;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class BillingMeterTests
{
    private const string Id = InstanceFixture.InstanceId;
    private const decimal T3Micro = 0.0104m;

    [Theory]
    [InlineData(0, 60)]
    [InlineData(20, 60)]
    [InlineData(60, 60)]
    [InlineData(61, 61)]
    [InlineData(220, 220)]
    [InlineData(3600, 3600)]
    public void Billable_seconds_have_a_one_minute_floor(int runningSeconds, long billed) =>
        Assert.Equal(billed, BillingMeter.BillableSeconds(TimeSpan.FromSeconds(runningSeconds)));

    [Fact]
    public void Partial_seconds_round_up() => Assert.Equal(62, BillingMeter.BillableSeconds(TimeSpan.FromSeconds(61.2)));

    [Fact]
    public void A_20_second_run_bills_60_seconds()
    {
        var instance = RunFor(TimeSpan.FromSeconds(20));
        Assert.Equal(60, instance.State!.BilledSeconds(instance.Now));
        Assert.Equal(60 * T3Micro / 3600, instance.State.CostUsd(instance.Now));
    }

    [Fact]
    public void A_3_minute_40_second_run_bills_exactly_220_seconds()
    {
        var instance = RunFor(TimeSpan.FromSeconds(220));
        Assert.Equal(220, instance.State!.BilledSeconds(instance.Now));
    }

    [Fact]
    public void Pending_stopping_and_stopped_time_is_not_billed()
    {
        var instance = InstanceFixture.New();
        instance.Execute(new Launch(InstanceFixture.Spec()));
        instance.Advance(InstanceTimings.Boot);
        Assert.Equal(60, instance.State!.BilledSeconds(instance.Now)); // the minimum starts with running
        instance.Advance(TimeSpan.FromSeconds(100));
        instance.Execute(new Stop(Id));
        instance.Advance(TimeSpan.FromHours(3));
        Assert.Equal(100, instance.State!.BilledSeconds(instance.Now));
    }

    [Fact]
    public void Each_start_opens_a_new_period_with_its_own_minimum()
    {
        var instance = RunFor(TimeSpan.FromSeconds(30)); // 60
        instance.Advance(InstanceTimings.Stop);
        instance.Execute(new Start(Id));
        instance.Advance(InstanceTimings.Boot + TimeSpan.FromSeconds(100)); // 100
        instance.Execute(new Stop(Id));
        instance.Advance(InstanceTimings.Stop);
        instance.Execute(new Start(Id));
        instance.Advance(InstanceTimings.Boot + TimeSpan.FromSeconds(10)); // still running: 60 so far

        Assert.Equal(220, instance.State!.BilledSeconds(instance.Now));
        instance.Advance(TimeSpan.FromSeconds(90)); // 100 s into the third period
        Assert.Equal(260, instance.State!.BilledSeconds(instance.Now));
    }

    [Fact]
    public void A_reboot_does_not_restart_the_period()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Advance(TimeSpan.FromSeconds(30));
        instance.Execute(new Reboot(Id));
        instance.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(90, instance.State!.BilledSeconds(instance.Now));
    }

    [Fact]
    public void Terminating_ends_the_period()
    {
        var instance = RunFor(TimeSpan.FromSeconds(120), terminate: true);
        instance.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(120, instance.State!.BilledSeconds(instance.Now));
    }

    [Fact]
    public void Each_period_is_priced_at_the_type_it_ran_as()
    {
        var instance = RunFor(TimeSpan.FromHours(1));
        instance.Advance(InstanceTimings.Stop);
        instance.Execute(new ModifyAttribute(Id, InstanceType: "m5.large"));
        instance.Execute(new Start(Id));
        instance.Advance(InstanceTimings.Boot + TimeSpan.FromHours(2));

        Assert.Equal(3 * 3600, instance.State!.BilledSeconds(instance.Now));
        Assert.Equal(T3Micro + (2 * 0.096m), instance.State.CostUsd(instance.Now));
    }

    [Fact]
    public void The_meter_starts_idle_and_ignores_a_stop_without_a_start()
    {
        var now = TestRegion.Epoch;
        Assert.Equal(0, BillingMeter.Idle.BilledSeconds(now));
        Assert.Equal(BillingMeter.Idle, BillingMeter.Idle.EndPeriod(now));
        var running = BillingMeter.Idle.StartPeriod(now, "t3.micro");
        Assert.Equal(running, running.StartPeriod(now.AddSeconds(5), "t3.micro"));
    }

    /// <summary>Runs for the given time after boot, then stops (or terminates) it.</summary>
    private static EntityHarness<Instance, IInstanceCommand, IInstanceEvent> RunFor(TimeSpan running, bool terminate = false)
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        instance.Advance(running);
        instance.Execute(terminate ? new Terminate(Id) : new Stop(Id));
        return instance;
    }
}
