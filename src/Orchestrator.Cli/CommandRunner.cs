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
public sealed class CommandRunner(ManagementClient client, Output output, IProgressDisplay progress)
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

    private async Task PaletteHelp(string name, OutputOptions options, CancellationToken cancellationToken)
    {
        var palettes = await Palettes(cancellationToken).ConfigureAwait(false);
        var palette = palettes.FirstOrDefault(p => p.Name == name)
            ?? throw CliException.Usage($"unknown palette '{name}' (known: {string.Join(", ", palettes.Select(p => p.Name))})");
        output.Help([palette], options);
    }
}
