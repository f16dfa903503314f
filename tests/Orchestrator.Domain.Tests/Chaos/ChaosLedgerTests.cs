using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Tests.Chaos;

public sealed class ChaosLedgerTests
{
    private readonly EntityHarness<ChaosLedger, IChaosCommand, IChaosEvent> _ledger = new(ChaosBehavior.Instance);

    [Fact]
    public void An_outage_with_a_duration_is_a_fault_with_its_restore_deadline()
    {
        var events = _ledger.Execute(new ChaosCommands.AzOutage("us-east-1a", OutageMode.Network, TimeSpan.FromMinutes(10)));

        var fault = Assert.IsType<ChaosEvents.FaultInjected>(Assert.Single(events)).Fault;
        Assert.Equal(("EXP00000000000001", FaultKinds.AzOutage, "us-east-1a", OutageMode.Network), (fault.FaultId, fault.Kind, fault.Target, fault.Mode));
        Assert.Equal(TestRegion.Epoch, fault.StartedAt);
        var deadline = Assert.Single(ChaosBehavior.Instance.Deadlines(_ledger.State));
        Assert.Equal(TestRegion.Epoch.AddMinutes(10), deadline.At);
        Assert.Equal(new ChaosCommands.Expire(fault.FaultId), deadline.Command);
    }

    [Fact]
    public void The_deadline_ends_the_fault_only_once_it_is_due()
    {
        var fault = ((ChaosEvents.FaultInjected)_ledger.Execute(new ChaosCommands.AzOutage("us-east-1a", OutageMode.Power, TimeSpan.FromMinutes(10)))[0]).Fault;

        _ledger.Now = TestRegion.Epoch.AddMinutes(9);
        Assert.Empty(_ledger.Execute(new ChaosCommands.Expire(fault.FaultId)));
        _ledger.Now = TestRegion.Epoch.AddMinutes(10);
        var ended = Assert.IsType<ChaosEvents.FaultEnded>(Assert.Single(_ledger.Execute(new ChaosCommands.Expire(fault.FaultId))));

        Assert.Equal((TestRegion.Epoch.AddMinutes(10), ChaosBehavior.EndedByDuration), (ended.At, ended.Reason));
        Assert.False(_ledger.State!.Find(fault.FaultId)!.IsActive);
        Assert.Empty(ChaosBehavior.Instance.Deadlines(_ledger.State));
    }

    [Fact]
    public void A_second_outage_of_the_same_zone_is_refused_until_restored()
    {
        _ledger.Execute(new ChaosCommands.AzOutage("us-east-1a", OutageMode.Power, null));

        Assert.Contains("already active", _ledger.Refuse(new ChaosCommands.AzOutage("us-east-1a", OutageMode.Power, null)).Message);
        var restored = Assert.IsType<ChaosEvents.FaultEnded>(Assert.Single(_ledger.Execute(new ChaosCommands.AzRestore("us-east-1a"))));
        Assert.Equal(ChaosBehavior.EndedByRestore, restored.Reason);
        Assert.Single(_ledger.Execute(new ChaosCommands.AzOutage("us-east-1a", OutageMode.Power, null)));
        Assert.Equal(2, _ledger.State!.Faults.Count);
    }

    [Fact]
    public void Unknown_zones_and_restores_without_an_outage_are_refused()
    {
        Assert.Equal("InvalidParameterValue", _ledger.Refuse(new ChaosCommands.AzOutage("eu-west-1a", OutageMode.Power, null)).Code);
        Assert.Contains("no chaos outage", _ledger.Refuse(new ChaosCommands.AzRestore("us-east-1b")).Message);
    }

    [Fact]
    public void A_kill_is_recorded_and_ends_at_once()
    {
        var events = _ledger.Execute(new ChaosCommands.KillInstances("web", ["i-1", "i-2"], 7));

        Assert.Equal(2, events.Count);
        var fault = _ledger.State!.Faults.Single();
        Assert.Equal((FaultKinds.KillInstances, 7, ChaosBehavior.EndedAtOnce), (fault.Kind, fault.Seed, fault.EndReason));
        Assert.Equal(new[] { "i-1", "i-2" }, fault.Instances.ToArray());
    }

    [Theory]
    [InlineData(1.5, 0)]
    [InlineData(-0.1, 0)]
    [InlineData(0.1, -1)]
    public void An_impairment_out_of_range_is_refused(double errorRate, int latencySeconds) =>
        Assert.Equal("InvalidParameterValue", _ledger.Refuse(new ChaosCommands.ImpairApp("web", ["i-1"], errorRate, TimeSpan.FromSeconds(latencySeconds), null)).Code);

    [Fact]
    public void Victims_are_chosen_by_the_seed_and_the_same_seed_chooses_the_same()
    {
        string[] instances = ["i-a", "i-b", "i-c", "i-d", "i-e", "i-f"];

        var first = ChaosTargets.Choose(instances, 2, null, 42).Value;
        Assert.Equal(first.ToArray(), ChaosTargets.Choose([.. instances.Reverse()], 2, null, 42).Value.ToArray());
        Assert.Equal(2, first.Length);
        Assert.All(first, id => Assert.Contains(id, instances));
        Assert.Contains(Enumerable.Range(0, 20), seed => !ChaosTargets.Choose(instances, 2, null, seed).Value.SequenceEqual(first));
        Assert.Equal(3, ChaosTargets.Choose(instances, null, 50, 1).Value.Length);
        Assert.Single(ChaosTargets.Choose(instances, null, 1, 1).Value);
        Assert.Equal("InvalidParameterCombination", ChaosTargets.Choose(instances, 1, 50, 1).Error!.Code);
    }
}
