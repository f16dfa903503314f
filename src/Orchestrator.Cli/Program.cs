using System.Collections;
using Spectre.Console;

namespace Orchestrator.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C abandons the command in flight; a second one ends the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var output = Console.IsOutputRedirected
            ? CliEnvironment.WriterOutput(Console.Out, Console.Error)
            : new Output(Console.Out, Console.Error, AnsiConsole.Console);
        // The spinner goes to standard error, and only to a terminal: pipes get the reply alone.
        IProgressDisplay progress = Console.IsErrorRedirected || Console.IsOutputRedirected
            ? new NoProgress()
            : new SpinnerProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));
        var environment = new CliEnvironment(output, variables, progress, (prompt, completer) => Console.IsInputRedirected
            ? new ReaderLineSource(Console.In)
            : new LineEditor(new ConsoleKeySource(), Console.Out, prompt, completer));
        try
        {
            return await OrchCli.Run(args, environment, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("orch: cancelled").ConfigureAwait(false);
            return ExitCodes.CommandFailed;
        }
    }
}
