using Orchestrator.Actors.Management;
using Orchestrator.Domain.Rds;

namespace Orchestrator.Actors.Rds;

/// <summary>
/// The `db` palette: a DB instance's placement and status as drills watch them, reads and writes
/// through its endpoint (the database contents), and an injected failure of its primary host.
/// </summary>
public sealed class RdsPalette(RdsService rds, Func<Orchestrator.Domain.Region.RegionStatus> region) : ICommandPalette
{
    public sealed record InstanceRow(
        string DbInstanceIdentifier, string Status, bool MultiAz, string Endpoint, string PrimaryZone, string? StandbyZone,
        string? FailingOverTo, bool Serving, string? Reason, int Keys);

    public string Name => "db";

    public string Description => "RDS DB instances: placement, the database contents, injected failures";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("show", "db show <db-instance-id>", "status, endpoint, primary and standby zones, and whether the endpoint serves", []),
        new("put", "db put <db-instance-id> <key> <value>", "write a key through the endpoint (acknowledged once durable)", []),
        new("get", "db get <db-instance-id> <key>", "read a key through the endpoint", []),
        new("failover", "db failover <db-instance-id>", "fail the primary host: Multi-AZ fails over to the standby, Single-AZ restarts", []),
    ];

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        var id = request.Argument(0, "db-instance-id");
        switch (request.Command)
        {
            case "put":
                var put = await rds.Put(id, request.Argument(1, "key"), request.Argument(2, "value"), cancellationToken).ConfigureAwait(false);
                return put.IsError ? CommandResponse.Failure(put.Error!) : CommandResponse.Success(new { put.Value.Id, Key = request.Arguments[1] }, "ok");
            case "get":
                var got = await rds.Get(id, request.Argument(1, "key"), cancellationToken).ConfigureAwait(false);
                return got.IsError
                    ? CommandResponse.Failure(got.Error!)
                    : CommandResponse.Success(got.Value, $"{got.Value.Value ?? "(no value)"}  (served from {got.Value.ServedFromZone})");
            case "failover":
                var failed = await rds.InjectFailure(id, cancellationToken).ConfigureAwait(false);
                return failed.IsError ? CommandResponse.Failure(failed.Error!) : Show(failed.Value);
            default:
                var state = await rds.State(id, cancellationToken).ConfigureAwait(false);
                return state.IsError ? CommandResponse.Failure(state.Error!) : Show(state.Value);
        }
    }

    private CommandResponse Show(DbInstance db)
    {
        var why = db.WhyNotServing(region());
        var row = new InstanceRow(db.Id, db.Status, db.MultiAz, db.Endpoint, db.PrimaryZone, db.StandbyZone, db.Failover?.ToZone, why is null, why, db.Data.Count);
        var standby = db.MultiAz ? db.StandbyZone ?? $"none (awaiting {db.AwaitedStandbyZone})" : "none (Single-AZ)";
        return CommandResponse.Success(row,
            $"{db.Id}  {db.Status}  {db.Endpoint} -> primary {db.PrimaryZone}, standby {standby}\n" +
            (why is null ? "serving" : $"not serving: {why}") + $"; {db.Data.Count} keys");
    }
}
