using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Vpc;

public sealed record PortRange(int From, int To);

public sealed record IcmpTypeCode(int Type, int Code);

/// <summary>One numbered rule of a network ACL; Protocol is the IP protocol number as text ("-1" for all), as DescribeNetworkAcls shows it.</summary>
public sealed record NetworkAclEntry(
    int RuleNumber,
    bool Egress,
    string Protocol,
    string RuleAction,
    string CidrBlock,
    PortRange? PortRange = null,
    IcmpTypeCode? IcmpTypeCode = null);

public sealed record NetworkAclAssociation(string AssociationId, string SubnetId);

public sealed record NetworkAcl(
    string NetworkAclId,
    bool IsDefault,
    ImmutableList<NetworkAclEntry> Entries,
    ImmutableList<NetworkAclAssociation> Associations,
    ImmutableDictionary<string, string> Tags)
{
    public NetworkAclEntry? FindEntry(int ruleNumber, bool egress) => Entries.Find(e => e.RuleNumber == ruleNumber && e.Egress == egress);
}

/// <summary>The AWS rules of network ACL entries: numbers, protocols, ports and quotas (VPC user guide, CreateNetworkAclEntry).</summary>
public static class NetworkAclRules
{
    public const int LowestRuleNumber = 1;
    public const int HighestRuleNumber = 32766;

    /// <summary>The implicit final deny, shown with this number in DescribeNetworkAcls.</summary>
    public const int CatchAllRuleNumber = 32767;

    /// <summary>Rules per direction, counting the implicit deny (AWS's default quota).</summary>
    public const int MaxEntriesPerDirection = 20;

    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string AllProtocols = "-1";

    /// <summary>The rules of a default ACL: rule 100 allows everything in each direction.</summary>
    public static ImmutableList<NetworkAclEntry> DefaultEntries() =>
    [
        new(100, Egress: false, AllProtocols, Allow, "0.0.0.0/0"),
        new(100, Egress: true, AllProtocols, Allow, "0.0.0.0/0"),
    ];

    /// <summary>Validates a requested entry and gives it its canonical form (protocol number, CIDR).</summary>
    public static Result<NetworkAclEntry> Validate(NetworkAclEntryRequest request)
    {
        if (request.RuleNumber is < LowestRuleNumber or > HighestRuleNumber)
            return AwsError.InvalidParameterValue(
                $"Value ({request.RuleNumber}) for parameter ruleNumber is invalid. Rule number must be in the range {LowestRuleNumber} to {HighestRuleNumber}");
        if (request.RuleAction is not (Allow or Deny))
            return AwsError.InvalidParameterValue($"Value ({request.RuleAction}) for parameter ruleAction is invalid. Valid values are: allow, deny");
        if (request.CidrBlock is null)
            return AwsError.MissingParameter("The request must contain the parameter cidrBlock or ipv6CidrBlock");
        if (!Cidr.TryParse(request.CidrBlock, out var cidr))
            return AwsError.InvalidParameterValue($"Value ({request.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.");
        if (ProtocolNumber(request.Protocol) is not { } protocol)
            return AwsError.InvalidParameterValue($"Value ({request.Protocol}) for parameter protocol is invalid. Protocol must be a protocol number between -1 and 255, or tcp, udp, icmp.");
        PortRange? ports = null;
        IcmpTypeCode? icmp = null;
        if (protocol is "6" or "17")
        {
            if (request.PortRange is not { } range)
                return AwsError.MissingParameter("The request must contain the parameter portRange");
            if (range.From is < 0 or > 65535 || range.To is < 0 or > 65535 || range.From > range.To)
                return AwsError.InvalidParameterValue($"Invalid port range {range.From}-{range.To}: ports must be between 0 and 65535 and From must not exceed To");
            ports = range;
        }
        else if (protocol == "1")
        {
            if (request.IcmpTypeCode is not { } typeCode)
                return AwsError.MissingParameter("The request must contain the parameter icmpTypeCode");
            if (typeCode.Type is < -1 or > 255 || typeCode.Code is < -1 or > 255)
                return AwsError.InvalidParameterValue($"Invalid ICMP type {typeCode.Type} or code {typeCode.Code}: both must be between -1 and 255");
            icmp = typeCode;
        }
        return new NetworkAclEntry(request.RuleNumber, request.Egress, protocol, request.RuleAction, cidr.ToString(), ports, icmp);
    }

    /// <summary>AWS accepts names for the common protocols and stores numbers.</summary>
    public static string? ProtocolNumber(string protocol) => protocol.ToLowerInvariant() switch
    {
        "-1" or "all" => AllProtocols,
        "tcp" => "6",
        "udp" => "17",
        "icmp" => "1",
        "icmpv6" => "58",
        var other when int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 255 => number.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public static AwsError NetworkAclNotFound(string networkAclId) =>
        new("InvalidNetworkAclID.NotFound", $"The networkAcl ID '{networkAclId}' does not exist");

    public static AwsError NetworkAclIdMalformed(string networkAclId) =>
        new("InvalidNetworkAclId.Malformed", $"Invalid id: \"{networkAclId}\" (expecting \"acl-...\")");

    public static AwsError EntryAlreadyExists(int ruleNumber) =>
        new("NetworkAclEntryAlreadyExists", $"The network acl entry identified by {ruleNumber} already exists.");

    public static AwsError EntryNotFound(int ruleNumber) =>
        new("InvalidNetworkAclEntry.NotFound", $"The network acl entry identified by {ruleNumber} does not exist.");
}

/// <summary>CreateNetworkAclEntry and ReplaceNetworkAclEntry as requested, before validation.</summary>
public sealed record NetworkAclEntryRequest(
    int RuleNumber,
    bool Egress,
    string Protocol,
    string RuleAction,
    string? CidrBlock,
    PortRange? PortRange = null,
    IcmpTypeCode? IcmpTypeCode = null);
