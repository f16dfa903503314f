using Akka;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Region;

namespace Orchestrator.Actors.Region;

/// <summary>
/// Sends commands to the region controller (through its singleton proxy) and applies the state it
/// answers to this node's view at once, so the caller reads its own change.
/// </summary>
public sealed class RegionClient(IActorRef controller, IActorRef view, RegionSnapshot snapshot, TimeProvider wall)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public RegionSnapshot Snapshot => snapshot;

    public DateTimeOffset WallNow => wall.GetUtcNow();

    public async Task<Result<RegionState>> Send(IRegionCommand command, CancellationToken cancellationToken = default)
    {
        var reply = await controller.Ask<object>(command, Timeout, cancellationToken).ConfigureAwait(false);
        switch (reply)
        {
            case EntityReplies.Accepted { State: RegionState state }:
                await view.Ask<Done>(new RegionView.Observed(state), Timeout, cancellationToken).ConfigureAwait(false);
                return state;
            case EntityReplies.Rejected rejected:
                return rejected.Error;
            default:
                throw new InvalidOperationException($"unexpected reply from the region controller: {reply}");
        }
    }
}
