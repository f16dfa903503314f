using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;

namespace Orchestrator.Domain.Vpc;

/// <summary>
/// Everything reachability reads about one VPC at one moment: its subnets, route tables and ACLs,
/// the instances, security groups, gateways and Elastic IPs around it, and the live zone status
/// (our extension: AWS Reachability Analyzer looks at configuration only).
/// </summary>
public sealed record NetworkSnapshot(
    VpcState Vpc,
    RegionStatus Region,
    ImmutableArray<InstanceView> Instances,
    ImmutableArray<SecurityGroupView> SecurityGroups,
    ImmutableArray<NatGatewayView> NatGateways,
    ImmutableArray<InternetGatewayView> InternetGateways,
    ImmutableArray<ElasticAddressView> ElasticAddresses);

/// <summary>What is sent: a protocol (tcp, udp or icmp) and, for tcp and udp, the destination port. ICMP is an echo request.</summary>
public sealed record Flow(string Protocol, int? Port)
{
    public static Flow Tcp(int port) => new("tcp", port);

    /// <summary>tcp and udp need a port in 0-65535; icmp takes none.</summary>
    public static Result<Flow> Of(string protocol, int? port) => protocol.ToLowerInvariant() switch
    {
        "tcp" or "udp" when port is null => AwsError.MissingParameter($"a {protocol} flow needs a destination port"),
        "tcp" or "udp" when port is < 0 or > 65535 => AwsError.InvalidParameterValue($"Value ({port}) for parameter port is invalid. Ports are 0-65535"),
        "tcp" or "udp" => new Flow(protocol.ToLowerInvariant(), port),
        "icmp" => new Flow("icmp", null),
        _ => AwsError.InvalidParameterValue($"Value ({protocol}) for parameter protocol is invalid. Valid values are: tcp, udp, icmp"),
    };

    public override string ToString() => Port is { } port ? $"{Protocol} {port.ToString(CultureInfo.InvariantCulture)}" : Protocol;
}

/// <summary>One component the packet (or its reply) crosses, and what it made of it.</summary>
public sealed record ReachabilityHop(string Component, string ResourceId, bool Allowed, string Explanation)
{
    public override string ToString() => $"{(Allowed ? "ok" : "BLOCKED")} {Component} {ResourceId}: {Explanation}";
}

/// <summary>The answer: reachable or not, the hops in order (the last one blocks when not), and the way out to the internet when there is one.</summary>
public sealed record ReachabilityVerdict(string Source, string Destination, Flow Flow, bool Reachable, ImmutableArray<ReachabilityHop> Hops, string? Via)
{
    public ReachabilityHop? BlockedAt => Reachable ? null : Hops[^1];
}

/// <summary>One subnet's way to the internet: through which gateway (and zone), or the hop that blocks it.</summary>
public sealed record SubnetEgress(string SubnetId, string AvailabilityZone, string RouteTableId, bool HasEgress, string? Via, string Explanation);

/// <summary>
/// The reachability algorithm of aws-semantics.md 2.9, as a pure function of a snapshot: security
/// groups (stateful, allow only, CIDR and group references), network ACLs at subnet boundaries
/// (stateless, lowest rule number first, first match wins, replies on ephemeral ports), route
/// tables (main or explicit association, longest-prefix match, blackholes), internet and NAT
/// gateways, public addresses, and live zone status: a NAT gateway keeps its state and its routes
/// stay active while its zone is down, but it forwards nothing.
/// </summary>
public static class Reachability
{
    public const string Internet = "internet";

    /// <summary>The generic internet destination: only routes and rules covering all of it apply.</summary>
    public static readonly Cidr AnyInternetAddress = Cidr.Of(0, 0);

    /// <summary>Linux's client ports, where replies to an instance's connections arrive (aws-semantics.md 2.7).</summary>
    public static readonly PortRange InstanceEphemeralPorts = new(32768, 61000);

    /// <summary>The source ports of NAT gateways and load balancer nodes, where replies arrive at them.</summary>
    public static readonly PortRange GatewayEphemeralPorts = new(1024, 65535);

