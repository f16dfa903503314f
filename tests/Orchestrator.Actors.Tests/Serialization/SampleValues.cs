using System.Collections;
using System.Collections.Immutable;
using System.Reflection;

namespace Orchestrator.Actors.Tests.Serialization;

/// <summary>
/// Builds a populated instance of any registered record through its widest constructor, so every
/// manifest gets a round-trip test without a hand-written sample that could drift from the type.
/// </summary>
public static class SampleValues
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static object Create(Type type, int depth = 0)
    {
        if (type == typeof(string)) return "sample";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 7;
        if (type == typeof(long)) return 42L;
        if (type == typeof(double)) return 1.5;
        if (type == typeof(decimal)) return 2.25m;
        if (type == typeof(DateTimeOffset)) return At;
        if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(90);
        if (type.IsEnum) return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;
        if (Nullable.GetUnderlyingType(type) is { } inner) return Create(inner, depth);
        if (type == typeof(object)) return new Orchestrator.Domain.Common.AwsError("Sample", "a registered value in an object-typed field");
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(ImmutableArray<>))
                return typeof(ImmutableArray).GetMethods().First(m => m.Name == "Create" && m.GetParameters().Length == 1 && !m.GetParameters()[0].ParameterType.IsArray && !m.GetParameters()[0].ParameterType.IsGenericType)
                    .MakeGenericMethod(args[0]).Invoke(null, [Create(args[0], depth + 1)])!;
            if (definition == typeof(ImmutableList<>))
                return typeof(ImmutableList).GetMethods().First(m => m.Name == "Create" && m.GetParameters().Length == 1 && !m.GetParameters()[0].ParameterType.IsArray && !m.GetParameters()[0].ParameterType.IsGenericType)
                    .MakeGenericMethod(args[0]).Invoke(null, [Create(args[0], depth + 1)])!;
            if (definition == typeof(ImmutableDictionary<,>) || definition == typeof(ImmutableSortedDictionary<,>))
            {
                var empty = type.GetField("Empty")!.GetValue(null)!;
                return type.GetMethod("Add")!.Invoke(empty, [Create(args[0], depth + 1), Create(args[1], depth + 1)])!;
            }
            if (typeof(IEnumerable).IsAssignableFrom(type))
                throw new NotSupportedException($"collection type {type} in a persisted message: use an immutable collection");
        }
        if (type.IsInterface || type.IsAbstract)
            throw new NotSupportedException($"{type} is abstract: persisted messages hold concrete records");
        if (depth > 6)
            throw new NotSupportedException($"{type} nests too deeply");
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null)
            return Activator.CreateInstance(type)!;
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Create(p.ParameterType, depth + 1))]);
    }
}
