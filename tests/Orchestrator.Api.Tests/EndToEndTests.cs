using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tests;

/// <summary>The real AWS CLI and boto3 against Kestrel.</summary>
public sealed class EndToEndTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private string Endpoint => server.BaseUri.ToString().TrimEnd('/');

    [Fact]
    public async Task Aws_cli_get_caller_identity()
    {
        var (code, stdout, stderr) = await server.RunAsync("aws", "--endpoint-url", Endpoint, "sts", "get-caller-identity", "--output", "json");
        Assert.True(code == 0, stderr);
        var identity = JsonNode.Parse(stdout)!;
        Assert.Equal("000000000000", (string)identity["Account"]!);
        Assert.Equal("arn:aws:iam::000000000000:root", (string)identity["Arn"]!);
        Assert.Equal("test", (string)identity["UserId"]!);
    }

    [Fact]
    public async Task Boto3_get_caller_identity_and_ec2_error()
    {
        const string Script = """
            import json, os, boto3, botocore.exceptions
            sts = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'])
            r = sts.get_caller_identity()
            out = {'Account': r['Account'], 'Arn': r['Arn'], 'UserId': r['UserId'], 'RequestId': r['ResponseMetadata']['RequestId']}
            try:
                boto3.client('ec2', endpoint_url=os.environ['ENDPOINT']).describe_regions()
            except botocore.exceptions.ClientError as e:
                out['Ec2Code'] = e.response['Error']['Code']
                out['Ec2Status'] = e.response['ResponseMetadata']['HTTPStatusCode']
            print(json.dumps(out))
            """;
        var (code, stdout, stderr) = await server.RunAsync("python3", "-c", Script);
        Assert.True(code == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal("000000000000", (string)result["Account"]!);
        Assert.Equal("arn:aws:iam::000000000000:root", (string)result["Arn"]!);
        Assert.Equal("test", (string)result["UserId"]!);
        Assert.Equal(36, ((string)result["RequestId"]!).Length);
        Assert.Equal("InvalidAction", (string)result["Ec2Code"]!);
        Assert.Equal(400, (int)result["Ec2Status"]!);
    }

    [Fact]
    public async Task Aws_cli_operation_without_handler_fails_cleanly()
    {
        var (code, _, stderr) = await server.RunAsync("aws", "--endpoint-url", Endpoint, "ec2", "describe-regions");
        Assert.NotEqual(0, code);
        Assert.Contains("InvalidAction", stderr, StringComparison.Ordinal);
        Assert.Contains("DescribeRegions", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_lists_services_and_their_state()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var health = JsonNode.Parse(await http.GetStringAsync(new Uri("/_orchestrator/health", UriKind.Relative)))!;
        Assert.Equal("running", (string)health["services"]!["sts"]!);
        Assert.Equal("available", (string)health["services"]!["ec2"]!);
        Assert.Equal(10, health["services"]!.AsObject().Count);
    }

    [Theory]
    [InlineData("Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=abc&MaxCount=1", "InvalidParameterValue")]
    [InlineData("Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1", "MissingParameter")]
    [InlineData("Action=RunInstances&Version=2016-11-15&MinCount=1&MaxCount=1&Nope=1", "UnknownParameter")]
    [InlineData("Action=NoSuchThing&Version=2016-11-15", "InvalidAction")]
    [InlineData("Version=2016-11-15", "MissingAction")]
    public async Task Bad_ec2_requests_get_ec2_error_envelopes(string body, string code)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        content.Headers.Add("X-Amz-Date", "20260101T000000Z");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<Response><Errors><Error><Code>{code}</Code>", text, StringComparison.Ordinal);
        Assert.Contains("<RequestID>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_compatible_json_error_carries_the_query_code_header()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var content = new StringContent("{}", Encoding.UTF8);
        content.Headers.ContentType = new("application/x-amz-json-1.0");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Add("X-Amz-Target", "GraniteServiceVersion20100801.PutMetricAlarm");
        request.Headers.Add("x-amzn-query-mode", "true");
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", (string)body["__type"]!);
        Assert.Equal("ValidationError;Sender", response.Headers.GetValues("x-amzn-query-error").Single());
    }
}