    private const int EchoRequest = 8;
    private const int EchoReply = 0;

    /// <summary>Can instance A open a connection to instance B on this flow, and do the replies get back?</summary>
    public static ReachabilityVerdict InstanceToInstance(NetworkSnapshot net, string sourceId, string destinationId, Flow flow)
    {
        var path = new PathBuilder();
        var reachable = Endpoint(net, sourceId, path) is { } a && Endpoint(net, destinationId, path) is { } b && Running(net, a, path) && Connect(net, a, b, flow, path);
        return new ReachabilityVerdict(sourceId, destinationId, flow, reachable, path.Hops, null);
    }

    /// <summary>
    /// A load balancer's health check of an instance: from the balancer's node in each of its subnets
    /// (its security groups, the subnet's ACL and routes) to the instance on the check's port, with the
    /// replies back to the node's ephemeral ports. Reachable when the node of some live zone gets through.
    /// A balancer without security groups (a network load balancer can have none) filters nothing itself.
    /// </summary>
    public static ReachabilityVerdict LoadBalancerToInstance(
        NetworkSnapshot net, string loadBalancer, ImmutableArray<string> securityGroupIds, ImmutableArray<string> subnetIds, string instanceId, Flow flow)
    {
        var groups = securityGroupIds.Select(id => net.SecurityGroups.FirstOrDefault(g => g.GroupId == id)).OfType<SecurityGroupView>().ToImmutableArray();
        ReachabilityVerdict? last = null;
        foreach (var subnetId in subnetIds)
        {
            var path = new PathBuilder();
            var reachable = net.Vpc.FindSubnet(subnetId) is not { } subnet
                ? path.Block("load-balancer", loadBalancer, $"its subnet {subnetId} is not in {net.Vpc.VpcId}")
                : net.Region.Zone(subnet.AvailabilityZone) is { IsUp: false } zone
                    ? path.Block("availability-zone", subnet.AvailabilityZone, $"the load balancer's node in {subnet.AvailabilityZone} is down ({zone.Mode.ToString().ToLowerInvariant()} outage)")
                    : Endpoint(net, instanceId, path) is { } target
                      && path.Allow("load-balancer", loadBalancer, $"node in {subnet.SubnetId} ({subnet.AvailabilityZone})")
                      && Connect(net, new Node(loadBalancer, subnet, net.Vpc.RouteTableOf(subnetId), subnet.Block(), groups, null, GatewayEphemeralPorts), target, flow, path);
            last = new ReachabilityVerdict(loadBalancer, instanceId, flow, reachable, path.Hops, null);
            if (reachable)
                return last;
        }
        return last ?? new ReachabilityVerdict(loadBalancer, instanceId, flow, false,
            [new ReachabilityHop("load-balancer", loadBalancer, false, "the load balancer has no subnet")], null);
    }

    /// <summary>From a running source to a destination in the same VPC, and the replies back.</summary>
    private static bool Connect(NetworkSnapshot net, Node a, Node b, Flow flow, PathBuilder path)
    {
        if (a.Filtered && !SecurityGroupsAllow(a, egress: true, b.Address, b.Groups, flow, path))
            return false;
        var crossesSubnets = a.Subnet.SubnetId != b.Subnet.SubnetId;
        if (crossesSubnets
            && (!AclAllows(net, a.Subnet, egress: true, b.Address, flow.Protocol, Ports(flow), Icmp(flow, EchoRequest), path)
                || !RoutesLocally(a, b, path)
                || !AclAllows(net, b.Subnet, egress: false, a.Address, flow.Protocol, Ports(flow), Icmp(flow, EchoRequest), path)))
            return false;
        if (!Running(net, b, path) || !SecurityGroupsAllow(b, egress: false, a.Address, a.Groups, flow, path))
            return false;
        path.Allow("security-group", string.Join(",", b.Groups.Select(g => g.GroupId)), "replies are allowed back: security groups are stateful");
        return !crossesSubnets
            || (AclAllows(net, b.Subnet, egress: true, a.Address, flow.Protocol, ReplyPorts(flow, a.Ephemeral), Icmp(flow, EchoReply), path, reply: true)
                && AclAllows(net, a.Subnet, egress: false, b.Address, flow.Protocol, ReplyPorts(flow, a.Ephemeral), Icmp(flow, EchoReply), path, reply: true));
    }

