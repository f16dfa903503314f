using System.Xml.Linq;

namespace Orchestrator.Node.Tests;

/// <summary>The instance attribute, credit, interface and account actions over HTTP, read back as the XML clients parse.</summary>
public sealed class Ec2InstanceApiTests(Ec2ApiFixture api) : IClassFixture<Ec2ApiFixture>
{
    private static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private async Task<XElement> Ok(string body) => XElement.Parse(await api.Ok(body.Replace("{id}", api.InstanceId, StringComparison.Ordinal)));

    private async Task<string> Code(string body)
    {
        var (_, text) = await api.Send(body.Replace("{id}", api.InstanceId, StringComparison.Ordinal));
        return XElement.Parse(text).Descendants("Code").Single().Value;
    }

    private static string? Value(XElement root, params string[] path)
    {
        var node = root;
        foreach (var name in path)
            node = node?.Element(Ns + name);
        return node?.Value;
    }

    private async Task<string> Launch(string type)
    {
        var run = await Ok($"Action=RunInstances&ImageId={Ec2ApiFixture.Image}&InstanceType={type}&MinCount=1&MaxCount=1");
        return run.Descendants(Ns + "instanceId").First().Value;
    }

    private async Task<List<XElement>> Interfaces(string query) =>
        [.. (await Ok("Action=DescribeNetworkInterfaces" + query)).Element(Ns + "networkInterfaceSet")!.Elements(Ns + "item")];

    [Theory]
    [InlineData("instanceType", "instanceType", "t3.micro")]
    [InlineData("kernel", "kernel", null)]
    [InlineData("ramdisk", "ramdisk", null)]
    [InlineData("userData", "userData", null)]
    [InlineData("disableApiTermination", "disableApiTermination", "false")]
    [InlineData("disableApiStop", "disableApiStop", "false")]
    [InlineData("instanceInitiatedShutdownBehavior", "instanceInitiatedShutdownBehavior", "stop")]
    [InlineData("rootDeviceName", "rootDeviceName", "/dev/xvda")]
    [InlineData("sourceDestCheck", "sourceDestCheck", "true")]
    [InlineData("ebsOptimized", "ebsOptimized", "false")]
    [InlineData("sriovNetSupport", "sriovNetSupport", null)]
    [InlineData("enaSupport", "enaSupport", "true")]
    public async Task Every_attribute_is_described_in_its_own_element(string attribute, string element, string? value)
    {
        var id = await Launch("t3.micro");
        var described = await Ok($"Action=DescribeInstanceAttribute&InstanceId={id}&Attribute={attribute}");
        Assert.Equal(id, Value(described, "instanceId"));
        var holder = described.Element(Ns + element);
        Assert.NotNull(holder);
        Assert.Equal(value, holder.Element(Ns + "value")?.Value);
    }

    [Fact]
    public async Task List_attributes_and_enclave_options_have_their_shapes()
    {
        var groups = await Ok("Action=ModifyInstanceAttribute&InstanceId={id}&GroupId.1=sg-0123456789abcdef0&GroupId.2=sg-0123456789abcdef1");
        Assert.Equal(Ns + "ModifyInstanceAttributeResponse", groups.Name);
        var groupSet = await Ok("Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=groupSet");
        Assert.Equal(["sg-0123456789abcdef0", "sg-0123456789abcdef1"], groupSet.Element(Ns + "groupSet")!.Elements().Select(g => Value(g, "groupId")));
        var described = await Ok("Action=DescribeInstances&InstanceId.1={id}");
        Assert.Equal(2, described.Descendants(Ns + "instancesSet").Single().Element(Ns + "item")!.Element(Ns + "groupSet")!.Elements().Count());

        Assert.NotNull((await Ok("Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=blockDeviceMapping")).Element(Ns + "blockDeviceMapping"));
        Assert.NotNull((await Ok("Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=productCodes")).Element(Ns + "productCodes"));
        Assert.Equal("false", Value(await Ok("Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=enclaveOptions"), "enclaveOptions", "enabled"));
    }

