using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;
using Orchestrator.Api.Protocols;

namespace Orchestrator.Api.Tests;

/// <summary>
/// Encoder output for Fixtures/responses/cases.json, compared byte for byte with committed golden files that
/// Fixtures/check_responses.py parsed with botocore's own parsers (set ORCH_RECORD_FIXTURES=1 to rewrite them).
/// </summary>
public sealed class ResponseEncodingTests
{
    private const string RequestId = "11111111-2222-3333-4444-555555555555";

    public static TheoryData<string> Cases() =>
        new(LoadCases().Select(c => (string)c!["name"]!));

    private static JsonArray LoadCases() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "responses", "cases.json")))!.AsArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encoding_matches_the_golden_file_botocore_parsed(string name)
    {
        var c = LoadCases().Single(x => (string)x!["name"]! == name)!;
        var actual = Serialize(Encode(c));
        var golden = Path.Combine(SourceDir(), "Fixtures", "responses", name + ".response.json");
        if (Environment.GetEnvironmentVariable("ORCH_RECORD_FIXTURES") == "1")
        {
            File.WriteAllText(golden, actual);
        }
        Assert.Equal(File.ReadAllText(golden), actual);
    }

    [Fact]
    public void Modelled_error_takes_its_http_status_and_query_code()
    {
        var iam = ServiceCatalog.Shared.Get("iam");
        var response = AwsResponseEncoder.Error(iam, AwsProtocol.Query, new AwsError("NoSuchEntity", "x"), RequestId);
        Assert.Equal(404, response.Status);

        var cw = ServiceCatalog.Shared.Get("cloudwatch");
        var json = AwsResponseEncoder.Error(cw, AwsProtocol.Json, new AwsError("ResourceNotFound", "x"), RequestId, queryMode: true);
        Assert.Equal(404, json.Status);
        Assert.Contains(json.Headers, h => h.Key == "x-amzn-query-error" && h.Value == "ResourceNotFound;Sender");
    }

    [Fact]
    public void Output_member_not_in_the_model_is_a_bug_not_a_silent_drop()
    {
        var sts = ServiceCatalog.Shared.Get("sts");
        var op = sts.FindOperation("GetCallerIdentity")!;
        Assert.Throws<InvalidOperationException>(() => AwsResponseEncoder.Output(sts, op, AwsProtocol.Query, new JsonObject { ["Bogus"] = 1 }, RequestId));
    }

    [Fact]
    public void Cbor_round_trips_the_subset()
    {
        var cw = ServiceCatalog.Shared.Get("cloudwatch");
        var op = cw.FindOperation("PutMetricData")!;
        var input = new JsonObject
        {
            ["Namespace"] = "App",
            ["MetricData"] = new JsonArray(new JsonObject
            {
                ["MetricName"] = "m",
                ["Timestamp"] = DateTimeOffset.Parse("2026-01-01T00:00:01.5Z", System.Globalization.CultureInfo.InvariantCulture),
                ["Value"] = -2.25,
                ["Values"] = new JsonArray(1.0, 1e300),
                ["StorageResolution"] = 60,
                ["Dimensions"] = new JsonArray(new JsonObject { ["Name"] = "n", ["Value"] = new string('é', 300) }),
            }),
        };
        var bytes = Cbor.Encode(input, op.Input);
        var decoded = Cbor.Decode(bytes, op.Input);
        Assert.Equal(Canon.Of(input), Canon.Of(decoded));
    }

    private static EncodedResponse Encode(JsonNode c)
    {
        var service = ServiceCatalog.Shared.Get((string)c["service"]!);
        var protocol = (string)c["protocol"]! switch
        {
            "ec2" => AwsProtocol.Ec2,
            "query" => AwsProtocol.Query,
            "cbor" => AwsProtocol.RpcV2Cbor,
            "rest-xml" => AwsProtocol.RestXml,
            _ => AwsProtocol.Json,
        };
        if (c["error"] is { } e)
        {
            var error = new AwsError((string)e["code"]!, (string)e["message"]!, (int?)e["status"], (bool?)e["sender"] ?? true);
            return AwsResponseEncoder.Error(service, protocol, error, RequestId, queryMode: (bool?)c["queryMode"] ?? false);
        }
        var operation = service.FindOperation((string)c["operation"]!)!;
        return AwsResponseEncoder.Output(service, operation, protocol, c["output"]!.DeepClone().AsObject(), RequestId);
    }

    private static string Serialize(EncodedResponse r)
    {
        var headers = new JsonObject();
        foreach (var (k, v) in r.Headers)
        {
            headers[k] = v;
        }
        if (r.ContentType is { } contentType)
        {
            headers["Content-Type"] = contentType;
        }
        var isText = r.ContentType is { } ct && !ct.Contains("cbor", StringComparison.Ordinal);
        var doc = new JsonObject
        {
            ["status"] = r.Status,
            ["headers"] = headers,
            [isText ? "body" : "bodyBase64"] = r.Body is null ? null : isText ? System.Text.Encoding.UTF8.GetString(r.Body) : Convert.ToBase64String(r.Body),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
