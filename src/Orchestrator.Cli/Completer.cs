namespace Orchestrator.Cli;

/// <summary>The word under the cursor starts at ReplaceFrom; any candidate may replace it.</summary>
public sealed record Completion(int ReplaceFrom, IReadOnlyList<string> Candidates);

/// <summary>
/// Completes the prompt's words from the palettes the host listed: palettes (and the prompt's own
/// words) first, then the palette's commands (or, after help, the palettes), then the command's
/// switches not typed yet.
/// </summary>
public sealed class Completer(IReadOnlyList<PaletteInfo> palettes)
{
    public static readonly IReadOnlyList<string> PromptWords = ["help", "exit", "quit"];

    private static readonly string[] OutputSwitches = ["--json", "--plain"];

    public Completion Complete(string beforeCursor)
    {
        var start = beforeCursor.Length;
        while (start > 0 && !char.IsWhiteSpace(beforeCursor[start - 1]))
            start--;
        var word = beforeCursor[start..];
        var previous = beforeCursor[..start].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var palette = previous.Length > 0 ? palettes.FirstOrDefault(p => p.Name == previous[0]) : null;
        var candidates = previous.Length switch
        {
            0 => palettes.Select(p => p.Name).Concat(PromptWords).Where(c => c.StartsWith(word, StringComparison.Ordinal)),
            1 when previous[0] == "help" => palettes.Select(p => p.Name).Where(c => c.StartsWith(word, StringComparison.Ordinal)),
            1 => palette is null ? [] : palette.Commands.Select(c => c.Name).Append("help").Where(c => c.StartsWith(word, StringComparison.Ordinal)),
            _ => Switches(palette?.Commands.FirstOrDefault(c => c.Name == previous[1]), previous, word),
        };
        return new Completion(start, [.. candidates.Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>Only where a switch may start (an empty word or a dash): other words are arguments we cannot know.</summary>
    private static IEnumerable<string> Switches(CommandInfo? command, string[] previous, string word)
    {
        if (command is null || (word.Length > 0 && word[0] != '-'))
            return [];
        var typed = previous.Where(t => t.StartsWith('-')).Select(t => t.TrimStart('-')).ToHashSet(StringComparer.Ordinal);
        var name = word.TrimStart('-');
        return command.Switches.Where(s => !typed.Contains(s) && s.StartsWith(name, StringComparison.Ordinal)).Select(PaletteInfo.SwitchForm)
            .Concat(OutputSwitches.Where(s => !typed.Contains(s.TrimStart('-')) && s.StartsWith(word, StringComparison.Ordinal)));
    }
}
