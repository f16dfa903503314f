using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>
/// The CBOR subset Smithy RPC v2 uses (RFC 8949): unsigned/negative ints, byte and text strings (also indefinite),
/// arrays, maps, tag 1 (epoch-seconds timestamp), floats (half/single/double), true/false/null/undefined.
/// Reading yields the wire tree <see cref="JsonCodec.FromWire"/> types by shape (byte strings become base64 text);
/// writing is driven by the output shape so blobs become byte strings and timestamps tag 1.
/// </summary>
public static class Cbor
{
    private const byte Break = 0xFF;

    public static JsonNode? Read(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        var value = ReadItem(data, ref pos);
        if (pos != data.Length)
        {
            throw new FormatException($"Trailing bytes after CBOR item at offset {pos}.");
        }
        return value;
    }

    public static JsonObject Decode(ReadOnlySpan<byte> body, Shape? input)
    {
        JsonNode? wire;
        try
        {
            wire = body.IsEmpty ? new JsonObject() : Read(body);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw InputException.Single(InputIssueKind.Malformed, "", "", null, $"Invalid CBOR: {e.Message}");
        }
        return JsonCodec.FromWire(wire, input, AwsProtocol.RpcV2Cbor);
    }

    private static JsonNode? ReadItem(ReadOnlySpan<byte> d, ref int pos)
    {
        var initial = d[pos++];
        var major = initial >> 5;
        var info = initial & 0x1F;
        if (major == 7)
        {
            return ReadSimple(d, ref pos, info);
        }
        var indefinite = info == 31;
        var arg = indefinite ? 0UL : ReadArgument(d, ref pos, info);
        switch (major)
        {
            case 0:
                return arg <= long.MaxValue ? JsonValue.Create((long)arg) : JsonValue.Create((double)arg);
            case 1:
                return arg < long.MaxValue ? JsonValue.Create(-1 - (long)arg) : JsonValue.Create(-1 - (double)arg);
            case 2:
                return JsonValue.Create(Convert.ToBase64String(ReadBytes(d, ref pos, major, indefinite, arg)));
            case 3:
                return JsonValue.Create(Encoding.UTF8.GetString(ReadBytes(d, ref pos, major, indefinite, arg)));
            case 4:
                var array = new JsonArray();
                for (var i = 0UL; indefinite ? d[pos] != Break : i < arg; i++)
                {
                    array.Add(ReadItem(d, ref pos));
                }
                if (indefinite)
                {
                    pos++;
                }
                return array;
            case 5:
                var map = new JsonObject();
                for (var i = 0UL; indefinite ? d[pos] != Break : i < arg; i++)
                {
                    var key = ReadItem(d, ref pos);
                    if (key is not JsonValue k || !k.TryGetValue<string>(out var name))
                    {
                        throw new FormatException("CBOR map keys must be text strings.");
                    }
                    map[name] = ReadItem(d, ref pos);
                }
                if (indefinite)
                {
                    pos++;
                }
                return map;
            case 6:
                var tagged = ReadItem(d, ref pos);
                if (arg == 1 && tagged is JsonValue n && ValueTree.TryReadDouble(n, out var seconds) && ValueTree.TryFromEpochSeconds(seconds, out var t))
                {
                    return JsonValue.Create(t);
                }
                return tagged;
            default:
                throw new FormatException($"Unsupported CBOR major type {major}.");
        }
    }

    private static JsonNode? ReadSimple(ReadOnlySpan<byte> d, ref int pos, int info)
    {
        switch (info)
        {
            case 20: return JsonValue.Create(false);
            case 21: return JsonValue.Create(true);
            case 22 or 23: return null;
            case 25:
                var half = (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16BigEndian(d[pos..]));
                pos += 2;
                return JsonValue.Create(half);
            case 26:
                var single = (double)BinaryPrimitives.ReadSingleBigEndian(d[pos..]);
                pos += 4;
                return JsonValue.Create(single);
            case 27:
                var dbl = BinaryPrimitives.ReadDoubleBigEndian(d[pos..]);
                pos += 8;
                return JsonValue.Create(dbl);
            default:
                throw new FormatException($"Unsupported CBOR simple value {info}.");
        }
    }

    private static ulong ReadArgument(ReadOnlySpan<byte> d, ref int pos, int info)
    {
        ulong value;
        switch (info)
        {
            case < 24: return (ulong)info;
            case 24: value = d[pos]; pos += 1; break;
            case 25: value = BinaryPrimitives.ReadUInt16BigEndian(d[pos..]); pos += 2; break;
            case 26: value = BinaryPrimitives.ReadUInt32BigEndian(d[pos..]); pos += 4; break;
            case 27: value = BinaryPrimitives.ReadUInt64BigEndian(d[pos..]); pos += 8; break;
            default: throw new FormatException($"Invalid CBOR additional information {info}.");
        }
        return value;
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> d, ref int pos, int major, bool indefinite, ulong length)
    {
        if (!indefinite)
        {
            if (length > (ulong)(d.Length - pos))
            {
                throw new FormatException("CBOR string longer than the body.");
            }
            var bytes = d.Slice(pos, (int)length).ToArray();
            pos += (int)length;
            return bytes;
        }
        using var chunks = new MemoryStream();
        while (d[pos] != Break)
        {
            var initial = d[pos++];
            if (initial >> 5 != major || (initial & 0x1F) == 31)
            {
                throw new FormatException("Invalid chunk in indefinite-length CBOR string.");
            }
            chunks.Write(ReadBytes(d, ref pos, major, false, ReadArgument(d, ref pos, initial & 0x1F)));
        }
        pos++;
        return chunks.ToArray();
    }

