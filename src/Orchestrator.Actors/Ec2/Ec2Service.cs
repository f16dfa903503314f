using System.Collections.Immutable;
using System.Security.Cryptography;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Actors.Ec2;

/// <summary>
/// RunInstances as the service layer sees it; explicit values override the launch template's.
/// InstanceId fixes the id of a single launch, so a caller that retries (an Auto Scaling group) gets the same instance back.
/// </summary>
public sealed record LaunchRequest(
    string? ImageId = null,
    string? InstanceType = null,
    int MinCount = 1,
    int MaxCount = 1,
    string? SubnetId = null,
    string? AvailabilityZone = null,
    string? LaunchTemplateId = null,
    string? LaunchTemplateName = null,
    string? LaunchTemplateVersion = null,
    bool? DetailedMonitoring = null,
    ImmutableArray<string> SecurityGroupIds = default,
    string? KeyName = null,
    ImmutableDictionary<string, string>? Tags = null,
    string? UserData = null,
    string? IamInstanceProfile = null,
    bool DisableApiTermination = false,
    bool DisableApiStop = false,
    string? InstanceInitiatedShutdownBehavior = null,
    bool EbsOptimized = false,
    string? CpuCredits = null,
    string? InstanceId = null);

public sealed record LaunchResult(string ReservationId, ImmutableArray<InstanceView> Instances);

