using System.Collections.Concurrent;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// The public contract of everything we persist or send between nodes: each type has one short,
/// versioned manifest ("ec2.instance.launched.v1") that never changes once written. A renamed or
/// moved CLR type keeps its manifest; a changed schema gets a new manifest plus an upcaster that
/// turns the old payload into the new type, so journals written by earlier builds still recover.
/// </summary>
public static class MessageRegistry
{
    private static readonly ConcurrentDictionary<string, Type> TypesByManifest = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, string> ManifestsByType = new();
    private static readonly ConcurrentDictionary<string, Func<ReadOnlyMemory<byte>, object>> Upcasters = new(StringComparer.Ordinal);

    public static void Register<T>(string manifest) => Register(typeof(T), manifest);

    public static void Register(Type type, string manifest)
    {
        if (TypesByManifest.TryGetValue(manifest, out var existing) && existing != type)
            throw new InvalidOperationException($"manifest '{manifest}' is already bound to {existing.FullName}");
        if (ManifestsByType.TryGetValue(type, out var existingManifest) && existingManifest != manifest)
            throw new InvalidOperationException($"{type.FullName} is already bound to manifest '{existingManifest}'");
        TypesByManifest[manifest] = type;
        ManifestsByType[type] = manifest;
    }

    /// <summary>
    /// Registers types under "prefix.kebab-name.v1"; a static class registers its nested records
    /// (InstanceEvents.Launched becomes "ec2.instance.event.launched.v1"). The golden manifest list
    /// in the tests pins every name: renaming a type then fails a test instead of a recovery.
    /// </summary>
    public static void RegisterAll(string prefix, params Type[] typesOrContainers)
    {
        foreach (var type in typesOrContainers)
        {
            if (type is { IsAbstract: true, IsSealed: true })
            {
                foreach (var nested in type.GetNestedTypes().Where(t => !t.IsAbstract && !t.IsInterface))
                    Register(nested, $"{prefix}.{Kebab(nested.Name)}.v1");
            }
            else
                Register(type, $"{prefix}.{Kebab(type.Name)}.v1");
        }
    }

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>Reads a retired manifest by converting its payload into the current type.</summary>
    public static void RegisterUpcaster(string retiredManifest, Func<ReadOnlyMemory<byte>, object> upcast) =>
        Upcasters[retiredManifest] = upcast;

    public static bool TryGetManifest(Type type, out string manifest) => ManifestsByType.TryGetValue(type, out manifest!);

    public static bool TryGetType(string manifest, out Type type) => TypesByManifest.TryGetValue(manifest, out type!);

    public static bool TryGetUpcaster(string manifest, out Func<ReadOnlyMemory<byte>, object> upcast) => Upcasters.TryGetValue(manifest, out upcast!);

    public static IReadOnlyDictionary<string, Type> All => TypesByManifest;

    public static string ManifestOf(Type type) =>
        TryGetManifest(type, out var manifest)
            ? manifest
            : throw new InvalidOperationException($"{type.FullName} has no manifest: register it in its module's message catalogue");
}
