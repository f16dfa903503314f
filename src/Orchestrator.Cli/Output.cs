using System.Text.Json;
using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>
/// Where `orch` writes: raw text and JSON go straight to Out (Spectre would wrap them at the
/// console's width), tables through a Spectre console over the same writer, messages to Error.
/// </summary>
public sealed class Output(TextWriter @out, TextWriter error, IAnsiConsole tables)
{
    // Relaxed escaping: scripts and people read "+00:00", not "\u002B00:00".
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Out => @out;

    public TextWriter Error => error;

    public void Reply(HostReply reply, OutputOptions options)
    {
        if (options.Json)
        {
            // Scripts read data on success and the error's code and message otherwise.
            @out.WriteLine(reply.Ok
                ? JsonSerializer.Serialize(reply.Data, Indented)
                : JsonSerializer.Serialize(new { ok = false, status = (int)reply.Status, errorCode = reply.ErrorCode, errorMessage = reply.ErrorMessage }, Indented));
        }
        if (!reply.Ok)
        {
            error.WriteLine(reply.ExitCode == ExitCodes.Usage ? $"usage: {reply.ErrorMessage ?? reply.Text}" : $"error: {reply.Text}");
            return;
        }
        if (options.Json)
            return;
        if (!options.Plain && reply.Data is { } data && TableShape.From(data) is { } shape)
            Table(shape);
        else if (reply.Text.Length > 0)
            @out.WriteLine(reply.Text);
    }

    public void Table(TableShape shape)
    {
        foreach (var (name, value) in shape.Header)
            @out.WriteLine($"{name}: {value}");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in shape.Columns)
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        foreach (var row in shape.Rows)
            table.AddRow(row.Select(cell => new Text(cell)).ToArray());
        tables.Write(table);
    }

    public void Help(IReadOnlyList<PaletteInfo> palettes, OutputOptions options)
    {
        if (options.Json)
            @out.WriteLine(JsonSerializer.Serialize(palettes, new JsonSerializerOptions(PaletteInfo.Json) { WriteIndented = true, Encoder = Indented.Encoder }));
        else
            @out.Write(HelpText.For(palettes));
    }
}

/// <summary>Help from the host's own definitions: each palette, then its commands' usage and description.</summary>
public static class HelpText
{
    public static string For(IReadOnlyList<PaletteInfo> palettes)
    {
        // Usages run long (ec2 launch): past this width the description goes on its own line.
        var width = Math.Min(palettes.SelectMany(p => p.Commands).Select(c => c.Usage.Length).DefaultIfEmpty(0).Max(), 44);
        var text = new System.Text.StringBuilder();
        foreach (var palette in palettes)
        {
            text.Append(palette.Name).Append(": ").AppendLine(palette.Description);
            foreach (var command in palette.Commands)
            {
                text.Append("  ").Append(command.Usage.PadRight(width));
                if (command.Usage.Length > width)
                    text.AppendLine().Append(' ', width + 2);
                text.Append("  ").AppendLine(command.Description);
            }
        }
        return text.ToString();
    }
}
