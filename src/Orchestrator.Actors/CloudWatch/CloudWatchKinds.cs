using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.ReadModel;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Actors.CloudWatch;

/// <summary>CloudWatch's entities: one per metric series (keyed by MetricKey.EntityId) and one per dashboard (keyed by name).</summary>
public static class CloudWatchKinds
{
    public const string MetricSeries = "metric-series";
    public const string Dashboard = "dashboard";

    /// <summary>The read-model kind of a series' row (ListMetrics).</summary>
    public const string Metric = "metric";

    public static EntityDefinition<MetricSeries, IMetricSeriesCommand, IMetricSeriesEvent> SeriesDefinition() => new(
        MetricSeries,
        new MetricSeriesBehavior(),
        state => [new IndexRow(Metric, state.Key.EntityId(), state.View())],
        Answer: (state, query, _) => query is MetricSeriesQueries.Statistics statistics ? state?.Aggregate(statistics) ?? new PeriodAggregates([]) : null);

    public static EntityDefinition<Dashboard, IDashboardCommand, IDashboardEvent> DashboardDefinition() => new(
        Dashboard,
        new DashboardBehavior(),
        state => [new IndexRow(Dashboard, state.Name, state.View())]);

    /// <summary>Neither acts on its own (alarms read series, see AlarmKinds), so neither is remembered: a message starts it again.</summary>
    public static IEnumerable<EntityKind> All(EntityServices services)
    {
        var series = SeriesDefinition();
        var dashboard = DashboardDefinition();
        yield return new EntityKind(MetricSeries,
            id => Props.Create(() => new EntityActor<MetricSeries, IMetricSeriesCommand, IMetricSeriesEvent>(series, id, services)), RememberEntities: false);
        yield return new EntityKind(Dashboard,
            id => Props.Create(() => new EntityActor<Dashboard, IDashboardCommand, IDashboardEvent>(dashboard, id, services)), RememberEntities: false);
    }
}

/// <summary>The manifests of everything CloudWatch persists or sends between nodes.</summary>
public static class CloudWatchMessages
{
    public static void Register()
    {
        MessageRegistry.RegisterAll("cloudwatch.metric-series.command", typeof(MetricSeriesCommands));
        MessageRegistry.RegisterAll("cloudwatch.metric-series.event", typeof(MetricSeriesEvents));
        MessageRegistry.RegisterAll("cloudwatch.metric-series.query", typeof(MetricSeriesQueries));
        MessageRegistry.RegisterAll("cloudwatch.metric-series", typeof(MetricSeries), typeof(MetricKey), typeof(Sample), typeof(Aggregate), typeof(ValueCount),
            typeof(MetricView), typeof(PeriodAggregates), typeof(PeriodAggregate));
        MessageRegistry.RegisterAll("cloudwatch.metric-alarm.command", typeof(MetricAlarmCommands));
        MessageRegistry.RegisterAll("cloudwatch.metric-alarm.event", typeof(MetricAlarmEvents));
        MessageRegistry.RegisterAll("cloudwatch.metric-alarm", typeof(MetricAlarm), typeof(MetricAlarmConfig), typeof(AlarmHistoryItem), typeof(AlarmSlot));
        MessageRegistry.RegisterAll("cloudwatch.metric-alarm", typeof(MetricDataQueryInput), typeof(MetricStatInput));
        MessageRegistry.RegisterAll("cloudwatch.composite-alarm.command", typeof(CompositeAlarmCommands));
        MessageRegistry.RegisterAll("cloudwatch.composite-alarm.event", typeof(CompositeAlarmEvents));
        MessageRegistry.RegisterAll("cloudwatch.composite-alarm", typeof(CompositeAlarm), typeof(CompositeAlarmConfig), typeof(AlarmChild), typeof(ChildState));
        MessageRegistry.RegisterAll("cloudwatch.tags.command", typeof(ResourceTagsCommands));
        MessageRegistry.RegisterAll("cloudwatch.tags.event", typeof(ResourceTagsEvents));
        MessageRegistry.RegisterAll("cloudwatch.tags", typeof(ResourceTags));
        MessageRegistry.RegisterAll("cloudwatch.dashboard.command", typeof(DashboardCommands));
        MessageRegistry.RegisterAll("cloudwatch.dashboard.event", typeof(DashboardEvents));
        MessageRegistry.RegisterAll("cloudwatch.dashboard", typeof(Dashboard), typeof(DashboardView));
    }
}
