using Akka.Actor;
using Akka.Serialization;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests.Serialization;

public sealed class SerializerTests
{
    private static readonly string GoldenManifests = Path.Combine(AppContext.BaseDirectory, "Golden", "manifests.txt");

    static SerializerTests() => EntityTestKit.RegisterAllMessages();

    public static TheoryData<string> Manifests() => [.. MessageRegistry.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_manifest_round_trips_through_the_serializer(string manifest)
    {
        using var system = ActorSystem.Create("roundtrip", OrchestratorSerializer.BindingsHocon());
        var type = MessageRegistry.All[manifest];
        var sample = SampleValues.Create(type);
        var serializer = (SerializerWithStringManifest)system.Serialization.FindSerializerFor(sample);

        Assert.IsType<OrchestratorSerializer>(serializer);
        Assert.Equal(manifest, serializer.Manifest(sample));
        var bytes = serializer.ToBinary(sample);
        var back = serializer.FromBinary(bytes, manifest);
        Assert.IsType(type, back);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(serializer.ToBinary(back)));
    }

    /// <summary>Manifests are a public contract: renaming a type must not rename what older journals hold.</summary>
    [Fact]
    public void Registered_manifests_match_the_golden_list()
    {
        var expected = File.ReadAllLines(GoldenManifests).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var actual = MessageRegistry.All.Keys.Order(StringComparer.Ordinal).ToArray();
        if (Environment.GetEnvironmentVariable("ORCH_WRITE_GOLDEN_MANIFESTS") is { Length: > 0 } path)
            File.WriteAllLines(path, ["# Every manifest this build reads and writes. Never edit a line: add new ones.", .. actual]);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Unknown_manifest_is_refused_clearly()
    {
        using var system = ActorSystem.Create("unknown", OrchestratorSerializer.BindingsHocon());
        var serializer = new OrchestratorSerializer((ExtendedActorSystem)system);
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "ec2.from-the-future.v9"));
        Assert.Contains("ec2.from-the-future.v9", error.Message);
    }
}
