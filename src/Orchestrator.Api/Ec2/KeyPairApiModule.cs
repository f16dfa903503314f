using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Orchestrator.Actors.Ec2;
using Orchestrator.Api.Handlers;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Api.Ec2.Ec2Values;

namespace Orchestrator.Api.Ec2;

/// <summary>EC2 key pairs: create (the private key is returned once), import, describe and delete.</summary>
public sealed class KeyPairApiModule(KeyPairService keys) : IAwsServiceModule
{
    private static readonly FrozenSet<string> KeyPairFilters = FrozenSet.Create("key-pair-id", "key-name", "fingerprint", "key-type", "tag-key");

    public void Register(AwsOperationRegistry registry)
    {
        registry.Register("ec2", "CreateKeyPair", async (request, cancellationToken) =>
        {
            var input = request.Input;
            var created = await keys.CreateKeyPair(String(input, "KeyName")!, String(input, "KeyType"), String(input, "KeyFormat"),
                NetworkApiModule.TagSpecifications(input, "key-pair"), cancellationToken).ConfigureAwait(false);
            if (created.IsError)
                return ToApi(created.Error!);
            var key = created.Value.KeyPair;
            return new JsonObject
            {
                ["KeyPairId"] = key.KeyPairId,
                ["Tags"] = Tags(key.Tags),
                ["KeyName"] = key.KeyName,
                ["KeyFingerprint"] = key.KeyFingerprint,
                ["KeyMaterial"] = created.Value.KeyMaterial,
            };
        });
        registry.Register("ec2", "ImportKeyPair", async (request, cancellationToken) =>
        {
            var input = request.Input;
            byte[] material;
            try
            {
                material = Convert.FromBase64String(String(input, "PublicKeyMaterial") ?? "");
            }
            catch (FormatException)
            {
                return ToApi(KeyPairErrors.InvalidKeyFormat());
            }
            var imported = await keys.ImportKeyPair(String(input, "KeyName")!, material, NetworkApiModule.TagSpecifications(input, "key-pair"), cancellationToken).ConfigureAwait(false);
            if (imported.IsError)
                return ToApi(imported.Error!);
            var key = imported.Value;
            return new JsonObject
            {
                ["KeyFingerprint"] = key.KeyFingerprint,
                ["KeyName"] = key.KeyName,
                ["KeyPairId"] = key.KeyPairId,
                ["Tags"] = Tags(key.Tags),
            };
        });
        registry.Register("ec2", "DescribeKeyPairs", (request, _) => Describe(request.Input));
        registry.Register("ec2", "DeleteKeyPair", async (request, cancellationToken) =>
        {
            var deleted = await keys.DeleteKeyPair(String(request.Input, "KeyName"), String(request.Input, "KeyPairId"), cancellationToken).ConfigureAwait(false);
            if (deleted.IsError)
                return ToApi(deleted.Error!);
            var output = new JsonObject { ["Return"] = true };
            if (deleted.Value is { } id)
                output["KeyPairId"] = id;
            return output;
        });
    }

    private async ValueTask<AwsResult> Describe(JsonObject input)
    {
        var filters = Filters.Parse(input, KeyPairFilters);
        var described = await keys.DescribeKeyPairs(Strings(input, "KeyNames"), Strings(input, "KeyPairIds")).ConfigureAwait(false);
        if (described.IsError)
            return ToApi(described.Error!);
        var includePublicKey = Bool(input, "IncludePublicKey");
        var matching = described.Value.Where(k => filters.Matches(name => name switch
        {
            "key-pair-id" => [k.KeyPairId],
            "key-name" => [k.KeyName],
            "fingerprint" => [k.KeyFingerprint],
            "key-type" => [k.KeyType],
            "tag-key" => [.. k.Tags.Keys],
            _ when name.StartsWith("tag:", StringComparison.Ordinal) => k.Tags.TryGetValue(name[4..], out var value) ? [value] : [],
            _ => null,
        }));
        return new JsonObject
        {
            ["KeyPairs"] = new JsonArray([.. matching.Select(k =>
            {
                var json = new JsonObject
                {
                    ["KeyPairId"] = k.KeyPairId,
                    ["KeyType"] = k.KeyType,
                    ["Tags"] = Tags(k.Tags),
                    ["CreateTime"] = JsonValue.Create(k.CreateTime),
                    ["KeyName"] = k.KeyName,
                    ["KeyFingerprint"] = k.KeyFingerprint,
                };
                // EC2 writes the public key with the key's name as its comment.
                if (includePublicKey)
                    json["PublicKey"] = $"{k.PublicKey} {k.KeyName}";
                return (JsonNode)json;
            })]),
        };
    }
}
