using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Tests;

/// <summary>Runs commands through a behaviour the way the actor shell does: decide, then evolve each event in order.</summary>
internal sealed class EntityHarness<TState, TCommand, TEvent>(IEntityBehavior<TState, TCommand, TEvent> behavior)
    where TState : class
{
    public TState? State { get; private set; }
    public DateTimeOffset Now { get; set; } = TestRegion.Epoch;
    public RegionStatus Region { get; set; } = TestRegion.AllAvailable;
    public List<TEvent> History { get; } = [];

    public Result<IReadOnlyList<TEvent>> Decide(TCommand command) => behavior.Decide(State, command, new DecisionContext(Now, Region));

    public IReadOnlyList<TEvent> Execute(TCommand command)
    {
        var result = Decide(command);
        if (result.IsError)
            Assert.Fail($"{command} was refused: {result.Error}");
        Apply(result.Value);
        return result.Value;
    }

    public AwsError Refuse(TCommand command)
    {
        var result = Decide(command);
        if (!result.IsError)
            Assert.Fail($"{command} was accepted with {result.Value.Count} event(s)");
        return result.Error!;
    }

    public void Apply(IEnumerable<TEvent> events)
    {
        foreach (var @event in events)
        {
            State = behavior.Evolve(State, @event);
            History.Add(@event);
        }
    }

    /// <summary>
    /// Moves sim time on, firing every one-off deadline that falls due on the way, as the scheduler
    /// would. Recurring deadlines (probe rounds) are gathered by the shell: tests feed their results.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        var until = Now + by;
        while (behavior.Deadlines(State).Where(d => d.Every is null && d.At <= until).OrderBy(d => d.At).FirstOrDefault() is { } due)
        {
            Now = due.At > Now ? due.At : Now;
            Assert.NotEmpty(Execute(due.Command)); // a due deadline that changes nothing would fire forever
        }
        Now = until;
    }
}