    /// <summary>Can instance A reach the internet (any address) on this flow, and through what?</summary>
    public static ReachabilityVerdict InstanceToInternet(NetworkSnapshot net, string sourceId, Flow flow)
    {
        var path = new PathBuilder();
        if (Endpoint(net, sourceId, path) is not { } a || !Running(net, a, path)
            || !SecurityGroupsAllow(a, egress: true, AnyInternetAddress, [], flow, path))
            return new ReachabilityVerdict(sourceId, Internet, flow, false, path.Hops, null);
        var via = Egress(net, a.Subnet, a.Address, a.RouteTable, PublicIpOf(net, a.Instance!) is not null, flow, path);
        return new ReachabilityVerdict(sourceId, Internet, flow, via is not null, path.Hops, via);
    }

    /// <summary>Each subnet of the VPC: would an instance there (with a public address where the route needs one) reach the internet on this flow?</summary>
    public static ImmutableArray<SubnetEgress> SubnetEgress(NetworkSnapshot net, Flow flow) =>
    [
        .. net.Vpc.Subnets.Select(subnet =>
        {
            var path = new PathBuilder();
            var table = net.Vpc.RouteTableOf(subnet.SubnetId);
            var via = net.Region.Zone(subnet.AvailabilityZone) is { IsUp: false } zone
                ? path.BlockNull("availability-zone", subnet.AvailabilityZone, $"{subnet.AvailabilityZone} is unavailable ({zone.Mode.ToString().ToLowerInvariant()} outage): nothing in the subnet runs")
                : Egress(net, subnet, subnet.Block(), table, hasPublicIp: true, flow, path);
            var explanation = via is null ? path.Hops[^1].ToString() : string.Join("; ", path.Hops.Where(h => h.Component is "route-table" or "nat-gateway" or "internet-gateway").Select(h => h.Explanation));
            return new SubnetEgress(subnet.SubnetId, subnet.AvailabilityZone, table?.RouteTableId ?? "", via is not null, via, explanation);
        }),
    ];

    // ---- The way out: subnet ACL, route, then an internet gateway or a NAT gateway and its own subnet's way out.

    /// <returns>How the traffic leaves ("igw-..." or "nat-... in zone"), or null when a hop blocks it.</returns>
    private static string? Egress(NetworkSnapshot net, Subnet subnet, Cidr source, RouteTable? table, bool hasPublicIp, Flow flow, PathBuilder path)
    {
        if (!AclAllows(net, subnet, egress: true, AnyInternetAddress, flow.Protocol, Ports(flow), Icmp(flow, EchoRequest), path))
            return null;
        if (Lookup(table, AnyInternetAddress, path, subnet) is not { } route)
            return null;
        switch (route.Target.Kind)
        {
            case RouteTarget.Gateway when route.Target.Id.StartsWith("igw-", StringComparison.Ordinal):
                if (!GatewayAttached(net, route, table!, path))
                    return null;
                if (!hasPublicIp)
                {
                    path.Block("instance", source.ToString(), "no public IP address: the internet gateway only translates public or Elastic IP addresses");
                    return null;
                }
                if (!AclAllows(net, subnet, egress: false, AnyInternetAddress, flow.Protocol, ReplyPorts(flow, InstanceEphemeralPorts), Icmp(flow, EchoReply), path, reply: true))
                    return null;
                return route.Target.Id;
            case RouteTarget.NatGateway:
                return ThroughNat(net, subnet, source, route, flow, path);
            default:
                path.Block("route-table", table!.RouteTableId,
                    $"{route.DestinationCidrBlock} -> {route.Target.Id}: traffic through a {route.Target.Kind} is not modelled, so it does not reach the internet");
                return null;
        }
    }

