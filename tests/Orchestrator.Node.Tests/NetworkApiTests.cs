using System.Text;
using System.Xml.Linq;

namespace Orchestrator.Node.Tests;

/// <summary>Internet gateways, Elastic IPs, NAT gateways and key pairs over the EC2 query API of an in-process node.</summary>
public sealed class NetworkApiTests(NetworkApiFixture api) : IClassFixture<NetworkApiFixture>
{
    private static string Text(XElement body, string name) => body.Descendants(name).First().Value;

    private async Task<(string VpcId, string SubnetId)> VpcWithSubnet(string cidr = "10.70")
    {
        var vpc = Text(await api.Ok("CreateVpc", ("CidrBlock", $"{cidr}.0.0/16")), "vpcId");
        var subnet = Text(await api.Ok("CreateSubnet", ("VpcId", vpc), ("CidrBlock", $"{cidr}.1.0/24"), ("AvailabilityZone", "us-east-1a")), "subnetId");
        return (vpc, subnet);
    }

    private async Task<string> CreateInternetGateway(string? vpcToAttach = null)
    {
        var igw = Text(await api.Ok("CreateInternetGateway",
            ("TagSpecification.1.ResourceType", "internet-gateway"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "api")), "internetGatewayId");
        if (vpcToAttach is not null)
            await api.Ok("AttachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpcToAttach));
        return igw;
    }

    private async Task<string> RunningInstance(string subnetId)
    {
        var id = Text(await api.Ok("RunInstances", ("ImageId", "ami-0c02fb55956c7d316"), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"), ("SubnetId", subnetId)), "instanceId");
        await NetworkApiFixture.Eventually(
            async () => Text(await api.Ok("DescribeInstances", ("InstanceId.1", id)), "instanceState").Contains("running", StringComparison.Ordinal), done => done);
        return id;
    }

    // ---- Internet gateways

    [Fact]
    public async Task Internet_gateway_create_attach_describe_detach_delete()
    {
        var (vpc, _) = await VpcWithSubnet("10.71");
        var igw = await CreateInternetGateway();
        Assert.Matches("^igw-[0-9a-f]{17}$", igw);
        Assert.Equal("InvalidVpcID.NotFound", await api.Fails("AttachInternetGateway", ("InternetGatewayId", igw), ("VpcId", "vpc-0123456789abcdef0")));
        await api.Ok("AttachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpc));

        var described = await api.Ok("DescribeInternetGateways", ("Filter.1.Name", "attachment.vpc-id"), ("Filter.1.Value.1", vpc),
            ("Filter.2.Name", "attachment.state"), ("Filter.2.Value.1", "avail*"), ("Filter.3.Name", "tag:Name"), ("Filter.3.Value.1", "api"));
        var item = Assert.Single(described.Element("internetGatewaySet")!.Elements("item"));
        Assert.Equal(igw, Text(item, "internetGatewayId"));
        Assert.Equal("available", Text(item.Element("attachmentSet")!, "state"));
        Assert.Equal("000000000000", Text(item, "ownerId"));

        Assert.Equal("Resource.AlreadyAssociated", await api.Fails("AttachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpc)));
        var second = await CreateInternetGateway();
        Assert.Equal("Resource.AlreadyAssociated", await api.Fails("AttachInternetGateway", ("InternetGatewayId", second), ("VpcId", vpc)));
        Assert.Equal("DependencyViolation", await api.Fails("DeleteInternetGateway", ("InternetGatewayId", igw)));
        Assert.Equal("Gateway.NotAttached", await api.Fails("DetachInternetGateway", ("InternetGatewayId", second), ("VpcId", vpc)));

        await api.Ok("DetachInternetGateway", ("InternetGatewayId", igw), ("VpcId", vpc));
        await api.Ok("DeleteInternetGateway", ("InternetGatewayId", igw));
        Assert.Equal("InvalidInternetGatewayID.NotFound", await api.Fails("DeleteInternetGateway", ("InternetGatewayId", igw)));
        Assert.Equal("InvalidInternetGatewayID.NotFound", await api.Fails("DescribeInternetGateways", ("InternetGatewayId.1", igw)));
    }

    [Theory]
    [InlineData("InvalidInternetGatewayId.Malformed", "DeleteInternetGateway", "InternetGatewayId", "igw-nope")]
    [InlineData("MissingParameter", "DeleteInternetGateway", "Unused", "")]
    [InlineData("MissingParameter", "AttachInternetGateway", "InternetGatewayId", "igw-0123456789abcdef0")]
    [InlineData("InvalidInternetGatewayId.Malformed", "DescribeInternetGateways", "InternetGatewayId.1", "gateway")]
    [InlineData("InvalidParameterValue", "DescribeInternetGateways", "Filter.1.Name", "no-such-filter")]
    [InlineData("InvalidParameterValue", "DescribeInternetGateways", "MaxResults", "4")]
    [InlineData("InvalidParameterValue", "DescribeInternetGateways", "MaxResults", "many")]
    [InlineData("InvalidParameterValue", "DescribeInternetGateways", "NextToken", "%%%")]
    public async Task Internet_gateway_bad_input(string code, string action, string name, string value)
    {
        (string, string)[] parameters = name == "Unused" ? [] : [(name, value)];
        Assert.Equal(code, await api.Fails(action, parameters));
    }

    [Fact]
    public async Task Internet_gateways_page_with_max_results_and_next_token()
    {
        for (var i = 0; i < 6; i++)
            await CreateInternetGateway();
        var first = await api.Ok("DescribeInternetGateways", ("MaxResults", "5"));
        Assert.Equal(5, first.Element("internetGatewaySet")!.Elements("item").Count());
        var rest = await api.Ok("DescribeInternetGateways", ("MaxResults", "1000"), ("NextToken", Text(first, "nextToken")));
        Assert.NotEmpty(rest.Element("internetGatewaySet")!.Elements("item"));
    }

    // ---- Elastic IPs

    [Fact]
    public async Task Elastic_ip_allocate_associate_describe_disassociate_release()
    {
        var (_, subnet) = await VpcWithSubnet("10.72");
        var instance = await RunningInstance(subnet);
        var allocated = await api.Ok("AllocateAddress", ("Domain", "vpc"),
            ("TagSpecification.1.ResourceType", "elastic-ip"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "eip"));
        var allocationId = Text(allocated, "allocationId");
        Assert.Matches("^eipalloc-[0-9a-f]{17}$", allocationId);
        Assert.Equal(("vpc", "us-east-1", "amazon"), (Text(allocated, "domain"), Text(allocated, "networkBorderGroup"), Text(allocated, "publicIpv4Pool")));

        Assert.Equal("InvalidInstanceID.NotFound", await api.Fails("AssociateAddress", ("AllocationId", allocationId), ("InstanceId", "i-0123456789abcdef0")));
        Assert.Equal("MissingParameter", await api.Fails("AssociateAddress", ("AllocationId", allocationId)));
        var associationId = Text(await api.Ok("AssociateAddress", ("AllocationId", allocationId), ("InstanceId", instance)), "associationId");
        Assert.Matches("^eipassoc-[0-9a-f]{17}$", associationId);
        var other = await RunningInstance(subnet);
        Assert.Equal("Resource.AlreadyAssociated", await api.Fails("AssociateAddress", ("AllocationId", allocationId), ("InstanceId", other)));

        var described = Assert.Single((await api.Ok("DescribeAddresses", ("Filter.1.Name", "instance-id"), ("Filter.1.Value.1", instance)))
            .Element("addressesSet")!.Elements("item"));
        Assert.Equal((allocationId, associationId, "eip"), (Text(described, "allocationId"), Text(described, "associationId"), Text(described.Element("tagSet")!, "value")));
        Assert.StartsWith("10.72.1.", Text(described, "privateIpAddress"));

        Assert.Equal("InvalidIPAddress.InUse", await api.Fails("ReleaseAddress", ("AllocationId", allocationId)));
        Assert.Equal("InvalidAssociationID.NotFound", await api.Fails("DisassociateAddress", ("AssociationId", "eipassoc-0123456789abcdef0")));
        var moved = Text(await api.Ok("AssociateAddress", ("AllocationId", allocationId), ("InstanceId", other), ("AllowReassociation", "true")), "associationId");
        await api.Ok("DisassociateAddress", ("AssociationId", moved));
        Assert.Empty((await api.Ok("DescribeAddresses", ("Filter.1.Name", "association-id"), ("Filter.1.Value.1", moved))).Element("addressesSet")!.Elements("item"));

        var attribute = await api.Ok("DescribeAddressesAttribute", ("AllocationId.1", allocationId), ("Attribute", "domain-name"));
        Assert.Equal(allocationId, Text(attribute, "allocationId"));

        await api.Ok("ReleaseAddress", ("AllocationId", allocationId));
        Assert.Equal("InvalidAllocationID.NotFound", await api.Fails("ReleaseAddress", ("AllocationId", allocationId)));
        Assert.Equal("InvalidAllocationID.NotFound", await api.Fails("DescribeAddresses", ("AllocationId.1", allocationId)));
    }

    [Fact]
    public async Task Elastic_ips_are_limited_to_five_per_region()
    {
        var mine = new List<string>();
        string? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var (status, body) = await api.Call("AllocateAddress");
            if (status == System.Net.HttpStatusCode.OK)
                mine.Add(Text(body, "allocationId"));
            else
                refused = Text(body, "Code");
        }
        Assert.Equal("AddressLimitExceeded", refused);
        Assert.Equal(5, (await api.Ok("DescribeAddresses")).Element("addressesSet")!.Elements("item").Count());
        foreach (var id in mine)
            await api.Ok("ReleaseAddress", ("AllocationId", id));
    }

    [Theory]
    [InlineData("InvalidAllocationID.Malformed", "ReleaseAddress", "AllocationId", "eipalloc-x")]
    [InlineData("MissingParameter", "ReleaseAddress", "Unused", "")]
    [InlineData("InvalidAssociationID.Malformed", "DisassociateAddress", "AssociationId", "assoc-1")]
    [InlineData("InvalidAddress.NotFound", "DescribeAddresses", "PublicIp.1", "203.0.113.9")]
    [InlineData("InvalidParameterValue", "DescribeAddresses", "Filter.1.Name", "no-such-filter")]
    [InlineData("InvalidParameterValue", "AllocateAddress", "Domain", "classic")]
    [InlineData("InvalidParameterValue", "DescribeAddressesAttribute", "Attribute", "owner")]
    [InlineData("UnknownParameter", "AllocateAddress", "Nope", "1")]
    public async Task Elastic_ip_bad_input(string code, string action, string name, string value)
    {
        (string, string)[] parameters = name == "Unused" ? [] : [(name, value)];
        Assert.Equal(code, await api.Fails(action, parameters));
    }

    // ---- NAT gateways

    [Fact]
    public async Task Nat_gateway_create_becomes_available_then_deletes()
    {
        var (vpc, subnet) = await VpcWithSubnet("10.73");
        await CreateInternetGateway(vpc);
        var allocationId = Text(await api.Ok("AllocateAddress"), "allocationId");
        Assert.Equal("MissingParameter", await api.Fails("CreateNatGateway", ("SubnetId", subnet)));
        Assert.Equal("InvalidParameterCombination", await api.Fails("CreateNatGateway", ("SubnetId", subnet), ("ConnectivityType", "private"), ("AllocationId", allocationId)));

        var created = await api.Ok("CreateNatGateway", ("SubnetId", subnet), ("AllocationId", allocationId), ("ClientToken", "nat-api-1"),
            ("TagSpecification.1.ResourceType", "natgateway"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "nat"));
        var nat = Text(created, "natGatewayId");
        Assert.Matches("^nat-[0-9a-f]{17}$", nat);
        Assert.Equal(("pending", "nat-api-1", vpc, "public"), (Text(created, "state"), Text(created, "clientToken"), Text(created, "vpcId"), Text(created, "connectivityType")));
        var address = created.Descendants("natGatewayAddressSet").Single().Element("item")!;
        Assert.Equal((allocationId, "true"), (Text(address, "allocationId"), Text(address, "isPrimary")));
        Assert.Matches("^eni-[0-9a-f]{17}$", Text(address, "networkInterfaceId"));
        Assert.StartsWith("10.73.1.", Text(address, "privateIp"));
        Assert.Equal(nat, Text(await api.Ok("CreateNatGateway", ("SubnetId", subnet), ("AllocationId", allocationId), ("ClientToken", "nat-api-1")), "natGatewayId"));
        Assert.Equal("Resource.AlreadyAssociated", await api.Fails("CreateNatGateway", ("SubnetId", subnet), ("AllocationId", allocationId)));

        var available = await NetworkApiFixture.Eventually(
            () => api.Ok("DescribeNatGateways", ("NatGatewayId.1", nat)), body => Text(body, "state") == "available");
        Assert.Equal("available", Text(available, "state"));
        Assert.Equal("succeeded", Text(available, "status"));
        var filtered = await api.Ok("DescribeNatGateways", ("Filter.1.Name", "state"), ("Filter.1.Value.1", "available"), ("Filter.2.Name", "subnet-id"), ("Filter.2.Value.1", subnet));
        Assert.Equal(nat, Text(Assert.Single(filtered.Element("natGatewaySet")!.Elements("item")), "natGatewayId"));

        Assert.Equal(nat, Text(await api.Ok("DeleteNatGateway", ("NatGatewayId", nat)), "natGatewayId"));
        var deleted = await NetworkApiFixture.Eventually(() => api.Ok("DescribeNatGateways", ("NatGatewayId.1", nat)), body => Text(body, "state") == "deleted");
        Assert.Equal("deleted", Text(deleted, "state"));
        Assert.NotEmpty(Text(deleted, "deleteTime"));
        var eip = Assert.Single((await api.Ok("DescribeAddresses", ("AllocationId.1", allocationId))).Element("addressesSet")!.Elements("item"));
        Assert.Null(eip.Element("associationId"));
        await api.Ok("ReleaseAddress", ("AllocationId", allocationId));
    }

    [Fact]
    public async Task Nat_gateway_in_a_vpc_without_an_internet_gateway_fails_and_a_private_one_does_not()
    {
        var (_, subnet) = await VpcWithSubnet("10.74");
        var allocationId = Text(await api.Ok("AllocateAddress"), "allocationId");
        var failed = await api.Ok("CreateNatGateway", ("SubnetId", subnet), ("AllocationId", allocationId));
        Assert.Equal(("failed", "Gateway.NotAttached"), (Text(failed, "state"), Text(failed, "failureCode")));
        var @private = Text(await api.Ok("CreateNatGateway", ("SubnetId", subnet), ("ConnectivityType", "private")), "natGatewayId");
        var available = await NetworkApiFixture.Eventually(() => api.Ok("DescribeNatGateways", ("NatGatewayId.1", @private)), body => Text(body, "state") == "available");
        Assert.Null(available.Descendants("allocationId").FirstOrDefault());
        await NetworkApiFixture.Eventually(async () => (await api.Ok("DescribeAddresses", ("AllocationId.1", allocationId))).Descendants("associationId").Any(), associated => !associated);
        await api.Ok("ReleaseAddress", ("AllocationId", allocationId));
    }

    [Theory]
    [InlineData("InvalidSubnetID.NotFound", "CreateNatGateway", "SubnetId", "subnet-0123456789abcdef0")]
    [InlineData("InvalidSubnetID.Malformed", "CreateNatGateway", "SubnetId", "sub-1")]
    [InlineData("MissingParameter", "CreateNatGateway", "ClientToken", "t")]
    [InlineData("NatGatewayNotFound", "DeleteNatGateway", "NatGatewayId", "nat-0123456789abcdef0")]
    [InlineData("NatGatewayMalformed", "DeleteNatGateway", "NatGatewayId", "nat-1")]
    [InlineData("NatGatewayNotFound", "DescribeNatGateways", "NatGatewayId.1", "nat-0123456789abcdef0")]
    [InlineData("InvalidParameterValue", "DescribeNatGateways", "Filter.1.Name", "no-such-filter")]
    [InlineData("InvalidParameterValue", "DescribeNatGateways", "MaxResults", "1001")]
    [InlineData("MissingParameter", "DeleteNatGateway", "Unused", "")]
    public async Task Nat_gateway_bad_input(string code, string action, string name, string value)
    {
        (string, string)[] parameters = name == "Unused" ? [] : [(name, value)];
        Assert.Equal(code, await api.Fails(action, parameters));
    }

    [Fact]
    public async Task Nat_gateway_with_a_bad_connectivity_type_or_unknown_address_is_refused()
    {
        var (_, subnet) = await VpcWithSubnet("10.75");
        Assert.Equal("InvalidParameterValue", await api.Fails("CreateNatGateway", ("SubnetId", subnet), ("ConnectivityType", "sideways")));
        Assert.Equal("InvalidAllocationID.NotFound", await api.Fails("CreateNatGateway", ("SubnetId", subnet), ("AllocationId", "eipalloc-0123456789abcdef0")));
    }

    // ---- Key pairs

    private const string Ed25519Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICXFpafSXZoh5sVp1AGz6Ek2S9XdD7wS2z1asyoKgd/a me@host";

    [Fact]
    public async Task Key_pair_create_import_describe_delete()
    {
        var created = await api.Ok("CreateKeyPair", ("KeyName", "api-created"),
            ("TagSpecification.1.ResourceType", "key-pair"), ("TagSpecification.1.Tag.1.Key", "team"), ("TagSpecification.1.Tag.1.Value", "a"));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", Text(created, "keyMaterial"));
        Assert.Matches("^([0-9a-f]{2}:){19}[0-9a-f]{2}$", Text(created, "keyFingerprint"));
        Assert.Matches("^key-[0-9a-f]{17}$", Text(created, "keyPairId"));
        Assert.Equal("InvalidKeyPair.Duplicate", await api.Fails("CreateKeyPair", ("KeyName", "api-created")));
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", Text(await api.Ok("CreateKeyPair", ("KeyName", "api-ed"), ("KeyType", "ed25519")), "keyMaterial"));
        Assert.StartsWith("PuTTY-User-Key-File-3: ssh-rsa", Text(await api.Ok("CreateKeyPair", ("KeyName", "api-ppk"), ("KeyFormat", "ppk")), "keyMaterial"));

        var imported = await api.Ok("ImportKeyPair", ("KeyName", "api-imported"), ("PublicKeyMaterial", Convert.ToBase64String(Encoding.ASCII.GetBytes(Ed25519Key))));
        Assert.Equal("tTZMZ3sDnJzueVGe9RnjmioQ0QOxBG8B7+RzqtGk8YY=", Text(imported, "keyFingerprint"));
        var importedId = Text(imported, "keyPairId");

        var described = await api.Ok("DescribeKeyPairs", ("KeyName.1", "api-imported"), ("IncludePublicKey", "true"));
        var item = Assert.Single(described.Element("keySet")!.Elements("item"));
        Assert.Equal(("ed25519", importedId), (Text(item, "keyType"), Text(item, "keyPairId")));
        Assert.Equal(Ed25519Key[..^8] + " api-imported", Text(item, "publicKey"));
        var byType = await api.Ok("DescribeKeyPairs", ("Filter.1.Name", "key-type"), ("Filter.1.Value.1", "ed25519"), ("Filter.2.Name", "key-name"), ("Filter.2.Value.1", "api-*"));
        Assert.Equal(["api-ed", "api-imported"], byType.Element("keySet")!.Elements("item").Select(i => Text(i, "keyName")).Order());
        Assert.Single((await api.Ok("DescribeKeyPairs", ("Filter.1.Name", "tag:team"), ("Filter.1.Value.1", "a"))).Element("keySet")!.Elements("item"));

        var byId = await api.Ok("DeleteKeyPair", ("KeyPairId", importedId));
        Assert.Equal(("true", importedId), (Text(byId, "return"), Text(byId, "keyPairId")));
        Assert.Equal("true", Text(await api.Ok("DeleteKeyPair", ("KeyName", "api-created")), "return"));
        Assert.Equal("true", Text(await api.Ok("DeleteKeyPair", ("KeyName", "never-existed")), "return"));
        Assert.Equal("InvalidKeyPair.NotFound", await api.Fails("DescribeKeyPairs", ("KeyName.1", "api-created")));
        Assert.Equal("InvalidKeyPair.NotFound", await api.Fails("DescribeKeyPairs", ("KeyPairId.1", importedId)));
    }

    [Theory]
    [InlineData("MissingParameter", "ImportKeyPair", "KeyName", "k")]
    [InlineData("MissingParameter", "CreateKeyPair", "KeyType", "rsa")]
    [InlineData("InvalidParameterValue", "DescribeKeyPairs", "Filter.1.Name", "no-such-filter")]
    [InlineData("InvalidKeyPair.Malformed", "DescribeKeyPairs", "KeyPairId.1", "kp-1")]
    [InlineData("MissingParameter", "DeleteKeyPair", "Unused", "")]
    [InlineData("InvalidParameterValue", "DescribeKeyPairs", "IncludePublicKey", "perhaps")]
    public async Task Key_pair_bad_input(string code, string action, string name, string value)
    {
        (string, string)[] parameters = name == "Unused" ? [] : [(name, value)];
        Assert.Equal(code, await api.Fails(action, parameters));
    }

    [Fact]
    public async Task Key_pair_with_an_unknown_type_or_format_is_refused()
    {
        Assert.Equal("InvalidParameterValue", await api.Fails("CreateKeyPair", ("KeyName", "bad-type"), ("KeyType", "dsa")));
        Assert.Equal("InvalidParameterValue", await api.Fails("CreateKeyPair", ("KeyName", "bad-format"), ("KeyFormat", "der")));
        Assert.Equal("InvalidKey.Format", await api.Fails("ImportKeyPair", ("KeyName", "bad"), ("PublicKeyMaterial", Convert.ToBase64String(Encoding.ASCII.GetBytes("ssh-rsa AAAA")))));
        Assert.Equal("InvalidKey.Format", await api.Fails("ImportKeyPair", ("KeyName", "bad"), ("PublicKeyMaterial", Convert.ToBase64String(Encoding.ASCII.GetBytes("ssh-dss AAAAB3NzaC1kc3M=")))));
    }
}
