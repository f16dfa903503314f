using System.Collections.Immutable;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Domain.Vpc.VpcCommands;
using static Orchestrator.Domain.Vpc.VpcEvents;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class VpcBehaviorTests
{
    private const string VpcId = "vpc-0a1b2c3d4e5f60718";
    private const string SubnetA = "subnet-0aaaaaaaaaaaaaaaa";
    private const string SubnetB = "subnet-0bbbbbbbbbbbbbbbb";
    private const string Owner1 = "i-0000000000000000a";
    private const string Owner2 = "i-0000000000000000b";

    private readonly EntityHarness<VpcState, IVpcCommand, IVpcEvent> _vpc = new(new VpcBehavior());

    [Fact]
    public void CreateVpc_stores_the_canonical_block_and_attributes()
    {
        var events = _vpc.Execute(new CreateVpc(VpcId, "10.0.3.7/16", Tags: ImmutableDictionary<string, string>.Empty.Add("Name", "main")));

        var created = Assert.IsType<VpcCreated>(events[0]);
        Assert.Equal(4, events.Count); // with the main route table, its association and the default network ACL
        Assert.Equal("10.0.0.0/16", created.CidrBlock);
        Assert.Equal(TestRegion.Epoch, created.At);
        var view = VpcView.From(_vpc.State!);
        Assert.Equal(new VpcView(VpcId, "10.0.0.0/16", "available", false, "default", view.Tags), view);
        Assert.Equal("main", view.Tags["Name"]);
    }

    [Theory]
    [InlineData("10.0.0.0/15")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.0/29")]
    [InlineData("169.254.0.0/16")]
    [InlineData("169.254.10.0/24")]
    public void CreateVpc_outside_16_to_28_or_link_local_is_InvalidVpc_Range(string cidr)
    {
        var error = _vpc.Refuse(new CreateVpc(VpcId, cidr));
        Assert.Equal("InvalidVpc.Range", error.Code);
        Assert.Equal($"The CIDR '{cidr}' is invalid.", error.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/16")]
    [InlineData("10.0.0.0/28")]
    [InlineData("100.64.0.0/16")]
    [InlineData("203.0.113.0/24")]
    public void CreateVpc_accepts_16_to_28_including_public_ranges(string cidr) => Assert.IsType<VpcCreated>(_vpc.Execute(new CreateVpc(VpcId, cidr))[0]);

    [Fact]
    public void CreateVpc_with_a_malformed_block_is_InvalidParameterValue() =>
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateVpc(VpcId, "10.0.0.0/xx")).Code);

    [Fact]
    public void CreateVpc_rejects_unknown_tenancy() =>
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateVpc(VpcId, "10.0.0.0/16", InstanceTenancy: "host")).Code);

    [Fact]
    public void CreateVpc_again_is_a_retry_and_changes_nothing()
    {
        _vpc.Execute(new CreateVpc(VpcId, "10.0.0.0/16"));
        Assert.Empty(_vpc.Execute(new CreateVpc(VpcId, "10.0.0.0/16")));
    }

    [Fact]
    public void Commands_for_a_VPC_that_does_not_exist_are_InvalidVpcID_NotFound()
    {
        IVpcCommand[] commands =
        [
            new CreateSubnet(VpcId, SubnetA, "10.0.0.0/24", "us-east-1a"),
            new DeleteSubnet(VpcId, SubnetA),
            new ModifySubnetAttribute(VpcId, SubnetA, SubnetAttributes.MapPublicIpOnLaunch, "true"),
            new AllocatePrivateIp(VpcId, SubnetA, Owner1),
            new ReleasePrivateIp(VpcId, SubnetA, Owner1),
            new DeleteVpc(VpcId),
        ];
        foreach (var command in commands)
        {
            var error = _vpc.Refuse(command);
            Assert.Equal("InvalidVpcID.NotFound", error.Code);
            Assert.Equal($"The vpc ID '{VpcId}' does not exist", error.Message);
        }
    }

    [Fact]
    public void CreateSubnet_records_zone_and_zone_id_and_a_full_address_count()
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.9/24", "us-east-1b"));

        var view = SubnetView.From(_vpc.State!, _vpc.State!.FindSubnet(SubnetA)!);
        Assert.Equal("10.0.1.0/24", view.CidrBlock);
        Assert.Equal("us-east-1b", view.AvailabilityZone);
        Assert.Equal("use1-az2", view.AvailabilityZoneId);
        Assert.Equal(251, view.AvailableIpAddressCount);
        Assert.Equal("available", view.State);
        Assert.Equal(VpcId, view.VpcId);
        Assert.False(view.DefaultForAz);
        Assert.False(view.MapPublicIpOnLaunch);
    }

    [Theory]
    [InlineData("10.1.0.0/24")]
    [InlineData("10.0.0.0/15")]
    [InlineData("10.0.0.0/29")]
    [InlineData("9.255.255.0/24")]
    public void CreateSubnet_outside_the_VPC_or_of_a_wrong_size_is_InvalidSubnet_Range(string cidr)
    {
        CreateMainVpc();
        var error = _vpc.Refuse(new CreateSubnet(VpcId, SubnetA, cidr, "us-east-1a"));
        Assert.Equal("InvalidSubnet.Range", error.Code);
        Assert.Equal($"The CIDR '{cidr}' is invalid.", error.Message);
    }

    [Fact]
    public void CreateSubnet_may_take_the_whole_VPC_block()
    {
        _vpc.Execute(new CreateVpc(VpcId, "10.0.0.0/24"));
        Assert.IsType<SubnetCreated>(_vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.0.0/24", "us-east-1a"))[0]);
    }

    [Theory]
    [InlineData("10.0.1.0/24")]
    [InlineData("10.0.1.128/25")]
    [InlineData("10.0.0.0/23")]
    public void Overlapping_subnets_are_InvalidSubnet_Conflict(string cidr)
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a"));

        var error = _vpc.Refuse(new CreateSubnet(VpcId, SubnetB, cidr, "us-east-1b"));

        Assert.Equal("InvalidSubnet.Conflict", error.Code);
        Assert.Equal($"The CIDR '{cidr}' conflicts with another subnet", error.Message);
    }

    [Fact]
    public void CreateSubnet_in_an_unknown_zone_lists_the_region_zones()
    {
        CreateMainVpc();
        var error = _vpc.Refuse(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1z"));
        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.Equal(
            "Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: "
            + "us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f.",
            error.Message);
    }

    [Fact]
    public void CreateSubnet_by_zone_id_resolves_the_zone_name()
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", AvailabilityZoneId: "use1-az3"));
        Assert.Equal("us-east-1c", _vpc.State!.FindSubnet(SubnetA)!.AvailabilityZone);
        Assert.Equal("InvalidParameterValue", _vpc.Refuse(new CreateSubnet(VpcId, SubnetB, "10.0.2.0/24", AvailabilityZoneId: "use1-az9")).Code);
    }

    [Fact]
    public void CreateSubnet_with_a_zone_and_a_disagreeing_zone_id_is_refused()
    {
        CreateMainVpc();
        Assert.Equal("InvalidParameterCombination", _vpc.Refuse(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a", "use1-az2")).Code);
    }

    [Fact]
    public void CreateSubnet_without_a_zone_spreads_over_the_least_used_zones()
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24"));
        _vpc.Execute(new CreateSubnet(VpcId, SubnetB, "10.0.2.0/24"));
        Assert.Equal("us-east-1a", _vpc.State!.FindSubnet(SubnetA)!.AvailabilityZone);
        Assert.Equal("us-east-1b", _vpc.State!.FindSubnet(SubnetB)!.AvailabilityZone);
    }

    [Fact]
    public void CreateSubnet_again_is_a_retry()
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a"));
        Assert.Empty(_vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a")));
    }

    [Fact]
    public void Allocation_hands_out_the_lowest_free_usable_address()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");

        var first = Assert.IsType<PrivateIpAllocated>(Assert.Single(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1))));
        var second = Assert.IsType<PrivateIpAllocated>(Assert.Single(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner2))));

        Assert.Equal("10.0.1.4", first.PrivateIpAddress);
        Assert.Equal("10.0.1.5", second.PrivateIpAddress);
        Assert.Equal(249, SubnetView.From(_vpc.State!, _vpc.State!.FindSubnet(SubnetA)!).AvailableIpAddressCount);
    }

    [Fact]
    public void Allocation_is_idempotent_per_owner()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        _vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1));

        Assert.Empty(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1)));
        Assert.Empty(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1, "10.0.1.4")));
        Assert.Equal("InvalidIPAddress.InUse", _vpc.Refuse(new AllocatePrivateIp(VpcId, SubnetA, Owner1, "10.0.1.9")).Code);
        Assert.Equal("10.0.1.4", _vpc.State!.FindSubnet(SubnetA)!.AddressOf(Owner1));
    }

    [Fact]
    public void Release_frees_the_address_for_the_next_allocation()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        _vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1));
        _vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner2));

        var released = Assert.IsType<PrivateIpReleased>(Assert.Single(_vpc.Execute(new ReleasePrivateIp(VpcId, SubnetA, Owner1))));
        var next = Assert.IsType<PrivateIpAllocated>(Assert.Single(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, "i-0000000000000000c"))));

        Assert.Equal("10.0.1.4", released.PrivateIpAddress);
        Assert.Equal("10.0.1.4", next.PrivateIpAddress);
    }

    [Fact]
    public void Releasing_an_address_the_owner_does_not_hold_is_a_no_op()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        Assert.Empty(_vpc.Execute(new ReleasePrivateIp(VpcId, SubnetA, Owner1)));
    }

    [Fact]
    public void A_slash_28_holds_eleven_instances_then_InsufficientFreeAddressesInSubnet()
    {
        CreateMainVpcWithSubnet("10.0.1.16/28");
        var addresses = Enumerable.Range(0, 11)
            .Select(i => Assert.IsType<PrivateIpAllocated>(Assert.Single(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, $"i-{i:x17}")))).PrivateIpAddress)
            .ToList();

        Assert.Equal(Enumerable.Range(20, 11).Select(last => $"10.0.1.{last}"), addresses);
        Assert.Equal(0, _vpc.State!.FindSubnet(SubnetA)!.AvailableIpAddressCount());
        var error = _vpc.Refuse(new AllocatePrivateIp(VpcId, SubnetA, "i-fffffffffffffffff"));
        Assert.Equal("InsufficientFreeAddressesInSubnet", error.Code);
        Assert.Equal($"There are not enough free addresses in subnet '{SubnetA}' to satisfy the requested number of instances.", error.Message);
    }

    [Fact]
    public void A_requested_address_is_given_when_free_and_usable()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        var allocated = Assert.IsType<PrivateIpAllocated>(Assert.Single(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1, "10.0.1.100"))));
        Assert.Equal("10.0.1.100", allocated.PrivateIpAddress);
        Assert.Equal("10.0.1.4", Assert.IsType<PrivateIpAllocated>(Assert.Single(_vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner2)))).PrivateIpAddress);
    }

    [Theory]
    [InlineData("10.0.2.10", "InvalidParameterValue", "Address 10.0.2.10 does not fall within the subnet's address range")]
    [InlineData("10.0.1.0", "InvalidParameterValue", "Address 10.0.1.0 is in subnet's reserved address range")]
    [InlineData("10.0.1.3", "InvalidParameterValue", "Address 10.0.1.3 is in subnet's reserved address range")]
    [InlineData("10.0.1.255", "InvalidParameterValue", "Address 10.0.1.255 is in subnet's reserved address range")]
    [InlineData("10.0.1.4", "InvalidIPAddress.InUse", "Address 10.0.1.4 is in use.")]
    [InlineData("10.0.1", "InvalidParameterValue", "Value (10.0.1) for parameter privateIpAddress is invalid. This is not a valid IP address.")]
    public void A_requested_address_is_refused_outside_reserved_or_taken(string requested, string code, string message)
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        _vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1));

        var error = _vpc.Refuse(new AllocatePrivateIp(VpcId, SubnetA, Owner2, requested));

        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Subnet_commands_for_an_unknown_subnet_are_InvalidSubnetID_NotFound()
    {
        CreateMainVpc();
        IVpcCommand[] commands =
        [
            new DeleteSubnet(VpcId, SubnetA),
            new ModifySubnetAttribute(VpcId, SubnetA, SubnetAttributes.MapPublicIpOnLaunch, "true"),
            new AllocatePrivateIp(VpcId, SubnetA, Owner1),
            new ReleasePrivateIp(VpcId, SubnetA, Owner1),
        ];
        foreach (var command in commands)
        {
            var error = _vpc.Refuse(command);
            Assert.Equal("InvalidSubnetID.NotFound", error.Code);
            Assert.Equal($"The subnet ID '{SubnetA}' does not exist", error.Message);
        }
    }

    [Fact]
    public void ModifySubnetAttribute_changes_MapPublicIpOnLaunch_once()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        Assert.Single(_vpc.Execute(new ModifySubnetAttribute(VpcId, SubnetA, SubnetAttributes.MapPublicIpOnLaunch, "true")));
        Assert.Empty(_vpc.Execute(new ModifySubnetAttribute(VpcId, SubnetA, SubnetAttributes.MapPublicIpOnLaunch, "true")));
        Assert.True(_vpc.State!.FindSubnet(SubnetA)!.MapPublicIpOnLaunch);
    }

    [Fact]
    public void A_subnet_with_allocated_addresses_cannot_be_deleted()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        _vpc.Execute(new AllocatePrivateIp(VpcId, SubnetA, Owner1));

        var error = _vpc.Refuse(new DeleteSubnet(VpcId, SubnetA));
        Assert.Equal("DependencyViolation", error.Code);
        Assert.Equal($"The subnet '{SubnetA}' has dependencies and cannot be deleted.", error.Message);

        _vpc.Execute(new ReleasePrivateIp(VpcId, SubnetA, Owner1));
        Assert.IsType<SubnetDeleted>(_vpc.Execute(new DeleteSubnet(VpcId, SubnetA))[^1]);
        Assert.Null(_vpc.State!.FindSubnet(SubnetA));
    }

    [Fact]
    public void A_VPC_with_subnets_cannot_be_deleted_and_is_gone_after_deletion()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");

        var error = _vpc.Refuse(new DeleteVpc(VpcId));
        Assert.Equal("DependencyViolation", error.Code);
        Assert.Equal($"The vpc '{VpcId}' has dependencies and cannot be deleted.", error.Message);

        _vpc.Execute(new DeleteSubnet(VpcId, SubnetA));
        _vpc.Execute(new DeleteVpc(VpcId));
        Assert.Null(_vpc.State);
        Assert.Equal("InvalidVpcID.NotFound", _vpc.Refuse(new DeleteVpc(VpcId)).Code);
    }

    [Fact]
    public void DefaultSubnetFor_finds_the_zone_default_subnet()
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a", DefaultForAz: true));
        _vpc.Execute(new CreateSubnet(VpcId, SubnetB, "10.0.2.0/24", "us-east-1b"));
        Assert.Equal(SubnetA, _vpc.State!.DefaultSubnetFor("us-east-1a")!.SubnetId);
        Assert.Null(_vpc.State!.DefaultSubnetFor("us-east-1b"));
    }

    [Fact]
    public void Subnet_views_list_every_subnet_with_its_VPC()
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a"));
        _vpc.Execute(new CreateSubnet(VpcId, SubnetB, "10.0.2.0/28", "us-east-1b"));
        var views = SubnetView.AllOf(_vpc.State!);
        Assert.Equal([251L, 11L], views.Select(v => v.AvailableIpAddressCount));
        Assert.All(views, v => Assert.Equal(VpcId, v.VpcId));
    }

    [Fact]
    public void A_VPC_has_no_deadlines()
    {
        CreateMainVpcWithSubnet("10.0.1.0/24");
        Assert.Empty(new VpcBehavior().Deadlines(_vpc.State));
    }

    [Fact]
    public void Subnets_may_be_created_in_a_zone_that_is_down()
    {
        CreateMainVpc();
        _vpc.Region = TestRegion.With(TestRegion.Zone("us-east-1a", AzState.Unavailable));
        Assert.IsType<SubnetCreated>(_vpc.Execute(new CreateSubnet(VpcId, SubnetA, "10.0.1.0/24", "us-east-1a"))[0]);
    }

    private void CreateMainVpc() => _vpc.Execute(new CreateVpc(VpcId, "10.0.0.0/16"));

    private void CreateMainVpcWithSubnet(string cidr)
    {
        CreateMainVpc();
        _vpc.Execute(new CreateSubnet(VpcId, SubnetA, cidr, "us-east-1a"));
    }
}
