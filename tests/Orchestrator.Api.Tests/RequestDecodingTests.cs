using System.Text.Json.Nodes;
using Orchestrator.Api.Auth;
using Orchestrator.Api.Models;
using Orchestrator.Api.Protocols;
using Orchestrator.Api.Routing;

namespace Orchestrator.Api.Tests;

/// <summary>Every request botocore recorded routes to its operation and decodes to exactly the parameters it was built from.</summary>
public sealed class RequestDecodingTests
{
    private static readonly ServiceRouter Router = new(ServiceCatalog.Shared);

    public static TheoryData<string> Fixtures() => new(RequestFixture.All().Select(f => f.Name));

    private static RequestFixture Fixture(string name) => RequestFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests", name + ".json"));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Recorded_request_routes_and_decodes_to_its_parameters(string name)
    {
        var f = Fixture(name);
        var route = Router.Route(f.ToRouteRequest());

        Assert.NotNull(route);
        Assert.Equal(f.Service, route.Service);
        Assert.Equal(f.Operation, route.Operation);
        var service = ServiceCatalog.Shared.Get(route.Service);
        var input = service.FindOperation(route.Operation!)!.Input;
        var decoded = route.Protocol switch
        {
            AwsProtocol.Ec2 or AwsProtocol.Query => QueryDecoder.Decode(route.Parameters!, input, route.Protocol),
            AwsProtocol.RpcV2Cbor => Cbor.Decode(f.Body, input),
            _ => JsonCodec.Decode(f.Body, input),
        };
        Assert.Equal(Canon.Of(f.Params), Canon.Of(decoded));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Recorded_request_signature_verifies_and_a_tampered_one_does_not(string name)
    {
        var f = Fixture(name);
        if (f.Signature is not { } signature)
        {
            return; // CBOR fixtures come from the serializer alone, unsigned.
        }
        Assert.Equal("test", signature.AccessKeyId);
        Assert.Equal("us-east-1", signature.Region);
        Assert.True(SigV4.Verify(f.ToSigV4Request(), signature, "test"));
        Assert.False(SigV4.Verify(f.ToSigV4Request(), signature, "wrong-secret"));
        var tampered = f.ToSigV4Request() with { PayloadHash = SigV4.Sha256Hex([.. f.Body, (byte)'x']) };
        Assert.False(SigV4.Verify(tampered, signature, "test"));
    }

    [Fact]
    public void Ec2_lists_are_flattened_and_members_use_query_names()
    {
        var input = ServiceCatalog.Shared.Get("ec2").FindOperation("DescribeInstances")!.Input;
        var decoded = QueryDecoder.Decode(
            QueryDecoder.ParseForm("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-a&InstanceId.2=i-b&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&MaxResults=6"),
            input, AwsProtocol.Ec2);
        Assert.Equal("""{"InstanceIds":["i-a","i-b"],"Filters":[{"Name":"vpc-id","Values":["vpc-1"]}],"MaxResults":6}""",
            decoded.ToJsonString());
        Assert.Equal(6, (int)decoded["MaxResults"]!);
    }

    [Fact]
    public void Query_empty_list_marker_decodes_to_an_empty_list()
    {
        var elb = ServiceCatalog.Shared.Get("elbv2").FindOperation("ModifyLoadBalancerAttributes")!.Input;
        var decoded = QueryDecoder.Decode(QueryDecoder.ParseForm("LoadBalancerArn=a&Attributes="), elb, AwsProtocol.Query);
        Assert.Equal("""{"LoadBalancerArn":"a","Attributes":[]}""", decoded.ToJsonString());
    }

    [Fact]
    public void Wrong_type_and_missing_parameter_are_input_issues_with_wire_names()
    {
        var input = ServiceCatalog.Shared.Get("ec2").FindOperation("RunInstances")!.Input;
        var wrong = Assert.Throws<InputException>(() => QueryDecoder.Decode(QueryDecoder.ParseForm("MinCount=abc&MaxCount=1"), input, AwsProtocol.Ec2));
        Assert.Equal(InputIssueKind.WrongType, wrong.Issues[0].Kind);
        Assert.Equal("MinCount", wrong.Issues[0].WirePath);

        var missing = Assert.Throws<InputException>(() => QueryDecoder.Decode(QueryDecoder.ParseForm("MinCount=1"), input, AwsProtocol.Ec2));
        Assert.Equal(InputIssueKind.Missing, missing.Issues[0].Kind);
        Assert.Equal("MaxCount", missing.Issues[0].WirePath);

        var unknown = Assert.Throws<InputException>(() => QueryDecoder.Decode(QueryDecoder.ParseForm("MinCount=1&MaxCount=1&Bogus=1"), input, AwsProtocol.Ec2));
        Assert.Equal(InputIssueKind.UnknownParameter, unknown.Issues[0].Kind);
    }

    [Fact]
    public void Json_wrong_type_is_a_serialization_issue_and_constraints_are_checked()
    {
        var logs = ServiceCatalog.Shared.Get("logs");
        var input = logs.FindOperation("CreateLogGroup")!.Input;
        var wrong = Assert.Throws<InputException>(() => JsonCodec.Decode("""{"logGroupName":5}"""u8, input));
        Assert.Equal(InputIssueKind.WrongType, wrong.Issues[0].Kind);
        var error = ProtocolErrors.FromIssues(logs, AwsProtocol.Json, wrong.Issues);
        Assert.Equal("SerializationException", error.Code);

        var body = new JsonObject { ["logGroupName"] = new string('a', 513) }.ToJsonString();
        var tooLong = Assert.Throws<InputException>(() => JsonCodec.Decode(System.Text.Encoding.UTF8.GetBytes(body), input));
        var validation = ProtocolErrors.FromIssues(logs, AwsProtocol.Json, tooLong.Issues);
        Assert.Equal("ValidationException", validation.Code);
        Assert.StartsWith("1 validation error detected: Value 'aaa", validation.Message, StringComparison.Ordinal);
        Assert.Contains("at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512", validation.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<InputException>(() => JsonCodec.Decode("{}"u8, input));
        Assert.Equal("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
            ProtocolErrors.FromIssues(logs, AwsProtocol.Json, missing.Issues).Message);
        Assert.Throws<InputException>(() => JsonCodec.Decode("{not json"u8, input));
    }

    [Fact]
    public void Query_enum_violation_is_a_validation_error()
    {
        var asg = ServiceCatalog.Shared.Get("elbv2");
        var input = asg.FindOperation("CreateTargetGroup")!.Input;
        var e = Assert.Throws<InputException>(() => QueryDecoder.Decode(QueryDecoder.ParseForm("Name=tg&Protocol=FTP"), input, AwsProtocol.Query));
        var error = ProtocolErrors.FromIssues(asg, AwsProtocol.Query, e.Issues);
        Assert.Equal("ValidationError", error.Code);
        Assert.Contains("Value 'FTP' at 'protocol' failed to satisfy constraint: Member must satisfy enum value set", error.Message, StringComparison.Ordinal);
    }
}
