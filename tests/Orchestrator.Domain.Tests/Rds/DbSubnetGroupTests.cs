using Orchestrator.Domain.Common;
using Orchestrator.Domain.Rds;
using static Orchestrator.Domain.Rds.DbSubnetGroupCommands;

namespace Orchestrator.Domain.Tests.Rds;

/// <summary>DB subnet groups: subnets of one VPC covering at least two zones, with AWS's error codes.</summary>
public sealed class DbSubnetGroupTests
{
    private const string Arn = "arn:aws:rds:us-east-1:000000000000:subgrp:app";
    private static readonly SubnetFact A = new("subnet-0000000000000000a", "vpc-00000000000000001", "us-east-1a");
    private static readonly SubnetFact B = new("subnet-0000000000000000b", "vpc-00000000000000001", "us-east-1b");
    private static readonly SubnetFact A2 = new("subnet-0000000000000000c", "vpc-00000000000000001", "us-east-1a");

    private static EntityHarness<DbSubnetGroup, IDbSubnetGroupCommand, IDbSubnetGroupEvent> Harness() => new(new DbSubnetGroupBehavior());

    [Fact]
    public void A_group_over_two_zones_of_one_vpc_is_created_with_its_zones()
    {
        var harness = Harness();
        harness.Execute(new Create("app", Arn, "app tier", [A, B, A2], Tags.None));
        Assert.Equal("vpc-00000000000000001", harness.State!.VpcId);
        Assert.Equal(["us-east-1a", "us-east-1b"], harness.State.Zones.ToArray());
        Assert.Equal(3, harness.State.Subnets.Length);
    }

    [Fact]
    public void Subnets_in_one_zone_do_not_cover_enough_zones()
    {
        var error = Harness().Refuse(new Create("app", Arn, "app tier", [A, A2], Tags.None));
        Assert.Equal("DBSubnetGroupDoesNotCoverEnoughAZs", error.Code);
        Assert.Contains("us-east-1a", error.Message);
    }

    [Fact]
    public void Unknown_subnets_and_subnets_of_two_vpcs_are_invalid_subnets()
    {
        Assert.Equal("InvalidSubnet", Harness().Refuse(new Create("app", Arn, "d", [A, new SubnetFact("subnet-0000000000000000f", null, null)], Tags.None)).Code);
        Assert.Equal("InvalidSubnet", Harness().Refuse(new Create("app", Arn, "d", [A, B with { VpcId = "vpc-00000000000000002" }], Tags.None)).Code);
    }

    [Theory]
    [InlineData("default", "InvalidParameterValue")]
    [InlineData("bad/name", "InvalidParameterValue")]
    [InlineData("", "MissingParameter")]
    public void Names_follow_aws_rules(string name, string code) =>
        Assert.Equal(code, Harness().Refuse(new Create(name, Arn, "d", [A, B], Tags.None)).Code);

    [Fact]
    public void A_description_is_required() =>
        Assert.Equal("MissingParameter", Harness().Refuse(new Create("app", Arn, null, [A, B], Tags.None)).Code);

    [Fact]
    public void A_second_group_of_the_same_name_already_exists_and_a_missing_one_is_not_found()
    {
        var harness = Harness();
        harness.Execute(new Create("app", Arn, "d", [A, B], Tags.None));
        Assert.Equal("DBSubnetGroupAlreadyExists", harness.Refuse(new Create("app", Arn, "d", [A, B], Tags.None)).Code);
        var missing = Harness().Refuse(new Modify("nothing", null, [A, B]));
        Assert.Equal(("DBSubnetGroupNotFoundFault", 404), (missing.Code, missing.HttpStatus));
    }

    [Fact]
    public void Modify_replaces_the_subnets_within_the_vpc_and_keeps_two_zones()
    {
        var harness = Harness();
        harness.Execute(new Create("app", Arn, "d", [A, B], Tags.None));
        Assert.Equal("DBSubnetGroupDoesNotCoverEnoughAZs", harness.Refuse(new Modify("app", null, [A])).Code);
        harness.Execute(new Modify("app", "new", [A2, B]));
        Assert.Equal(("new", 2), (harness.State!.Description, harness.State.Subnets.Length));
        harness.Execute(new Delete("app"));
        Assert.Null(harness.State);
    }
}
