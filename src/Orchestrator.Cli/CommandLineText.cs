using System.Text;

namespace Orchestrator.Cli;

/// <summary>
/// Splits and joins command lines with the host's quoting rules (whitespace separates, '…' or "…"
/// group), so what a shell or the prompt split arrives at the host as the same tokens.
/// </summary>
public static class CommandLineText
{
    public static IReadOnlyList<string> Split(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var inToken = false;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
            }
            else if (c is '"' or '\'')
                (quote, inToken) = (c, true);
            else if (char.IsWhiteSpace(c))
            {
                if (inToken) tokens.Add(current.ToString());
                current.Clear();
                inToken = false;
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }
        if (quote is not null)
            throw CliException.Usage("unterminated quote");
        if (inToken)
            tokens.Add(current.ToString());
        return tokens;
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
