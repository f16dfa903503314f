using System.Collections.Immutable;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.Tests.Ec2;

/// <summary>The tag contract (<see cref="ITaggableResources"/>) of gateways, addresses and key pairs, and the VPC dependency an attached gateway makes.</summary>
public sealed class NetworkTaggingTests : EntityTestKit
{
    private static readonly ImmutableDictionary<string, string> Team = ImmutableDictionary<string, string>.Empty.Add("team", "net");

    [Fact]
    public async Task Gateways_and_addresses_are_tagged_untagged_and_listed_with_their_ec2_resource_types()
    {
        var network = new NetworkService(Services);
        ITaggableResources taggable = network;
        Assert.Equal(["igw", "eipalloc", "nat"], taggable.IdPrefixes);
        var igw = (await network.CreateInternetGateway(null)).Value.InternetGatewayId;
        var eip = (await network.AllocateAddress(null, null, null)).Value.AllocationId;

        Assert.Equal("net", (await taggable.AddTags(igw, Team, default)).Value.Tags["team"]);
        var tagged = (await taggable.AddTags(eip, Team, default)).Value;
        Assert.Equal(("elastic-ip", "net"), (tagged.ResourceType, tagged.Tags["team"]));
        Assert.Empty((await taggable.RemoveTags(eip, [new TagRemoval("team")], default)).Value.Tags);

        var listed = await taggable.List(default);
        Assert.Contains(listed, r => r.ResourceId == igw && r.ResourceType == "internet-gateway" && r.Tags["team"] == "net");
        Assert.Equal("InvalidInternetGatewayID.NotFound", (await taggable.AddTags("igw-0123456789abcdef0", Team, default)).Error?.Code);
        Assert.Equal("NatGatewayNotFound", (await taggable.AddTags("nat-0123456789abcdef0", Team, default)).Error?.Code);
        Assert.Equal("TagLimitExceeded", (await taggable.AddTags(igw,
            Enumerable.Range(0, 51).ToImmutableDictionary(i => $"k{i}", i => "v"), default)).Error?.Code);
    }

    [Fact]
    public async Task Key_pairs_are_tagged_by_id()
    {
        ITaggableResources keys = new KeyPairService(Services);
        var created = (await ((KeyPairService)keys).CreateKeyPair("tagged", null, null, null)).Value.KeyPair;
        var tagged = (await keys.AddTags(created.KeyPairId, Team, default)).Value;
        Assert.Equal(("key-pair", "net"), (tagged.ResourceType, tagged.Tags["team"]));
        Assert.Single(await keys.List(default));
        Assert.Equal("InvalidKeyPair.NotFound", (await keys.RemoveTags("key-0123456789abcdef0", [new TagRemoval("team")], default)).Error?.Code);
    }

    [Fact]
    public async Task A_vpc_with_an_attached_internet_gateway_cannot_be_deleted()
    {
        var ec2 = new Ec2Service(Services);
        var network = new NetworkService(Services);
        var vpc = (await ec2.CreateVpc("10.90.0.0/16", null, null)).Value.VpcId;
        var igw = (await network.CreateInternetGateway(null)).Value.InternetGatewayId;
        await network.AttachInternetGateway(igw, vpc);
        Assert.Equal("DependencyViolation", (await ec2.DeleteVpc(vpc)).Error?.Code);
        await network.DetachInternetGateway(igw, vpc);
        Assert.True((await ec2.DeleteVpc(vpc)).Value);
    }
}
