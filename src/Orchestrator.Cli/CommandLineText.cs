using Orchestrator.Domain.Common;

namespace Orchestrator.Cli;

/// <summary>
/// Splits and joins command lines with the host's quoting rules (whitespace separates, '…' or "…"
/// group), so what a shell or the prompt split arrives at the host as the same tokens.
/// </summary>
public static class CommandLineText
{
    public static IReadOnlyList<string> Split(string line)
    {
        try
        {
            return CommandLineTokens.Split(line);
        }
        catch (FormatException malformed)
        {
            throw CliException.Usage(malformed.Message);
        }
    }

    public static string Join(IEnumerable<string> tokens) => string.Join(' ', tokens.Select(Quote));

    private static string Quote(string token)
    {
        if (token.Length > 0 && !token.Any(c => char.IsWhiteSpace(c) || c is '"' or '\''))
            return token;
        if (!token.Contains('"'))
            return $"\"{token}\"";
        if (!token.Contains('\''))
            return $"'{token}'";
        throw CliException.Usage($"an argument cannot hold both kinds of quotes: {token}");
    }
}
