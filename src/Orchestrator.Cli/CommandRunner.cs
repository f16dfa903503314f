using System.Text.RegularExpressions;
using Orchestrator.Cli.Reports;
using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>Shows that a command is under way while the host works on it.</summary>
public interface IProgressDisplay
{
    Task<T> While<T>(string what, Func<Task<T>> work);
}

/// <summary>For redirected output and tests: no spinner to clean up after.</summary>
public sealed class NoProgress : IProgressDisplay
{
    public Task<T> While<T>(string what, Func<Task<T>> work) => work();
}

/// <summary>A Spectre spinner on standard error, so standard output stays the reply alone.</summary>
public sealed class SpinnerProgress(IAnsiConsole console) : IProgressDisplay
{
    public Task<T> While<T>(string what, Func<Task<T>> work) =>
        console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(what), _ => work());
}

/// <summary>Runs one command line (one-shot or at the prompt): help locally, the rest on the host.</summary>
public sealed partial class CommandRunner(ManagementClient client, Output output, IProgressDisplay progress)
{
    private IReadOnlyList<PaletteInfo>? _palettes;

    /// <summary>Downloaded once: the prompt completes with them, help lists them.</summary>
    public async Task<IReadOnlyList<PaletteInfo>> Palettes(CancellationToken cancellationToken) =>
        _palettes ??= await progress.While("listing commands", () => client.Palettes(cancellationToken)).ConfigureAwait(false);

    public async Task<int> Run(IReadOnlyList<string> tokens, OutputOptions options, CancellationToken cancellationToken)
    {
        try
        {
            switch (tokens)
            {
                case ["help"]:
                    output.Help(await Palettes(cancellationToken).ConfigureAwait(false), options);
                    return ExitCodes.Ok;
                case [var name, "help"]:
                    await PaletteHelp(name, options, cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Ok;
                case ["help", var name]:
                    await PaletteHelp(name, options, cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Ok;
                case [] or [_]:
                    throw CliException.Usage("expected <palette> <command> [arguments] [--switch value] (try 'help')");
            }
            if (DrillReportRequest.From(tokens) is { } drill)
                return await RunWithReport(drill, options, cancellationToken).ConfigureAwait(false);
            var line = CommandLineText.Join(ScenarioUpload.Attach(tokens));
            var reply = await progress.While(line, () => client.Execute(line, cancellationToken)).ConfigureAwait(false);
            output.Reply(reply, options);
            return reply.ExitCode;
        }
        catch (CliException failure)
        {
            output.Error.WriteLine(failure.ExitCode == ExitCodes.Usage ? $"usage: {failure.Message}" : $"error: {failure.Message}");
            return failure.ExitCode;
        }
    }

    /// <summary>How often the region is sampled for the report's curves while a drill runs (wall time).</summary>
    public static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>The command as usual, then the report folder of its drill; the exit code stays the host's (1 when the drill failed).</summary>
    private async Task<int> RunWithReport(DrillReportRequest drill, OutputOptions options, CancellationToken cancellationToken)
    {
        var line = CommandLineText.Join(ScenarioUpload.Attach(drill.HostTokens));
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampling = drill.IsRun ? new RegionSampler(client, SampleEvery).Run(stopSampling.Token) : Task.FromResult<IReadOnlyList<RegionSample>>([]);
        HostReply reply;
        try
        {
            reply = await progress.While(line, () => client.Execute(line, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            await stopSampling.CancelAsync().ConfigureAwait(false);
        }
        var samples = await sampling.ConfigureAwait(false);
        output.Reply(reply, options);
        // A failed drill's answer is an error whose message names it; anything else failing (usage, unknown id) has no report.
        var drillId = drill.IsRun
            ? reply.Ok ? reply.Data?.GetProperty("drillId").GetString() : FailedDrill().Match(reply.ErrorMessage ?? "") is { Success: true } m ? m.Groups[1].Value : null
            : reply.Ok ? drill.HostTokens[2] : null;
        if (drillId is null)
            return reply.ExitCode;
        var report = await client.Execute(CommandLineText.Join(["drill", "report", drillId]), cancellationToken).ConfigureAwait(false);
        var faults = await client.Execute("chaos list", cancellationToken).ConfigureAwait(false);
        if (report.Data is not { } data)
            throw new CliException(ExitCodes.CommandFailed, $"cannot report drill {drillId}: {report.ErrorMessage ?? report.Text}");
        var record = DrillRecord.From(data, faults.Data, samples);
        var folder = ReportWriter.FolderFor(record, drill.OutDirectory);
        ReportWriter.Write(record, folder);
        output.Error.WriteLine($"report written to {folder}");
        return reply.ExitCode;
    }

    [GeneratedRegex(@"^drill (\S+) failed")]
    private static partial Regex FailedDrill();

    private async Task PaletteHelp(string name, OutputOptions options, CancellationToken cancellationToken)
    {
        var palettes = await Palettes(cancellationToken).ConfigureAwait(false);
        var palette = palettes.FirstOrDefault(p => p.Name == name)
            ?? throw CliException.Usage($"unknown palette '{name}' (known: {string.Join(", ", palettes.Select(p => p.Name))})");
        output.Help([palette], options);
    }
}
