using Orchestrator.Domain.Common;
using Orchestrator.Domain.Logs;
using static Orchestrator.Domain.Logs.LogGroupCommands;

namespace Orchestrator.Domain.Tests.Logs;

public sealed class LogReadsTests
{
    private readonly EntityHarness<LogGroup, ILogGroupCommand, ILogGroupEvent> _group = new(new LogGroupBehavior());

    public LogReadsTests()
    {
        _group.Execute(new Create("app", "arn:aws:logs:us-east-1:000000000000:log-group:app", Tags.None));
        _group.Execute(new CreateStream("app", "a"));
        _group.Execute(new CreateStream("app", "b"));
    }

    private long Ms(int seconds) => _group.Now.ToUnixTimeMilliseconds() - 100_000 + (seconds * 1000);

    private void Put(string stream, params (int Second, string Message)[] events) =>
        _group.Execute(new PutEvents("app", stream, [.. events.Select(e => new InputLogEvent(Ms(e.Second), e.Message))]));

    private EventsPage Get(string? token = null, int? limit = null, bool fromHead = false, long? start = null, long? end = null) =>
        LogReads.Get(_group.State!, new LogGroupQueries.GetEvents("app", "a", start, end, token, limit, fromHead), _group.Now).Value;

    private FilteredPage Filter(string? pattern, string? token = null, int? limit = null, string[]? streams = null, string? prefix = null) =>
        LogReads.Filter(_group.State!, new LogGroupQueries.FilterEvents("app", [.. streams ?? []], prefix, null, null, pattern, token, limit), _group.Now).Value;

    [Fact]
    public void GetLogEvents_pages_forward_from_the_head_and_ends_when_the_token_comes_back()
    {
        Put("a", (1, "one"), (2, "two"), (3, "three"));
        var first = Get(limit: 2, fromHead: true);
        Assert.Equal(["one", "two"], first.Events.Select(e => e.Message));
        Assert.StartsWith("f/", first.NextForwardToken, StringComparison.Ordinal);
        Assert.StartsWith("b/", first.NextBackwardToken, StringComparison.Ordinal);
        var second = Get(first.NextForwardToken, limit: 2);
        Assert.Equal(["three"], second.Events.Select(e => e.Message));
        var end = Get(second.NextForwardToken, limit: 2);
        Assert.Empty(end.Events);
        Assert.Equal(second.NextForwardToken, end.NextForwardToken);
    }

    [Fact]
    public void Without_startFromHead_the_newest_events_come_first_and_backward_tokens_walk_back()
    {
        Put("a", (1, "one"), (2, "two"), (3, "three"));
        var last = Get(limit: 2);
        Assert.Equal(["two", "three"], last.Events.Select(e => e.Message));
        var back = Get(last.NextBackwardToken, limit: 2);
        Assert.Equal(["one"], back.Events.Select(e => e.Message));
        Assert.Equal(back.NextBackwardToken, Get(back.NextBackwardToken).NextBackwardToken);
    }

    [Fact]
    public void Tokens_stay_stable_when_older_events_arrive_later()
    {
        Put("a", (5, "five"), (6, "six"));
        var first = Get(limit: 1, fromHead: true);
        Put("a", (1, "one")); // an older batch ingested after the page was read
        Assert.Equal(["six"], Get(first.NextForwardToken).Events.Select(e => e.Message));
        Put("a", (9, "nine"));
        Assert.Equal(["six", "nine"], Get(first.NextForwardToken).Events.Select(e => e.Message));
    }

    [Fact]
    public void StartTime_is_inclusive_and_endTime_exclusive()
    {
        Put("a", (1, "one"), (2, "two"), (3, "three"));
        Assert.Equal(["two"], Get(fromHead: true, start: Ms(2), end: Ms(3)).Events.Select(e => e.Message));
    }

    [Fact]
    public void A_malformed_token_is_InvalidParameterException()
    {
        Assert.Equal("InvalidParameterException", LogReads.Get(_group.State!, new LogGroupQueries.GetEvents("app", "a", null, null, "x/1", null, true), _group.Now).Error?.Code);
        Assert.Equal("ResourceNotFoundException", LogReads.Get(_group.State!, new LogGroupQueries.GetEvents("app", "zz", null, null, null, null, true), _group.Now).Error?.Code);
    }

    [Fact]
    public void FilterLogEvents_interleaves_streams_in_time_order_and_pages_with_nextToken()
    {
        Put("a", (1, "a1"), (3, "a3"));
        Put("b", (2, "b2"), (4, "b4"));
        var first = Filter(null, limit: 3);
        Assert.Equal(["a1", "b2", "a3"], first.Events.Select(e => e.Message));
        Assert.Equal(["a", "b", "a"], first.Events.Select(e => e.LogStreamName));
        Assert.Equal(["a", "b"], first.SearchedLogStreams.ToArray());
        Assert.NotNull(first.NextToken);
        var second = Filter(null, first.NextToken, limit: 3);
        Assert.Equal(["b4"], second.Events.Select(e => e.Message));
        Assert.Null(second.NextToken);
        Assert.Equal(["b2", "b4"], Filter(null, streams: ["b"]).Events.Select(e => e.Message));
        Assert.Equal(["a1", "a3"], Filter(null, prefix: "a").Events.Select(e => e.Message));
    }

