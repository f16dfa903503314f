using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI, unchanged but for the endpoint, driving internet gateways, Elastic IPs, NAT gateways and key pairs.</summary>
public sealed class AwsCliNetworkTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private async Task<(string Vpc, string Subnet)> VpcWithSubnet(string prefix)
    {
        var vpc = (string)(await node.AwsOk("ec2", "create-vpc", "--cidr-block", $"{prefix}.0.0/16"))["Vpc"]!["VpcId"]!;
        var subnet = (string)(await node.AwsOk("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", $"{prefix}.1.0/24", "--availability-zone", "us-east-1b"))["Subnet"]!["SubnetId"]!;
        return (vpc, subnet);
    }

    [Fact]
    public async Task Internet_gateway_create_attach_describe_detach_delete()
    {
        var (vpc, _) = await VpcWithSubnet("10.81");
        var igw = (string)(await node.AwsOk("ec2", "create-internet-gateway",
            "--tag-specifications", "ResourceType=internet-gateway,Tags=[{Key=Name,Value=cli}]"))["InternetGateway"]!["InternetGatewayId"]!;
        await node.AwsOk("ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc);
        var described = (await node.AwsOk("ec2", "describe-internet-gateways", "--filters", $"Name=attachment.vpc-id,Values={vpc}"))["InternetGateways"]!.AsArray();
        var gateway = Assert.Single(described)!;
        Assert.Equal((igw, "available", "cli"), ((string)gateway["InternetGatewayId"]!, (string)gateway["Attachments"]![0]!["State"]!, (string)gateway["Tags"]![0]!["Value"]!));

        Assert.Contains("(DependencyViolation)", await node.AwsFails("ec2", "delete-internet-gateway", "--internet-gateway-id", igw));
        await node.AwsOk("ec2", "detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc);
        Assert.Contains("(Gateway.NotAttached)", await node.AwsFails("ec2", "detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc));
        await node.AwsOk("ec2", "delete-internet-gateway", "--internet-gateway-id", igw);
        Assert.Contains("(InvalidInternetGatewayID.NotFound)", await node.AwsFails("ec2", "describe-internet-gateways", "--internet-gateway-ids", igw));
    }

    [Fact]
    public async Task Elastic_ip_allocate_associate_with_a_running_instance_describe_disassociate_release()
    {
        var (_, subnet) = await VpcWithSubnet("10.82");
        var instance = (string)(await node.AwsOk("ec2", "run-instances", "--image-id", "ami-0c02fb55956c7d316", "--instance-type", "t3.micro", "--subnet-id", subnet))["Instances"]![0]!["InstanceId"]!;
        var allocated = await node.AwsOk("ec2", "allocate-address", "--domain", "vpc");
        var allocationId = (string)allocated["AllocationId"]!;
        Assert.Equal("vpc", (string)allocated["Domain"]!);

        await node.AwsOk("ec2", "wait", "instance-running", "--instance-ids", instance);
        var associationId = (string)(await node.AwsOk("ec2", "associate-address", "--allocation-id", allocationId, "--instance-id", instance))["AssociationId"]!;
        var address = (await node.AwsOk("ec2", "describe-addresses", "--allocation-ids", allocationId))["Addresses"]![0]!;
        Assert.Equal((instance, associationId, (string)allocated["PublicIp"]!), ((string)address["InstanceId"]!, (string)address["AssociationId"]!, (string)address["PublicIp"]!));
        Assert.Contains("(InvalidIPAddress.InUse)", await node.AwsFails("ec2", "release-address", "--allocation-id", allocationId));

        await node.AwsOk("ec2", "disassociate-address", "--association-id", associationId);
        Assert.Null((await node.AwsOk("ec2", "describe-addresses", "--allocation-ids", allocationId))["Addresses"]![0]!["AssociationId"]);
        await node.AwsOk("ec2", "release-address", "--allocation-id", allocationId);
        Assert.Contains("(InvalidAllocationID.NotFound)", await node.AwsFails("ec2", "describe-addresses", "--allocation-ids", allocationId));
    }

    [Fact]
    public async Task Nat_gateway_create_wait_available_and_delete()
    {
        var (vpc, subnet) = await VpcWithSubnet("10.83");
        var igw = (string)(await node.AwsOk("ec2", "create-internet-gateway"))["InternetGateway"]!["InternetGatewayId"]!;
        await node.AwsOk("ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc);
        var allocationId = (string)(await node.AwsOk("ec2", "allocate-address"))["AllocationId"]!;

        var created = (await node.AwsOk("ec2", "create-nat-gateway", "--subnet-id", subnet, "--allocation-id", allocationId,
            "--tag-specifications", "ResourceType=natgateway,Tags=[{Key=Name,Value=cli-nat}]"))["NatGateway"]!;
        var nat = (string)created["NatGatewayId"]!;
        Assert.Equal("pending", (string)created["State"]!);
        await node.AwsOk("ec2", "wait", "nat-gateway-available", "--nat-gateway-ids", nat);
        var described = (await node.AwsOk("ec2", "describe-nat-gateways", "--filter", "Name=tag:Name,Values=cli-nat"))["NatGateways"]![0]!;
        Assert.Equal(("available", vpc), ((string)described["State"]!, (string)described["VpcId"]!));
        Assert.Equal(allocationId, (string)described["NatGatewayAddresses"]![0]!["AllocationId"]!);

        Assert.Equal(nat, (string)(await node.AwsOk("ec2", "delete-nat-gateway", "--nat-gateway-id", nat))["NatGatewayId"]!);
        await node.AwsOk("ec2", "wait", "nat-gateway-deleted", "--nat-gateway-ids", nat);
        Assert.Contains("(NatGatewayNotFound)", await node.AwsFails("ec2", "describe-nat-gateways", "--nat-gateway-ids", "nat-0123456789abcdef0"));
    }

    [Fact]
    public async Task Key_pair_import_describe_delete()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orchestrator-key-{Guid.NewGuid():N}.pub");
        await File.WriteAllTextAsync(file, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICXFpafSXZoh5sVp1AGz6Ek2S9XdD7wS2z1asyoKgd/a me@host\n");
        try
        {
            var imported = await node.AwsOk("ec2", "import-key-pair", "--key-name", "cli-key", "--public-key-material", $"fileb://{file}");
            Assert.Equal("tTZMZ3sDnJzueVGe9RnjmioQ0QOxBG8B7+RzqtGk8YY=", (string)imported["KeyFingerprint"]!);
            Assert.Contains("(InvalidKeyPair.Duplicate)", await node.AwsFails("ec2", "import-key-pair", "--key-name", "cli-key", "--public-key-material", $"fileb://{file}"));
        }
        finally
        {
            File.Delete(file);
        }
        var described = (await node.AwsOk("ec2", "describe-key-pairs", "--key-names", "cli-key"))["KeyPairs"]![0]!;
        Assert.Equal("ed25519", (string)described["KeyType"]!);
        var created = await node.AwsOk("ec2", "create-key-pair", "--key-name", "cli-created");
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", (string)created["KeyMaterial"]!);

        await node.AwsOk("ec2", "delete-key-pair", "--key-name", "cli-key");
        await node.AwsOk("ec2", "delete-key-pair", "--key-pair-id", (string)created["KeyPairId"]!);
        Assert.Contains("(InvalidKeyPair.NotFound)", await node.AwsFails("ec2", "describe-key-pairs", "--key-names", "cli-key"));
    }
}
