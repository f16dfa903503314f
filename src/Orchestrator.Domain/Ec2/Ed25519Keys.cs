using System.Numerics;
using System.Security.Cryptography;

namespace Orchestrator.Domain.Ec2;

/// <summary>
/// Ed25519 public keys from 32-byte seeds (RFC 8032 section 5.1.5). .NET has no Ed25519, and
/// CreateKeyPair only needs key generation, never signing, so this is the scalar multiplication alone.
/// </summary>
public static class Ed25519Keys
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) Base = Point(
        BigInteger.Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202", System.Globalization.CultureInfo.InvariantCulture),
        BigInteger.Parse("46316835694926478169428394003475163141307993866256225615783033603165251855960", System.Globalization.CultureInfo.InvariantCulture));

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        var hash = SHA512.HashData(seed);
        var scalar = hash[..32];
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        var (x, y, z, _) = Multiply(new BigInteger(scalar, isUnsigned: true, isBigEndian: false), Base);
        var zInverse = Inverse(z);
        var affineX = Mod(x * zInverse);
        var affineY = Mod(y * zInverse);
        var encoded = new byte[32];
        affineY.TryWriteBytes(encoded, out _, isUnsigned: true, isBigEndian: false);
        if (!affineX.IsEven)
            encoded[31] |= 0x80;
        return encoded;
    }

    private static (BigInteger, BigInteger, BigInteger, BigInteger) Point(BigInteger x, BigInteger y) => (x, y, 1, Mod(x * y));

    private static (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) Multiply(BigInteger scalar, (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) point)
    {
        var result = Point(0, 1);
        while (scalar > 0)
        {
            if (!scalar.IsEven)
                result = Add(result, point);
            point = Add(point, point);
            scalar >>= 1;
        }
        return result;
    }

    /// <summary>Unified addition in extended coordinates (a = -1), valid for doubling too.</summary>
    private static (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) Add(
        (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) p, (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(2 * D * p.T * q.T);
        var d = Mod(2 * p.Z * q.Z);
        var (e, f, g, h) = (b - a, d - c, d + c, b + a);
        return (Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);
}
