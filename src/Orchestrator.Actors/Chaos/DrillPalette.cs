using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Chaos;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Chaos;

/// <summary>
/// The `drill` palette: run a scenario (YAML; orch sends the file's content in --scenario, base64:
/// the node never reads files a caller names), list drills, and report one step by step with
/// simulated timestamps and observed values. A scenario that does not parse is a usage error.
/// </summary>
public sealed class DrillPalette(EntityServices services, Action<CommandHost> attach) : IHostedPalette
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>The switch orch fills with the scenario file's content (base64), so the file needs to exist only where orch runs.</summary>
    public const string ScenarioSwitch = "scenario";

    public sealed record DrillRow(string DrillId, string Name, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

    public sealed record DrillsReport(ImmutableArray<DrillRow> Drills);

    public sealed record ReportRow(int Step, DateTimeOffset At, string What, string Result, string? Observed);

    public sealed record DrillReport(string DrillId, string Name, string Status, int Seed, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, ImmutableArray<ReportRow> Steps);

    public string Name => "drill";

    public string Description => "run drills (scenarios as code with expectations) in simulated time and report them";

    public IReadOnlyList<CommandDefinition> Commands { get; } =
    [
        new("run", "drill run <scenario.yaml> [--speed x] [--seed n] [--wait]", "start a drill (with --wait: answer when it has finished, failing if it failed)", ["speed", "seed", "wait", ScenarioSwitch]),
        new("list", "drill list", "drills, running and finished", []),
        new("report", "drill report <drill-id>", "each step with its simulated time, pass or fail and the observed value", []),
    ];

    private CommandHost? _host;

    public void Attach(CommandHost host)
    {
        _host = host;
        attach(host);
    }

    public async Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        switch (request.Command)
        {
            case "list":
                var drills = (await services.Index.List(ChaosKinds.Drill, services.Region.Current.Generation).ConfigureAwait(false)).OfType<DrillRun>()
                    .OrderBy(d => d.StartedAt).Select(d => new DrillRow(d.DrillId, d.Name, Status(d), d.StartedAt, d.FinishedAt)).ToImmutableArray();
                return CommandResponse.Success(new DrillsReport(drills),
                    drills.IsEmpty ? "no drills" : string.Join('\n', drills.Select(d => $"{d.DrillId} {d.Name,-24} {d.Status,-8} started {d.StartedAt:u}")));
            case "report":
                var found = await Get(request.Argument(0, "drill-id"), cancellationToken).ConfigureAwait(false);
                return found is null ? CommandResponse.Failure(NotFound(request.Arguments[0])) : Report(found);
            default:
                return await Run(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CommandResponse> Run(CommandRequest request, CancellationToken cancellationToken)
    {
        var text = ScenarioText(request);
        Scenario scenario;
        try
        {
            scenario = Scenario.Parse(text);
        }
        catch (FormatException invalid)
        {
            throw new CommandUsageException(invalid.Message);
        }
        int? seed = request.Switch("seed") is { } seedText
            ? int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : throw new CommandUsageException($"--seed must be an integer, got '{seedText}'")
            : null;
        var speed = request.Switch("speed")?.TrimEnd('x') ?? scenario.Speed?.ToString(CultureInfo.InvariantCulture);
        if (speed is not null)
        {
            if (!double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale <= 0)
                throw new CommandUsageException($"--speed must be a positive number, got '{speed}'");
            // The scenario's time scale is the cluster's from now on, as `sim speed` sets it.
            var host = _host ?? throw new InvalidOperationException("the drill palette is not attached to a command host");
            var set = await host.Execute(CommandRequest.Parse($"sim speed {scale.ToString(CultureInfo.InvariantCulture)}"), cancellationToken).ConfigureAwait(false);
            if (!set.Ok)
                return set;
        }
        var drillId = AwsIds.New("drill");
        var reply = await services.Router.Ask<object>(ChaosKinds.Drill, drillId, new DrillCommands.Start(drillId, text, seed), Timeout, cancellationToken).ConfigureAwait(false);
        if (reply is EntityReplies.Rejected rejected)
            return CommandResponse.Failure(rejected.Error);
        var drill = reply is EntityReplies.Accepted { State: DrillRun started } ? started : throw new InvalidOperationException($"unexpected reply from drill {drillId}: {reply}");
        if (request.Switch("wait") is not "true")
            return Report(drill);
        while (!drill.IsFinished)
        {
            await Task.Delay(WaitPoll, cancellationToken).ConfigureAwait(false);
            drill = await Get(drillId, cancellationToken).ConfigureAwait(false) ?? drill;
        }
        var report = Report(drill);
        return drill.Passed == true ? report : CommandResponse.Failure(new AwsError("DrillFailed", $"drill {drillId} failed\n{report.Text}"));
    }

    private static string ScenarioText(CommandRequest request)
    {
        var encoded = request.Switch(ScenarioSwitch)
            ?? throw new CommandUsageException($"missing --{ScenarioSwitch} <base64 of the YAML> (orch sends the file named after run; over HTTP, send it yourself)");
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw new CommandUsageException($"--{ScenarioSwitch} must be the scenario file's content in base64");
        }
    }

    private async Task<DrillRun?> Get(string drillId, CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(ChaosKinds.Drill, drillId, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Accepted { State: DrillRun drill } ? drill : null;
    }

    private static AwsError NotFound(string drillId) => new("DrillNotFound", $"no drill {drillId} (see drill list)");

    private static string Status(DrillRun drill) => drill.Passed switch
    {
        true => "passed",
        false => "failed",
        null => "running",
    };

    public static CommandResponse Report(DrillRun drill)
    {
        var rows = ImmutableArray.CreateBuilder<ReportRow>();
        foreach (var step in drill.Steps)
        {
            if (step.Action is { } action)
                rows.Add(new ReportRow(step.Index + 1, step.ActedAt ?? step.DueAt, action, step.ActionOk switch { true => "ok", false => "failed", null => "pending" },
                    step.ActionOk == false ? step.ActionOutput : null));
            foreach (var outcome in step.Expectations)
                rows.Add(new ReportRow(step.Index + 1, outcome.SettledAt ?? outcome.DeadlineAt ?? step.DueAt, "expect " + outcome.Expectation.Text,
                    outcome.Passed switch { true => "PASS", false => "FAIL", null => "pending" }, outcome.Passed is null ? null : outcome.Observed ?? "not found"));
        }
        var report = new DrillReport(drill.DrillId, drill.Name, Status(drill), drill.Seed, drill.StartedAt, drill.FinishedAt, rows.ToImmutable());
        var text = new StringBuilder($"drill {drill.DrillId} ({drill.Name}) {report.Status}, started {drill.StartedAt:u}{(drill.FinishedAt is { } f ? $", finished {f:u}" : "")}, seed {drill.Seed}");
        foreach (var row in report.Steps)
            text.Append(CultureInfo.InvariantCulture, $"\n  {row.Step,2} +{SimDuration.Format(row.At - drill.StartedAt),-8} {row.Result,-7} {row.What}{(row.Observed is { } o ? $" (observed {o})" : "")}");
        return CommandResponse.Success(report, text.ToString());
    }
}
