using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>
/// Conventions of the neutral value tree that decoders produce and encoders consume.
/// The tree is System.Text.Json.Nodes: it ships with the framework, keeps member order, lets handlers
/// build outputs with collection initializers, and the JSON protocols need it anyway.
/// Decoded scalars are typed by their shape: string/enum -> string, integer -> int, long -> long,
/// boolean -> bool, double/float -> double, timestamp -> DateTimeOffset, blob -> base64 string
/// (the text the query and JSON protocols carry; CBOR byte strings are converted), bigdecimal/biginteger -> string,
/// document -> any JSON. Encoders also accept the obvious alternatives (a string timestamp, a long for an int).
/// </summary>
public static class ValueTree
{
    public const string Iso8601 = "iso8601";
    public const string UnixTimestamp = "unixTimestamp";
    public const string Rfc822 = "rfc822";

    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromEpochSeconds(seconds, out value);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
            || DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static bool TryFromEpochSeconds(double seconds, out DateTimeOffset value)
    {
        const double MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z
        if (double.IsFinite(seconds) && Math.Abs(seconds) <= MaxSeconds)
        {
            value = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return true;
        }
        value = default;
        return false;
    }

    public static double ToEpochSeconds(DateTimeOffset t) =>
        Math.Round((t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond, 3);

    public static string FormatTimestamp(DateTimeOffset t, string format) => format switch
    {
        UnixTimestamp => ToEpochSeconds(t).ToString("R", CultureInfo.InvariantCulture),
        Rfc822 => t.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture),
        _ => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>A timestamp from an output tree: DateTimeOffset, DateTime (UTC), ISO/epoch string or epoch-seconds number.</summary>
    public static DateTimeOffset ReadTimestamp(JsonNode node)
    {
        var v = node.AsValue();
        if (v.TryGetValue<DateTimeOffset>(out var dto))
        {
            return dto;
        }
        if (v.TryGetValue<DateTime>(out var dt))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc));
        }
        if (v.TryGetValue<string>(out var s) && TryParseTimestamp(s, out var parsed))
        {
            return parsed;
        }
        if (TryReadDouble(v, out var seconds) && TryFromEpochSeconds(seconds, out var fromEpoch))
        {
            return fromEpoch;
        }
        throw new InvalidOperationException($"Not a timestamp: {node.ToJsonString()}");
    }

    public static bool TryReadDouble(JsonValue v, out double value)
    {
        if (v.TryGetValue(out value))
        {
            return true;
        }
        if (v.TryGetValue<long>(out var l))
        {
            value = l;
            return true;
        }
        if (v.TryGetValue<int>(out var i))
        {
            value = i;
            return true;
        }
        if (v.TryGetValue<float>(out var f))
        {
            value = f;
            return true;
        }
        if (v.TryGetValue<decimal>(out var m))
        {
            value = (double)m;
            return true;
        }
        return false;
    }

    public static bool TryReadLong(JsonValue v, out long value)
    {
        if (v.TryGetValue(out value))
        {
            return true;
        }
        if (v.TryGetValue<int>(out var i))
        {
            value = i;
            return true;
        }
        if (TryReadDouble(v, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
        {
            value = (long)d;
            return true;
        }
        if (v.TryGetValue<string>(out var s))
        {
            return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        }
        return false;
    }

    /// <summary>Text of a scalar for the XML and query protocols.</summary>
    public static string ScalarText(JsonNode node, MemberRef member, string defaultTimestampFormat)
    {
        var v = node.AsValue();
        switch (member.Shape.Kind)
        {
            case ShapeKind.Boolean:
                if (v.TryGetValue<bool>(out var b))
                {
                    return b ? "true" : "false";
                }
                break;
            case ShapeKind.Timestamp:
                return FormatTimestamp(ReadTimestamp(node), member.TimestampFormat ?? defaultTimestampFormat);
            case ShapeKind.Integer or ShapeKind.Long:
                if (TryReadLong(v, out var l))
                {
                    return l.ToString(CultureInfo.InvariantCulture);
                }
                break;
            case ShapeKind.Double or ShapeKind.Float:
                if (TryReadDouble(v, out var d))
                {
                    return FormatDouble(d);
                }
                break;
            default:
                if (v.TryGetValue<string>(out var s))
                {
                    return s;
                }
                break;
        }
        if (v.TryGetValue<string>(out var text))
        {
            return text;
        }
        throw new InvalidOperationException($"{member.Name}: {node.ToJsonString()} does not fit shape {member.Shape}.");
    }

    public static string FormatDouble(double d) => d switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        double.NaN => "NaN",
        _ => d.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Parses query/header text into the typed scalar; null when the text does not fit the shape.</summary>
    public static JsonValue? ParseScalar(string text, Shape shape)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Integer:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i) : null;
            case ShapeKind.Long:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : null;
            case ShapeKind.Double or ShapeKind.Float:
                if (text is "NaN" or "Infinity" or "-Infinity")
                {
                    return JsonValue.Create(text == "NaN" ? double.NaN : text == "Infinity" ? double.PositiveInfinity : double.NegativeInfinity);
                }
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null;
            case ShapeKind.Boolean:
                return text.Equals("true", StringComparison.OrdinalIgnoreCase) ? JsonValue.Create(true)
                    : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? JsonValue.Create(false)
                    : null;
            case ShapeKind.Timestamp:
                return TryParseTimestamp(text, out var t) ? JsonValue.Create(t) : null;
            case ShapeKind.Blob:
                return IsBase64(text) ? JsonValue.Create(text) : null;
            default:
                return JsonValue.Create(text);
        }
    }

    public static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    public static string TypeName(ShapeKind kind) => kind switch
    {
        ShapeKind.Integer => "Integer",
        ShapeKind.Long => "Long",
        ShapeKind.Boolean => "Boolean",
        ShapeKind.Double => "Double",
        ShapeKind.Float => "Float",
        ShapeKind.Timestamp => "Timestamp",
        ShapeKind.Blob => "Blob",
        ShapeKind.Structure => "Structure",
        ShapeKind.List => "List",
        ShapeKind.Map => "Map",
        _ => "String",
    };
}
