using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Domain.Chaos;

/// <summary>Durations as people write them in drills and on the command line: 90s, 10m, 1h, 1h30m, 500ms.</summary>
public static partial class SimDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
            return false;
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['h', 'm', 's']);
            var amount = double.Parse(part.Value[..unitStart], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += part.Value[unitStart..] switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                _ => TimeSpan.FromMilliseconds(amount),
            };
        }
        duration = total;
        return true;
    }

    /// <summary>The shortest way to write it back: 1h30m, 10m, 90s.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
            return "0s";
        var parts = new List<string>();
        if (duration.Days * 24 + duration.Hours is var hours and > 0)
            parts.Add($"{hours}h");
        if (duration.Minutes > 0)
            parts.Add($"{duration.Minutes}m");
        if (duration.Seconds > 0)
            parts.Add($"{duration.Seconds}s");
        if (duration.Milliseconds > 0)
            parts.Add($"{duration.Milliseconds}ms");
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|h|m|s))+$")]
    private static partial Regex Pattern();
}
