using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/16", "10.0.0.0/16")]
    [InlineData("100.68.0.18/18", "100.68.0.0/18")]
    [InlineData("172.31.255.255/20", "172.31.240.0/20")]
    [InlineData("192.168.1.77/28", "192.168.1.64/28")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("8.8.8.8/32", "8.8.8.8/32")]
    [InlineData("010.001.000.000/16", "10.1.0.0/16")]
    public void Parse_canonicalises_host_bits_away(string text, string canonical) =>
        Assert.Equal(canonical, Cidr.Parse(text).Value.ToString());

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0/16")]
    [InlineData("10.0.0.0.0/16")]
    [InlineData("10.0.0.256/16")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/1a")]
    [InlineData("10..0.0/16")]
    [InlineData(" 10.0.0.0/16")]
    [InlineData("10.0.0.0/16 ")]
    [InlineData("a.b.c.d/16")]
    [InlineData("1000.0.0.0/8")]
    [InlineData("10.0.0.0/016")]
    [InlineData("::/0")]
    public void Parse_rejects_malformed_blocks_as_AWS_does(string text)
    {
        var result = Cidr.Parse(text);
        Assert.True(result.IsError);
        Assert.Equal("InvalidParameterValue", result.Error!.Code);
        Assert.Equal($"Value ({text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.", result.Error.Message);
    }

    [Fact]
    public void Parse_of_null_is_malformed() => Assert.True(Cidr.Parse(null).IsError);

    [Theory]
    [InlineData(16, 65536, 65531)]
    [InlineData(20, 4096, 4091)]
    [InlineData(24, 256, 251)]
    [InlineData(26, 64, 59)]
    [InlineData(27, 32, 27)]
    [InlineData(28, 16, 11)]
    public void Subnets_lose_five_addresses_to_AWS(int prefix, long total, long usable)
    {
        var cidr = Cidr.Of(0x0A000000, prefix);
        Assert.Equal(total, cidr.AddressCount);
        Assert.Equal(usable, cidr.UsableAddressCount);
    }

    [Fact]
    public void Reserved_addresses_are_the_first_four_and_the_broadcast()
    {
        var cidr = Cidr.Parse("10.0.1.0/24").Value;
        Assert.Equal("10.0.1.4", Ipv4.Format(cidr.FirstUsable));
        Assert.Equal("10.0.1.254", Ipv4.Format(cidr.LastUsable));
        Assert.Equal("10.0.1.255", Ipv4.Format(cidr.Broadcast));
        string[] reserved = ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"];
        foreach (var address in reserved)
            Assert.True(cidr.IsReservedInSubnet(Address(address)), address);
        Assert.False(cidr.IsReservedInSubnet(Address("10.0.1.4")));
        Assert.False(cidr.IsReservedInSubnet(Address("10.0.1.254")));
        Assert.False(cidr.IsReservedInSubnet(Address("10.0.2.0")), "outside the block is not reserved by it");
    }

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.5.0/24", true)]
    [InlineData("10.0.0.0/16", "10.0.0.0/16", true)]
    [InlineData("10.0.0.0/16", "10.1.0.0/24", false)]
    [InlineData("10.0.0.0/24", "10.0.0.0/16", false)]
    [InlineData("172.31.0.0/16", "172.31.240.0/20", true)]
    public void Contains_blocks(string outer, string inner, bool contains) =>
        Assert.Equal(contains, Cidr.Parse(outer).Value.Contains(Cidr.Parse(inner).Value));

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.255.255", true)]
    [InlineData("10.0.0.0/16", "10.1.0.0", false)]
    [InlineData("10.0.0.0/16", "9.255.255.255", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    public void Contains_addresses(string block, string address, bool contains) =>
        Assert.Equal(contains, Cidr.Parse(block).Value.Contains(Address(address)));

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.128/25", true)]
    [InlineData("10.0.0.128/25", "10.0.0.0/24", true)]
    [InlineData("10.0.0.0/24", "10.0.1.0/24", false)]
    [InlineData("10.0.0.0/23", "10.0.1.0/24", true)]
    [InlineData("10.0.0.0/28", "10.0.0.16/28", false)]
    public void Overlaps_is_symmetric(string a, string b, bool overlaps)
    {
        var (left, right) = (Cidr.Parse(a).Value, Cidr.Parse(b).Value);
        Assert.Equal(overlaps, left.Overlaps(right));
        Assert.Equal(overlaps, right.Overlaps(left));
    }

    [Theory]
    [InlineData(0, "172.31.0.0/20")]
    [InlineData(1, "172.31.16.0/20")]
    [InlineData(5, "172.31.80.0/20")]
    [InlineData(15, "172.31.240.0/20")]
    public void Subdivide_walks_the_block_in_order(int index, string expected) =>
        Assert.Equal(expected, Cidr.Parse("172.31.0.0/16").Value.Subdivide(20, index).ToString());

    [Fact]
    public void Subdivide_refuses_blocks_that_do_not_fit()
    {
        var block = Cidr.Parse("172.31.0.0/16").Value;
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Subdivide(20, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Subdivide(15, 0));
    }

    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", uint.MaxValue)]
    [InlineData("10.1.2.3", 0x0A010203u)]
    public void Ipv4_round_trips(string text, uint value)
    {
        Assert.Equal(value, Address(text));
        Assert.Equal(text, Ipv4.Format(value));
    }

    [Theory]
    [InlineData("10.1.2")]
    [InlineData("10.1.2.3.4")]
    [InlineData("10.1.2.")]
    [InlineData(".10.1.2")]
    [InlineData("10.1.2.3 ")]
    public void Ipv4_rejects_malformed_addresses(string text) => Assert.False(Ipv4.TryParse(text, out _));

    private static uint Address(string text) => Ipv4.TryParse(text, out var address) ? address : throw new FormatException(text);
}