    private static string? ThroughNat(NetworkSnapshot net, Subnet subnet, Cidr source, Route route, Flow flow, PathBuilder path)
    {
        var natId = route.Target.Id;
        var nat = net.NatGateways.FirstOrDefault(n => n.NatGatewayId == natId);
        if (nat is null || nat.State is NatGatewayStates.Deleting or NatGatewayStates.Deleted or NatGatewayStates.Failed)
            return path.BlockNull("nat-gateway", natId, $"blackhole: the NAT gateway is {nat?.State ?? "gone"}");
        if (nat.State != NatGatewayStates.Available)
            return path.BlockNull("nat-gateway", natId, $"the NAT gateway is {nat.State}, not available yet");
        if (!NatGatewayBehavior.Forwards(nat, net.Region))
            return path.BlockNull("nat-gateway", natId,
                $"NAT gateway {natId} in {nat.AvailabilityZone} unavailable: its zone is down ({net.Region.Zone(nat.AvailabilityZone)!.Mode.ToString().ToLowerInvariant()} outage); the route stays active but nothing is forwarded");
        if (nat.ConnectivityType == NatGateway.Private)
            return path.BlockNull("nat-gateway", natId, "a private NAT gateway cannot reach the internet: traffic it sends to an internet gateway is dropped");
        path.Allow("nat-gateway", natId, $"available in {nat.AvailabilityZone}, translating to {nat.Address.PublicIp}");
        if (net.Vpc.FindSubnet(nat.SubnetId) is not { } natSubnet)
            return path.BlockNull("nat-gateway", natId, $"its subnet {nat.SubnetId} is gone");
        var crosses = natSubnet.SubnetId != subnet.SubnetId;
        if (crosses && !AclAllows(net, natSubnet, egress: false, source, flow.Protocol, Ports(flow), Icmp(flow, EchoRequest), path))
            return null;
        var natTable = net.Vpc.RouteTableOf(natSubnet.SubnetId);
        if (Lookup(natTable, AnyInternetAddress, path, natSubnet) is not { } natRoute)
            return null;
        if (natRoute.Target.Kind != RouteTarget.Gateway || !natRoute.Target.Id.StartsWith("igw-", StringComparison.Ordinal))
            return path.BlockNull("route-table", natTable!.RouteTableId,
                $"the NAT gateway's subnet {natSubnet.SubnetId} sends {natRoute.DestinationCidrBlock} to {natRoute.Target.Id}, not to an internet gateway");
        if (!GatewayAttached(net, natRoute, natTable!, path)
            || !AclAllows(net, natSubnet, egress: true, AnyInternetAddress, flow.Protocol, Ports(flow), Icmp(flow, EchoRequest), path)
            || !AclAllows(net, natSubnet, egress: false, AnyInternetAddress, flow.Protocol, ReplyPorts(flow, GatewayEphemeralPorts), Icmp(flow, EchoReply), path, reply: true))
            return null;
        // The NAT gateway hands the reply back from the server's address to the client's ephemeral port.
        if (crosses && (!AclAllows(net, natSubnet, egress: true, source, flow.Protocol, ReplyPorts(flow, InstanceEphemeralPorts), Icmp(flow, EchoReply), path, reply: true)
                || !AclAllows(net, subnet, egress: false, AnyInternetAddress, flow.Protocol, ReplyPorts(flow, InstanceEphemeralPorts), Icmp(flow, EchoReply), path, reply: true)))
            return null;
        return $"{natId} in {nat.AvailabilityZone}";
    }

    private static bool GatewayAttached(NetworkSnapshot net, Route route, RouteTable table, PathBuilder path)
    {
        var igw = net.InternetGateways.FirstOrDefault(g => g.InternetGatewayId == route.Target.Id);
        if (igw?.AttachedVpcId != net.Vpc.VpcId)
            return path.Block("internet-gateway", route.Target.Id,
                $"blackhole: route {route.DestinationCidrBlock} in {table.RouteTableId} points at an internet gateway {(igw is null ? "that no longer exists" : "not attached to " + net.Vpc.VpcId)}");
        return path.Allow("internet-gateway", route.Target.Id, $"attached to {net.Vpc.VpcId}");
    }

