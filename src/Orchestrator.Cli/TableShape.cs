using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Cli;

/// <summary>
/// Data that reads as a table: an array of flat objects (scalars, or lists of scalars shown joined),
/// either alone or as the one list of an object whose other fields are scalars (kept as a header,
/// like `cluster show`'s self and leader above its members).
/// </summary>
public sealed record TableShape(IReadOnlyList<KeyValuePair<string, string>> Header, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static TableShape? From(JsonElement data)
    {
        if (data.ValueKind == JsonValueKind.Array)
            return Table(data) is { } rows ? new TableShape([], rows.Columns, rows.Rows) : null;
        if (data.ValueKind != JsonValueKind.Object)
            return null;
        var lists = data.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object)).ToList();
        if (lists.Count != 1 || Table(lists[0].Value) is not { } table)
            return null;
        var header = new List<KeyValuePair<string, string>>();
        foreach (var property in data.EnumerateObject().Where(p => p.Name != lists[0].Name))
        {
            if (Cell(property.Value) is not { } value)
                return null;
            header.Add(new(property.Name, value));
        }
        return new TableShape(header, table.Columns, table.Rows);
    }

    private static (IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)? Table(JsonElement array)
    {
        var items = array.EnumerateArray().ToList();
        if (items.Count == 0 || items.Any(i => i.ValueKind != JsonValueKind.Object))
            return null;
        var columns = items.SelectMany(i => i.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var item in items)
        {
            var row = new List<string>();
            foreach (var column in columns)
            {
                if (!item.TryGetProperty(column, out var value))
                    row.Add("");
                else if (Cell(value) is { } cell)
                    row.Add(cell);
                else
                    return null;
            }
            rows.Add(row);
        }
        return (columns, rows);
    }

    /// <summary>Round-trip timestamps (seven decimals and an offset) take half a table: to the second, in UTC.</summary>
    private static string Timestamp(string value) =>
        value.Length >= 20 && value[10] == 'T' && DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : value;

    private static string? Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Timestamp(value.GetString()!),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "",
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            => string.Join(", ", value.EnumerateArray().Select(Cell)),
        _ => null,
    };
}
