using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Management;

/// <summary>One command of a palette, as the host lists it for completion and help.</summary>
public sealed record CommandDefinition(string Name, string Usage, string Description, ImmutableArray<string> Switches);

/// <summary>A parsed invocation: `palette command arg... --switch value`.</summary>
public sealed record CommandRequest(string Palette, string Command, ImmutableArray<string> Arguments, ImmutableDictionary<string, string> Switches)
{
    public string? Switch(string name) => Switches.TryGetValue(name, out var value) ? value : null;

    public string Argument(int index, string name) =>
        index < Arguments.Length ? Arguments[index] : throw new CommandUsageException($"missing argument <{name}>");

    public static CommandRequest Parse(string line)
    {
        var tokens = Tokenize(line);
        if (tokens.Count < 2)
            throw new CommandUsageException("expected: <palette> <command> [arguments] [--switch value]");
        var arguments = ImmutableArray.CreateBuilder<string>();
        var switches = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var i = 2; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith('-') && token.Length > 1 && !char.IsDigit(token[1]))
            {
                var name = token.TrimStart('-');
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                    switches[name[..equals]] = name[(equals + 1)..];
                else
                    switches[name] = i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal) ? tokens[++i] : "true";
            }
            else
                arguments.Add(token);
        }
        return new CommandRequest(tokens[0], tokens[1], arguments.ToImmutable(), switches.ToImmutable());
    }

    private static IReadOnlyList<string> Tokenize(string line)
    {
        try
        {
            return CommandLineTokens.Split(line);
        }
        catch (FormatException malformed)
        {
            throw new CommandUsageException(malformed.Message);
        }
    }
}

/// <summary>What a command answers: a result for scripts (Data) and a rendering for people (Text), or an error.</summary>
public sealed record CommandResponse(bool Ok, object? Data, string Text, AwsError? Error = null)
{
    public static CommandResponse Success(object? data, string text) => new(true, data, text);

    public static CommandResponse Failure(AwsError error) => new(false, null, error.ToString(), error);
}

/// <summary>The caller got the grammar wrong (unknown palette, command, or a missing argument).</summary>
public sealed class CommandUsageException(string message) : Exception(message);

/// <summary>A set of commands registered by the module that owns them (pbm's palettes).</summary>
public interface ICommandPalette
{
    string Name { get; }

    string Description { get; }

    IReadOnlyList<CommandDefinition> Commands { get; }

    Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken);
}

/// <summary>A palette whose commands run other palettes' command lines (a drill's steps): it is handed the host that holds it.</summary>
public interface IHostedPalette : ICommandPalette
{
    void Attach(CommandHost host);
}

/// <summary>Dispatches requests to the palettes registered on this node.</summary>
public sealed class CommandHost
{
    private readonly Dictionary<string, ICommandPalette> _palettes;

    public CommandHost(IEnumerable<ICommandPalette> palettes)
    {
        _palettes = palettes.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var hosted in _palettes.Values.OfType<IHostedPalette>())
            hosted.Attach(this);
    }

    public IEnumerable<ICommandPalette> Palettes => _palettes.Values.OrderBy(p => p.Name, StringComparer.Ordinal);

    public Task<CommandResponse> Execute(CommandRequest request, CancellationToken cancellationToken)
    {
        if (!_palettes.TryGetValue(request.Palette, out var palette))
            throw new CommandUsageException($"unknown palette '{request.Palette}' (known: {string.Join(", ", _palettes.Keys.Order(StringComparer.Ordinal))})");
        if (palette.Commands.All(c => c.Name != request.Command))
            throw new CommandUsageException($"unknown command '{request.Command}' in palette '{palette.Name}' (known: {string.Join(", ", palette.Commands.Select(c => c.Name))})");
        return palette.Execute(request, cancellationToken);
    }
}
