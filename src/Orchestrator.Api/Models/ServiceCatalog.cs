using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.IO.Compression;
using System.Text.Json;

namespace Orchestrator.Api.Models;

/// <summary>The service models embedded in this assembly, parsed lazily on first use and cached.</summary>
public sealed class ServiceCatalog
{
    /// <summary>botocore folder name -> embedded resource name.</summary>
    private static readonly FrozenDictionary<string, string> ResourceNames = typeof(ServiceCatalog).Assembly
        .GetManifestResourceNames()
        .Where(n => n.EndsWith(".json.gz", StringComparison.Ordinal))
        .ToFrozenDictionary(n => n[..^".json.gz".Length], n => n, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Lazy<ServiceModel>> _models = new(StringComparer.Ordinal);
    private readonly Lazy<FrozenDictionary<string, ServiceMetadata>> _metadata = new(LoadAllMetadata);

    public static ServiceCatalog Shared { get; } = new();

    /// <summary>Names of all embedded services (botocore folder names: ec2, sts, elbv2, ...).</summary>
    public IReadOnlyCollection<string> ServiceNames => ResourceNames.Keys;

    public ServiceModel Get(string service) =>
        Find(service) ?? throw new KeyNotFoundException($"No service model named '{service}'.");

    public ServiceModel? Find(string service)
    {
        if (!ResourceNames.TryGetValue(service, out var resource))
        {
            return null;
        }
        return _models.GetOrAdd(service, s => new Lazy<ServiceModel>(() => Load(s, resource))).Value;
    }

    /// <summary>Metadata of every embedded service, read without parsing the shapes (routing needs only this).</summary>
    public FrozenDictionary<string, ServiceMetadata> Metadata => _metadata.Value;

    private static ServiceModel Load(string service, string resource)
    {
        using var gz = Open(resource);
        return ServiceModel.Parse(service, gz);
    }

    private static GZipStream Open(string resource)
    {
        var raw = typeof(ServiceCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded model {resource}.");
        return new GZipStream(raw, CompressionMode.Decompress);
    }

    private static FrozenDictionary<string, ServiceMetadata> LoadAllMetadata() =>
        ResourceNames.ToFrozenDictionary(kv => kv.Key, kv => ReadMetadata(kv.Value), StringComparer.Ordinal);

    // "metadata" precedes "operations" and "shapes" in botocore files: stop reading as soon as it is parsed.
    private static ServiceMetadata ReadMetadata(string resource)
    {
        using var gz = Open(resource);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = gz.Read(chunk);
            if (n == 0)
            {
                break;
            }
            buffer.Write(chunk, 0, n);
            if (TryReadMetadata(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var metadata))
            {
                return metadata;
            }
        }
        throw new InvalidDataException($"{resource} has no metadata.");
    }

    private static bool TryReadMetadata(ReadOnlySpan<byte> json, out ServiceMetadata metadata)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        metadata = null!;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("metadata"))
                {
                    if (!reader.Read() || !JsonDocument.TryParseValue(ref reader, out var doc))
                    {
                        return false;
                    }
                    using (doc)
                    {
                        metadata = ServiceMetadata.Parse(doc.RootElement);
                    }
                    return true;
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth == 1 && !reader.TrySkip())
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            // Partial JSON at the end of the buffer: read more.
        }
        return false;
    }
}
