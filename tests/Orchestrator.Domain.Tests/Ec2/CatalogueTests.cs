using Orchestrator.Domain.Ec2;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class CatalogueTests
{
    [Theory]
    [InlineData("t3.micro", 2, 1024, "x86_64", "Up to 5 Gigabit", "0.0104")]
    [InlineData("t2.micro", 1, 1024, "x86_64", "Low to Moderate", "0.0116")]
    [InlineData("m5.large", 2, 8192, "x86_64", "Up to 10 Gigabit", "0.096")]
    [InlineData("m6i.large", 2, 8192, "x86_64", "Up to 12.5 Gigabit", "0.096")]
    [InlineData("c5.xlarge", 4, 8192, "x86_64", "Up to 10 Gigabit", "0.17")]
    [InlineData("r5.large", 2, 16384, "x86_64", "Up to 10 Gigabit", "0.126")]
    [InlineData("t4g.micro", 2, 1024, "arm64", "Up to 5 Gigabit", "0.0084")]
    public void Known_types_carry_DescribeInstanceTypes_facts_and_price(string name, int vcpus, int memory, string architecture, string network, string price)
    {
        var type = InstanceTypes.Resolve(name).Value;
        Assert.Equal(new InstanceTypeInfo(name, vcpus, memory, architecture, network, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)), type);
    }

    [Fact]
    public void The_catalogue_covers_the_required_families_and_sizes()
    {
        string[] burstable = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"];
        string[] fixedSizes = ["large", "xlarge", "2xlarge", "4xlarge"];
        var required = new[] { "t2", "t3" }.SelectMany(f => burstable.Select(s => $"{f}.{s}"))
            .Concat(new[] { "m5", "m6i", "c5", "c6i", "r5", "r6i" }.SelectMany(f => fixedSizes.Select(s => $"{f}.{s}")));
        Assert.All(required, name => Assert.NotNull(InstanceTypes.Find(name)));
        Assert.Equal(InstanceTypes.All.Length, InstanceTypes.All.Select(t => t.Name).Distinct().Count());
        Assert.All(InstanceTypes.All, t => Assert.True(t.OnDemandHourlyUsd > 0 && t.VCpus > 0 && t.MemoryMiB >= 512));
    }

    [Fact]
    public void Within_a_family_each_price_step_doubles_the_memory()
    {
        foreach (var family in InstanceTypes.All.GroupBy(t => t.Name.Split('.')[0]))
        {
            var bySize = family.OrderBy(t => t.OnDemandHourlyUsd).ToList();
            for (var i = 1; i < bySize.Count; i++)
                Assert.True(bySize[i].MemoryMiB == bySize[i - 1].MemoryMiB * 2, $"{bySize[i].Name} memory");
        }
    }

    [Theory]
    [InlineData("t3.mega")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_types_are_InvalidParameterValue(string? name)
    {
        var result = InstanceTypes.Resolve(name);
        Assert.Equal("InvalidParameterValue", result.Error!.Code);
        Assert.Equal($"Invalid value '{name}' for InstanceType.", result.Error.Message);
    }

    [Theory]
    [InlineData("ami-0c02fb55956c7d316", "x86_64", "amzn2-ami-kernel-5.10-hvm-2.0.20220606.1-x86_64-gp2")]
    [InlineData("ami-0453ec754f44f9a4a", "x86_64", "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64")]
    [InlineData("ami-0ed83e7a78a23014e", "arm64", "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64")]
    [InlineData("ami-005fc0f236362e99f", "x86_64", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240927")]
    [InlineData("ami-0e2c8caa4b6378d8c", "x86_64", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119")]
    [InlineData("ami-0e3c2921641a4a215", "x86_64", "Windows_Server-2022-English-Full-Base-2024.10.09")]
    public void Known_images_resolve_strictly(string imageId, string architecture, string name)
    {
        var image = AmiCatalogue.Resolve(imageId, strict: true).Value;
        Assert.Equal(architecture, image.Architecture);
        Assert.Equal(name, image.Name);
        Assert.False(image.IsRecorded);
        Assert.Equal("ebs", image.RootDeviceType);
    }

    [Fact]
    public void A_well_formed_unknown_image_is_recorded_as_generic_linux_unless_strict()
    {
        const string unknown = "ami-0123456789abcdef0";
        var recorded = AmiCatalogue.Resolve(unknown, strict: false).Value;
        Assert.True(recorded.IsRecorded);
        Assert.Equal("x86_64", recorded.Architecture);
        Assert.Equal("Linux/UNIX", recorded.PlatformDetails);
        Assert.Equal(unknown, recorded.ImageId);

        var error = AmiCatalogue.Resolve(unknown, strict: true).Error!;
        Assert.Equal("InvalidAMIID.NotFound", error.Code);
        Assert.Equal($"The image id '[{unknown}]' does not exist", error.Message);
    }

    [Theory]
    [InlineData("ami-123")]
    [InlineData("ami-0123456789ABCDEF0")]
    [InlineData("i-0123456789abcdef0")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_image_ids_are_InvalidAMIID_Malformed_even_when_lenient(string? imageId)
    {
        var error = AmiCatalogue.Resolve(imageId, strict: false).Error!;
        Assert.Equal("InvalidAMIID.Malformed", error.Code);
        Assert.Equal($"Invalid id: \"{imageId}\" (expecting \"ami-...\")", error.Message);
    }

    [Fact]
    public void Eight_hex_legacy_image_ids_are_well_formed() => Assert.True(AmiCatalogue.Resolve("ami-0abc1234", strict: false).Value.IsRecorded);
}
