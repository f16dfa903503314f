using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>What the CLI runs against: the real console in Program, writers and fakes in tests.</summary>
public sealed record CliEnvironment(
    Output Output,
    IReadOnlyDictionary<string, string> Variables,
    IProgressDisplay Progress,
    Func<string, Completer, ILineSource> Lines,
    HttpMessageHandler? Handler = null)
{
    public Interruption Interruption { get; init; } = new();

    /// <summary>Plain writers (tests, redirected output): no colours, tables as wide as asked.</summary>
    public static Output WriterOutput(TextWriter @out, TextWriter error, int width = 160)
    {
        var tables = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(@out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        tables.Profile.Width = width;
        return new Output(@out, error, tables);
    }
}

/// <summary>`orch`: parse the arguments, then one command or the interactive prompt.</summary>
public static class OrchCli
{
    public static async Task<int> Run(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var output = environment.Output;
        Invocation? invocation;
        try
        {
            invocation = Invocation.Parse(args, environment.Variables);
        }
        catch (CliException usage)
        {
            output.Error.WriteLine($"orch: {usage.Message}");
            output.Error.WriteLine(Invocation.Usage);
            return usage.ExitCode;
        }
        if (invocation is null)
        {
            output.Out.WriteLine(Invocation.Usage);
            return ExitCodes.Ok;
        }
        using var http = ManagementClient.CreateHttp(invocation.Host, invocation.Token, environment.Handler);
        var runner = new CommandRunner(new ManagementClient(http), output, environment.Progress);
        return invocation.Interactive
            ? await new InteractiveSession(invocation.Host, runner, output, environment.Lines, environment.Interruption).Run(cancellationToken).ConfigureAwait(false)
            : await runner.Run(invocation.Command, invocation.Output, cancellationToken).ConfigureAwait(false);
    }
}
