using System.Collections;
using Spectre.Console;

namespace Orchestrator.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        var interruption = new Interruption();
        Console.CancelKeyPress += (_, e) =>
        {
            // At the prompt Ctrl+C abandons the command in flight; otherwise the first one ends orch
            // gracefully and a second one at once.
            if (interruption.InterruptCommand())
            {
                e.Cancel = true;
                return;
            }
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
            : new LineEditor(new ConsoleKeySource(), Console.Out, prompt, completer)) { Interruption = interruption };
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
