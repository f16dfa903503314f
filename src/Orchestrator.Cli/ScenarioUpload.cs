using System.Text;
using Orchestrator.Domain.Chaos;

namespace Orchestrator.Cli;

/// <summary>
/// `drill run &lt;scenario.yaml&gt;` names a file where orch runs, not where the node runs: orch reads
/// it, checks it parses (a broken scenario is a usage error before anything reaches the host) and
/// sends its content along in --scenario, base64 so the command line stays one line.
/// </summary>
public static class ScenarioUpload
{
    public static IReadOnlyList<string> Attach(IReadOnlyList<string> tokens)
    {
        if (tokens is not ["drill", "run", var path, ..] || path.StartsWith('-') || tokens.Contains("--scenario"))
            return tokens;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage($"cannot read scenario '{path}': {ex.Message}");
        }
        try
        {
            Scenario.Parse(text);
        }
        catch (FormatException invalid)
        {
            throw CliException.Usage($"{path}: {invalid.Message}");
        }
        return [.. tokens, "--scenario", Convert.ToBase64String(Encoding.UTF8.GetBytes(text))];
    }
}
