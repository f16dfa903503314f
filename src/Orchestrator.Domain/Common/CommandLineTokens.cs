using System.Text;

namespace Orchestrator.Domain.Common;

/// <summary>
/// The management grammar's quoting, shared by the command host and the orch CLI so a line splits
/// the same on both sides: whitespace separates, '…' or "…" group (quotes removed).
/// </summary>
public static class CommandLineTokens
{
    /// <summary>The tokens of a line; a FormatException for an unterminated quote.</summary>
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
            {
                (quote, inToken) = (c, true);
            }
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
            throw new FormatException("unterminated quote");
        if (inToken)
            tokens.Add(current.ToString());
        return tokens;
    }
}
