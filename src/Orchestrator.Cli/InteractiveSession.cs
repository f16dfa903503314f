namespace Orchestrator.Cli;

/// <summary>
/// `orch host:port`: downloads the palettes, then reads command lines until exit, quit or the end
/// of input. A failed or interrupted command is reported and the prompt goes on; the session itself
/// ends with 0 unless the host could not be reached at the start.
/// </summary>
public sealed class InteractiveSession(Uri host, CommandRunner runner, Output output, Func<string, Completer, ILineSource> lines, Interruption interruption)
{
    public async Task<int> Run(CancellationToken cancellationToken)
    {
        IReadOnlyList<PaletteInfo> palettes;
        try
        {
            palettes = await runner.Palettes(cancellationToken).ConfigureAwait(false);
        }
        catch (CliException failure)
        {
            output.Error.WriteLine($"error: {failure.Message}");
            return failure.ExitCode;
        }
        output.Out.WriteLine($"connected to {host.Authority}: {string.Join(", ", palettes.Select(p => p.Name))}");
        output.Out.WriteLine("'help' lists the commands, Tab completes, 'exit' leaves");
        var source = lines($"{host.Authority}> ", new Completer(palettes));
        while (!cancellationToken.IsCancellationRequested && source.ReadLine() is { } line)
        {
            IReadOnlyList<string> tokens;
            try
            {
                tokens = CommandLineText.Split(line);
            }
            catch (CliException usage)
            {
                output.Error.WriteLine($"usage: {usage.Message}");
                continue;
            }
            if (tokens is ["exit"] or ["quit"])
                break;
            if (tokens.Count == 0)
                continue;
            var (command, options, _) = Invocation.TakeOptions(tokens, allowToken: false);
            using var inFlight = interruption.BeginCommand(cancellationToken);
            try
            {
                await runner.Run(command, options, inFlight.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                output.Error.WriteLine("interrupted");
            }
            finally
            {
                interruption.EndCommand(inFlight);
            }
        }
        return ExitCodes.Ok;
    }
}
