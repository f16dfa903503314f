using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// JSON settings of the persisted contract: camelCase names, enums as strings, and any field typed
/// as object written with its registered manifest, so a reply can carry any registered view.
/// </summary>
public static class OrchestratorJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new ManifestedObjectConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class ManifestedObjectConverter : JsonConverter<object>
    {
        public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var manifest = root.GetProperty("m").GetString()!;
            if (!MessageRegistry.TryGetType(manifest, out var type))
                throw new JsonException($"unknown manifest '{manifest}'");
            return root.GetProperty("v").Deserialize(type, options);
        }

        public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("m", MessageRegistry.ManifestOf(value.GetType()));
            writer.WritePropertyName("v");
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
            writer.WriteEndObject();
        }
    }
}
