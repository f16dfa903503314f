using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Region;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>
/// EC2's AWS actions on the node's entities: requests arrive as value trees typed by the EC2
/// model, go to the EC2 service layer, and come back as trees the protocol layer encodes.
/// </summary>
public sealed class Ec2ApiModule(Ec2Service ec2, RegionSnapshot region) : IAwsServiceModule
{
    private static readonly FrozenSet<string> ZoneFilters = FrozenSet.Create("zone-name", "zone-id", "state", "region-name", "zone-type");

    private static readonly FrozenSet<string> InstanceFilters = FrozenSet.Create(
        "instance-state-name", "instance-state-code", "instance-id", "instance-type", "image-id", "reservation-id", "subnet-id", "vpc-id",
        "availability-zone", "placement.availability-zone", "private-ip-address", "ip-address", "key-name", "monitoring-state", "tag-key",
        "network-interface.network-interface-id", "instance.group-id", "source-dest-check");

    private static readonly FrozenSet<string> VpcFilters = FrozenSet.Create("vpc-id", "cidr", "cidr-block-association.cidr-block", "is-default", "state", "tag-key");

    private static readonly FrozenSet<string> SubnetFilters = FrozenSet.Create(
        "subnet-id", "vpc-id", "availability-zone", "availability-zone-id", "cidr-block", "cidr", "cidrBlock", "default-for-az", "defaultForAz",
        "map-public-ip-on-launch", "state", "tag-key");

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "DescribeRegions", _ => DescribeRegions());
        registry.Register("ec2", "DescribeAvailabilityZones", request => DescribeAvailabilityZones(request.Input));
        registry.Register("ec2", "RunInstances", (request, _) => RunInstances(request));
        registry.Register("ec2", "DescribeInstances", (request, _) => DescribeInstances(request));
        registry.Register("ec2", "StartInstances", (request, _) => ChangeState(request, "StartingInstances", id => new InstanceCommands.Start(id)));
        registry.Register("ec2", "StopInstances", (request, _) => ChangeState(request, "StoppingInstances", id => new InstanceCommands.Stop(id, Bool(request.Input, "Force"))));
        registry.Register("ec2", "TerminateInstances", (request, _) => ChangeState(request, "TerminatingInstances", id => new InstanceCommands.Terminate(id)));
        registry.Register("ec2", "RebootInstances", async (request, _) => (await ChangeState(request, "Ignored", id => new InstanceCommands.Reboot(id))).Error is { } error ? error : new JsonObject());
        registry.Register("ec2", "DescribeVpcs", (request, _) => DescribeVpcs(request.Input, request.Context.AccountId));
        registry.Register("ec2", "DescribeSubnets", (request, _) => DescribeSubnets(request.Input, request.Context.AccountId));
        registry.Register("ec2", "DescribeInstanceStatus", (request, cancellationToken) => DescribeInstanceStatus(request.Input, cancellationToken));
        registry.Register("ec2", "MonitorInstances", (request, cancellationToken) => SetMonitoring(request.Input, detailed: true, cancellationToken));
        registry.Register("ec2", "UnmonitorInstances", (request, cancellationToken) => SetMonitoring(request.Input, detailed: false, cancellationToken));
        registry.Register("ec2", "DescribeInstanceTypes", request => DescribeInstanceTypes(request.Input));
        registry.Register("ec2", "DescribeImages", request => DescribeImages(request.Input));
        registry.Register("ec2", "CreateVpc", async (request, cancellationToken) =>
        {
            if (String(request.Input, "CidrBlock") is null)
                return ToApi(Domain.Common.AwsError.MissingParameter("The request must contain the parameter cidrBlock"));
            var created = await ec2.CreateVpc(String(request.Input, "CidrBlock")!, String(request.Input, "InstanceTenancy"), NullIfEmpty(TagSpecifications(request.Input, "vpc")), cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["Vpc"] = VpcJson(created.Value, request.Context.AccountId) };
        });
        registry.Register("ec2", "CreateSubnet", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await ec2.CreateSubnet(String(input, "VpcId") ?? "", String(input, "CidrBlock") ?? "", String(input, "AvailabilityZone"),
                String(input, "AvailabilityZoneId"), NullIfEmpty(TagSpecifications(input, "subnet")), cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["Subnet"] = SubnetJson(created.Value, request.Context.AccountId) };
        });
        registry.Register("ec2", "DeleteSubnet", async (request, cancellationToken) =>
            (await ec2.DeleteSubnet(String(request.Input, "SubnetId") ?? "", cancellationToken).ConfigureAwait(false)).Error is { } error ? ToApi(error) : new JsonObject());
        registry.Register("ec2", "DeleteVpc", async (request, cancellationToken) =>
            (await ec2.DeleteVpc(String(request.Input, "VpcId") ?? "", cancellationToken).ConfigureAwait(false)).Error is { } error ? ToApi(error) : new JsonObject());
        registry.Register("ec2", "CreateDefaultVpc", async (request, cancellationToken) =>
        {
            var created = await ec2.CreateDefaultVpc(cancellationToken).ConfigureAwait(false);
            return created.IsError ? ToApi(created.Error!) : new JsonObject { ["Vpc"] = VpcJson(created.Value, request.Context.AccountId) };
        });
    }

    private JsonObject DescribeRegions() => new()
    {
        ["Regions"] = new JsonArray(new JsonObject
        {
            ["RegionName"] = region.Current.Region,
            ["Endpoint"] = $"ec2.{region.Current.Region}.amazonaws.com",
            ["OptInStatus"] = "opt-in-not-required",
        }),
    };

    private AwsResult DescribeAvailabilityZones(JsonObject input)
    {
        var filters = Filters.Parse(input, ZoneFilters);
        var names = Strings(input, "ZoneNames");
        if (names.FirstOrDefault(name => region.Current.Status.Zone(name) is null) is { } unknownZone)
            return ToApi(Domain.Common.AwsError.InvalidParameterValue($"The zone '{unknownZone}' does not exist."));
        var zones = region.Current.Status.Zones
            .Where(z => names.Count == 0 || names.Contains(z.Name))
            .Where(z => filters.Matches(name => name switch
            {
                "zone-name" => [z.Name],
                "zone-id" => [z.ZoneId],
                "state" => [AzStateName(z.State)],
                "region-name" => [region.Current.Region],
                "zone-type" => ["availability-zone"],
                _ => null,
            }))
            .Select(z => (JsonNode)new JsonObject
            {
                ["ZoneName"] = z.Name,
                ["ZoneId"] = z.ZoneId,
                ["State"] = AzStateName(z.State),
                ["RegionName"] = region.Current.Region,
                ["ZoneType"] = "availability-zone",
                ["OptInStatus"] = "opt-in-not-required",
                ["GroupName"] = region.Current.Region,
                ["NetworkBorderGroup"] = region.Current.Region,
                ["Messages"] = new JsonArray(),
            });
        return new JsonObject { ["AvailabilityZones"] = new JsonArray([.. zones]) };
    }

    private static string AzStateName(Domain.Region.AzState state) => state switch
    {
        Domain.Region.AzState.Available => "available",
        Domain.Region.AzState.Impaired => "impaired",
        _ => "unavailable",
    };

    private async ValueTask<AwsResult> RunInstances(AwsRequest request)
    {
        var input = request.Input;
        var template = input["LaunchTemplate"] as JsonObject;
        var tags = TagSpecifications(input, "instance");
        var launch = await ec2.Launch(new LaunchRequest(
            ImageId: String(input, "ImageId"),
            InstanceType: String(input, "InstanceType"),
            MinCount: Int(input, "MinCount") ?? 1,
            MaxCount: Int(input, "MaxCount") ?? 1,
            SubnetId: String(input, "SubnetId"),
            // Terraform sends an empty zone when none is configured: empty means "let AWS choose".
            AvailabilityZone: (input["Placement"] as JsonObject) is { } placement && String(placement, "AvailabilityZone") is { Length: > 0 } zone ? zone : null,
            LaunchTemplateId: template is null ? null : String(template, "LaunchTemplateId"),
            LaunchTemplateName: template is null ? null : String(template, "LaunchTemplateName"),
            LaunchTemplateVersion: template is null ? null : String(template, "Version"),
            DetailedMonitoring: (input["Monitoring"] as JsonObject)?["Enabled"]?.GetValue<bool>(),
            SecurityGroupIds: [.. Strings(input, "SecurityGroupIds")],
            KeyName: String(input, "KeyName"),
            Tags: tags.Count == 0 ? null : tags,
            UserData: String(input, "UserData"),
            IamInstanceProfile: (input["IamInstanceProfile"] as JsonObject) is { } profile ? String(profile, "Arn") ?? String(profile, "Name") : null,
            DisableApiTermination: Bool(input, "DisableApiTermination"),
            DisableApiStop: Bool(input, "DisableApiStop"),
            InstanceInitiatedShutdownBehavior: String(input, "InstanceInitiatedShutdownBehavior"),
            EbsOptimized: Bool(input, "EbsOptimized"),
            CpuCredits: (input["CreditSpecification"] as JsonObject) is { } credits ? String(credits, "CpuCredits") : null)).ConfigureAwait(false);
        if (launch.IsError)
            return ToApi(launch.Error!);
        return Reservation(launch.Value.ReservationId, request.Context.AccountId, launch.Value.Instances);
    }

    private async ValueTask<AwsResult> DescribeInstances(AwsRequest request)
    {
        var input = request.Input;
        var described = await ec2.Describe(Strings(input, "InstanceIds")).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var filters = Filters.Parse(input, InstanceFilters);
        var matching = described.Value.Where(v => filters.Matches(name => InstanceFilter(v, name))).ToList();
        var page = Page.Of(matching, input);
        if (page.Error is { } pageError)
            return pageError;
        var reservations = page.Items.GroupBy(v => v.ReservationId)
            .Select(g => (JsonNode)Reservation(g.Key, request.Context.AccountId, [.. g]));
        var output = new JsonObject { ["Reservations"] = new JsonArray([.. reservations]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private static IReadOnlyList<string>? InstanceFilter(InstanceView v, string name) => name switch
    {
        "instance-state-name" => [v.State.Name],
        "instance-state-code" => [v.State.Code.ToString(CultureInfo.InvariantCulture)],
        "instance-id" => [v.InstanceId],
        "instance-type" => [v.InstanceType],
        "image-id" => [v.ImageId],
        "reservation-id" => [v.ReservationId],
        "subnet-id" => v.SubnetId is null ? [] : [v.SubnetId],
        "vpc-id" => v.VpcId is null ? [] : [v.VpcId],
        "availability-zone" or "placement.availability-zone" => [v.AvailabilityZone],
        "private-ip-address" => v.PrivateIpAddress is null ? [] : [v.PrivateIpAddress],
        "ip-address" => v.PublicIpAddress is null ? [] : [v.PublicIpAddress],
        "key-name" => v.KeyName is null ? [] : [v.KeyName],
        "monitoring-state" => [v.MonitoringState],
        "tag-key" => [.. v.Tags.Keys],
        "network-interface.network-interface-id" => v.State.Name == "terminated" ? [] : [v.NetworkInterfaceId],
        "instance.group-id" => [.. v.SecurityGroupIds],
        "source-dest-check" => [v.SourceDestCheck ? "true" : "false"],
        _ when name.StartsWith("tag:", StringComparison.Ordinal) => v.Tags.TryGetValue(name[4..], out var value) ? [value] : [],
        _ => null,
    };

    private async ValueTask<AwsResult> ChangeState(AwsRequest request, string listName, Func<string, IInstanceCommand> command)
    {
        var changed = await ec2.ChangeState(Strings(request.Input, "InstanceIds"), command).ConfigureAwait(false);
        if (changed.IsError)
            return ToApi(changed.Error!);
        return new JsonObject
        {
            [listName] = new JsonArray([.. changed.Value.Select(c => (JsonNode)new JsonObject
            {
                ["InstanceId"] = c.InstanceId,
                ["CurrentState"] = InstanceJson.State(c.CurrentState),
                ["PreviousState"] = InstanceJson.State(c.PreviousState),
            })]),
        };
    }

    private async ValueTask<AwsResult> DescribeVpcs(JsonObject input, string accountId)
    {
        var ids = Strings(input, "VpcIds");
        if (ids.FirstOrDefault(id => !AwsIds.IsWellFormed(id, "vpc")) is { } malformedVpc)
            return ToApi(VpcErrors.VpcIdMalformed(malformedVpc));
        var filters = Filters.Parse(input, VpcFilters);
        var vpcs = (await ec2.List<VpcView>(Ec2Kinds.Vpc).ConfigureAwait(false)).ToList();
        if (ids.FirstOrDefault(id => vpcs.All(v => v.VpcId != id)) is { } missing)
            return ToApi(VpcErrors.VpcNotFound(missing));
        var matching = vpcs.Where(v => ids.Count == 0 || ids.Contains(v.VpcId)).Where(v => filters.Matches(name => name switch
        {
            "vpc-id" => [v.VpcId],
            "cidr" or "cidr-block-association.cidr-block" => [v.CidrBlock],
            "is-default" => [v.IsDefault ? "true" : "false"],
            "state" => [v.State],
            "tag-key" => [.. v.Tags.Keys],
            _ when name.StartsWith("tag:", StringComparison.Ordinal) => v.Tags.TryGetValue(name[4..], out var value) ? [value] : [],
            _ => null,
        }));
        return new JsonObject
        {
            ["Vpcs"] = new JsonArray([.. matching.Select(v => (JsonNode)VpcJson(v, accountId))]),
        };
    }

    private async ValueTask<AwsResult> DescribeSubnets(JsonObject input, string accountId)
    {
        var ids = Strings(input, "SubnetIds");
        if (ids.FirstOrDefault(id => !AwsIds.IsWellFormed(id, "subnet")) is { } malformedSubnet)
            return ToApi(VpcErrors.SubnetIdMalformed(malformedSubnet));
        var filters = Filters.Parse(input, SubnetFilters);
        var subnets = (await ec2.List<SubnetView>(Ec2Kinds.Subnet).ConfigureAwait(false)).ToList();
        if (ids.FirstOrDefault(id => subnets.All(s => s.SubnetId != id)) is { } missing)
            return ToApi(VpcErrors.SubnetNotFound(missing));
        var matching = subnets.Where(s => ids.Count == 0 || ids.Contains(s.SubnetId)).Where(s => filters.Matches(name => name switch
        {
            "subnet-id" => [s.SubnetId],
            "vpc-id" => [s.VpcId],
            "availability-zone" => [s.AvailabilityZone],
            "availability-zone-id" => [s.AvailabilityZoneId],
            "cidr-block" or "cidr" or "cidrBlock" => [s.CidrBlock],
            "default-for-az" or "defaultForAz" => [s.DefaultForAz ? "true" : "false"],
            "map-public-ip-on-launch" => [s.MapPublicIpOnLaunch ? "true" : "false"],
            "state" => [s.State],
            "tag-key" => [.. s.Tags.Keys],
            _ when name.StartsWith("tag:", StringComparison.Ordinal) => s.Tags.TryGetValue(name[4..], out var value) ? [value] : [],
            _ => null,
        }));
        return new JsonObject
        {
            ["Subnets"] = new JsonArray([.. matching.Select(s => (JsonNode)SubnetJson(s, accountId))]),
        };
    }

    private static readonly FrozenSet<string> StatusFilters = FrozenSet.Create(
        "availability-zone", "instance-state-name", "instance-state-code", "instance-status.status", "instance-status.reachability",
        "system-status.status", "system-status.reachability");

    /// <summary>Status checks are answered by each instance from its state and zone (nothing persisted).</summary>
    private async ValueTask<AwsResult> DescribeInstanceStatus(JsonObject input, CancellationToken cancellationToken)
    {
        var described = await ec2.Describe(Strings(input, "InstanceIds"), cancellationToken).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var filters = Filters.Parse(input, StatusFilters);
        var includeAll = Bool(input, "IncludeAllInstances");
        var statuses = new List<InstanceStatusView>();
        foreach (var view in described.Value.Where(v => includeAll || v.State.Name == "running"))
        {
            var status = await ec2.Query<InstanceStatusView>(view.InstanceId, new InstanceQueries.Status(view.InstanceId), cancellationToken).ConfigureAwait(false);
            if (!status.IsError)
                statuses.Add(status.Value);
        }
        var matching = statuses.Where(st => filters.Matches(name => name switch
        {
            "availability-zone" => [st.AvailabilityZone],
            "instance-state-name" => [st.InstanceState.Name],
            "instance-state-code" => [st.InstanceState.Code.ToString(CultureInfo.InvariantCulture)],
            "instance-status.status" => [st.InstanceStatus.Status],
            "instance-status.reachability" => st.InstanceStatus.Reachability is { } r ? [r] : [],
            "system-status.status" => [st.SystemStatus.Status],
            _ => st.SystemStatus.Reachability is { } sr ? [sr] : [],
        })).ToList();
        var page = Page.Of(matching, input);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject
        {
            ["InstanceStatuses"] = new JsonArray([.. page.Items.Select(st => (JsonNode)new JsonObject
            {
                ["InstanceId"] = st.InstanceId,
                ["AvailabilityZone"] = st.AvailabilityZone,
                ["InstanceState"] = InstanceJson.State(st.InstanceState),
                ["InstanceStatus"] = StatusSummary(st.InstanceStatus),
                ["SystemStatus"] = StatusSummary(st.SystemStatus),
                ["Events"] = new JsonArray(),
            })]),
        };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private static JsonObject StatusSummary(StatusCheck check)
    {
        var details = new JsonArray();
        if (check.Reachability is { } reachability)
        {
            var detail = new JsonObject { ["Name"] = "reachability", ["Status"] = reachability };
            if (check.ImpairedSince is { } since)
                detail["ImpairedSince"] = JsonValue.Create(since);
            details.Add(detail);
        }
        return new JsonObject { ["Status"] = check.Status, ["Details"] = details };
    }

    /// <summary>Monitor/UnmonitorInstances answer with the transitional state AWS shows (pending, disabling).</summary>
    private async ValueTask<AwsResult> SetMonitoring(JsonObject input, bool detailed, CancellationToken cancellationToken)
    {
        var ids = Strings(input, "InstanceIds");
        var described = await ec2.Describe(ids, cancellationToken).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var monitorings = new JsonArray();
        foreach (var view in described.Value)
        {
            var changed = await ec2.Send<Instance>(Ec2Kinds.Instance, view.InstanceId, new InstanceCommands.SetMonitoring(view.InstanceId, detailed), cancellationToken).ConfigureAwait(false);
            if (changed.IsError)
                return ToApi(changed.Error!);
            monitorings.Add(new JsonObject
            {
                ["InstanceId"] = view.InstanceId,
                ["Monitoring"] = new JsonObject { ["State"] = detailed ? "pending" : "disabling" },
            });
        }
        return new JsonObject { ["InstanceMonitorings"] = monitorings };
    }

    private static readonly FrozenSet<string> InstanceTypeFilters = FrozenSet.Create("instance-type", "vcpu-info.default-vcpus", "memory-info.size-in-mib", "processor-info.supported-architecture", "current-generation");

    private static AwsResult DescribeInstanceTypes(JsonObject input)
    {
        var names = Strings(input, "InstanceTypes");
        if (names.FirstOrDefault(n => InstanceTypes.Find(n) is null) is { } unknown)
            return ToApi(Ec2Errors.InvalidInstanceType(unknown));
        var filters = Filters.Parse(input, InstanceTypeFilters);
        var matching = InstanceTypes.All.Where(t => names.Count == 0 || names.Contains(t.Name)).Where(t => filters.Matches(name => name switch
        {
            "instance-type" => [t.Name],
            "vcpu-info.default-vcpus" => [t.VCpus.ToString(CultureInfo.InvariantCulture)],
            "memory-info.size-in-mib" => [t.MemoryMiB.ToString(CultureInfo.InvariantCulture)],
            "processor-info.supported-architecture" => [t.Architecture],
            _ => ["true"],
        })).ToList();
        var page = Page.Of(matching, input, min: 5, max: 100);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject
        {
            ["InstanceTypes"] = new JsonArray([.. page.Items.Select(t => (JsonNode)new JsonObject
            {
                ["InstanceType"] = t.Name,
                ["CurrentGeneration"] = true,
                ["FreeTierEligible"] = t.Name is "t2.micro" or "t3.micro",
                ["SupportedUsageClasses"] = new JsonArray("on-demand", "spot"),
                ["SupportedRootDeviceTypes"] = new JsonArray("ebs"),
                ["SupportedVirtualizationTypes"] = new JsonArray("hvm"),
                ["BareMetal"] = false,
                ["Hypervisor"] = "nitro",
                ["ProcessorInfo"] = new JsonObject { ["SupportedArchitectures"] = new JsonArray(t.Architecture) },
                ["VCpuInfo"] = new JsonObject { ["DefaultVCpus"] = t.VCpus },
                ["MemoryInfo"] = new JsonObject { ["SizeInMiB"] = (long)t.MemoryMiB },
                ["InstanceStorageSupported"] = false,
                ["NetworkInfo"] = new JsonObject { ["NetworkPerformance"] = t.NetworkPerformance },
                ["BurstablePerformanceSupported"] = t.Name.StartsWith('t'),
                ["HibernationSupported"] = true,
            })]),
        };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    private static readonly FrozenSet<string> ImageFilters = FrozenSet.Create("image-id", "name", "owner-id", "owner-alias", "architecture", "platform", "state", "root-device-type", "virtualization-type");

    private static AwsResult DescribeImages(JsonObject input)
    {
        var ids = Strings(input, "ImageIds");
        foreach (var id in ids)
        {
            if (AmiCatalogue.Resolve(id, strict: true) is { IsError: true } missing)
                return ToApi(missing.Error!);
        }
        var owners = Strings(input, "Owners");
        var filters = Filters.Parse(input, ImageFilters);
        var matching = AmiCatalogue.Images
            .Where(i => ids.Count == 0 || ids.Contains(i.ImageId))
            .Where(i => owners.Count == 0 || owners.Contains(i.OwnerId) || owners.Contains(OwnerAlias(i)))
            .Where(i => filters.Matches(name => name switch
            {
                "image-id" => [i.ImageId],
                "name" => [i.Name],
                "owner-id" => [i.OwnerId],
                "owner-alias" => [OwnerAlias(i)],
                "architecture" => [i.Architecture],
                "platform" => i.Platform is { } platform ? [platform] : [],
                "state" => ["available"],
                "root-device-type" => [i.RootDeviceType],
                _ => [i.VirtualizationType],
            }));
        return new JsonObject
        {
            ["Images"] = new JsonArray([.. matching.Select(i => (JsonNode)new JsonObject
            {
                ["ImageId"] = i.ImageId,
                ["Name"] = i.Name,
                ["Description"] = i.Description,
                ["OwnerId"] = i.OwnerId,
                ["ImageOwnerAlias"] = OwnerAlias(i),
                ["State"] = "available",
                ["Public"] = true,
                ["ImageType"] = "machine",
                ["Architecture"] = i.Architecture,
                ["PlatformDetails"] = i.PlatformDetails,
                ["RootDeviceType"] = i.RootDeviceType,
                ["RootDeviceName"] = i.RootDeviceName,
                ["VirtualizationType"] = i.VirtualizationType,
                ["Hypervisor"] = "xen",
                ["EnaSupport"] = true,
                ["BlockDeviceMappings"] = new JsonArray(),
            })]),
        };
    }

    private static string OwnerAlias(MachineImage image) => image.OwnerId == AmiCatalogue.AmazonOwnerId ? "amazon" : image.OwnerId;

    private static JsonObject VpcJson(VpcView v, string accountId) => new()
    {
        ["VpcId"] = v.VpcId,
        ["CidrBlock"] = v.CidrBlock,
        ["State"] = v.State,
        ["IsDefault"] = v.IsDefault,
        ["InstanceTenancy"] = v.InstanceTenancy,
        ["OwnerId"] = accountId,
        ["DhcpOptionsId"] = "default",
        ["CidrBlockAssociationSet"] = new JsonArray(new JsonObject
        {
            ["AssociationId"] = "vpc-cidr-assoc-" + v.VpcId[4..],
            ["CidrBlock"] = v.CidrBlock,
            ["CidrBlockState"] = new JsonObject { ["State"] = "associated" },
        }),
        ["Tags"] = Tags(v.Tags),
    };

    private JsonObject SubnetJson(SubnetView s, string accountId) => new()
    {
        ["SubnetId"] = s.SubnetId,
        ["VpcId"] = s.VpcId,
        ["CidrBlock"] = s.CidrBlock,
        ["State"] = s.State,
        ["AvailabilityZone"] = s.AvailabilityZone,
        ["AvailabilityZoneId"] = s.AvailabilityZoneId,
        ["AvailableIpAddressCount"] = (int)s.AvailableIpAddressCount,
        ["DefaultForAz"] = s.DefaultForAz,
        ["MapPublicIpOnLaunch"] = s.MapPublicIpOnLaunch,
        ["OwnerId"] = accountId,
        ["SubnetArn"] = $"arn:aws:ec2:{region.Current.Region}:{accountId}:subnet/{s.SubnetId}",
        ["Tags"] = Tags(s.Tags),
    };

    private static ImmutableDictionary<string, string>? NullIfEmpty(ImmutableDictionary<string, string> tags) => tags.Count == 0 ? null : tags;

    private static JsonObject Reservation(string reservationId, string accountId, IEnumerable<InstanceView> instances) => new()
    {
        ["ReservationId"] = reservationId,
        ["OwnerId"] = accountId,
        ["Groups"] = new JsonArray(),
        ["Instances"] = new JsonArray([.. instances.Select((v, index) => (JsonNode)InstanceJson.Instance(v, index, accountId))]),
    };

}
