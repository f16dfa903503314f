using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>Instances and their primary network interfaces in the EC2 model's shapes, with the defaults AWS reports.</summary>
internal static class InstanceJson
{
    public static JsonObject Instance(InstanceView v, int launchIndex, string accountId)
    {
        var type = InstanceTypes.Find(v.InstanceType);
        var threadsPerCore = ThreadsPerCore(v);
        var instance = new JsonObject
        {
            ["InstanceId"] = v.InstanceId,
            ["ImageId"] = v.ImageId,
            ["State"] = State(v.State),
            ["PrivateDnsName"] = v.PrivateDnsName,
            ["PublicDnsName"] = v.PublicDnsName,
            ["StateTransitionReason"] = v.StateTransitionReason,
            ["AmiLaunchIndex"] = launchIndex,
            ["ProductCodes"] = new JsonArray(),
            ["InstanceType"] = v.InstanceType,
            ["LaunchTime"] = JsonValue.Create(v.LaunchTime),
            ["Placement"] = new JsonObject { ["AvailabilityZone"] = v.AvailabilityZone, ["Tenancy"] = v.Tenancy, ["GroupName"] = "" },
            ["Monitoring"] = new JsonObject { ["State"] = v.MonitoringState },
            ["Architecture"] = v.Architecture,
            ["RootDeviceType"] = v.RootDeviceType,
            ["RootDeviceName"] = v.RootDeviceName,
            ["VirtualizationType"] = v.VirtualizationType,
            ["Hypervisor"] = "xen",
            ["EbsOptimized"] = v.EbsOptimized,
            ["EnaSupport"] = true,
            ["SourceDestCheck"] = v.SourceDestCheck,
            ["PlatformDetails"] = v.PlatformDetails,
            ["UsageOperation"] = v.Platform is null ? "RunInstances" : "RunInstances:0002",
            ["BlockDeviceMappings"] = new JsonArray(),
            ["SecurityGroups"] = Groups(v),
            ["NetworkInterfaces"] = v.State.Name == "terminated" ? new JsonArray() : new JsonArray(InstanceInterface(v, accountId)),
            ["Tags"] = Tags(v.Tags),
            ["CpuOptions"] = new JsonObject { ["CoreCount"] = (type?.VCpus ?? 1) / threadsPerCore, ["ThreadsPerCore"] = threadsPerCore },
            ["CapacityReservationSpecification"] = new JsonObject { ["CapacityReservationPreference"] = "open" },
            ["HibernationOptions"] = new JsonObject { ["Configured"] = false },
            ["MetadataOptions"] = new JsonObject
            {
                ["State"] = "applied",
                ["HttpTokens"] = "optional",
                ["HttpPutResponseHopLimit"] = 1,
                ["HttpEndpoint"] = "enabled",
                ["HttpProtocolIpv6"] = "disabled",
                ["InstanceMetadataTags"] = "disabled",
            },
            ["EnclaveOptions"] = new JsonObject { ["Enabled"] = false },
            ["BootMode"] = BootMode(v),
            ["CurrentInstanceBootMode"] = BootMode(v),
            ["PrivateDnsNameOptions"] = new JsonObject
            {
                ["HostnameType"] = "ip-name",
                ["EnableResourceNameDnsARecord"] = false,
                ["EnableResourceNameDnsAAAARecord"] = false,
            },
            ["MaintenanceOptions"] = new JsonObject { ["AutoRecovery"] = "default", ["RebootMigration"] = "default" },
        };
        void Set(string name, string? value)
        {
            if (value is not null)
                instance[name] = value;
        }
        Set("SubnetId", v.SubnetId);
        Set("VpcId", v.VpcId);
        Set("PrivateIpAddress", v.PrivateIpAddress);
        Set("PublicIpAddress", v.PublicIpAddress);
        Set("KeyName", v.KeyName);
        Set("ClientToken", v.ClientToken);
        Set("Platform", v.Platform);
        if (v.StateReason is { } reason)
            instance["StateReason"] = new JsonObject { ["Code"] = reason.Code, ["Message"] = reason.Message };
        if (v.IamInstanceProfile is { } profile)
            instance["IamInstanceProfile"] = new JsonObject { ["Arn"] = profile, ["Id"] = "AIPA" + Convert.ToHexString(Encoding.UTF8.GetBytes(profile))[..17] };
        return instance;
    }