/// <summary>
/// EC2's application layer shared by the management palette and the AWS API: it resolves what a
/// request names (template, image, type, subnet), allocates addresses through the VPC entity,
/// sends commands to instance entities, and answers reads from the read model.
/// </summary>
public sealed class Ec2Service(EntityServices services, bool strictImages = false)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RegionState Region => services.Region.Current;

    public async Task<Result<LaunchResult>> Launch(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        if (LaunchPlacement.CheckCounts(request.MinCount, request.MaxCount) is { } countError)
            return countError;
        if (request.InstanceId is not null && request.MaxCount != 1)
            return AwsError.InvalidParameterCombination("A fixed instance id launches exactly one instance");
        var templateData = LaunchTemplateData.Empty;
        LaunchTemplateReference? templateReference = null;
        if (request.LaunchTemplateId is not null || request.LaunchTemplateName is not null)
        {
            var resolved = await ResolveTemplate(request, cancellationToken).ConfigureAwait(false);
            if (resolved.IsError)
                return resolved.Error!;
            (templateData, templateReference) = resolved.Value;
        }
        var imageId = request.ImageId ?? templateData.ImageId;
        if (imageId is null)
            return AwsError.MissingParameter("The request must contain the parameter ImageId");
        var image = AmiCatalogue.Resolve(imageId, strictImages);
        if (image.IsError)
            return image.Error!;
        var typeName = request.InstanceType ?? templateData.InstanceType;
        if (typeName is null)
            return AwsError.MissingParameter("The request must contain the parameter InstanceType");
        var type = InstanceTypes.Resolve(typeName).Bind(t => InstanceTypes.CheckCompatible(t, image.Value));
        if (type.IsError)
            return type.Error!;
        var userData = request.UserData ?? templateData.UserData;
        if (InstanceLimits.CheckLaunch(typeName, request.InstanceInitiatedShutdownBehavior, userData, request.CpuCredits) is { } attributeError)
            return attributeError;
        var subnet = await ResolveSubnet(request).ConfigureAwait(false);
        if (subnet.IsError)
            return subnet.Error!;
        if (LaunchPlacement.CheckZoneCapacity(typeName, subnet.Value.AvailabilityZone, Region.Status) is { } capacityError)
            return capacityError;
        var groups = await ResolveSecurityGroups(
            request.SecurityGroupIds.IsDefaultOrEmpty ? templateData.SecurityGroupIds ?? [] : request.SecurityGroupIds, subnet.Value.VpcId).ConfigureAwait(false);
        if (groups.IsError)
            return groups.Error!;

        var reservationId = AwsIds.New("r");
        var tags = request.Tags ?? templateData.TagsFor("instance");
        // AWS marks an instance launched from a template with these system tags; Terraform reads the template back from them.
        if (templateReference is not null)
            tags = (tags ?? Domain.Common.Tags.None)
                .SetItem("aws:ec2launchtemplate:id", templateReference.LaunchTemplateId)
                .SetItem("aws:ec2launchtemplate:version", templateReference.Version);
        var launched = ImmutableArray.CreateBuilder<InstanceView>();
        for (var i = 0; i < request.MaxCount; i++)
        {
            var instanceId = request.InstanceId ?? AwsIds.New("i");
            var address = await AllocateAddress(subnet.Value, instanceId, cancellationToken).ConfigureAwait(false);
            if (address.IsError)
            {
                if (launched.Count >= request.MinCount)
                    break;
                return address.Error!;
            }
            var spec = new InstanceLaunchSpec(
                instanceId, reservationId, imageId, typeName, subnet.Value.VpcId, subnet.Value.SubnetId, subnet.Value.AvailabilityZone,
                address.Value, subnet.Value.MapPublicIpOnLaunch ? RandomPublicIp() : null,
                groups.Value,
                request.KeyName ?? templateData.KeyName, tags, userData,
                request.DetailedMonitoring ?? templateData.Monitoring ?? false, request.IamInstanceProfile ?? templateData.IamInstanceProfile,
                LaunchTemplate: templateReference, DisableApiTermination: request.DisableApiTermination, DisableApiStop: request.DisableApiStop,
                NetworkInterfaceId: AwsIds.New("eni"), InstanceInitiatedShutdownBehavior: request.InstanceInitiatedShutdownBehavior,
                EbsOptimized: request.EbsOptimized, CpuCredits: request.CpuCredits);
            var reply = await Send<Instance>(Ec2Kinds.Instance, instanceId, new InstanceCommands.Launch(spec), cancellationToken).ConfigureAwait(false);
            if (reply.IsError)
                return reply.Error!;
            launched.Add(InstanceView.From(reply.Value, Region.Region));
        }
        return new LaunchResult(reservationId, launched.ToImmutable());
    }

    public async Task<Result<ImmutableArray<InstanceView>>> Describe(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken = default)
    {
        var all = (await services.Index.List(Ec2Kinds.Instance, Region.Generation).ConfigureAwait(false)).Cast<InstanceView>().ToList();
        if (instanceIds.Count == 0)
            return all.ToImmutableArray();
        var known = all.ToDictionary(v => v.InstanceId, StringComparer.Ordinal);
        foreach (var id in instanceIds)
        {
            if (!AwsIds.IsWellFormed(id, "i"))
                return Ec2Errors.InstanceIdMalformed(id);
            if (!known.ContainsKey(id))
                return Ec2Errors.InstanceNotFound(id);
        }
        return instanceIds.Distinct().Select(id => known[id]).ToImmutableArray();
    }

    public async Task<Result<VpcView>> CreateVpc(string cidrBlock, string? tenancy, ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        var vpcId = AwsIds.New("vpc");
        var created = await Send<VpcState>(Ec2Kinds.Vpc, vpcId, new VpcCommands.CreateVpc(vpcId, cidrBlock, InstanceTenancy: tenancy ?? VpcState.DefaultTenancy, Tags: tags), cancellationToken).ConfigureAwait(false);
        if (created.IsError)
            return created.Error!;
        // Every VPC comes with its default security group, an entity of its own.
        var defaultGroup = await new SecurityGroupService(services).CreateDefaultSecurityGroup(vpcId, cancellationToken).ConfigureAwait(false);
        return defaultGroup.IsError ? defaultGroup.Error! : VpcView.From(created.Value);
    }

    public async Task<Result<SubnetView>> CreateSubnet(string vpcId, string cidrBlock, string? zone, string? zoneId, ImmutableDictionary<string, string>? tags, CancellationToken cancellationToken = default)
    {
        if (!AwsIds.IsWellFormed(vpcId, "vpc"))
            return VpcErrors.VpcIdMalformed(vpcId);
        if (await services.Index.Get(Ec2Kinds.Vpc, vpcId, Region.Generation).ConfigureAwait(false) is null)
            return VpcErrors.VpcNotFound(vpcId);
        var subnetId = AwsIds.New("subnet");
        var created = await Send<VpcState>(Ec2Kinds.Vpc, vpcId, new VpcCommands.CreateSubnet(vpcId, subnetId, cidrBlock, zone, zoneId, Tags: tags), cancellationToken).ConfigureAwait(false);
        return created.Map(vpc => SubnetView.From(vpc, vpc.FindSubnet(subnetId)!));
    }

    public async Task<Result<VpcState?>> DeleteSubnet(string subnetId, CancellationToken cancellationToken = default)
    {
        if (!AwsIds.IsWellFormed(subnetId, "subnet"))
            return VpcErrors.SubnetIdMalformed(subnetId);
        if (await services.Index.Get(Ec2Kinds.Subnet, subnetId, Region.Generation).ConfigureAwait(false) is not SubnetView subnet)
            return VpcErrors.SubnetNotFound(subnetId);
        return (await Send<VpcState>(Ec2Kinds.Vpc, subnet.VpcId, new VpcCommands.DeleteSubnet(subnet.VpcId, subnetId), cancellationToken).ConfigureAwait(false)).Map<VpcState?>(v => v);
    }

    public async Task<Result<bool>> DeleteVpc(string vpcId, CancellationToken cancellationToken = default)
    {
        if (!AwsIds.IsWellFormed(vpcId, "vpc"))
            return VpcErrors.VpcIdMalformed(vpcId);
        if (await services.Index.Get(Ec2Kinds.Vpc, vpcId, Region.Generation).ConfigureAwait(false) is null)
            return VpcErrors.VpcNotFound(vpcId);
        // An attached internet gateway lives in its own entity, so the VPC's decider cannot see it.
        if ((await List<InternetGatewayView>(NetworkKinds.InternetGateway).ConfigureAwait(false)).Any(g => g.AttachedVpcId == vpcId))
            return VpcErrors.VpcHasDependencies(vpcId);
        // Security groups are entities of their own too: the default group goes with its VPC, any other keeps it alive.
        var securityGroups = new SecurityGroupService(services);
        if ((await securityGroups.List().ConfigureAwait(false)).Any(g => g.VpcId == vpcId && g.GroupName != "default"))
            return VpcErrors.VpcHasDependencies(vpcId);
        var deleted = await Delete(Ec2Kinds.Vpc, vpcId, new VpcCommands.DeleteVpc(vpcId), cancellationToken).ConfigureAwait(false);
        if (deleted.IsError)
            return deleted;
        var defaultGroup = await securityGroups.DeleteDefaultSecurityGroup(vpcId, cancellationToken).ConfigureAwait(false);
        return defaultGroup.IsError ? defaultGroup.Error! : true;
    }

    /// <summary>CreateDefaultVpc: only when the region has none (it was deleted), as in AWS.</summary>
    public async Task<Result<VpcView>> CreateDefaultVpc(CancellationToken cancellationToken = default)
    {
        if ((await List<VpcView>(Ec2Kinds.Vpc).ConfigureAwait(false)).FirstOrDefault(v => v.IsDefault) is { } existing)
            return new AwsError("DefaultVpcAlreadyExists", $"A Default VPC already exists for this account in this region: {existing.VpcId}");
        var vpcId = AwsIds.New("vpc");
        var vpc = await Ec2Module.BuildDefaultVpc(
            services, vpcId, [.. Region.Status.Zones.Select(_ => AwsIds.New("subnet"))], createNetwork: true, cancellationToken).ConfigureAwait(false);
        return VpcView.From(vpc);
    }

    /// <summary>A launch template named by id or by name (names are unique in the region).</summary>
    public async Task<Result<LaunchTemplate>> FindLaunchTemplate(string? templateId, string? templateName, CancellationToken cancellationToken = default)
    {
        if (templateId is null)
        {
            if (templateName is null)
                return AwsError.MissingParameter("The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
            var byName = (await List<LaunchTemplateView>(Ec2Kinds.LaunchTemplate).ConfigureAwait(false)).FirstOrDefault(t => t.LaunchTemplateName == templateName);
            if (byName is null)
                return Ec2Errors.LaunchTemplateNameNotFound(templateName);
            templateId = byName.LaunchTemplateId;
        }
        else if (!AwsIds.IsWellFormed(templateId, "lt"))
            return Ec2Errors.LaunchTemplateIdMalformed(templateId);
        var reply = await services.Router.Ask<object>(Ec2Kinds.LaunchTemplate, templateId, new EntityQueries.GetState(), Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Accepted { State: LaunchTemplate template } ? template : Ec2Errors.LaunchTemplateNotFound(templateId);
    }

    /// <summary>A command that ends a resource: the entity answers with no state once it is gone.</summary>
    public async Task<Result<bool>> Delete(string kind, string entityId, object command, CancellationToken cancellationToken = default)
    {
        var reply = await services.Router.Ask<object>(kind, entityId, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted => true,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from {kind} {entityId}: {reply}"),
        };
    }

    /// <summary>Every resource of a read-model kind (VPCs, subnets, launch templates) in this generation.</summary>
    public async Task<IReadOnlyList<T>> List<T>(string kind) =>
        [.. (await services.Index.List(kind, Region.Generation).ConfigureAwait(false)).Cast<T>()];

    /// <summary>Start, Stop, Reboot and Terminate: every id is checked first, so one bad id changes nothing.</summary>
    public async Task<Result<ImmutableArray<InstanceStateChange>>> ChangeState(IReadOnlyCollection<string> instanceIds, Func<string, IInstanceCommand> command, CancellationToken cancellationToken = default)
    {
        if (instanceIds.Count == 0)
            return AwsError.MissingParameter("The request must contain the parameter InstanceId");
        var before = await Describe(instanceIds, cancellationToken).ConfigureAwait(false);
        if (before.IsError)
            return before.Error!;
        var changes = ImmutableArray.CreateBuilder<InstanceStateChange>();
        foreach (var view in before.Value)
        {
            var reply = await Send<Instance>(Ec2Kinds.Instance, view.InstanceId, command(view.InstanceId), cancellationToken).ConfigureAwait(false);
            if (reply.IsError)
                return reply.Error!;
            changes.Add(new InstanceStateChange(view.InstanceId, InstanceStateView.Of(reply.Value.State), view.State));
        }
        return changes.ToImmutable();
    }

    /// <summary>CreateLaunchTemplate: names are unique in the region, as AWS requires.</summary>
    public async Task<Result<LaunchTemplate>> CreateLaunchTemplate(
        string name, LaunchTemplateData data, string? versionDescription = null, ImmutableDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (!LaunchTemplate.IsValidName(name))
            return Ec2Errors.LaunchTemplateNameMalformed();
        var existing = await services.Index.List(Ec2Kinds.LaunchTemplate, Region.Generation).ConfigureAwait(false);
        if (existing.Cast<LaunchTemplateView>().Any(t => t.LaunchTemplateName == name))
            return Ec2Errors.LaunchTemplateNameInUse();
        var id = AwsIds.New("lt");
        return await Send<LaunchTemplate>(Ec2Kinds.LaunchTemplate, id, new LaunchTemplateCommands.Create(id, name, data, versionDescription, tags), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A question an instance answers from memory (probe, status, billing).</summary>
    public async Task<Result<T>> Query<T>(string instanceId, object query, CancellationToken cancellationToken = default)
        where T : class
    {
        if (!AwsIds.IsWellFormed(instanceId, "i"))
            return Ec2Errors.InstanceIdMalformed(instanceId);
        var reply = await services.Router.Ask<object>(Ec2Kinds.Instance, instanceId, query, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            T answer => answer,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected answer from instance {instanceId}: {reply}"),
        };
    }

    public async Task<Result<TState>> Send<TState>(string kind, string entityId, object command, CancellationToken cancellationToken)
        where TState : class
    {
        var reply = await services.Router.Ask<object>(kind, entityId, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            EntityReplies.Accepted { State: TState state } => state,
            EntityReplies.Rejected rejected => rejected.Error,
            _ => throw new InvalidOperationException($"unexpected reply from {kind} {entityId}: {reply}"),
        };
    }

    private async Task<Result<(LaunchTemplateData Data, LaunchTemplateReference Reference)>> ResolveTemplate(LaunchRequest request, CancellationToken cancellationToken)
    {
        var found = await FindLaunchTemplate(request.LaunchTemplateId, request.LaunchTemplateName, cancellationToken).ConfigureAwait(false);
        if (found.IsError)
            return found.Error!;
        var version = found.Value.ResolveVersion(request.LaunchTemplateVersion);
        if (version.IsError)
            return version.Error!;
        return (version.Value.Data, new LaunchTemplateReference(found.Value.LaunchTemplateId, version.Value.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task<Result<SubnetView>> ResolveSubnet(LaunchRequest request)
    {
        var generation = Region.Generation;
        if (request.SubnetId is { } subnetId)
        {
            if (!AwsIds.IsWellFormed(subnetId, "subnet"))
                return VpcErrors.SubnetIdMalformed(subnetId);
            return await services.Index.Get(Ec2Kinds.Subnet, subnetId, generation).ConfigureAwait(false) is SubnetView subnet
                ? subnet
                : VpcErrors.SubnetNotFound(subnetId);
        }
        // The default VPC is whichever VPC is marked default now: the region's first, or one CreateDefaultVpc made after it was deleted.
        var defaultVpc = (await services.Index.List(Ec2Kinds.Vpc, generation).ConfigureAwait(false)).Cast<VpcView>().FirstOrDefault(v => v.IsDefault);
        if (defaultVpc is null)
            return Ec2Errors.NoDefaultVpc();
        var defaults = (await services.Index.List(Ec2Kinds.Subnet, generation).ConfigureAwait(false))
            .Cast<SubnetView>().Where(s => s.VpcId == defaultVpc.VpcId && s.DefaultForAz).ToList();
        return LaunchPlacement.DefaultSubnet(defaults, Region.Status, request.AvailabilityZone);
    }

    /// <summary>Named groups must exist in the subnet's VPC; with none named, the instance gets its VPC's default group, as in AWS.</summary>
    private async Task<Result<ImmutableArray<string>>> ResolveSecurityGroups(ImmutableArray<string> named, string vpcId)
    {
        var groups = await new SecurityGroupService(services).List().ConfigureAwait(false);
        if (named.IsDefaultOrEmpty)
            return groups.FirstOrDefault(g => g.VpcId == vpcId && g.GroupName == "default") is { } defaultGroup ? ImmutableArray.Create(defaultGroup.GroupId) : ImmutableArray<string>.Empty;
        foreach (var id in named)
        {
            if (!AwsIds.IsWellFormed(id, "sg"))
                return SecurityGroupErrors.GroupIdMalformed(id);
            if (groups.FirstOrDefault(g => g.GroupId == id) is not { } group)
                return SecurityGroupErrors.GroupNotFound(id);
            if (group.VpcId != vpcId)
                return SecurityGroupErrors.OtherNetwork();
        }
        return named;
    }

    private async Task<Result<string>> AllocateAddress(SubnetView subnet, string ownerId, CancellationToken cancellationToken)
    {
        var reply = await Send<VpcState>(Ec2Kinds.Vpc, subnet.VpcId, new VpcCommands.AllocatePrivateIp(subnet.VpcId, subnet.SubnetId, ownerId), cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
            return reply.Error!;
        var allocated = reply.Value.FindSubnet(subnet.SubnetId)?.AddressOf(ownerId);
        return allocated is null ? throw new InvalidOperationException($"subnet {subnet.SubnetId} acknowledged no address for {ownerId}") : allocated;
    }

    /// <summary>Auto-assigned public addresses come from a public range; collisions across a simulation do not matter.</summary>
    private static string RandomPublicIp() =>
        $"54.{RandomNumberGenerator.GetInt32(0, 256)}.{RandomNumberGenerator.GetInt32(0, 256)}.{RandomNumberGenerator.GetInt32(1, 255)}";
}