    [Fact]
    public async Task Protection_attributes_refuse_stop_and_terminate_until_lifted()
    {
        var id = await Launch("t3.micro");
        await Ok($"Action=ModifyInstanceAttribute&InstanceId={id}&DisableApiStop.Value=true");
        await Ok($"Action=ModifyInstanceAttribute&InstanceId={id}&Attribute=disableApiTermination&Value=true");
        Assert.Equal("true", Value(await Ok($"Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=disableApiStop"), "disableApiStop", "value"));

        Assert.Equal("OperationNotPermitted", await Code($"Action=TerminateInstances&InstanceId.1={id}"));
        await Ok($"Action=ModifyInstanceAttribute&InstanceId={id}&DisableApiTermination.Value=false");
        await Ok($"Action=ModifyInstanceAttribute&InstanceId={id}&InstanceInitiatedShutdownBehavior.Value=terminate");
        Assert.Equal("terminate", Value(await Ok($"Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=instanceInitiatedShutdownBehavior"), "instanceInitiatedShutdownBehavior", "value"));
        var terminating = await Ok($"Action=TerminateInstances&InstanceId.1={id}");
        Assert.Equal("shutting-down", terminating.Descendants(Ns + "currentState").Single().Element(Ns + "name")!.Value);
    }

    [Fact]
    public async Task Source_dest_check_shows_on_the_instance_and_its_interface()
    {
        var id = await Launch("t3.micro");
        await Ok($"Action=ModifyInstanceAttribute&InstanceId={id}&SourceDestCheck.Value=false");
        var instance = (await Ok($"Action=DescribeInstances&InstanceId.1={id}")).Descendants(Ns + "instancesSet").Single().Element(Ns + "item")!;
        Assert.Equal("false", Value(instance, "sourceDestCheck"));
        var eni = instance.Element(Ns + "networkInterfaceSet")!.Element(Ns + "item")!;
        Assert.Equal("false", Value(eni, "sourceDestCheck"));
        Assert.Equal("0", Value(eni, "attachment", "deviceIndex"));
        Assert.Equal("attached", Value(eni, "attachment", "status"));
        Assert.Equal("open", Value(instance, "capacityReservationSpecification", "capacityReservationPreference"));
        Assert.Equal("applied", Value(instance, "metadataOptions", "state"));
        Assert.Equal("ip-name", Value(instance, "privateDnsNameOptions", "hostnameType"));
        Assert.Equal("default", Value(instance, "maintenanceOptions", "autoRecovery"));
        Assert.Equal("false", Value(instance, "hibernationOptions", "configured"));
        Assert.Equal("false", Value(instance, "enclaveOptions", "enabled"));
        Assert.Equal("legacy-bios", Value(instance, "currentInstanceBootMode"));
        Assert.Equal("1", Value(instance, "cpuOptions", "coreCount"));

        var filtered = await Ok("Action=DescribeInstances&Filter.1.Name=source-dest-check&Filter.1.Value.1=false");
        Assert.Contains(id, filtered.Descendants(Ns + "instanceId").Select(i => i.Value));
    }

    [Fact]
    public async Task Credit_options_default_by_family_and_change()
    {
        var t3 = await Launch("t3.micro");
        var t2 = await Launch("t2.micro");
        var m5 = await Launch("m5.large");
        var credits = await Ok($"Action=DescribeInstanceCreditSpecifications&InstanceId.1={t3}&InstanceId.2={t2}");
        Assert.Equal(["unlimited", "standard"], credits.Descendants(Ns + "cpuCredits").Select(c => c.Value));
        Assert.Equal("InstanceCreditSpecification.NotSupported", await Code($"Action=DescribeInstanceCreditSpecifications&InstanceId.1={m5}"));

        var modified = await Ok($"Action=ModifyInstanceCreditSpecification&InstanceCreditSpecification.1.InstanceId={t3}&InstanceCreditSpecification.1.CpuCredits=standard"
            + $"&InstanceCreditSpecification.2.InstanceId={m5}&InstanceCreditSpecification.2.CpuCredits=standard");
        Assert.Equal(t3, Value(modified, "successfulInstanceCreditSpecificationSet", "item", "instanceId"));
        Assert.Equal(m5, Value(modified, "unsuccessfulInstanceCreditSpecificationSet", "item", "instanceId"));
        Assert.Equal("InstanceCreditSpecification.NotSupported", Value(modified, "unsuccessfulInstanceCreditSpecificationSet", "item", "error", "code"));

        Assert.Equal("standard", Value(await Ok($"Action=DescribeInstanceCreditSpecifications&InstanceId.1={t3}"), "instanceCreditSpecificationSet", "item", "cpuCredits"));
        // Without ids AWS lists only the instances on the unlimited option.
        var unlimited = (await Ok("Action=DescribeInstanceCreditSpecifications")).Descendants(Ns + "instanceId").Select(i => i.Value).ToList();
        Assert.DoesNotContain(t3, unlimited);
        Assert.DoesNotContain(t2, unlimited);
        Assert.DoesNotContain(m5, unlimited);
    }

