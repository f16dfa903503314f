using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.CloudWatch;

/// <summary>A problem PutDashboard reports in DashboardValidationMessages.</summary>
public sealed record DashboardValidationMessage(string DataPath, string Message);

/// <summary>A dashboard's row in the read model (ListDashboards): Size is the body's length in bytes.</summary>
public sealed record DashboardView(string DashboardName, string DashboardArn, string DashboardBody, DateTimeOffset LastModified, long Size);

public sealed record Dashboard(string Name, string Arn, string Body, DateTimeOffset LastModified)
{
    public DashboardView View() => new(Name, Arn, Body, LastModified, System.Text.Encoding.UTF8.GetByteCount(Body));
}

public interface IDashboardCommand;

public interface IDashboardEvent;

public static class DashboardCommands
{
    /// <summary>PutDashboard, already validated: an upsert.</summary>
    public sealed record Put(string Name, string Arn, string Body) : IDashboardCommand;

    public sealed record Delete(string Name) : IDashboardCommand;
}

public static class DashboardEvents
{
    public sealed record Put(string Name, string Arn, string Body, DateTimeOffset At) : IDashboardEvent;

    public sealed record Deleted(DateTimeOffset At) : IDashboardEvent;
}

/// <summary>
/// Dashboards (aws-semantics.md 5.6): a name of 1-255 letters, digits, '-' and '_'; a body that
/// is a JSON object with a "widgets" array (it may be empty) of objects with a known type and
/// a place on the 24-column grid.
/// </summary>
public sealed partial class DashboardBehavior : IEntityBehavior<Dashboard, IDashboardCommand, IDashboardEvent>
{
    public const int GridWidth = 24;
    public const int MaxWidgets = 500;
    public static readonly IReadOnlySet<string> WidgetTypes = new HashSet<string>(StringComparer.Ordinal) { "metric", "text", "log", "alarm", "explorer", "custom" };

    public static AwsError? ValidateName(string? name, string parameter = "DashboardName") =>
        name is not null && NamePattern().IsMatch(name)
            ? null
            : AwsError.InvalidParameterValue($"The value {name} for parameter {parameter} is invalid: a dashboard name has 1 to 255 characters among A-Z, a-z, 0-9, '-' and '_'.");

    /// <summary>The error PutDashboard answers for a body with problems (DashboardInvalidInputError), null when there are none.</summary>
    public static AwsError? Invalid(IReadOnlyList<DashboardValidationMessage> messages) =>
        messages.Count == 0
            ? null
            : new AwsError("InvalidParameterInput", $"The dashboard body is invalid, there are {messages.Count} validation errors: [ "
                + string.Join(", ", messages.Select(m => $"{{ \"dataPath\": \"{m.DataPath}\", \"message\": \"{m.Message.Replace("\"", "'", StringComparison.Ordinal)}\" }}")) + " ]");

    /// <summary>What is wrong with a body, as DashboardValidationMessages: empty when it is valid.</summary>
    public static IReadOnlyList<DashboardValidationMessage> ValidateBody(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return [new DashboardValidationMessage("", $"The dashboard body is not valid JSON: {e.Message}")];
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return [new DashboardValidationMessage("", "Should be an object")];
            if (!root.TryGetProperty("widgets", out var widgets))
                return [new DashboardValidationMessage("", "Should have required property 'widgets'")];
            if (widgets.ValueKind != JsonValueKind.Array)
                return [new DashboardValidationMessage("/widgets", "Should be array")];
            if (widgets.GetArrayLength() > MaxWidgets)
                return [new DashboardValidationMessage("/widgets", $"Should NOT have more than {MaxWidgets} items")];
            var messages = new List<DashboardValidationMessage>();
            var index = 0;
            foreach (var widget in widgets.EnumerateArray())
                messages.AddRange(ValidateWidget(widget, $"/widgets/{index++}"));
            return messages;
        }
    }

    private static IEnumerable<DashboardValidationMessage> ValidateWidget(JsonElement widget, string path)
    {
        if (widget.ValueKind != JsonValueKind.Object)
        {
            yield return new DashboardValidationMessage(path, "Should be an object");
            yield break;
        }
        if (!widget.TryGetProperty("type", out var type))
            yield return new DashboardValidationMessage(path, "Should have required property 'type'");
        else if (type.ValueKind != JsonValueKind.String || !WidgetTypes.Contains(type.GetString()!))
            yield return new DashboardValidationMessage($"{path}/type", $"Should be equal to one of the allowed values: {string.Join(", ", WidgetTypes)}");
        foreach (var (name, min, max) in new[] { ("x", 0, GridWidth - 1), ("y", 0, int.MaxValue), ("width", 1, GridWidth), ("height", 1, 1000) })
        {
            if (!widget.TryGetProperty(name, out var value))
                continue;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
                yield return new DashboardValidationMessage($"{path}/{name}", "Should be integer");
            else if (number < min || number > max)
                yield return new DashboardValidationMessage($"{path}/{name}", max == int.MaxValue ? $"Should be >= {min}" : $"Should be between {min} and {max}");
        }
        if (widget.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Object)
            yield return new DashboardValidationMessage($"{path}/properties", "Should be an object");
    }

    public Result<IReadOnlyList<IDashboardEvent>> Decide(Dashboard? state, IDashboardCommand command, DecisionContext context) => (state, command) switch
    {
        (_, DashboardCommands.Put put) when state?.Body == put.Body => Decisions.None<IDashboardEvent>(),
        (_, DashboardCommands.Put put) => Decisions.Events<IDashboardEvent>(new DashboardEvents.Put(put.Name, put.Arn, put.Body, context.Now)),
        (null, DashboardCommands.Delete delete) => new AwsError("ResourceNotFound", $"Dashboard {delete.Name} does not exist", 404),
        (_, DashboardCommands.Delete) => Decisions.Events<IDashboardEvent>(new DashboardEvents.Deleted(context.Now)),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown dashboard command"),
    };

    public Dashboard? Evolve(Dashboard? state, IDashboardEvent @event) => @event switch
    {
        DashboardEvents.Put e => new Dashboard(e.Name, e.Arn, e.Body, e.At),
        DashboardEvents.Deleted => null,
        _ => state,
    };

    public IEnumerable<Deadline<IDashboardCommand>> Deadlines(Dashboard? state) => [];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex NamePattern();
}
