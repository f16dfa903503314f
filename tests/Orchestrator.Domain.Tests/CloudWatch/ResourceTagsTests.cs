using System.Collections.Immutable;
using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

public sealed class ResourceTagsTests
{
    private const string Arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu";
    private static readonly ResourceTagsBehavior Behavior = new();
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static ResourceTags? Apply(ResourceTags? state, IResourceTagsCommand command)
    {
        var decided = Behavior.Decide(state, command, TestRegion.At(T0));
        Assert.False(decided.IsError, decided.Error?.Message);
        return decided.Value.Aggregate(state, Behavior.Evolve);
    }

    private static ImmutableDictionary<string, string> Map(params (string Key, string Value)[] tags) =>
        tags.ToImmutableDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    [Fact]
    public void Tags_are_added_overwritten_removed_and_an_emptied_set_is_gone()
    {
        var tags = Apply(null, new ResourceTagsCommands.Tag(Arn, Map(("team", "web"), ("env", "test"))));
        tags = Apply(tags, new ResourceTagsCommands.Tag(Arn, Map(("env", "prod"))));
        Assert.Equal(Map(("team", "web"), ("env", "prod")), tags!.Tags);
        tags = Apply(tags, new ResourceTagsCommands.Untag(Arn, ["env", "absent"]));
        Assert.Equal(Map(("team", "web")), tags!.Tags);
        Assert.Empty(Behavior.Decide(tags, new ResourceTagsCommands.Untag(Arn, ["absent"]), TestRegion.At(T0)).Value);
        Assert.Null(Apply(tags, new ResourceTagsCommands.Untag(Arn, ["team"])));
        Assert.Null(Apply(Apply(null, new ResourceTagsCommands.Tag(Arn, Map(("a", "b")))), new ResourceTagsCommands.Drop(Arn)));
    }

    [Fact]
    public void Invalid_tags_and_more_than_fifty_are_refused()
    {
        Assert.Equal("InvalidParameterValue", Behavior.Decide(null, new ResourceTagsCommands.Tag(Arn, Map(("", "x"))), TestRegion.At(T0)).Error?.Code);
        Assert.Equal("InvalidParameterValue", Behavior.Decide(null, new ResourceTagsCommands.Tag(Arn, Map(("aws:owner", "x"))), TestRegion.At(T0)).Error?.Code);
        Assert.Equal("InvalidParameterValue", Behavior.Decide(null, new ResourceTagsCommands.Tag(Arn, Map(("k", new string('v', 257)))), TestRegion.At(T0)).Error?.Code);
        var fifty = Apply(null, new ResourceTagsCommands.Tag(Arn, Enumerable.Range(0, 50).ToImmutableDictionary(i => $"k{i}", i => "v", StringComparer.Ordinal)));
        Assert.Equal("LimitExceeded", Behavior.Decide(fifty, new ResourceTagsCommands.Tag(Arn, Map(("one-more", "v"))), TestRegion.At(T0)).Error?.Code);
    }

    [Fact]
    public void An_omitted_datapoints_to_alarm_defaults_to_n_and_is_remembered_as_omitted()
    {
        PutMetricAlarmInput Input(int? m) => new("cpu", null, null, [], [], [], "Custom", "CPU", [], 60, "Average", null, null, 3, m, 70,
            ComparisonOperators.GreaterThanThreshold, null);
        var omitted = MetricAlarmConfig.Validate(Input(null)).Value;
        Assert.Equal((3, true), (omitted.DatapointsToAlarm, omitted.DatapointsToAlarmOmitted));
        var given = MetricAlarmConfig.Validate(Input(3)).Value;
        Assert.Equal((3, false), (given.DatapointsToAlarm, given.DatapointsToAlarmOmitted));
    }
}
