using System.Text.RegularExpressions;

namespace Orchestrator.Cli;

/// <summary>How a reply is shown: Spectre tables where the data has rows, the host's text, or its raw data.</summary>
public sealed record OutputOptions(bool Json, bool Plain)
{
    public static readonly OutputOptions Default = new(false, false);
}

/// <summary>
/// `orch &lt;host:port&gt; [&lt;palette&gt; &lt;command&gt; [args] [--switch value]]` with the CLI's own options
/// (--json, --plain, --token) taken out wherever they stand; no command means the interactive prompt.
/// </summary>
public sealed partial record Invocation(Uri Host, string? Token, OutputOptions Output, IReadOnlyList<string> Command)
{
    public const string TokenVariable = "ORCH_MANAGEMENT_TOKEN";

    public const string Usage = """
        usage: orch <host:port> [<palette> <command> [arguments] [--switch value]] [--json] [--plain] [--token <t>]
          orch <host:port>                      interactive prompt (history, tab completion)
          orch <host:port> help                 every palette and its commands
          orch <host:port> <palette> help       one palette's commands with their usage (or: help <palette>)
          --json    print the reply's raw data (for scripts)
          --plain   print the host's text instead of tables
          --token   the management token (or ORCH_MANAGEMENT_TOKEN), needed off loopback
        exit codes: 0 ok, 1 the command failed, 2 usage, 3 host unreachable or starting
        """;

    public bool Interactive => Command.Count == 0;

    /// <summary>Null for `orch --help` or `orch host:port --help` (show the usage and succeed); throws a usage error otherwise.</summary>
    public static Invocation? Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        if (args.Count is 1 or 2 && args[^1] is "-h" or "--help")
            return null;
        var (rest, output, token) = TakeOptions(args, allowToken: true);
        if (rest.Count == 0)
            throw CliException.Usage("expected <host:port> first");
        token ??= environment.TryGetValue(TokenVariable, out var fromEnvironment) && fromEnvironment.Length > 0 ? fromEnvironment : null;
        return new Invocation(ParseHost(rest[0]), token, output, [.. rest.Skip(1)]);
    }

    /// <summary>Takes the CLI's options out of a command line; the prompt uses it too, without --token.</summary>
    public static (IReadOnlyList<string> Command, OutputOptions Output, string? Token) TakeOptions(IReadOnlyList<string> tokens, bool allowToken)
    {
        var rest = new List<string>();
        var (json, plain) = (false, false);
        string? token = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--plain":
                    plain = true;
                    break;
                case "--token" when allowToken:
                    token = i + 1 < tokens.Count ? tokens[++i] : throw CliException.Usage("--token needs a value");
                    break;
                case var option when allowToken && option.StartsWith("--token=", StringComparison.Ordinal):
                    token = option["--token=".Length..];
                    break;
                default:
                    rest.Add(tokens[i]);
                    break;
            }
        }
        return (rest, new OutputOptions(json, plain), token);
    }

    /// <summary>host:port (an explicit port, so a palette name in first place is caught), or an http(s) URL.</summary>
    public static Uri ParseHost(string value)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : $"http://{value}";
        if (!ExplicitPort().IsMatch(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw CliException.Usage($"expected <host:port> first, got '{value}'");
        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    [GeneratedRegex(@"^https?://[^/]+:\d+/?$")]
    private static partial Regex ExplicitPort();
}
