namespace Orchestrator.Cli;

/// <summary>
/// Ctrl+C at the prompt abandons the command in flight, not the session (at the prompt itself the
/// line editor reads it as a key). With no command in flight it is the session's to end.
/// </summary>
public sealed class Interruption
{
    private CancellationTokenSource? _command;

    public CancellationTokenSource BeginCommand(CancellationToken session)
    {
        var command = CancellationTokenSource.CreateLinkedTokenSource(session);
        Volatile.Write(ref _command, command);
        return command;
    }

    public void EndCommand(CancellationTokenSource command) => Interlocked.CompareExchange(ref _command, null, command);

    /// <summary>True when a command was in flight and is now cancelled.</summary>
    public bool InterruptCommand()
    {
        var command = Interlocked.Exchange(ref _command, null);
        if (command is null)
            return false;
        command.Cancel();
        return true;
    }
}