    // ---- Routes

    /// <summary>Longest-prefix match among the routes whose destination covers the whole destination block.</summary>
    public static Route? LongestPrefixMatch(RouteTable table, Cidr destination)
    {
        Route? best = null;
        var bestLength = -1;
        foreach (var route in table.Routes)
            if (Cidr.TryParse(route.DestinationCidrBlock, out var cidr) && cidr.Contains(destination) && cidr.PrefixLength > bestLength)
                (best, bestLength) = (route, cidr.PrefixLength);
        return best;
    }

    private static Route? Lookup(RouteTable? table, Cidr destination, PathBuilder path, Subnet subnet)
    {
        if (table is null)
            return path.BlockNull<Route>("route-table", subnet.SubnetId, $"no route table: no route to {destination}");
        if (LongestPrefixMatch(table, destination) is not { } route)
            return path.BlockNull<Route>("route-table", table.RouteTableId, $"no route to {destination} in route table {table.RouteTableId}");
        path.Allow("route-table", table.RouteTableId, $"{route.DestinationCidrBlock} -> {route.Target.Id} (longest prefix match for {destination})");
        return route;
    }

    private static bool RoutesLocally(Node a, Node b, PathBuilder path)
    {
        if (Lookup(a.RouteTable, b.Address, path, a.Subnet) is not { } route)
            return false;
        return route.Target.Kind == RouteTarget.Local
            || path.Block("route-table", a.RouteTable!.RouteTableId,
                $"{route.DestinationCidrBlock} -> {route.Target.Id}: traffic through a {route.Target.Kind} is not modelled, so it does not reach {b.Id}");
    }

    // ---- Network ACLs

    /// <summary>
    /// The subnet's ACL in one direction for every port of the range: rules in ascending number,
    /// the first that matches a port decides it; ports no rule matches fall to the implicit deny.
    /// </summary>
    private static bool AclAllows(NetworkSnapshot net, Subnet subnet, bool egress, Cidr peer, string protocol, PortRange? ports, int? icmpType, PathBuilder path, bool reply = false)
    {
        var acl = net.Vpc.NetworkAclOf(subnet.SubnetId) ?? net.Vpc.DefaultNetworkAcl();
        var direction = egress ? "outbound" : "inbound";
        var what = $"{(reply ? "reply " : "")}{direction} {protocol}{(ports is { } p ? " " + Range(p) : "")} {(egress ? "to" : "from")} {peer}";
        if (acl is null)
            return path.Allow("network-acl", subnet.SubnetId, $"{what}: the subnet has no network ACL");
        var undecided = new List<PortRange> { ports ?? new PortRange(0, 0) };
        var deciding = new List<int>();
        foreach (var entry in acl.Entries.Where(e => e.Egress == egress).OrderBy(e => e.RuleNumber))
        {
            if (!AclEntryMatches(entry, peer, protocol, icmpType))
                continue;
            var covered = ports is null || entry.PortRange is null ? undecided.ToList() : Intersect(undecided, entry.PortRange);
            if (covered.Count == 0)
                continue;
            if (entry.RuleAction == NetworkAclRules.Deny)
                return path.Block("network-acl", acl.NetworkAclId,
                    $"network ACL {acl.NetworkAclId} rule {entry.RuleNumber} denies {what}{(ports is null ? "" : " (ports " + string.Join(",", covered.Select(Range)) + ")")}");
            deciding.Add(entry.RuleNumber);
            undecided = Subtract(undecided, covered);
            if (undecided.Count == 0)
                return path.Allow("network-acl", acl.NetworkAclId, $"rule {string.Join(",", deciding)} allows {what}");
        }
        return path.Block("network-acl", acl.NetworkAclId,
            $"network ACL {acl.NetworkAclId} rule * denies {what}{(ports is null ? "" : " (ports " + string.Join(",", undecided.Select(Range)) + ")")}: no rule allows it");
    }

