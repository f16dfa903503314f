using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

public enum InputIssueKind
{
    /// <summary>A required member is absent.</summary>
    Missing,

    /// <summary>The value does not parse as the shape's type ("abc" for an integer).</summary>
    WrongType,

    /// <summary>Enum, length or range constraint violated.</summary>
    Constraint,

    /// <summary>EC2 only: a parameter the model does not know.</summary>
    UnknownParameter,

    /// <summary>The body itself cannot be parsed.</summary>
    Malformed,
}

/// <summary>
/// One problem with a request. <see cref="WirePath"/> is the name as the client sent it (Filter.1.Name);
/// <see cref="ModelPath"/> is the lower-camel path AWS's validation messages use (filters.1.member.name).
/// </summary>
public sealed record InputIssue(InputIssueKind Kind, string WirePath, string ModelPath, string? Value, string Constraint);

/// <summary>Thrown by decoders; the endpoint turns it into the protocol's validation error (<see cref="ProtocolErrors"/>).</summary>
public sealed class InputException(IReadOnlyList<InputIssue> issues) : Exception(string.Join("; ", issues.Select(i => $"{i.WirePath}: {i.Constraint}")))
{
    public IReadOnlyList<InputIssue> Issues { get; } = issues;

    public static InputException Single(InputIssueKind kind, string wirePath, string modelPath, string? value, string constraint) =>
        new([new InputIssue(kind, wirePath, modelPath, value, constraint)]);
}

/// <summary>Checks a decoded tree against its shape: required members, enums, min/max (length, size or value).</summary>
public static class InputValidator
{
    /// <summary>The wire name of a member and the separator a list element adds, per protocol.</summary>
    public static string WireName(MemberRef member, AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Ec2 => member.QueryName ?? (member.LocationName is { Length: > 0 } l ? char.ToUpperInvariant(l[0]) + l[1..] : member.Name),
        _ => member.LocationName ?? member.Name,
    };

    public static void Validate(JsonObject input, Shape shape, AwsProtocol protocol)
    {
        var issues = new List<InputIssue>();
        ValidateStructure(input, shape, protocol, "", "", issues);
        if (issues.Count > 0)
        {
            throw new InputException(issues);
        }
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    private static string LowerCamel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static void ValidateStructure(JsonObject obj, Shape shape, AwsProtocol protocol, string wire, string model, List<InputIssue> issues)
    {
        foreach (var (name, member) in shape.Members)
        {
            var memberWire = Join(wire, WireName(member, protocol));
            var memberModel = Join(model, LowerCamel(name));
            if (!obj.TryGetPropertyValue(name, out var value) || value is null)
            {
                if (shape.IsRequired(name) && member.Location is null or "uri" or "querystring" or "header")
                {
                    issues.Add(new InputIssue(InputIssueKind.Missing, memberWire, memberModel, null, "Member must not be null"));
                }
                continue;
            }
            ValidateValue(value, member.Shape, protocol, memberWire, memberModel, issues);
        }
    }

    private static void ValidateValue(JsonNode value, Shape shape, AwsProtocol protocol, string wire, string model, List<InputIssue> issues)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Structure when value is JsonObject o:
                ValidateStructure(o, shape, protocol, wire, model, issues);
                break;
            case ShapeKind.List when value is JsonArray a:
                CheckRange(a.Count, shape, wire, model, a.ToJsonString(), "have length", issues);
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } element)
                    {
                        var elementWire = protocol switch
                        {
                            AwsProtocol.Ec2 => $"{wire}.{i + 1}",
                            AwsProtocol.Query => $"{wire}.member.{i + 1}",
                            _ => $"{wire}[{i}]",
                        };
                        ValidateValue(element, shape.Member!.Shape, protocol, elementWire, $"{model}.{i + 1}.member", issues);
                    }
                }
                break;
            case ShapeKind.Map when value is JsonObject m:
                CheckRange(m.Count, shape, wire, model, m.ToJsonString(), "have length", issues);
                foreach (var (key, entry) in m)
                {
                    ValidateValue(JsonValue.Create(key), shape.Key!.Shape, protocol, wire, model, issues);
                    if (entry is not null)
                    {
                        ValidateValue(entry, shape.Value!.Shape, protocol, $"{wire}.{key}", $"{model}.{key}", issues);
                    }
                }
                break;
            case ShapeKind.String when value is JsonValue v && v.TryGetValue<string>(out var s):
                if (shape.Enum is { } values && !values.Contains(s))
                {
                    issues.Add(new InputIssue(InputIssueKind.Constraint, wire, model, s,
                        $"Member must satisfy enum value set: [{string.Join(", ", values)}]"));
                }
                CheckRange(s.Length, shape, wire, model, s, "have length", issues);
                break;
            case ShapeKind.Integer or ShapeKind.Long or ShapeKind.Double or ShapeKind.Float when value is JsonValue v:
                if (ValueTree.TryReadDouble(v, out var d))
                {
                    CheckRange(d, shape, wire, model, ValueTree.FormatDouble(d), "have value", issues);
                }
                break;
            case ShapeKind.Blob when value is JsonValue v && v.TryGetValue<string>(out var b64):
                CheckRange(b64.Length * 3 / 4, shape, wire, model, b64, "have length", issues);
                break;
        }
    }

    private static void CheckRange(double actual, Shape shape, string wire, string model, string value, string what, List<InputIssue> issues)
    {
        if (shape.Min is { } min && actual < min)
        {
            issues.Add(new InputIssue(InputIssueKind.Constraint, wire, model, value,
                $"Member must {what} greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}"));
        }
        if (shape.Max is { } max && actual > max)
        {
            issues.Add(new InputIssue(InputIssueKind.Constraint, wire, model, value,
                $"Member must {what} less than or equal to {max.ToString(CultureInfo.InvariantCulture)}"));
        }
    }
}
