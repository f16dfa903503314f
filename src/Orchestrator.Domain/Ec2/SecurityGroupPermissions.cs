using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Ec2;

/// <summary>One source or destination of an IpPermission as the request names it; a group named only by GroupName is resolved to its id by the caller.</summary>
public sealed record PermissionPeer(
    string? CidrIpv4 = null, string? CidrIpv6 = null, string? PrefixListId = null, string? GroupId = null, string? Description = null, string? GroupName = null);

/// <summary>An IpPermission as the request gives it: one protocol and port range for several peers.</summary>
public sealed record PermissionRequest(string? IpProtocol, int? FromPort, int? ToPort, ImmutableArray<PermissionPeer> Peers);

/// <summary>
/// Turns requested IpPermissions into normalised rule specs, one per peer, with EC2's validation:
/// protocol names and numbers, port ranges per protocol, CIDR syntax, id syntax, description length.
/// </summary>
public static class SecurityGroupPermissions
{
    public const int MaxDescriptionLength = 255;
    private const int MaxPort = 65535;
    private const int MaxIcmp = 255;

    public static Result<ImmutableArray<RuleSpec>> Expand(IEnumerable<PermissionRequest> permissions)
    {
        var specs = ImmutableArray.CreateBuilder<RuleSpec>();
        foreach (var permission in permissions)
        {
            var expanded = Expand(permission);
            if (expanded.IsError)
                return expanded.Error!;
            foreach (var spec in expanded.Value)
            {
                if (specs.Any(s => s.SameRuleAs(spec)))
                    return SecurityGroupErrors.DuplicatePermission(spec);
                specs.Add(spec);
            }
        }
        return specs.ToImmutable();
    }

    public static Result<ImmutableArray<RuleSpec>> Expand(PermissionRequest permission)
    {
        var protocol = NormalizeProtocol(permission.IpProtocol);
        if (protocol.IsError)
            return protocol.Error!;
        var ports = Ports(protocol.Value, permission.FromPort, permission.ToPort);
        if (ports.IsError)
            return ports.Error!;
        if (permission.Peers.IsDefaultOrEmpty)
            return SecurityGroupErrors.NoPeer();
        var specs = ImmutableArray.CreateBuilder<RuleSpec>();
        foreach (var peer in permission.Peers)
        {
            var spec = Spec(protocol.Value, ports.Value.From, ports.Value.To, peer);
            if (spec.IsError)
                return spec.Error!;
            specs.Add(spec.Value);
        }
        return specs.ToImmutable();
    }

    /// <summary>Names are case-insensitive; tcp, udp, icmp and icmpv6 are stored by name even when given by number, "all" is -1.</summary>
    public static Result<string> NormalizeProtocol(string? protocol)
    {
        if (string.IsNullOrEmpty(protocol))
            return AwsError.MissingParameter("The request must contain the parameter ipProtocol");
        var lower = protocol.ToLowerInvariant();
        switch (lower)
        {
            case "tcp" or "6": return "tcp";
            case "udp" or "17": return "udp";
            case "icmp" or "1": return "icmp";
            case "icmpv6" or "58": return "icmpv6";
            case "-1" or "all": return RuleSpec.AllProtocols;
        }
        return int.TryParse(lower, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 255
            ? number.ToString(CultureInfo.InvariantCulture)
            : SecurityGroupErrors.UnknownProtocol(protocol);
    }

    /// <summary>
    /// TCP and UDP need both ports; ICMP needs a type and a code (-1 for all, and all types means all codes);
    /// ICMPv6 without ports means all; for every other protocol the ports are ignored and stored as -1.
    /// </summary>
    private static Result<(int From, int To)> Ports(string protocol, int? from, int? to)
    {
        switch (protocol)
        {
            case "tcp" or "udp":
                if (from is not { } f || to is not { } t)
                    return SecurityGroupErrors.PortRangeRequired("TCP/UDP");
                if (f is < 0 or > MaxPort || t is < 0 or > MaxPort || f > t)
                    return SecurityGroupErrors.InvalidPortRange(f, t);
                return (f, t);
            case "icmp" or "icmpv6":
                if (from is null && to is null && protocol == "icmpv6")
                    return (-1, -1);
                if (from is not { } type || to is not { } code)
                    return SecurityGroupErrors.PortRangeRequired("ICMP");
                if (type is < -1 or > MaxIcmp)
                    return SecurityGroupErrors.InvalidIcmp("type", type);
                if (code is < -1 or > MaxIcmp || (type == -1 && code != -1))
                    return SecurityGroupErrors.InvalidIcmp("code", code);
                return (type, code);
            default:
                return (-1, -1);
        }
    }

    private static Result<RuleSpec> Spec(string protocol, int from, int to, PermissionPeer peer)
    {
        var given = new[] { peer.CidrIpv4, peer.CidrIpv6, peer.PrefixListId, peer.GroupId ?? peer.GroupName }.Count(v => v is not null);
        if (given == 0)
            return SecurityGroupErrors.NoPeer();
        if (given > 1)
            return SecurityGroupErrors.SeveralPeers();
        if (peer.Description is { Length: > MaxDescriptionLength })
            return SecurityGroupErrors.DescriptionTooLong("description");
        var spec = new RuleSpec(protocol, from, to, Description: peer.Description);
        if (peer.CidrIpv4 is { } v4)
            return Cidr.TryParse(v4, out var cidr) ? spec with { CidrIpv4 = cidr.ToString() } : SecurityGroupErrors.MalformedCidr(v4);
        if (peer.CidrIpv6 is { } v6)
            return CanonicalIpv6(v6) is { } canonical ? spec with { CidrIpv6 = canonical } : SecurityGroupErrors.MalformedCidr(v6);
        if (peer.PrefixListId is { } prefixList)
            return AwsIds.IsWellFormed(prefixList, "pl") ? spec with { PrefixListId = prefixList } : SecurityGroupErrors.PrefixListIdMalformed(prefixList);
        return SecurityGroupIds.Group(peer.GroupId).Map(id => spec with { ReferencedGroupId = id });
    }

    /// <summary>An IPv6 CIDR with its host bits cleared, in the compressed lower-case form AWS returns (2001:db8::/32).</summary>
    public static string? CanonicalIpv6(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0
            || !IPAddress.TryParse(text[..slash], out var address)
            || address.AddressFamily != AddressFamily.InterNetworkV6
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > 128)
            return null;
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < 128; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return $"{new IPAddress(bytes)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }
}

/// <summary>Syntax checks of security group and rule ids as the API does them before looking anything up.</summary>
public static class SecurityGroupIds
{
    public static Result<string> Group(string? id) => AwsIds.IsWellFormed(id, "sg") ? id! : SecurityGroupErrors.GroupIdMalformed(id ?? "");

    public static Result<string> Rule(string? id) => AwsIds.IsWellFormed(id, "sgr") ? id! : SecurityGroupErrors.RuleIdMalformed(id ?? "");
}
