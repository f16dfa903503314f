using System.Text.Json;

namespace Orchestrator.Cli;

/// <summary>One command as the host defines it (GET /_orchestrator/commands): completion and help come from here.</summary>
public sealed record CommandInfo(string Name, string Usage, string Description, IReadOnlyList<string> Switches);

public sealed record PaletteInfo(string Name, string Description, IReadOnlyList<CommandInfo> Commands)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<PaletteInfo> ParseList(string json) =>
        JsonSerializer.Deserialize<List<PaletteInfo>>(json, Json) ?? [];

    /// <summary>How a switch is typed: `-r` for one letter as in pbm, `--image` otherwise (the host takes either).</summary>
    public static string SwitchForm(string name) => name.Length == 1 ? $"-{name}" : $"--{name}";
}