    /// <summary>The primary interface as DescribeNetworkInterfaces lists it.</summary>
    public static JsonObject NetworkInterface(InstanceView v, string accountId)
    {
        var eni = new JsonObject
        {
            ["NetworkInterfaceId"] = v.NetworkInterfaceId,
            ["AvailabilityZone"] = v.AvailabilityZone,
            ["Description"] = "",
            ["Groups"] = Groups(v),
            ["InterfaceType"] = "interface",
            ["Ipv6Addresses"] = new JsonArray(),
            ["MacAddress"] = MacAddress(v.NetworkInterfaceId),
            ["OwnerId"] = accountId,
            ["PrivateDnsName"] = v.PrivateDnsName,
            ["PrivateIpAddress"] = v.PrivateIpAddress,
            ["PrivateIpAddresses"] = new JsonArray(PrivateAddress(v)),
            ["RequesterManaged"] = false,
            ["SourceDestCheck"] = v.SourceDestCheck,
            ["Status"] = "in-use",
            ["SubnetId"] = v.SubnetId,
            ["VpcId"] = v.VpcId,
            ["TagSet"] = new JsonArray(),
            ["DenyAllIgwTraffic"] = false,
            ["Ipv6Native"] = false,
            ["Attachment"] = new JsonObject
            {
                ["AttachTime"] = JsonValue.Create(v.LaunchTime),
                ["AttachmentId"] = AttachmentId(v.NetworkInterfaceId),
                ["DeleteOnTermination"] = true,
                ["DeviceIndex"] = 0,
                ["NetworkCardIndex"] = 0,
                ["InstanceId"] = v.InstanceId,
                ["InstanceOwnerId"] = accountId,
                ["Status"] = "attached",
            },
        };
        if (Association(v) is { } association)
            eni["Association"] = association;
        return eni;
    }

    public static JsonObject State(InstanceStateView state) => new() { ["Code"] = state.Code, ["Name"] = state.Name };

    public static JsonArray Groups(InstanceView v) =>
        new([.. v.SecurityGroupIds.Select(id => (JsonNode)new JsonObject { ["GroupId"] = id, ["GroupName"] = id })]);

    /// <summary>Graviton and T2 run one thread per core; the other listed types two.</summary>
    private static int ThreadsPerCore(InstanceView v) =>
        v.Architecture == InstanceTypes.Arm || v.InstanceType.StartsWith("t2.", StringComparison.Ordinal) || InstanceTypes.Find(v.InstanceType) is { VCpus: 1 } ? 1 : 2;

    private static string BootMode(InstanceView v) => v.Architecture == InstanceTypes.Arm ? "uefi" : "legacy-bios";

    private static JsonObject InstanceInterface(InstanceView v, string accountId)
    {
        var eni = new JsonObject
        {
            ["Attachment"] = new JsonObject
            {
                ["AttachTime"] = JsonValue.Create(v.LaunchTime),
                ["AttachmentId"] = AttachmentId(v.NetworkInterfaceId),
                ["DeleteOnTermination"] = true,
                ["DeviceIndex"] = 0,
                ["NetworkCardIndex"] = 0,
                ["Status"] = "attached",
            },
            ["Description"] = "",
            ["Groups"] = Groups(v),
            ["Ipv6Addresses"] = new JsonArray(),
            ["MacAddress"] = MacAddress(v.NetworkInterfaceId),
            ["NetworkInterfaceId"] = v.NetworkInterfaceId,
            ["OwnerId"] = accountId,
            ["PrivateDnsName"] = v.PrivateDnsName,
            ["PrivateIpAddress"] = v.PrivateIpAddress,
            ["PrivateIpAddresses"] = new JsonArray(PrivateAddress(v)),
            ["SourceDestCheck"] = v.SourceDestCheck,
            ["Status"] = "in-use",
            ["SubnetId"] = v.SubnetId,
            ["VpcId"] = v.VpcId,
            ["InterfaceType"] = "interface",
        };
        if (Association(v) is { } association)
            eni["Association"] = association;
        return eni;
    }

    private static JsonObject PrivateAddress(InstanceView v)
    {
        var address = new JsonObject { ["Primary"] = true, ["PrivateDnsName"] = v.PrivateDnsName, ["PrivateIpAddress"] = v.PrivateIpAddress };
        if (Association(v) is { } association)
            address["Association"] = association;
        return address;
    }

    private static JsonObject? Association(InstanceView v) => v.PublicIpAddress is { } publicIp
        ? new JsonObject { ["IpOwnerId"] = "amazon", ["PublicDnsName"] = v.PublicDnsName, ["PublicIp"] = publicIp }
        : null;

    /// <summary>A locally administered unicast MAC (0e:...) derived from the interface id, so it never changes.</summary>
    public static string MacAddress(string networkInterfaceId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(networkInterfaceId));
        return "0e:" + string.Join(':', hash.Take(5).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static string AttachmentId(string networkInterfaceId) => "eni-attach-" + networkInterfaceId[4..].PadRight(AwsIds.HexLength, '0')[..AwsIds.HexLength];
}
