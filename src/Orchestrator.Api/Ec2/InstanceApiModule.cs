using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Region;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Api.Ec2.Ec2Values;
using DomainError = Orchestrator.Domain.Common.AwsError;

namespace Orchestrator.Api.Ec2;

/// <summary>
/// Instance attributes, CPU credit options, the instances' primary network interfaces and the
/// account attributes: what Terraform's aws_instance reads besides DescribeInstances.
/// </summary>
public sealed class InstanceApiModule(Ec2Service ec2, RegionSnapshot region) : IAwsServiceModule
{
    private const string Terminated = "terminated";

    private static readonly FrozenSet<string> CreditFilters = FrozenSet.Create("instance-id");

    private static readonly FrozenSet<string> InterfaceFilters = FrozenSet.Create(
        "network-interface-id", "attachment.instance-id", "attachment.attachment-id", "attachment.device-index", "attachment.status",
        "attachment.instance-owner-id", "subnet-id", "vpc-id", "availability-zone", "private-ip-address", "addresses.private-ip-address",
        "private-dns-name", "status", "mac-address", "group-id", "owner-id", "description", "interface-type", "source-dest-check",
        "requester-managed", "association.public-ip", "tag-key");

    /// <summary>Read-only or unsupported on the simulated hardware (HVM, ENA always on, no instance store mappings to change).</summary>
    private static readonly FrozenSet<string> UnmodifiableAttributes = FrozenSet.Create(
        "kernel", "ramdisk", "rootDeviceName", "blockDeviceMapping", "productCodes", "sriovNetSupport", "enaSupport", "enclaveOptions");

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "ModifyInstanceAttribute", (request, cancellationToken) => ModifyAttribute(request.Input, cancellationToken));
        registry.Register("ec2", "DescribeInstanceAttribute", (request, cancellationToken) => DescribeAttribute(request.Input, cancellationToken));
        registry.Register("ec2", "DescribeInstanceCreditSpecifications", (request, cancellationToken) => DescribeCredits(request.Input, cancellationToken));
        registry.Register("ec2", "ModifyInstanceCreditSpecification", (request, cancellationToken) => ModifyCredits(request.Input, cancellationToken));
        registry.Register("ec2", "DescribeAccountAttributes", request => DescribeAccountAttributes(request.Input));
        registry.Register("ec2", "DescribeNetworkInterfaces", (request, cancellationToken) => DescribeNetworkInterfaces(request.Input, request.Context.AccountId, cancellationToken));
    }

    private async ValueTask<AwsResult> ModifyAttribute(JsonObject input, CancellationToken cancellationToken)
    {
        var instanceId = String(input, "InstanceId")!;
        var command = ReadModification(input, instanceId);
        if (command.IsError)
            return ToApi(command.Error!);
        var found = await ec2.Describe([instanceId], cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var modified = await ec2.Send<Instance>(Ec2Kinds.Instance, instanceId, command.Value, cancellationToken).ConfigureAwait(false);
        return modified.IsError ? ToApi(modified.Error!) : new JsonObject();
    }

    /// <summary>
    /// Either Attribute with Value, or one structured member (InstanceType.Value, Groups ...): EC2
    /// modifies one attribute per call and refuses a mix.
    /// </summary>
    private static Result<InstanceCommands.ModifyAttribute> ReadModification(JsonObject input, string instanceId)
    {
        var structured = new List<(string Attribute, string? Value)>();
        void Member(string member, string attribute)
        {
            if (input[member] is JsonObject value)
                structured.Add((attribute, value["Value"]?.ToString()));
        }
        Member("InstanceType", "instanceType");
        Member("UserData", "userData");
        Member("DisableApiTermination", "disableApiTermination");
        Member("DisableApiStop", "disableApiStop");
        Member("InstanceInitiatedShutdownBehavior", "instanceInitiatedShutdownBehavior");
        Member("SourceDestCheck", "sourceDestCheck");
        Member("EbsOptimized", "ebsOptimized");
        Member("Kernel", "kernel");
        Member("Ramdisk", "ramdisk");
        Member("SriovNetSupport", "sriovNetSupport");
        Member("EnaSupport", "enaSupport");
        if (input["BlockDeviceMappings"] is JsonArray)
            structured.Add(("blockDeviceMapping", null));
        var groups = input["Groups"] is JsonArray ? Strings(input, "Groups") : null;
        if (groups is not null)
            structured.Add(("groupSet", null));

        string attribute;
        string? value;
        if (String(input, "Attribute") is { } named)
        {
            if (structured.Count > 0)
                return DomainError.InvalidParameterCombination("Fields for multiple attribute types specified: " + string.Join(", ", structured.Select(s => s.Attribute).Prepend(named)));
            if (String(input, "Value") is not { } given)
                return DomainError.MissingParameter("The request must contain the parameter value");
            (attribute, value) = (named, given);
            if (attribute == "groupSet")
                groups = [given];
        }
        else if (structured.Count == 1)
            (attribute, value) = structured[0];
        else if (structured.Count == 0)
            return Ec2Errors.NoAttributeToModify(instanceId);
        else
            return DomainError.InvalidParameterCombination("Fields for multiple attribute types specified: " + string.Join(", ", structured.Select(s => s.Attribute)));

        if (UnmodifiableAttributes.Contains(attribute))
            return DomainError.UnsupportedOperation($"Modifying the attribute '{attribute}' of instance '{instanceId}' is not supported.");
        if (attribute != "groupSet" && value is null)
            return DomainError.MissingParameter("The request must contain the parameter value");
        var command = new InstanceCommands.ModifyAttribute(instanceId);
        return attribute switch
        {
            "instanceType" => command with { InstanceType = value },
            "userData" => command with { UserData = value },
            "instanceInitiatedShutdownBehavior" => command with { InstanceInitiatedShutdownBehavior = value },
            "groupSet" => command with { SecurityGroupIds = [.. groups!] },
            "disableApiTermination" => Flag(value!, attribute).Map(flag => command with { DisableApiTermination = flag }),
            "disableApiStop" => Flag(value!, attribute).Map(flag => command with { DisableApiStop = flag }),
            "sourceDestCheck" => Flag(value!, attribute).Map(flag => command with { SourceDestCheck = flag }),
            "ebsOptimized" => Flag(value!, attribute).Map(flag => command with { EbsOptimized = flag }),
            _ => DomainError.InvalidParameterValue($"Value ({attribute}) for parameter attribute is invalid. Unknown attribute."),
        };
    }

    /// <summary>The Attribute/Value form carries booleans as text; anything but true or false is refused.</summary>
    private static Result<bool> Flag(string value, string attribute) => value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => Ec2Errors.InvalidAttributeValue(attribute, value),
    };

    private async ValueTask<AwsResult> DescribeAttribute(JsonObject input, CancellationToken cancellationToken)
    {
        var instanceId = String(input, "InstanceId")!;
        var attribute = String(input, "Attribute")!;
        var found = await ec2.Describe([instanceId], cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return ToApi(found.Error!);
        var v = found.Value[0];
        JsonObject Text(string? text) => text is null ? new JsonObject() : new JsonObject { ["Value"] = text };
        JsonObject Flag(bool flag) => new() { ["Value"] = flag };
        var output = new JsonObject { ["InstanceId"] = v.InstanceId };
        switch (attribute)
        {
            case "instanceType": output["InstanceType"] = Text(v.InstanceType); break;
            case "kernel": output["KernelId"] = Text(null); break;
            case "ramdisk": output["RamdiskId"] = Text(null); break;
            // An instance without user data answers an empty element, no value (Terraform tells "none" from "empty" by it).
            case "userData": output["UserData"] = Text(string.IsNullOrEmpty(v.UserData) ? null : v.UserData); break;
            case "disableApiTermination": output["DisableApiTermination"] = Flag(v.DisableApiTermination); break;
            case "disableApiStop": output["DisableApiStop"] = Flag(v.DisableApiStop); break;
            case "instanceInitiatedShutdownBehavior": output["InstanceInitiatedShutdownBehavior"] = Text(v.InstanceInitiatedShutdownBehavior); break;
            case "rootDeviceName": output["RootDeviceName"] = Text(v.RootDeviceName); break;
            case "blockDeviceMapping": output["BlockDeviceMappings"] = new JsonArray(); break;
            case "productCodes": output["ProductCodes"] = new JsonArray(); break;
            case "sourceDestCheck": output["SourceDestCheck"] = Flag(v.SourceDestCheck); break;
            case "groupSet": output["Groups"] = InstanceJson.Groups(v); break;
            case "ebsOptimized": output["EbsOptimized"] = Flag(v.EbsOptimized); break;
            case "sriovNetSupport": output["SriovNetSupport"] = Text(null); break;
            case "enaSupport": output["EnaSupport"] = Flag(true); break;
            case "enclaveOptions": output["EnclaveOptions"] = new JsonObject { ["Enabled"] = false }; break;
            default: return ToApi(DomainError.InvalidParameterValue($"Value ({attribute}) for parameter attribute is invalid. Unknown attribute."));
        }
        return output;
    }

    /// <summary>
    /// With ids, each must be a burstable instance. Without, AWS lists only the instances running
    /// with the unlimited option; standard ones are found by id.
    /// </summary>
    private async ValueTask<AwsResult> DescribeCredits(JsonObject input, CancellationToken cancellationToken)
    {
        var ids = Strings(input, "InstanceIds");
        var filters = Filters.Parse(input, CreditFilters);
        var described = await ec2.Describe(ids, cancellationToken).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var live = described.Value.Where(v => v.State.Name != Terminated).ToList();
        if (ids.Count > 0 && live.FirstOrDefault(v => v.CpuCredits is null) is { } notBurstable)
            return ToApi(CreditSpecifications.NotSupported(notBurstable.InstanceId));
        var matching = live
            .Where(v => ids.Count > 0 ? v.CpuCredits is not null : v.CpuCredits == CreditSpecifications.Unlimited)
            .Where(v => filters.Matches(name => name == "instance-id" ? [v.InstanceId] : null))
            .ToList();
        var page = Page.Of(matching, input);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject
        {
            ["InstanceCreditSpecifications"] = new JsonArray([.. page.Items.Select(v => (JsonNode)new JsonObject
            {
                ["InstanceId"] = v.InstanceId,
                ["CpuCredits"] = v.CpuCredits,
            })]),
        };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }

    /// <summary>A bad credit option fails the call; an instance that cannot take it is an unsuccessful item, as AWS reports it.</summary>
    private async ValueTask<AwsResult> ModifyCredits(JsonObject input, CancellationToken cancellationToken)
    {
        var requests = (input["InstanceCreditSpecifications"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(item => (InstanceId: String(item, "InstanceId")!, CpuCredits: String(item, "CpuCredits"))).ToList();
        if (requests.Count == 0)
            return ToApi(DomainError.MissingParameter("The request must contain the parameter InstanceCreditSpecification"));
        if (requests.FirstOrDefault(r => r.CpuCredits is null) is { InstanceId: not null })
            return ToApi(DomainError.MissingParameter("The request must contain the parameter CpuCredits"));
        if (requests.FirstOrDefault(r => !CreditSpecifications.IsValid(r.CpuCredits)) is { InstanceId: not null } invalid)
            return ToApi(CreditSpecifications.InvalidValue(invalid.CpuCredits));
        var successful = new JsonArray();
        var unsuccessful = new JsonArray();
        foreach (var (instanceId, cpuCredits) in requests)
        {
            var changed = await Describe(instanceId, cancellationToken).ConfigureAwait(false) is { IsError: true } missing
                ? missing.Error
                : (await ec2.Send<Instance>(Ec2Kinds.Instance, instanceId, new InstanceCommands.SetCreditSpecification(instanceId, cpuCredits!), cancellationToken).ConfigureAwait(false)).Error;
            if (changed is null)
                successful.Add(new JsonObject { ["InstanceId"] = instanceId });
            else
                unsuccessful.Add(new JsonObject { ["InstanceId"] = instanceId, ["Error"] = new JsonObject { ["Code"] = changed.Code, ["Message"] = changed.Message } });
        }
        return new JsonObject { ["SuccessfulInstanceCreditSpecifications"] = successful, ["UnsuccessfulInstanceCreditSpecifications"] = unsuccessful };
    }

    private async Task<Result<ImmutableArray<InstanceView>>> Describe(string instanceId, CancellationToken cancellationToken) =>
        await ec2.Describe([instanceId], cancellationToken).ConfigureAwait(false);

    private JsonObject DescribeAccountAttributes(JsonObject input)
    {
        var state = region.Current;
        var defaultVpc = state.DefaultVpc is { } plan && plan.Generation == state.Generation ? plan.VpcId : "none";
        (string Name, string[] Values)[] all =
        [
            ("supported-platforms", ["VPC"]),
            ("default-vpc", [defaultVpc]),
            ("max-instances", ["20"]),
            ("max-elastic-ips", ["5"]),
            ("vpc-max-elastic-ips", ["5"]),
            ("vpc-max-security-groups-per-interface", ["5"]),
        ];
        var names = Strings(input, "AttributeNames");
        return new JsonObject
        {
            ["AccountAttributes"] = new JsonArray([.. all.Where(a => names.Count == 0 || names.Contains(a.Name)).Select(a => (JsonNode)new JsonObject
            {
                ["AttributeName"] = a.Name,
                ["AttributeValues"] = new JsonArray([.. a.Values.Select(value => (JsonNode)new JsonObject { ["AttributeValue"] = value })]),
            })]),
        };
    }

    /// <summary>The primary interface of every instance that is not terminated: it is deleted with its instance.</summary>
    private async ValueTask<AwsResult> DescribeNetworkInterfaces(JsonObject input, string accountId, CancellationToken cancellationToken)
    {
        var ids = Strings(input, "NetworkInterfaceIds");
        if (ids.FirstOrDefault(id => !AwsIds.IsWellFormed(id, "eni")) is { } malformed)
            return ToApi(new DomainError("InvalidNetworkInterfaceID.Malformed", $"Invalid id: \"{malformed}\" (expecting \"eni-...\")"));
        var filters = Filters.Parse(input, InterfaceFilters);
        var described = await ec2.Describe([], cancellationToken).ConfigureAwait(false);
        var interfaces = described.Value.Where(v => v.State.Name != Terminated).OrderBy(v => v.NetworkInterfaceId, StringComparer.Ordinal).ToList();
        if (ids.FirstOrDefault(id => interfaces.All(v => v.NetworkInterfaceId != id)) is { } missing)
            return ToApi(new DomainError("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{missing}' does not exist"));
        var matching = interfaces.Where(v => ids.Count == 0 || ids.Contains(v.NetworkInterfaceId)).Where(v => filters.Matches(name => name switch
        {
            "network-interface-id" => [v.NetworkInterfaceId],
            "attachment.instance-id" => [v.InstanceId],
            "attachment.attachment-id" => [InstanceJson.AttachmentId(v.NetworkInterfaceId)],
            "attachment.device-index" => ["0"],
            "attachment.status" => ["attached"],
            "attachment.instance-owner-id" or "owner-id" => [accountId],
            "subnet-id" => v.SubnetId is null ? [] : [v.SubnetId],
            "vpc-id" => v.VpcId is null ? [] : [v.VpcId],
            "availability-zone" => [v.AvailabilityZone],
            "private-ip-address" or "addresses.private-ip-address" => v.PrivateIpAddress is null ? [] : [v.PrivateIpAddress],
            "private-dns-name" => [v.PrivateDnsName],
            "status" => ["in-use"],
            "mac-address" => [InstanceJson.MacAddress(v.NetworkInterfaceId)],
            "group-id" => [.. v.SecurityGroupIds],
            "description" => [""],
            "interface-type" => ["interface"],
            "source-dest-check" => [v.SourceDestCheck ? "true" : "false"],
            "requester-managed" => ["false"],
            "association.public-ip" => v.PublicIpAddress is null ? [] : [v.PublicIpAddress],
            // Interfaces carry no tags of their own yet: tag filters match nothing.
            _ => [],
        })).ToList();
        var page = Page.Of(matching, input);
        if (page.Error is { } pageError)
            return pageError;
        var output = new JsonObject { ["NetworkInterfaces"] = new JsonArray([.. page.Items.Select(v => (JsonNode)InstanceJson.NetworkInterface(v, accountId))]) };
        if (page.NextToken is { } next)
            output["NextToken"] = next;
        return output;
    }
}
