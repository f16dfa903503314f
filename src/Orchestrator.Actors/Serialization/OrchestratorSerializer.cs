using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// The one serializer for our events, snapshots and cross-node messages: UTF-8 JSON under a short
/// registered manifest (see <see cref="MessageRegistry"/>), never a CLR type name.
/// </summary>
public sealed class OrchestratorSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 417;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => MessageRegistry.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), OrchestratorJson.Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (MessageRegistry.TryGetType(manifest, out var type))
            return JsonSerializer.Deserialize(bytes, type, OrchestratorJson.Options)
                   ?? throw new SerializationException($"empty payload for manifest '{manifest}'");
        if (MessageRegistry.TryGetUpcaster(manifest, out var upcast))
            return upcast(bytes);
        throw new SerializationException($"unknown manifest '{manifest}': this build cannot read it");
    }

    /// <summary>HOCON binding every registered type to this serializer.</summary>
    public static string BindingsHocon()
    {
        var bindings = MessageRegistry.All.Values
            .Select(t => $"      \"{t.FullName}, {t.Assembly.GetName().Name}\" = orchestrator");
        return $$"""
            akka.actor {
              serializers.orchestrator = "{{typeof(OrchestratorSerializer).FullName}}, {{typeof(OrchestratorSerializer).Assembly.GetName().Name}}"
              serialization-bindings {
            {{string.Join("\n", bindings)}}
              }
            }
            """;
    }
}
