using System.Diagnostics;
using System.Text;

namespace Orchestrator.Terraform.Tests;

/// <summary>What one external command did: its exit code (-1 when it timed out) and its output.</summary>
public sealed record CommandResult(string Command, int Code, string Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut = false)
{
    public bool Succeeded => Code == 0 && !TimedOut;

    public static CommandResult NotRun(string command, string why) => new(command, -1, "", why, TimeSpan.Zero);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"$ {Command}");
        text.AppendLine(TimedOut ? $"-> TIMED OUT after {Elapsed.TotalSeconds:F0} s" : $"-> exit {Code} after {Elapsed.TotalSeconds:F1} s");
        // stderr first: terraform writes its errors there, after a long plan on stdout.
        if (Stderr.Length > 0)
            text.AppendLine("--- stderr ---").AppendLine(Tail(Stderr, 20_000));
        if (Stdout.Length > 0)
            text.AppendLine("--- stdout ---").AppendLine(Tail(Stdout, 40_000));
        return text.ToString();
    }

    public static string Tail(string text, int max) => text.Length <= max ? text : "[...]\n" + text[^max..];
}

/// <summary>Runs a program to completion or a timeout, capturing both streams.</summary>
public static class CommandRunner
{
    public static async Task<CommandResult> Run(string program, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var command = string.Join(' ', [program, .. info.ArgumentList]);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(command, -1, "", $"could not start {program}: {e.Message}", watch.Elapsed);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.WaitForExit(); // drains the asynchronous readers
        string Text(StringBuilder b) { lock (b) return b.ToString(); }
        return new CommandResult(command, timedOut ? -1 : process.ExitCode, Text(stdout), Text(stderr), watch.Elapsed, timedOut);
    }
}
