using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;
using Orchestrator.Domain.Common;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>
/// DescribeAlarms' filters; AlarmTypes null means metric alarms only, as AWS answers. ChildrenOf
/// (the alarms a composite's rule names) and ParentsOf (the composites naming an alarm) stand alone
/// but for paging, and return alarms of both types.
/// </summary>
public sealed record AlarmFilter(
    IReadOnlyList<string> AlarmNames,
    string? AlarmNamePrefix,
    string? StateValue,
    string? ActionPrefix,
    IReadOnlyList<string>? AlarmTypes,
    int? MaxRecords,
    string? NextToken,
    string? ChildrenOf = null,
    string? ParentsOf = null);

public sealed record AlarmPage(IReadOnlyList<MetricAlarm> MetricAlarms, IReadOnlyList<CompositeAlarm> CompositeAlarms, string? NextToken);

public sealed record AlarmHistoryPage(IReadOnlyList<(string AlarmName, string AlarmType, AlarmHistoryItem Item)> Items, string? NextToken);

public static class AlarmTypes
{
    public const string MetricAlarm = "MetricAlarm";
    public const string CompositeAlarm = "CompositeAlarm";
}

/// <summary>
/// Metric and composite alarms as the API sees them: changes go to the alarm's entity, reads come
/// from the read model (each alarm is its own row), so describing alarms wakes none of them. One
/// name is one alarm, of either type.
/// </summary>
public sealed class AlarmService(EntityServices services, string accountId)
{
    public const int MaxDescribed = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private long Generation => services.Region.Current.Generation;

    /// <summary>PutMetricAlarm: an upsert that keeps the state; Tags only apply when it creates the alarm, as AWS does.</summary>
    public async Task<Result<MetricAlarm>> Put(PutMetricAlarmInput input, CancellationToken cancellationToken = default)
    {
        var tags = input.Tags;
        var config = MetricAlarmConfig.Validate(input);
        if (config.IsError)
            return config.Error!;
        if (tags is not null && ResourceTags.Validate(tags) is { } badTags)
            return badTags;
        var name = config.Value.AlarmName;
        if (await FindComposite(name).ConfigureAwait(false) is not null)
            return OtherType(name);
        var created = await Find(name).ConfigureAwait(false) is null;
        var arn = MetricAlarm.Arn(services.Region.Current.Region, accountId, name);
        var put = await Change(name, new MetricAlarmCommands.Put(arn, config.Value), cancellationToken).ConfigureAwait(false);
        return put.IsError || !created || await TagNew(arn, tags, cancellationToken).ConfigureAwait(false) is not { } tagError ? put : tagError;
    }

    /// <summary>ListTagsForResource: the tags of an alarm, named by its ARN.</summary>
    public async Task<Result<IReadOnlyDictionary<string, string>>> Tags(string? resourceArn)
    {
        if (await Exists(resourceArn).ConfigureAwait(false) is { } missing)
            return missing;
        return await services.Index.Get(ResourceTagsKinds.ResourceTags, resourceArn!, Generation).ConfigureAwait(false) is ResourceTags tags
            ? Result<IReadOnlyDictionary<string, string>>.Ok(tags.Tags)
            : Result<IReadOnlyDictionary<string, string>>.Ok(Domain.Common.Tags.None);
    }

    /// <summary>TagResource and UntagResource on an alarm, named by its ARN.</summary>
    public async Task<Result<bool>> ChangeTags(string? resourceArn, IResourceTagsCommand command, CancellationToken cancellationToken = default)
    {
        if (await Exists(resourceArn).ConfigureAwait(false) is { } missing)
            return missing;
        var sent = await Send(ResourceTagsKinds.ResourceTags, resourceArn!, command, cancellationToken).ConfigureAwait(false);
        return sent.IsError ? sent.Error! : true;
    }

    /// <summary>The ARN must name an alarm of this account and region that exists.</summary>
    private async Task<AwsError?> Exists(string? resourceArn)
    {
        var prefix = MetricAlarm.Arn(services.Region.Current.Region, accountId, "");
        if (string.IsNullOrEmpty(resourceArn) || !resourceArn.StartsWith(prefix, StringComparison.Ordinal))
            return AwsError.InvalidParameterValue($"The value {resourceArn} for parameter ResourceARN is invalid.");
        var name = resourceArn[prefix.Length..];
        return await Find(name).ConfigureAwait(false) is null && await FindComposite(name).ConfigureAwait(false) is null
            ? new AwsError("ResourceNotFoundException", $"The resource {resourceArn} does not exist.", 404)
            : null;
    }