    public static byte[] Encode(JsonObject output, Shape? shape)
    {
        var w = new Writer();
        if (shape is null)
        {
            w.Header(5, 0);
        }
        else
        {
            w.Value(output, shape);
        }
        return w.ToArray();
    }

    /// <summary>Error body: {"__type": code, "message": text} like the JSON protocols.</summary>
    public static byte[] Error(AwsError error)
    {
        var w = new Writer();
        w.Header(5, 2);
        w.Text("__type");
        w.Text(error.Code);
        w.Text("message");
        w.Text(error.Message);
        return w.ToArray();
    }

    private sealed class Writer
    {
        private readonly MemoryStream _out = new();

        public byte[] ToArray() => _out.ToArray();

        public void Header(int major, ulong arg)
        {
            var m = (byte)(major << 5);
            Span<byte> buf = stackalloc byte[9];
            switch (arg)
            {
                case < 24:
                    _out.WriteByte((byte)(m | (byte)arg));
                    break;
                case <= byte.MaxValue:
                    _out.WriteByte((byte)(m | 24));
                    _out.WriteByte((byte)arg);
                    break;
                case <= ushort.MaxValue:
                    buf[0] = (byte)(m | 25);
                    BinaryPrimitives.WriteUInt16BigEndian(buf[1..], (ushort)arg);
                    _out.Write(buf[..3]);
                    break;
                case <= uint.MaxValue:
                    buf[0] = (byte)(m | 26);
                    BinaryPrimitives.WriteUInt32BigEndian(buf[1..], (uint)arg);
                    _out.Write(buf[..5]);
                    break;
                default:
                    buf[0] = (byte)(m | 27);
                    BinaryPrimitives.WriteUInt64BigEndian(buf[1..], arg);
                    _out.Write(buf);
                    break;
            }
        }

        public void Text(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            Header(3, (ulong)bytes.Length);
            _out.Write(bytes);
        }

        public void Integer(long v)
        {
            if (v >= 0)
            {
                Header(0, (ulong)v);
            }
            else
            {
                Header(1, (ulong)(-1 - v));
            }
        }

        public void Double(double v)
        {
            Span<byte> buf = stackalloc byte[9];
            buf[0] = 0xFB;
            BinaryPrimitives.WriteDoubleBigEndian(buf[1..], v);
            _out.Write(buf);
        }

        public void Value(JsonNode node, Shape shape)
        {
            switch (shape.Kind)
            {
                case ShapeKind.Structure:
                    var members = node.AsObject().Where(kv => kv.Value is not null).ToList();
                    foreach (var (name, _) in members)
                    {
                        if (!shape.Members.ContainsKey(name))
                        {
                            throw new InvalidOperationException($"Output member {shape.Name}.{name} is not in the model.");
                        }
                    }
                    Header(5, (ulong)members.Count);
                    foreach (var (name, value) in members)
                    {
                        Text(name);
                        Value(value!, shape.Members[name].Shape);
                    }
                    break;
                case ShapeKind.List:
                    var items = node.AsArray();
                    Header(4, (ulong)items.Count);
                    foreach (var item in items)
                    {
                        if (item is null)
                        {
                            _out.WriteByte(0xF6);
                        }
                        else
                        {
                            Value(item, shape.Member!.Shape);
                        }
                    }
                    break;
                case ShapeKind.Map:
                    var entries = node.AsObject();
                    Header(5, (ulong)entries.Count);
                    foreach (var (key, value) in entries)
                    {
                        Text(key);
                        if (value is null)
                        {
                            _out.WriteByte(0xF6);
                        }
                        else
                        {
                            Value(value, shape.Value!.Shape);
                        }
                    }
                    break;
                case ShapeKind.Boolean:
                    _out.WriteByte(node.GetValue<bool>() ? (byte)0xF5 : (byte)0xF4);
                    break;
                case ShapeKind.Integer or ShapeKind.Long:
                    Integer(ValueTree.TryReadLong(node.AsValue(), out var l) ? l : throw new InvalidOperationException($"{node.ToJsonString()} is not an integer."));
                    break;
                case ShapeKind.Double or ShapeKind.Float:
                    Double(ValueTree.TryReadDouble(node.AsValue(), out var d) ? d : throw new InvalidOperationException($"{node.ToJsonString()} is not a number."));
                    break;
                case ShapeKind.Timestamp:
                    Header(6, 1);
                    Double(ValueTree.ToEpochSeconds(ValueTree.ReadTimestamp(node)));
                    break;
                case ShapeKind.Blob:
                    var bytes = Convert.FromBase64String(node.GetValue<string>());
                    Header(2, (ulong)bytes.Length);
                    _out.Write(bytes);
                    break;
                case ShapeKind.Document:
                    throw new NotSupportedException("Document shapes are not used by the CBOR services emulated.");
                default:
                    Text(ValueTree.ScalarText(node, new MemberRef { Name = shape.Name, Shape = shape }, ValueTree.Iso8601));
                    break;
            }
        }
    }
}