    private static bool AclEntryMatches(NetworkAclEntry entry, Cidr peer, string protocol, int? icmpType)
    {
        if (!Cidr.TryParse(entry.CidrBlock, out var cidr) || !cidr.Contains(peer))
            return false;
        if (entry.Protocol == NetworkAclRules.AllProtocols)
            return true;
        if (entry.Protocol != NetworkAclRules.ProtocolNumber(protocol))
            return false;
        return protocol != "icmp" || entry.IcmpTypeCode is not { } tc || tc.Type == -1 || tc.Type == icmpType;
    }

    private static List<PortRange> Intersect(List<PortRange> ranges, PortRange with) =>
        [.. ranges.Where(r => r.From <= with.To && with.From <= r.To).Select(r => new PortRange(Math.Max(r.From, with.From), Math.Min(r.To, with.To)))];

    private static List<PortRange> Subtract(List<PortRange> ranges, List<PortRange> removed)
    {
        var result = ranges;
        foreach (var cut in removed)
            result = [.. result.SelectMany(r => r.To < cut.From || cut.To < r.From
                ? [r]
                : new[] { new PortRange(r.From, cut.From - 1), new PortRange(cut.To + 1, r.To) }.Where(x => x.From <= x.To))];
        return result;
    }

    private static string Range(PortRange r) => r.From == r.To ? r.From.ToString(CultureInfo.InvariantCulture) : $"{r.From}-{r.To}";

    private static PortRange? Ports(Flow flow) => flow.Port is { } port && flow.Protocol is "tcp" or "udp" ? new PortRange(port, port) : null;

    private static PortRange? ReplyPorts(Flow flow, PortRange ephemeral) => flow.Protocol is "tcp" or "udp" ? ephemeral : null;

    private static int? Icmp(Flow flow, int type) => flow.Protocol == "icmp" ? type : null;

    // ---- Security groups

    /// <summary>Some rule of some group of the node allows the flow to (egress) or from (ingress) the peer, by CIDR or by a group the peer carries.</summary>
    private static bool SecurityGroupsAllow(Node node, bool egress, Cidr peer, ImmutableArray<SecurityGroupView> peerGroups, Flow flow, PathBuilder path)
    {
        var direction = egress ? "outbound" : "inbound";
        var what = $"{flow} {(egress ? "to" : "from")} {peer}";
        if (node.Groups.IsEmpty)
            return path.Block("security-group", node.Id, $"{node.Id} has no security group, so no {direction} rule allows {what}");
        foreach (var group in node.Groups)
            foreach (var rule in group.Rules.Where(r => r.IsEgress == egress))
                if (SecurityGroupRuleMatches(rule.Spec, flow) && PeerMatches(rule.Spec, peer, peerGroups))
                    return path.Allow("security-group", group.GroupId, $"rule {rule.SecurityGroupRuleId} ({rule.Spec.IpProtocol} {rule.Spec.Peer}) allows {direction} {what}");
        var ids = string.Join(", ", node.Groups.Select(g => g.GroupId));
        return path.Block("security-group", ids, $"security group{(node.Groups.Length > 1 ? "s" : "")} {ids} {(node.Groups.Length > 1 ? "have" : "has")} no {direction} rule allowing {what}");
    }

    private static bool SecurityGroupRuleMatches(RuleSpec spec, Flow flow) => spec.IpProtocol switch
    {
        RuleSpec.AllProtocols => true,
        "tcp" or "udp" => spec.IpProtocol == flow.Protocol && flow.Port is { } port && spec.FromPort <= port && port <= spec.ToPort,
        "icmp" => flow.Protocol == "icmp" && (spec.FromPort == -1 || (spec.FromPort == EchoRequest && spec.ToPort is -1 or 0)),
        _ => false,
    };

    private static bool PeerMatches(RuleSpec spec, Cidr peer, ImmutableArray<SecurityGroupView> peerGroups) =>
        (spec.CidrIpv4 is { } text && Cidr.TryParse(text, out var cidr) && cidr.Contains(peer))
        || (spec.ReferencedGroupId is { } group && peerGroups.Any(g => g.GroupId == group));

