using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>DescribeAlarms' filters; AlarmTypes null means metric alarms only, as AWS answers.</summary>
public sealed record AlarmFilter(
    IReadOnlyList<string> AlarmNames,
    string? AlarmNamePrefix,
    string? StateValue,
    string? ActionPrefix,
    IReadOnlyList<string>? AlarmTypes,
    int? MaxRecords,
    string? NextToken);

public sealed record AlarmPage(IReadOnlyList<MetricAlarm> MetricAlarms, string? NextToken);

public sealed record AlarmHistoryPage(IReadOnlyList<(string AlarmName, AlarmHistoryItem Item)> Items, string? NextToken);

/// <summary>
/// Metric alarms as the API sees them: changes go to the alarm's entity, reads come from the read
/// model (each alarm is its own row), so describing alarms wakes none of them.
/// </summary>
public sealed class AlarmService(EntityServices services, string accountId)
{
    public const int MaxDescribed = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private long Generation => services.Region.Current.Generation;

    public async Task<Result<MetricAlarm>> Put(PutMetricAlarmInput input, CancellationToken cancellationToken = default)
    {
        var config = MetricAlarmConfig.Validate(input);
        if (config.IsError)
            return config.Error!;
        var arn = MetricAlarm.Arn(services.Region.Current.Region, accountId, config.Value.AlarmName);
        return await Change(config.Value.AlarmName, new MetricAlarmCommands.Put(arn, config.Value), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DeleteAlarms: names that do not exist are skipped, the others deleted (aws-semantics 5.8).</summary>
    public async Task<Result<int>> Delete(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
            return AwsError.MissingParameter("The parameter AlarmNames is required.");
        if (names.Count > MaxDescribed)
            return AwsError.InvalidParameterValue($"The collection AlarmNames must not have a size greater than {MaxDescribed}.");
        var deleted = 0;
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (await Find(name).ConfigureAwait(false) is null)
                continue;
            var sent = await Send(name, new MetricAlarmCommands.Delete(name), cancellationToken).ConfigureAwait(false);
            if (sent.IsError)
                return sent.Error!;
            deleted++;
        }
        return deleted;
    }

    public async Task<Result<MetricAlarm>> SetState(string? name, string? stateValue, string? reason, string? reasonData, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(name))
            return AwsError.MissingParameter("The parameter AlarmName is required.");
        if (await Find(name).ConfigureAwait(false) is null)
            return NotFound(name);
        return await Change(name, new MetricAlarmCommands.SetState(name, stateValue ?? "", reason ?? "", reasonData), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enable/DisableAlarmActions: unknown names are ignored, as AWS does.</summary>
    public async Task<Result<int>> SetActionsEnabled(IReadOnlyList<string> names, bool enabled, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
            return AwsError.MissingParameter("The parameter AlarmNames is required.");
        var changed = 0;
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (await Find(name).ConfigureAwait(false) is null)
                continue;
            var sent = await Send(name, new MetricAlarmCommands.SetActionsEnabled(name, enabled), cancellationToken).ConfigureAwait(false);
            if (sent.IsError)
                return sent.Error!;
            changed++;
        }
        return changed;
    }

    public async Task<Result<AlarmPage>> Describe(AlarmFilter filter)
    {
        if (filter.AlarmNames.Count > 0 && filter.AlarmNamePrefix is not null)
            return AwsError.InvalidParameterCombination("AlarmNames and AlarmNamePrefix are mutually exclusive.");
        if (filter.StateValue is not (null or AlarmStates.Ok or AlarmStates.Alarm or AlarmStates.InsufficientData))
            return AwsError.InvalidParameterValue($"The value {filter.StateValue} for parameter StateValue is invalid.");
        if (filter.MaxRecords is < 1 or > MaxDescribed)
            return AwsError.InvalidParameterValue($"The parameter MaxRecords must be between 1 and {MaxDescribed}.");
        if (!TryStart(filter.NextToken, out var start))
            return InvalidToken();
        var wantsMetricAlarms = filter.AlarmTypes is null || filter.AlarmTypes.Count == 0 || filter.AlarmTypes.Contains("MetricAlarm");
        var all = wantsMetricAlarms
            ? (await All().ConfigureAwait(false)).Where(a =>
                (filter.AlarmNames.Count == 0 || filter.AlarmNames.Contains(a.Config.AlarmName))
                && (filter.AlarmNamePrefix is null || a.Config.AlarmName.StartsWith(filter.AlarmNamePrefix, StringComparison.Ordinal))
                && (filter.StateValue is null || a.StateValue == filter.StateValue)
                && (filter.ActionPrefix is null || a.Config.AlarmActions.Concat(a.Config.OKActions).Concat(a.Config.InsufficientDataActions)
                    .Any(arn => arn.StartsWith(filter.ActionPrefix, StringComparison.Ordinal)))).ToList()
            : [];
        return Page(all, start, filter.MaxRecords ?? MaxDescribed, (items, token) => new AlarmPage(items, token));
    }

    /// <summary>DescribeAlarmsForMetric: the alarms on exactly this metric (and statistic, period, unit when given).</summary>
    public async Task<IReadOnlyList<MetricAlarm>> ForMetric(MetricKey metric, string? statistic, string? extendedStatistic, int? period, string? unit) =>
        (await All().ConfigureAwait(false)).Where(a => a.Config.Metric.Equals(metric)
            && (statistic is null || (!a.Config.IsExtendedStatistic && a.Config.Statistic == statistic))
            && (extendedStatistic is null || (a.Config.IsExtendedStatistic && a.Config.Statistic == extendedStatistic))
            && (period is null || a.Config.Period == period) && (unit is null || a.Config.Unit == unit)).ToList();

    /// <summary>DescribeAlarmHistory: newest first (or oldest first when asked), within the time range, of one alarm or all.</summary>
    public async Task<Result<AlarmHistoryPage>> History(string? name, string? itemType, DateTimeOffset? start, DateTimeOffset? end, bool oldestFirst,
        int? maxRecords, string? nextToken)
    {
        if (itemType is not (null or AlarmHistoryTypes.ConfigurationUpdate or AlarmHistoryTypes.StateUpdate or AlarmHistoryTypes.Action))
            return AwsError.InvalidParameterValue($"The value {itemType} for parameter HistoryItemType is invalid.");
        if (maxRecords is < 1 or > MaxDescribed)
            return AwsError.InvalidParameterValue($"The parameter MaxRecords must be between 1 and {MaxDescribed}.");
        if (!TryStart(nextToken, out var from))
            return InvalidToken();
        var items = (await All().ConfigureAwait(false))
            .Where(a => name is null || a.Config.AlarmName == name)
            .SelectMany(a => a.History.Select((item, i) => (a.Config.AlarmName, Item: item, Index: i)))
            .Where(h => (itemType is null || h.Item.HistoryItemType == itemType) && (start is null || h.Item.Timestamp >= start) && (end is null || h.Item.Timestamp <= end));
        // Items of one instant (a transition and its actions) keep the order they happened in, reversed when newest come first.
        var ordered = (oldestFirst ? items.OrderBy(h => h.Item.Timestamp).ThenBy(h => h.Index) : items.OrderByDescending(h => h.Item.Timestamp).ThenByDescending(h => h.Index))
            .Select(h => (h.AlarmName, h.Item)).ToList();
        return Page(ordered, from, maxRecords ?? MaxDescribed, (page, token) => new AlarmHistoryPage(page, token));
    }

    private async Task<IEnumerable<MetricAlarm>> All() =>
        (await services.Index.List(AlarmKinds.MetricAlarm, Generation).ConfigureAwait(false)).Cast<MetricAlarm>().OrderBy(a => a.Config.AlarmName, StringComparer.Ordinal);

    private async Task<MetricAlarm?> Find(string name) => await services.Index.Get(AlarmKinds.MetricAlarm, name, Generation).ConfigureAwait(false) as MetricAlarm;

    /// <summary>The alarm's state after the command: null once deleted.</summary>
    private async Task<Result<MetricAlarm?>> Send(string name, IMetricAlarmCommand command, CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(AlarmKinds.MetricAlarm, name, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? rejected.Error : (reply as EntityReplies.Accepted)?.State as MetricAlarm;
    }

    private async Task<Result<MetricAlarm>> Change(string name, IMetricAlarmCommand command, CancellationToken cancellationToken)
    {
        var sent = await Send(name, command, cancellationToken).ConfigureAwait(false);
        return sent.IsError ? sent.Error! : sent.Value is { } alarm ? alarm : NotFound(name);
    }

    private static TPage Page<TItem, TPage>(List<TItem> all, int start, int size, Func<IReadOnlyList<TItem>, string?, TPage> make)
    {
        var page = all.Skip(start).Take(size).ToList();
        return make(page, start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static bool TryStart(string? token, out int start)
    {
        start = 0;
        return token is null || int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start);
    }

    private static AwsError InvalidToken() => new("InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.");

    private static AwsError NotFound(string name) => new("ResourceNotFound", $"Alarm {name} does not exist", 404);
}
