using System.Globalization;

namespace Orchestrator.Domain.Vpc;

/// <summary>Dotted-quad IPv4 addresses as unsigned 32-bit numbers, so address arithmetic is plain integer maths.</summary>
public static class Ipv4
{
    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        if (string.IsNullOrEmpty(text))
            return false;
        var span = text.AsSpan();
        for (var octetIndex = 0; octetIndex < 4; octetIndex++)
        {
            var isLastOctet = octetIndex == 3;
            var dot = span.IndexOf('.');
            if (isLastOctet != (dot < 0))
                return false;
            if (!TryParseOctet(isLastOctet ? span : span[..dot], out var value))
                return false;
            address = (address << 8) | value;
            span = isLastOctet ? [] : span[(dot + 1)..];
        }
        return true;
    }

    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");

    // Up to three decimal digits and no sign, so "1e2", "+1" and " 1" are rejected.
    private static bool TryParseOctet(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        if (text.Length is 0 or > 3)
            return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
                return false;
            value = (value * 10) + (uint)(c - '0');
        }
        return value <= 255;
    }
}