    // ---- Endpoints

    /// <summary>An instance or a load balancer node: where it sits, its address, its groups, and where replies to it arrive.</summary>
    private sealed record Node(string Id, Subnet Subnet, RouteTable? RouteTable, Cidr Address, ImmutableArray<SecurityGroupView> Groups, InstanceView? Instance, PortRange Ephemeral)
    {
        /// <summary>Instances always have security groups; a load balancer without any filters nothing.</summary>
        public bool Filtered => Instance is not null || !Groups.IsEmpty;
    }

    private static Node? Endpoint(NetworkSnapshot net, string instanceId, PathBuilder path)
    {
        var instance = net.Instances.FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance is null)
            return path.BlockNull<Node>("instance", instanceId, "no such instance in this VPC");
        if (instance.VpcId is { } vpcId && vpcId != net.Vpc.VpcId)
            return path.BlockNull<Node>("route-table", instanceId, $"the instance is in {vpcId}: there is no route between {net.Vpc.VpcId} and it (no peering is modelled)");
        if (instance.SubnetId is not { } subnetId || instance.PrivateIpAddress is not { } ip || net.Vpc.FindSubnet(subnetId) is not { } subnet)
            return path.BlockNull<Node>("instance", instanceId, $"the instance is {instance.State.Name} and has no network interface");
        var groups = instance.SecurityGroupIds.IsDefaultOrEmpty
            ? net.SecurityGroups.Where(g => g.VpcId == instance.VpcId && g.GroupName == SecurityGroup.DefaultGroupName).ToImmutableArray()
            : [.. instance.SecurityGroupIds.Select(id => net.SecurityGroups.FirstOrDefault(g => g.GroupId == id)).OfType<SecurityGroupView>()];
        return new Node(instanceId, subnet, net.Vpc.RouteTableOf(subnetId), Cidr.Parse(ip + "/32").Value, groups, instance, InstanceEphemeralPorts);
    }

    private static bool Running(NetworkSnapshot net, Node node, PathBuilder path)
    {
        if (node.Instance is not { } instance)
            return true;
        if (instance.State.Name != "running")
            return path.Block("instance", instance.InstanceId, $"the instance is {instance.State.Name}");
        if (net.Region.Zone(instance.AvailabilityZone) is { IsUp: false } zone)
            return path.Block("availability-zone", instance.AvailabilityZone,
                $"instance {instance.InstanceId} is in {instance.AvailabilityZone}, which is unavailable ({zone.Mode.ToString().ToLowerInvariant()} outage)");
        return path.Allow("instance", instance.InstanceId, $"running in {node.Subnet.SubnetId} ({instance.AvailabilityZone}) at {Ipv4.Format(node.Address.Network)}");
    }

    /// <summary>An auto-assigned public address, or an Elastic IP associated with the instance.</summary>
    public static string? PublicIpOf(NetworkSnapshot net, InstanceView instance) =>
        instance.PublicIpAddress ?? net.ElasticAddresses.FirstOrDefault(a => a.InstanceId == instance.InstanceId)?.PublicIp;

    private sealed class PathBuilder
    {
        private readonly ImmutableArray<ReachabilityHop>.Builder _hops = ImmutableArray.CreateBuilder<ReachabilityHop>();

        public ImmutableArray<ReachabilityHop> Hops => _hops.ToImmutable();

        public bool Allow(string component, string id, string explanation)
        {
            _hops.Add(new ReachabilityHop(component, id, true, explanation));
            return true;
        }

        public bool Block(string component, string id, string explanation)
        {
            _hops.Add(new ReachabilityHop(component, id, false, explanation));
            return false;
        }

        public string? BlockNull(string component, string id, string explanation)
        {
            Block(component, id, explanation);
            return null;
        }

        public T? BlockNull<T>(string component, string id, string explanation)
            where T : class
        {
            Block(component, id, explanation);
            return null;
        }
    }
}