    [Fact]
    public void Stream_names_and_a_prefix_together_are_InvalidParameterException() =>
        Assert.Equal("InvalidParameterException", LogReads.Filter(_group.State!,
            new LogGroupQueries.FilterEvents("app", ["a"], "a", null, null, null, null, null), _group.Now).Error?.Code);

    [Theory]
    [InlineData("", "anything", true)]
    [InlineData("ERROR", "2026 ERROR disk full", true)]
    [InlineData("ERROR", "2026 error disk full", false)] // case-sensitive
    [InlineData("ERROR disk", "ERROR: disk full", true)]
    [InlineData("ERROR disk", "ERROR: memory", false)]
    [InlineData("\"disk full\"", "ERROR disk full now", true)]
    [InlineData("\"disk full\"", "full disk", false)]
    [InlineData("ERROR -timeout", "ERROR disk", true)]
    [InlineData("ERROR -timeout", "ERROR timeout", false)]
    [InlineData("?ERROR ?WARN", "WARN low memory", true)]
    [InlineData("?ERROR ?WARN", "INFO fine", false)]
    [InlineData("{ $.level = \"ERROR\" }", "{\"level\":\"ERROR\",\"latency\":12}", true)]
    [InlineData("{ $.level = \"ERROR\" }", "{\"level\":\"INFO\"}", false)]
    [InlineData("{ $.level = \"ERROR\" }", "not json ERROR", false)]
    [InlineData("{ $.level != \"ERROR\" }", "{\"level\":\"INFO\"}", true)]
    [InlineData("{ $.level = ERR* }", "{\"level\":\"ERROR\"}", true)]
    [InlineData("{ $.latency > 100 }", "{\"latency\":150}", true)]
    [InlineData("{ $.latency > 100 }", "{\"latency\":100}", false)]
    [InlineData("{ $.latency >= 100 }", "{\"latency\":100}", true)]
    [InlineData("{ $.latency < 100 }", "{\"latency\":99.5}", true)]
    [InlineData("{ $.latency <= 100 }", "{\"latency\":101}", false)]
    [InlineData("{ $.latency = 100 }", "{\"latency\":100.0}", true)]
    [InlineData("{ $.latency != 100 }", "{\"latency\":7}", true)]
    [InlineData("{ $.latency > 100 }", "{\"latency\":\"150\"}", false)] // a string is not a number
    [InlineData("{ $.latency > 100 }", "{\"other\":1}", false)]
    [InlineData("{ $.level = \"ERROR\" && $.latency > 100 }", "{\"level\":\"ERROR\",\"latency\":150}", true)]
    [InlineData("{ $.level = \"ERROR\" && $.latency > 100 }", "{\"level\":\"ERROR\",\"latency\":50}", false)]
    [InlineData("{ $.level = \"ERROR\" || $.latency > 100 }", "{\"level\":\"INFO\",\"latency\":150}", true)]
    [InlineData("{ ($.a = 1 || $.b = 2) && $.c = 3 }", "{\"a\":0,\"b\":2,\"c\":3}", true)]
    [InlineData("{ ($.a = 1 || $.b = 2) && $.c = 3 }", "{\"a\":1,\"b\":0,\"c\":4}", false)]
    [InlineData("{ $.user.id = 42 }", "{\"user\":{\"id\":42}}", true)]
    [InlineData("{ $.items[1].name = \"b\" }", "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", true)]
    [InlineData("{ $.ok IS TRUE }", "{\"ok\":true}", true)]
    [InlineData("{ $.ok IS FALSE }", "{\"ok\":true}", false)]
    [InlineData("{ $.gone IS NULL }", "{\"gone\":null}", true)]
    [InlineData("{ $.gone NOT EXISTS }", "{\"here\":1}", true)]
    public void Filter_patterns_match_as_CloudWatch_Logs_does(string pattern, string message, bool matches)
    {
        var parsed = FilterPattern.Parse(pattern);
        Assert.False(parsed.IsError, parsed.Error?.ToString());
        Assert.Equal(matches, parsed.Value.Matches(message));
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("{ $.level = }")]
    [InlineData("{ $.level = \"x\" ")]
    [InlineData("{ level = \"x\" }")]
    [InlineData("{ $.level > \"x\" }")]
    [InlineData("{ ($.a = 1 }")]
    [InlineData("[ip, user]")]
    public void Malformed_patterns_are_InvalidParameterException(string pattern) =>
        Assert.Equal("InvalidParameterException", FilterPattern.Parse(pattern).Error?.Code);
}
