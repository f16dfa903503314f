using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>An OpenSSH public key: its type ("ssh-rsa", "ssh-ed25519") and wire-format blob.</summary>
public sealed record OpenSshPublicKey(string Algorithm, byte[] Blob)
{
    public const string RsaAlgorithm = "ssh-rsa";
    public const string Ed25519Algorithm = "ssh-ed25519";

    /// <summary>
    /// EC2 documents 1024, 2048 and 4096-bit RSA keys; ssh-keygen's default 3072 bits imports too, so
    /// the simulator takes the whole range rather than refuse the most common key.
    /// </summary>
    private const int MinRsaBits = 1024;
    private const int MaxRsaBits = 4096;

    public string KeyType => Algorithm == RsaAlgorithm ? KeyPair.Rsa : KeyPair.Ed25519;

    /// <summary>The "type base64" line, without a comment.</summary>
    public string Line => $"{Algorithm} {Convert.ToBase64String(Blob)}";

    /// <summary>Reads "ssh-rsa AAAA... comment" or "ssh-ed25519 AAAA... comment"; anything else is InvalidKey.Format.</summary>
    public static Result<OpenSshPublicKey> Parse(string text)
    {
        var parts = text.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] is not (RsaAlgorithm or Ed25519Algorithm))
            return KeyPairErrors.InvalidKeyFormat();
        var blob = new byte[parts[1].Length];
        if (!Convert.TryFromBase64String(parts[1], blob, out var length))
            return KeyPairErrors.InvalidKeyFormat();
        var key = new OpenSshPublicKey(parts[0], blob[..length]);
        var fields = key.Fields();
        if (fields is null || fields.Count == 0 || Encoding.ASCII.GetString(fields[0]) != parts[0])
            return KeyPairErrors.InvalidKeyFormat();
        var valid = parts[0] == RsaAlgorithm
            ? fields.Count == 3 && new BigInteger(fields[2], isUnsigned: true, isBigEndian: true).GetBitLength() is >= MinRsaBits and <= MaxRsaBits
            : fields.Count == 2 && fields[1].Length == 32;
        return valid ? key : KeyPairErrors.InvalidKeyFormat();
    }

    public static OpenSshPublicKey FromRsa(RSAParameters parameters) =>
        new(RsaAlgorithm, Wire(Encoding.ASCII.GetBytes(RsaAlgorithm), Mpint(parameters.Exponent!), Mpint(parameters.Modulus!)));

    public static OpenSshPublicKey FromEd25519(byte[] publicKey) => new(Ed25519Algorithm, Wire(Encoding.ASCII.GetBytes(Ed25519Algorithm), publicKey));

    /// <summary>
    /// The fingerprint EC2 reports for an imported key: the MD5 of the DER public key (RSA) or the
    /// base64 SHA-256 of the OpenSSH blob (ed25519).
    /// </summary>
    public string ImportedFingerprint()
    {
        if (Algorithm == Ed25519Algorithm)
            return Convert.ToBase64String(SHA256.HashData(Blob));
        var fields = Fields()!;
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Exponent = Unsigned(fields[1]), Modulus = Unsigned(fields[2]) });
#pragma warning disable CA5351 // a fingerprint AWS defines with MD5, not a security decision
        return ColonHex(MD5.HashData(rsa.ExportSubjectPublicKeyInfo()));
#pragma warning restore CA5351
    }

    /// <summary>The fingerprint EC2 reports for an RSA key it created: the SHA-1 of the private key in PKCS#8 DER.</summary>
#pragma warning disable CA5350 // a fingerprint AWS defines with SHA-1, not a security decision
    public static string CreatedRsaFingerprint(byte[] pkcs8PrivateKey) => ColonHex(SHA1.HashData(pkcs8PrivateKey));
#pragma warning restore CA5350

    private static string ColonHex(byte[] digest) => string.Join(':', digest.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The blob's length-prefixed fields, or null when it is not well formed.</summary>
    public List<byte[]>? Fields()
    {
        var fields = new List<byte[]>();
        var rest = Blob.AsSpan();
        while (rest.Length > 0)
        {
            if (rest.Length < 4)
                return null;
            var length = BinaryPrimitives.ReadUInt32BigEndian(rest);
            if (length > rest.Length - 4)
                return null;
            fields.Add(rest.Slice(4, (int)length).ToArray());
            rest = rest[(4 + (int)length)..];
        }
        return fields;
    }

    public static byte[] Wire(params byte[][] fields)
    {
        var output = new List<byte>();
        foreach (var field in fields)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)field.Length);
            output.AddRange(length);
            output.AddRange(field);
        }
        return [.. output];
    }

    /// <summary>SSH mpint: big-endian two's complement, so a set high bit gets a leading zero.</summary>
    public static byte[] Mpint(byte[] unsigned)
    {
        var trimmed = Unsigned(unsigned);
        return trimmed.Length > 0 && trimmed[0] >= 0x80 ? [0, .. trimmed] : trimmed;
    }

    private static byte[] Unsigned(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
            start++;
        return value[start..];
    }
}
