using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Domain.Chaos;

/// <summary>A step of a drill: at an offset of simulated time from the start, an optional palette command line, then expectations.</summary>
public sealed record ScenarioStep(TimeSpan At, string? Action, ImmutableArray<Expectation> Expect);

/// <summary>
/// A drill as code (YAML): a name, an optional time scale and seed, and steps.
/// <code>
/// name: az-outage
/// speed: 60
/// seed: 7
/// steps:
///   - at: 0s
///     action: chaos az-outage us-east-1a --for 10m
///     expect:
///       - zone us-east-1a state unavailable
///       - asg web in-service >= 3 within 5m
/// </code>
/// </summary>
public sealed record Scenario(string Name, double? Speed, int? Seed, ImmutableArray<ScenarioStep> Steps)
{
    /// <summary>Parses and validates a scenario; every mistake is a FormatException naming where it is.</summary>
    public static Scenario Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException malformed)
        {
            throw new FormatException($"scenario is not valid YAML (line {malformed.Start.Line}): {malformed.Message}", malformed);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException("a scenario is one YAML mapping with name and steps");
        Known(root, "scenario", "name", "speed", "seed", "steps", "description");
        var name = Scalar(root, "name") ?? throw new FormatException("a scenario needs a name");
        double? speed = Scalar(root, "speed") is { } speedText
            ? double.TryParse(speedText.TrimEnd('x'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : throw new FormatException($"speed must be a positive number, got '{speedText}'")
            : null;
        int? seed = Scalar(root, "seed") is { } seedText
            ? int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"seed must be an integer, got '{seedText}'")
            : null;
        if (!root.Children.TryGetValue(new YamlScalarNode("steps"), out var stepsNode) || stepsNode is not YamlSequenceNode { Children.Count: > 0 } steps)
            throw new FormatException("a scenario needs a non-empty list of steps");
        var parsed = steps.Children.Select((node, i) => Step(node, i + 1)).ToImmutableArray();
        for (var i = 1; i < parsed.Length; i++)
            if (parsed[i].At < parsed[i - 1].At)
                throw new FormatException($"step {i + 1}: at {SimDuration.Format(parsed[i].At)} comes before the step above it");
        return new Scenario(name, speed, seed, parsed);
    }

    private static ScenarioStep Step(YamlNode node, int number)
    {
        if (node is not YamlMappingNode step)
            throw new FormatException($"step {number} (line {node.Start.Line}): a step is a mapping with at, action and expect");
        Known(step, $"step {number}", "at", "action", "expect");
        var atText = Scalar(step, "at") ?? throw new FormatException($"step {number} (line {node.Start.Line}): missing at: <offset like 0s, 5m>");
        if (!SimDuration.TryParse(atText, out var at))
            throw new FormatException($"step {number} (line {node.Start.Line}): at must be a duration like 90s, 5m or 1h, got '{atText}'");
        var action = Scalar(step, "action");
        var expectations = ImmutableArray<Expectation>.Empty;
        if (step.Children.TryGetValue(new YamlScalarNode("expect"), out var expectNode))
        {
            IEnumerable<YamlNode> items = expectNode switch
            {
                YamlSequenceNode sequence => sequence.Children,
                YamlScalarNode single => [single],
                _ => throw new FormatException($"step {number} (line {expectNode.Start.Line}): expect is a list of assertions"),
            };
            expectations = [.. items.Select(item => item is YamlScalarNode { Value: { } text }
                ? Wrap(number, item, () => Expectation.Parse(text))
                : throw new FormatException($"step {number} (line {item.Start.Line}): each assertion is one line of text"))];
        }
        if (action is null && expectations.IsEmpty)
            throw new FormatException($"step {number} (line {node.Start.Line}): a step needs an action, an expect, or both");
        return new ScenarioStep(at, action, expectations);
    }

    private static Expectation Wrap(int number, YamlNode node, Func<Expectation> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException invalid)
        {
            throw new FormatException($"step {number} (line {node.Start.Line}): {invalid.Message}", invalid);
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? value is YamlScalarNode { Value: { Length: > 0 } text } ? text : throw new FormatException($"{key} (line {value.Start.Line}) must be a single value")
            : null;

    private static void Known(YamlMappingNode node, string where, params string[] keys)
    {
        foreach (var key in node.Children.Keys)
            if (key is not YamlScalarNode { Value: { } name } || !keys.Contains(name))
                throw new FormatException($"{where} (line {key.Start.Line}): unknown key '{key}' (known: {string.Join(", ", keys)})");
    }
}
