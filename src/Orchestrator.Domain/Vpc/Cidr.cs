using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

/// <summary>
/// An IPv4 CIDR block, always canonical: host bits are cleared on parse, so 100.68.0.18/18 is
/// 100.68.0.0/18, which is how AWS stores and returns it.
/// </summary>
public readonly record struct Cidr
{
    /// <summary>AWS reserves the first four addresses and the last one of every subnet.</summary>
    public const int ReservedAddressesPerSubnet = 5;

    private Cidr(uint network, int prefixLength) => (Network, PrefixLength) = (network, prefixLength);

    public uint Network { get; }
    public int PrefixLength { get; }

    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
    public uint Broadcast => Network | ~Mask;
    public long AddressCount => 1L << (32 - PrefixLength);

    /// <summary>Base+0 network, +1 router, +2 DNS, +3 reserved: the first address an instance can get.</summary>
    public uint FirstUsable => Network + 4;

    /// <summary>The broadcast address is reserved, so the last usable one sits just below it.</summary>
    public uint LastUsable => Broadcast - 1;

    public long UsableAddressCount => Math.Max(0, AddressCount - ReservedAddressesPerSubnet);

    public static Cidr Of(uint address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        return new Cidr(address & mask, prefixLength);
    }

    public static Result<Cidr> Parse(string? text) =>
        TryParse(text, out var cidr) ? cidr : VpcErrors.InvalidCidrBlock(text ?? "");

    public static bool TryParse(string? text, out Cidr cidr)
    {
        cidr = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (slash < 0 || !Ipv4.TryParse(text![..slash], out var address))
            return false;
        var prefixText = text.AsSpan(slash + 1);
        if (prefixText.Length is 0 or > 2 || prefixText.ContainsAnyExceptInRange('0', '9'))
            return false;
        var prefixLength = int.Parse(prefixText, CultureInfo.InvariantCulture);
        if (prefixLength > 32)
            return false;
        cidr = Of(address, prefixLength);
        return true;
    }

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Contains(Cidr other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Cidr other) => Contains(other.Network) || other.Contains(Network);

    /// <summary>True for the five addresses AWS keeps for itself when this block is a subnet.</summary>
    public bool IsReservedInSubnet(uint address) => Contains(address) && (address < FirstUsable || address == Broadcast);

    /// <summary>The index-th block of the given (longer) prefix inside this one: 172.31.0.0/16 split into /20s, block 1 is 172.31.16.0/20.</summary>
    public Cidr Subdivide(int prefixLength, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, PrefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((long)index, 1L << (prefixLength - PrefixLength));
        return Of(Network + (uint)((long)index << (32 - prefixLength)), prefixLength);
    }

    public override string ToString() => $"{Ipv4.Format(Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
