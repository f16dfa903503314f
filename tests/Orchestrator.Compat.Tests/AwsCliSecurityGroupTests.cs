using System.Text.Json.Nodes;

namespace Orchestrator.Compat.Tests;

/// <summary>The AWS CLI, unchanged but for the endpoint, managing security groups and their rules.</summary>
public sealed class AwsCliSecurityGroupTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Groups_that_reference_each_other_are_filtered_revoked_and_deleted_in_order()
    {
        var vpc = (string)(await node.AwsOk("ec2", "create-vpc", "--cidr-block", "10.50.0.0/16"))["Vpc"]!["VpcId"]!;
        var app = (string)(await node.AwsOk("ec2", "create-security-group", "--group-name", "app", "--description", "app tier", "--vpc-id", vpc,
            "--tag-specifications", "ResourceType=security-group,Tags=[{Key=Name,Value=app}]"))["GroupId"]!;
        var db = (string)(await node.AwsOk("ec2", "create-security-group", "--group-name", "db", "--description", "db tier", "--vpc-id", vpc))["GroupId"]!;
        await node.AwsOk("ec2", "wait", "security-group-exists", "--group-ids", app, db);

        var authorized = await node.AwsOk("ec2", "authorize-security-group-ingress", "--group-id", db, "--ip-permissions",
            $"IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{{GroupId={app},Description=from-app}}]",
            "IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=10.50.0.0/16}]");
        Assert.True((bool)authorized["Return"]!);
        Assert.Equal(2, authorized["SecurityGroupRules"]!.AsArray().Count);
        Assert.Contains("(InvalidPermission.Duplicate)", await node.AwsFails("ec2", "authorize-security-group-ingress", "--group-id", db,
            "--protocol", "tcp", "--port", "5432", "--source-group", app));

        var referencing = await node.AwsOk("ec2", "describe-security-groups", "--filters", $"Name=ip-permission.group-id,Values={app}", $"Name=vpc-id,Values={vpc}");
        var group = referencing["SecurityGroups"]!.AsArray().Single()!;
        Assert.Equal(db, (string)group["GroupId"]!);
        var permissions = group["IpPermissions"]!.AsArray();
        Assert.Equal(["tcp", "icmp"], permissions.Select(p => (string)p!["IpProtocol"]!));
        Assert.Equal("from-app", (string)permissions[0]!["UserIdGroupPairs"]![0]!["Description"]!);
        Assert.Equal("0.0.0.0/0", (string)group["IpPermissionsEgress"]![0]!["IpRanges"]![0]!["CidrIp"]!);
        var named = await node.AwsOk("ec2", "describe-security-groups", "--filters", "Name=tag:Name,Values=app");
        Assert.Equal(app, (string)named["SecurityGroups"]![0]!["GroupId"]!);
        Assert.Contains("(InvalidGroupId.Malformed)", await node.AwsFails("ec2", "describe-security-groups", "--group-ids", "sg-nope"));

        Assert.Contains("(DependencyViolation)", await node.AwsFails("ec2", "delete-security-group", "--group-id", app));
        var revoked = await node.AwsOk("ec2", "revoke-security-group-ingress", "--group-id", db, "--ip-permissions",
            $"IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{{GroupId={app}}}]");
        Assert.Equal(app, (string)revoked["RevokedSecurityGroupRules"]![0]!["ReferencedGroupId"]!);
        Assert.Contains("(InvalidPermission.NotFound)", await node.AwsFails("ec2", "revoke-security-group-ingress", "--group-id", db, "--ip-permissions",
            $"IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{{GroupId={app}}}]"));

        await node.AwsOk("ec2", "delete-security-group", "--group-id", app);
        await node.AwsOk("ec2", "delete-security-group", "--group-id", db);
        Assert.Contains("(InvalidGroup.NotFound)", await node.AwsFails("ec2", "describe-security-groups", "--group-ids", db));
    }
}
