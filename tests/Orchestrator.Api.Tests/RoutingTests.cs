using Orchestrator.Api.Auth;
using Orchestrator.Api.Models;
using Orchestrator.Api.Protocols;
using Orchestrator.Api.Routing;

namespace Orchestrator.Api.Tests;

public sealed class RoutingTests
{
    private static readonly ServiceRouter Router = new(ServiceCatalog.Shared);

    private static Route? Route(string method, string path, string? form = null, string? query = null,
        Dictionary<string, string>? headers = null, string? scope = null)
    {
        var signature = scope is null ? null : SigV4.ParseAuthorization(
            $"AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{scope}/aws4_request, SignedHeaders=host, Signature=00");
        return Router.Route(new RouteRequest(method, path, h => headers?.GetValueOrDefault(h),
            QueryDecoder.ParseForm(query ?? ""), form is null ? null : QueryDecoder.ParseForm(form), signature));
    }

    [Theory]
    [InlineData("Action=DescribeVpcs&Version=2016-11-15", null, "ec2", AwsProtocol.Ec2)]
    [InlineData("Action=DescribeLoadBalancers&Version=2015-12-01", null, "elbv2", AwsProtocol.Query)]
    [InlineData("Action=DescribeAutoScalingGroups&Version=2011-01-01", null, "autoscaling", AwsProtocol.Query)]
    [InlineData("Action=DescribeAlarms&Version=2010-08-01", null, "cloudwatch", AwsProtocol.Query)]
    [InlineData("Action=GetUser&Version=2010-05-08", null, "iam", AwsProtocol.Query)]
    [InlineData("Action=DescribeDBInstances&Version=2014-10-31", null, "rds", AwsProtocol.Query)]
    [InlineData("Action=GetCallerIdentity", "sts", "sts", AwsProtocol.Query)]
    [InlineData("Action=DescribeVpcs", "ec2", "ec2", AwsProtocol.Ec2)]
    public void Form_requests_route_by_version_or_credential_scope(string form, string? scope, string service, AwsProtocol protocol)
    {
        var route = Route("POST", "/", form, scope: scope);
        Assert.Equal((service, protocol), (route!.Service, route.Protocol));
    }

    [Fact]
    public void Get_with_action_in_the_query_string_routes_like_a_form()
    {
        var route = Route("GET", "/", query: "Action=GetCallerIdentity&Version=2011-06-15");
        Assert.Equal(("sts", "GetCallerIdentity"), (route!.Service, route.Operation));
    }

    [Theory]
    [InlineData("DynamoDB_20120810.PutItem", "dynamodb", "PutItem")]
    [InlineData("Logs_20140328.PutLogEvents", "logs", "PutLogEvents")]
    [InlineData("GraniteServiceVersion20100801.DescribeAlarms", "cloudwatch", "DescribeAlarms")]
    public void Json_requests_route_by_target_prefix(string target, string service, string operation)
    {
        var route = Route("POST", "/", headers: new() { ["X-Amz-Target"] = target });
        Assert.Equal((service, AwsProtocol.Json, operation), (route!.Service, route.Protocol, route.Operation));
    }

    [Fact]
    public void Rpc_v2_path_routes_to_cbor()
    {
        var route = Route("POST", "/service/GraniteServiceVersion20100801/operation/PutMetricData");
        Assert.Equal(("cloudwatch", AwsProtocol.RpcV2Cbor, "PutMetricData"), (route!.Service, route.Protocol, route.Operation));
    }

    [Theory]
    [InlineData("PUT", "/bucket", "", "CreateBucket")]
    [InlineData("GET", "/", "", "ListBuckets")]
    [InlineData("GET", "/bucket", "", "ListObjects")]
    [InlineData("GET", "/bucket", "list-type=2", "ListObjectsV2")]
    [InlineData("GET", "/bucket", "versioning", "GetBucketVersioning")]
    [InlineData("GET", "/bucket/a/b.txt", "", "GetObject")]
    [InlineData("DELETE", "/bucket/key", "versionId=1", "DeleteObject")]
    [InlineData("HEAD", "/bucket", "", "HeadBucket")]
    public void S3_path_style_routes_to_its_operation(string method, string path, string query, string operation)
    {
        var route = Route(method, path, query: query, scope: "s3");
        Assert.Equal(("s3", AwsProtocol.RestXml), (route!.Service, route.Protocol));
        var match = RestXml.FindOperation(ServiceCatalog.Shared.Get("s3"), method, path, QueryDecoder.ParseForm(query));
        Assert.Equal(operation, match!.Operation.Name);
    }

    [Fact]
    public void S3_uri_labels_bind_to_input_members()
    {
        var s3 = ServiceCatalog.Shared.Get("s3");
        var query = QueryDecoder.ParseForm("versionId=v1");
        var match = RestXml.FindOperation(s3, "GET", "/bucket/dir/file%20name.txt", query)!;
        var input = RestXml.DecodeInput(match, query, _ => null);
        Assert.Equal("bucket", (string)input["Bucket"]!);
        Assert.Equal("dir/file name.txt", (string)input["Key"]!);
        Assert.Equal("v1", (string)input["VersionId"]!);
    }

    [Fact]
    public void Unsigned_request_without_other_hints_falls_back_to_s3()
    {
        Assert.Equal("s3", Route("GET", "/some-bucket")!.Service);
    }

    [Fact]
    public void Metadata_is_read_for_every_embedded_model()
    {
        var metadata = ServiceCatalog.Shared.Metadata;
        Assert.Equal(10, metadata.Count);
        Assert.Equal("monitoring", metadata["cloudwatch"].SigningName);
        Assert.True(metadata["cloudwatch"].AwsQueryCompatible);
        Assert.Equal([AwsProtocol.RpcV2Cbor, AwsProtocol.Json, AwsProtocol.Query], metadata["cloudwatch"].Protocols);
        Assert.Equal("1.1", metadata["logs"].JsonVersion);
        var ec2 = ServiceCatalog.Shared.Get("ec2");
        var member = ec2.FindOperation("RunInstances")!.Input!.Members["SecurityGroupIds"];
        Assert.Equal("SecurityGroupId", InputValidator.WireName(member, AwsProtocol.Ec2));
        Assert.Equal("item", ec2.FindOperation("DescribeRegions")!.Output!.Members["Regions"].Shape.Member!.LocationName);
    }
}