    [Fact]
    public async Task Network_interfaces_filter_and_page()
    {
        var launched = new List<string>();
        for (var i = 0; i < 6; i++)
            launched.Add(await Launch("t3.micro"));
        var all = await Interfaces("");
        Assert.True(all.Count >= 7);
        Assert.All(all, eni => Assert.Matches("^eni-[0-9a-f]{17}$", Value(eni, "networkInterfaceId")!));

        var first = await Ok("Action=DescribeNetworkInterfaces&MaxResults=5");
        Assert.Equal(5, first.Element(Ns + "networkInterfaceSet")!.Elements().Count());
        var token = Value(first, "nextToken")!;
        var rest = await Interfaces("&MaxResults=1000&NextToken=" + Uri.EscapeDataString(token));
        Assert.Equal(all.Count - 5, rest.Count);

        var mine = Assert.Single(await Interfaces($"&Filter.1.Name=attachment.instance-id&Filter.1.Value.1={launched[0]}"));
        Assert.Equal(launched[0], Value(mine, "attachment", "instanceId"));
        Assert.Equal("in-use", Value(mine, "status"));
        var byId = Assert.Single(await Interfaces($"&NetworkInterfaceId.1={Value(mine, "networkInterfaceId")}"));
        Assert.Equal(Value(mine, "macAddress"), Value(byId, "macAddress"));
        Assert.Single(await Interfaces($"&Filter.1.Name=private-ip-address&Filter.1.Value.1={Value(mine, "privateIpAddress")}"));
        Assert.Equal(all.Count, (await Interfaces($"&Filter.1.Name=vpc-id&Filter.1.Value.1={Value(mine, "vpcId")}&Filter.2.Name=status&Filter.2.Value.1=in-use")).Count);
        Assert.Empty(await Interfaces("&Filter.1.Name=tag:Name&Filter.1.Value.1=*"));
        Assert.Empty(await Interfaces("&Filter.1.Name=availability-zone&Filter.1.Value.1=eu-west-1a"));

        await Ok($"Action=TerminateInstances&InstanceId.1={launched[1]}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await Interfaces($"&Filter.1.Name=attachment.instance-id&Filter.1.Value.1={launched[1]}")).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the interface of a terminated instance is still listed");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Account_attributes_name_the_default_vpc_and_the_limits()
    {
        var all = await Ok("Action=DescribeAccountAttributes");
        var attributes = all.Element(Ns + "accountAttributeSet")!.Elements()
            .ToDictionary(a => Value(a, "attributeName")!, a => a.Element(Ns + "attributeValueSet")!.Elements().Select(v => Value(v, "attributeValue")).ToList());
        Assert.Equal(["VPC"], attributes["supported-platforms"]);
        Assert.Equal(["5"], attributes["max-elastic-ips"]);
        Assert.Equal(["5"], attributes["vpc-max-elastic-ips"]);
        Assert.Equal(["5"], attributes["vpc-max-security-groups-per-interface"]);
        Assert.Equal(["20"], attributes["max-instances"]);
        var defaultVpc = await Ok("Action=DescribeVpcs&Filter.1.Name=is-default&Filter.1.Value.1=true");
        Assert.Equal([Value(defaultVpc, "vpcSet", "item", "vpcId")], attributes["default-vpc"]);

        var one = await Ok("Action=DescribeAccountAttributes&AttributeName.1=supported-platforms");
        Assert.Equal("supported-platforms", Value(Assert.Single(one.Element(Ns + "accountAttributeSet")!.Elements()), "attributeName"));
    }

    [Fact]
    public async Task An_empty_placement_zone_lets_the_region_choose_as_Terraform_expects()
    {
        var run = await Ok($"Action=RunInstances&ImageId={Ec2ApiFixture.Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&Placement.AvailabilityZone=&Placement.Tenancy=default");
        Assert.StartsWith("us-east-1", run.Descendants(Ns + "availabilityZone").Single().Value, StringComparison.Ordinal);
    }
}
