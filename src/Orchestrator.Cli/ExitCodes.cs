namespace Orchestrator.Cli;

/// <summary>
/// What `orch` exits with, so scripts (and a Kubernetes preStop hook) can tell a refused command
/// from a mistyped one and from a node that is not there (yet).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The host answered with an error (AWS-style code and message).</summary>
    public const int CommandFailed = 1;

    /// <summary>Bad arguments, unknown palette or command, a missing argument, or a missing or refused token.</summary>
    public const int Usage = 2;

    /// <summary>No answer: nothing listens at host:port, the request timed out, or the node is still starting (503).</summary>
    public const int Unreachable = 3;
}

/// <summary>A failure that ends the command with a known exit code and a message for people.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