    private async Task<AwsError?> TagNew(string arn, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        if (tags is not { Count: > 0 })
            return null;
        var tagged = await Send(ResourceTagsKinds.ResourceTags, arn, new ResourceTagsCommands.Tag(arn, tags.ToImmutableDictionary(StringComparer.Ordinal)), cancellationToken)
            .ConfigureAwait(false);
        return tagged.Error;
    }

    /// <summary>PutCompositeAlarm: an upsert whose rule may only name alarms that exist (a composite may name itself once it exists).</summary>
    public async Task<Result<CompositeAlarm>> PutComposite(PutCompositeAlarmInput input, CancellationToken cancellationToken = default)
    {
        var tags = input.Tags;
        if (tags is not null && ResourceTags.Validate(tags) is { } badTags)
            return badTags;
        var metricAlarms = (await All().ConfigureAwait(false)).Select(a => a.Config.AlarmName).ToHashSet(StringComparer.Ordinal);
        var composites = (await AllComposites().ConfigureAwait(false)).Select(a => a.Config.AlarmName).ToHashSet(StringComparer.Ordinal);
        var config = CompositeAlarmConfig.Validate(input, name => metricAlarms.Contains(name) ? false : composites.Contains(name) ? true : null);
        if (config.IsError)
            return config.Error!;
        var name = config.Value.AlarmName;
        if (metricAlarms.Contains(name))
            return OtherType(name);
        var created = !composites.Contains(name);
        var arn = MetricAlarm.Arn(services.Region.Current.Region, accountId, name);
        var sent = await Send(CompositeAlarmKinds.CompositeAlarm, name, new CompositeAlarmCommands.Put(arn, config.Value), cancellationToken).ConfigureAwait(false);
        if (sent.IsError)
            return sent.Error!;
        if (created && await TagNew(arn, tags, cancellationToken).ConfigureAwait(false) is { } tagError)
            return tagError;
        return sent.Value as CompositeAlarm is { } alarm ? alarm : NotFound(name);
    }

    /// <summary>
    /// DeleteAlarms: names that do not exist are skipped, the others deleted (aws-semantics 5.8); at
    /// most one composite per call, and nothing is deleted while a composite not being deleted too
    /// depends on one of them, as AWS refuses.
    /// </summary>
    public async Task<Result<int>> Delete(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
            return AwsError.MissingParameter("The parameter AlarmNames is required.");
        if (names.Count > MaxDescribed)
            return AwsError.InvalidParameterValue($"The collection AlarmNames must not have a size greater than {MaxDescribed}.");
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var composites = (await AllComposites().ConfigureAwait(false)).ToList();
        var deletedComposites = composites.Where(c => distinct.Contains(c.Config.AlarmName)).Select(c => c.Config.AlarmName).ToHashSet(StringComparer.Ordinal);
        if (deletedComposites.Count > 1)
            return new AwsError("ValidationError", "You can delete at most one composite alarm in one DeleteAlarms call.");
        var dependedOn = distinct.Where(name => composites.Any(c => !deletedComposites.Contains(c.Config.AlarmName) && c.Config.Children.Any(child => child.Name == name))).ToList();
        if (dependedOn.Count > 0)
            return new AwsError("ValidationError",
                $"Cannot delete {string.Join(',', dependedOn)} as there are composite alarm(s) depending on {(dependedOn.Count == 1 ? "it" : "them")}.");
        var deleted = 0;
        foreach (var name in distinct)
        {
            if (deletedComposites.Contains(name))
            {
                var gone = await Send(CompositeAlarmKinds.CompositeAlarm, name, new CompositeAlarmCommands.Delete(name), cancellationToken).ConfigureAwait(false);
                if (gone.IsError)
                    return gone.Error!;
            }
            else
            {
                if (await Find(name).ConfigureAwait(false) is null)
                    continue;
                var sent = await Send(name, new MetricAlarmCommands.Delete(name), cancellationToken).ConfigureAwait(false);
                if (sent.IsError)
                    return sent.Error!;
            }
            var arn = MetricAlarm.Arn(services.Region.Current.Region, accountId, name);
            if (await services.Index.Get(ResourceTagsKinds.ResourceTags, arn, Generation).ConfigureAwait(false) is not null
                && (await Send(ResourceTagsKinds.ResourceTags, arn, new ResourceTagsCommands.Drop(arn), cancellationToken).ConfigureAwait(false)).Error is { } dropError)
                return dropError;
            deleted++;
        }
        return deleted;
    }

