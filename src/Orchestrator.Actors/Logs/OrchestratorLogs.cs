using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Logs;

namespace Orchestrator.Actors.Logs;

/// <summary>
/// Where Orchestrator writes its own happenings (health changes, alarm transitions, scaling
/// activities, failovers) so users read what happened and when with the Logs API: log groups under
/// /orchestrator/, created with their streams on first use, each line stamped with simulated time.
/// Like every effect, a line is at most once.
/// </summary>
public static class OrchestratorLogs
{
    public const string Prefix = "/orchestrator/";

    /// <summary>/orchestrator/elb: target health changes, one stream per target group.</summary>
    public const string Elb = Prefix + "elb";

    /// <summary>/orchestrator/alarms: alarm state transitions with their reasons, one stream per alarm.</summary>
    public const string Alarms = Prefix + "alarms";

    /// <summary>A line as an entity's effect, sent once its event is persisted.</summary>
    public static Outbound Line(string region, string accountId, string group, string stream, string message) =>
        new(LogsKinds.LogGroup, group, new LogGroupCommands.Record(group, LogNames.GroupArn(region, accountId, group), stream, message));

    /// <summary>A line from anywhere else (a controller, a palette).</summary>
    public static void Write(EntityServices services, string accountId, string group, string stream, string message)
    {
        var line = Line(services.Region.Current.Region, accountId, group, stream, message);
        services.Router.Tell(line.Kind, line.EntityId, line.Message);
    }
}
