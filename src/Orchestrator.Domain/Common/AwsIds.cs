using System.Buffers;
using System.Security.Cryptography;

namespace Orchestrator.Domain.Common;

/// <summary>AWS-shaped identifiers: a prefix and 17 lowercase hex characters (i-0123456789abcdef0).</summary>
public static class AwsIds
{
    public const int HexLength = 17;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static string New(string prefix) => $"{prefix}-{RandomHex(HexLength)}";

    /// <summary>
    /// An id that follows from another (a VPC's main route table from the VPC id), so a retried
    /// or replayed creation names the same resource without storing a plan.
    /// </summary>
    public static string Derived(string prefix, string seed) =>
        $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..HexLength]}";

    public static bool IsWellFormed(string? id, string prefix) =>
        id is not null
        && id.Length > prefix.Length + 1
        && id.StartsWith(prefix + "-", StringComparison.Ordinal)
        && (id.Length - prefix.Length - 1) is 8 or HexLength
        && id.AsSpan(prefix.Length + 1).ContainsAnyExcept(LowerHex) is false;

    private static string RandomHex(int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }
}