    /// <summary>SetAlarmState, on a metric or a composite alarm: the state it is in after it.</summary>
    public async Task<Result<string>> SetState(string? name, string? stateValue, string? reason, string? reasonData, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(name))
            return AwsError.MissingParameter("The parameter AlarmName is required.");
        if (await FindComposite(name).ConfigureAwait(false) is not null)
        {
            var set = await Send(CompositeAlarmKinds.CompositeAlarm, name, new CompositeAlarmCommands.SetState(name, stateValue ?? "", reason ?? "", reasonData), cancellationToken)
                .ConfigureAwait(false);
            return set.IsError ? set.Error! : set.Value is CompositeAlarm composite ? composite.StateValue : NotFound(name);
        }
        if (await Find(name).ConfigureAwait(false) is null)
            return NotFound(name);
        var changed = await Change(name, new MetricAlarmCommands.SetState(name, stateValue ?? "", reason ?? "", reasonData), cancellationToken).ConfigureAwait(false);
        return changed.IsError ? changed.Error! : changed.Value.StateValue;
    }

    /// <summary>Enable/DisableAlarmActions: unknown names are ignored, as AWS does.</summary>
    public async Task<Result<int>> SetActionsEnabled(IReadOnlyList<string> names, bool enabled, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
            return AwsError.MissingParameter("The parameter AlarmNames is required.");
        var changed = 0;
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var isComposite = await FindComposite(name).ConfigureAwait(false) is not null;
            if (!isComposite && await Find(name).ConfigureAwait(false) is null)
                continue;
            var sent = isComposite
                ? await Send(CompositeAlarmKinds.CompositeAlarm, name, new CompositeAlarmCommands.SetActionsEnabled(name, enabled), cancellationToken).ConfigureAwait(false)
                : await Send(name, new MetricAlarmCommands.SetActionsEnabled(name, enabled), cancellationToken).ConfigureAwait(false);
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
        if (filter.AlarmTypes?.FirstOrDefault(t => t is not (AlarmTypes.MetricAlarm or AlarmTypes.CompositeAlarm)) is { } badType)
            return AwsError.InvalidParameterValue($"The value {badType} for parameter AlarmTypes is invalid.");
        var related = filter.ChildrenOf ?? filter.ParentsOf;
        if (related is not null && ((filter.ChildrenOf is not null) == (filter.ParentsOf is not null) || filter.AlarmNames.Count > 0 || filter.AlarmNamePrefix is not null
            || filter.StateValue is not null || filter.ActionPrefix is not null || filter.AlarmTypes is not null))
            return new AwsError("ValidationError",
                $"If you specify {(filter.ChildrenOf is not null ? "ChildrenOfAlarmName" : "ParentsOfAlarmName")}, you cannot specify any other parameters in the request except for MaxRecords and NextToken.");
        var composites = (await AllComposites().ConfigureAwait(false)).ToList();
        HashSet<string>? only = related is null ? null
            : filter.ChildrenOf is not null
                ? composites.Where(c => c.Config.AlarmName == filter.ChildrenOf).SelectMany(c => c.Config.Children.Select(child => child.Name)).ToHashSet(StringComparer.Ordinal)
                : composites.Where(c => c.Config.Children.Any(child => child.Name == filter.ParentsOf)).Select(c => c.Config.AlarmName).ToHashSet(StringComparer.Ordinal);
        var wantsMetricAlarms = only is not null || filter.AlarmTypes is null || filter.AlarmTypes.Count == 0 || filter.AlarmTypes.Contains(AlarmTypes.MetricAlarm);
        var wantsComposites = only is not null || filter.AlarmTypes?.Contains(AlarmTypes.CompositeAlarm) == true;
        bool Matches(string name, string state, IEnumerable<string> actions) =>
            (only is null || only.Contains(name))
            && (filter.AlarmNames.Count == 0 || filter.AlarmNames.Contains(name))
            && (filter.AlarmNamePrefix is null || name.StartsWith(filter.AlarmNamePrefix, StringComparison.Ordinal))
            && (filter.StateValue is null || state == filter.StateValue)
            && (filter.ActionPrefix is null || actions.Any(arn => arn.StartsWith(filter.ActionPrefix, StringComparison.Ordinal)));
        // One page over both types, ordered by name: a NextToken counts alarms of either type.
        var all = (wantsMetricAlarms ? await All().ConfigureAwait(false) : [])
            .Where(a => Matches(a.Config.AlarmName, a.StateValue, a.Config.AlarmActions.Concat(a.Config.OKActions).Concat(a.Config.InsufficientDataActions)))
            .Select(a => (Name: a.Config.AlarmName, Alarm: (object)a))
            .Concat((wantsComposites ? composites : [])
                .Where(a => Matches(a.Config.AlarmName, a.StateValue, a.Config.AlarmActions.Concat(a.Config.OKActions).Concat(a.Config.InsufficientDataActions)))
                .Select(a => (Name: a.Config.AlarmName, Alarm: (object)a)))
            .OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.Alarm).ToList();
        return Page(all, start, filter.MaxRecords ?? MaxDescribed,
            (items, token) => new AlarmPage([.. items.OfType<MetricAlarm>()], [.. items.OfType<CompositeAlarm>()], token));
    }

    /// <summary>DescribeAlarmsForMetric: the alarms on exactly this metric (and statistic, period, unit when given).</summary>
    public async Task<IReadOnlyList<MetricAlarm>> ForMetric(MetricKey metric, string? statistic, string? extendedStatistic, int? period, string? unit) =>
        (await All().ConfigureAwait(false)).Where(a => metric.Equals(a.Config.Metric)
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
        var items = (await All().ConfigureAwait(false)).Select(a => (a.Config.AlarmName, Type: AlarmTypes.MetricAlarm, a.History))
            .Concat((await AllComposites().ConfigureAwait(false)).Select(a => (a.Config.AlarmName, Type: AlarmTypes.CompositeAlarm, a.History)))
            .Where(a => name is null || a.AlarmName == name)
            .SelectMany(a => a.History.Select((item, i) => (a.AlarmName, a.Type, Item: item, Index: i)))
            .Where(h => (itemType is null || h.Item.HistoryItemType == itemType) && (start is null || h.Item.Timestamp >= start) && (end is null || h.Item.Timestamp <= end));
        // Items of one instant (a transition and its actions) keep the order they happened in, reversed when newest come first.
        var ordered = (oldestFirst ? items.OrderBy(h => h.Item.Timestamp).ThenBy(h => h.Index) : items.OrderByDescending(h => h.Item.Timestamp).ThenByDescending(h => h.Index))
            .Select(h => (h.AlarmName, h.Type, h.Item)).ToList();
        return Page(ordered, from, maxRecords ?? MaxDescribed, (page, token) => new AlarmHistoryPage(page, token));
    }

    private async Task<IEnumerable<MetricAlarm>> All() =>
        (await services.Index.List(AlarmKinds.MetricAlarm, Generation).ConfigureAwait(false)).Cast<MetricAlarm>().OrderBy(a => a.Config.AlarmName, StringComparer.Ordinal);

    private async Task<IEnumerable<CompositeAlarm>> AllComposites() =>
        (await services.Index.List(CompositeAlarmKinds.CompositeAlarm, Generation).ConfigureAwait(false)).Cast<CompositeAlarm>()
            .OrderBy(a => a.Config.AlarmName, StringComparer.Ordinal);

    private async Task<MetricAlarm?> Find(string name) => await services.Index.Get(AlarmKinds.MetricAlarm, name, Generation).ConfigureAwait(false) as MetricAlarm;

    private async Task<CompositeAlarm?> FindComposite(string name) =>
        await services.Index.Get(CompositeAlarmKinds.CompositeAlarm, name, Generation).ConfigureAwait(false) as CompositeAlarm;

    /// <summary>The alarm's state after the command: null once deleted.</summary>
    private async Task<Result<MetricAlarm?>> Send(string name, IMetricAlarmCommand command, CancellationToken cancellationToken)
    {
        var sent = await Send(AlarmKinds.MetricAlarm, name, command, cancellationToken).ConfigureAwait(false);
        return sent.IsError ? sent.Error! : sent.Value as MetricAlarm;
    }

    private async Task<Result<object?>> Send(string kind, string name, object command, CancellationToken cancellationToken)
    {
        var reply = await services.Router.Ask<object>(kind, name, command, Timeout, cancellationToken).ConfigureAwait(false);
        return reply is EntityReplies.Rejected rejected ? Result<object?>.Fail(rejected.Error) : Result<object?>.Ok((reply as EntityReplies.Accepted)?.State);
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

    private static AwsError OtherType(string name) => new("ValidationError", $"An alarm named {name} of the other type (metric or composite) already exists.");
}
