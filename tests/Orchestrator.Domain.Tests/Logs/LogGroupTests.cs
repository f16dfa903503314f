using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Logs;
using static Orchestrator.Domain.Logs.LogGroupCommands;

namespace Orchestrator.Domain.Tests.Logs;

public sealed class LogGroupTests
{
    private const string Arn = "arn:aws:logs:us-east-1:000000000000:log-group:app";

    private readonly EntityHarness<LogGroup, ILogGroupCommand, ILogGroupEvent> _group = new(new LogGroupBehavior());

    private long NowMs => _group.Now.ToUnixTimeMilliseconds();

    private LogGroup Created()
    {
        _group.Execute(new Create("app", Arn, Tags.None));
        _group.Execute(new CreateStream("app", "web-1"));
        return _group.State!;
    }

    private static InputLogEvent E(long timestamp, string message) => new(timestamp, message);

    private LogGroupEvents.EventsPut Send(params InputLogEvent[] events) =>
        (LogGroupEvents.EventsPut)Assert.Single(_group.Execute(new PutEvents("app", "web-1", [.. events])));

    [Theory]
    [InlineData("app")]
    [InlineData("/aws-like/lambda/fn_1#x.y-z")]
    [InlineData("/orchestrator/elb")]
    public void Valid_group_names_are_accepted(string name) => Assert.Null(LogNames.ValidateGroupName(name));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("colon:name")]
    [InlineData("star*")]
    [InlineData("aws/reserved")]
    public void Invalid_group_names_are_InvalidParameterException(string name) =>
        Assert.Equal("InvalidParameterException", LogNames.ValidateGroupName(name)?.Code);

    [Fact]
    public void A_513_character_group_name_is_refused() =>
        Assert.Equal("InvalidParameterException", _group.Refuse(new Create(new string('a', 513), Arn, Tags.None)).Code);

    [Theory]
    [InlineData("a:b")]
    [InlineData("a*b")]
    [InlineData("")]
    public void Stream_names_may_not_hold_colons_or_stars(string name)
    {
        Created();
        Assert.Equal("InvalidParameterException", _group.Refuse(new CreateStream("app", name)).Code);
    }

    [Fact]
    public void Groups_and_streams_are_unique()
    {
        Created();
        Assert.Equal("ResourceAlreadyExistsException", _group.Refuse(new Create("app", Arn, Tags.None)).Code);
        Assert.Equal("ResourceAlreadyExistsException", _group.Refuse(new CreateStream("app", "web-1")).Code);
        Assert.Equal("ResourceNotFoundException", _group.Refuse(new DeleteStream("app", "nope")).Code);
        Assert.Equal("ResourceNotFoundException", _group.Refuse(new PutEvents("app", "nope", [E(NowMs, "x")])).Code);
    }

    [Fact]
    public void A_missing_group_is_ResourceNotFoundException()
    {
        Assert.Equal("ResourceNotFoundException", _group.Refuse(new CreateStream("app", "s")).Code);
        Assert.Equal("ResourceNotFoundException", _group.Refuse(new Delete("app")).Code);
        Assert.Equal("ResourceNotFoundException", _group.Refuse(new PutRetention("app", 7)).Code);
    }

    [Fact]
    public void The_group_carries_creation_time_in_milliseconds_and_its_arn_with_a_star()
    {
        var group = Created();
        var view = group.View();
        Assert.Equal(NowMs, view.CreationTime);
        Assert.Equal(Arn + ":*", view.Arn);
        Assert.Equal(Arn, view.LogGroupArn);
        Assert.Null(view.RetentionInDays);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(14)]
    [InlineData(400)]
    [InlineData(3653)]
    public void Allowed_retention_periods_are_set(int days)
    {
        Created();
        _group.Execute(new PutRetention("app", days));
        Assert.Equal(days, _group.State!.RetentionInDays);
        _group.Execute(new DeleteRetention("app"));
        Assert.Null(_group.State!.RetentionInDays);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(365 * 2)]
    [InlineData(-1)]
    public void Other_retention_periods_are_InvalidParameterException(int days)
    {
        Created();
        Assert.Equal("InvalidParameterException", _group.Refuse(new PutRetention("app", days)).Code);
    }

    [Fact]
    public void Accepted_events_update_the_stream_and_return_a_new_sequence_token()
    {
        Created();
        var before = _group.State!.Streams["web-1"].SequenceToken;
        var put = Send(E(NowMs - 2000, "first"), E(NowMs - 1000, "second"));
        Assert.Null(put.Rejected);
        var stream = _group.State!.Streams["web-1"];
        Assert.Equal(2, stream.Events.Count);
        Assert.Equal(NowMs - 2000, stream.FirstEventTimestamp);
        Assert.Equal(NowMs - 1000, stream.LastEventTimestamp);
        Assert.Equal(NowMs, stream.LastIngestionTime);
        Assert.NotEqual(before, stream.SequenceToken);
        Assert.Equal(2 * LogEvent.Overhead + "firstsecond".Length, _group.State.View().StoredBytes);
    }

    [Fact]
    public void Events_out_of_chronological_order_fail_the_whole_batch()
    {
        Created();
        var error = _group.Refuse(new PutEvents("app", "web-1", [E(NowMs, "b"), E(NowMs - 1, "a")]));
        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Empty(_group.State!.Streams["web-1"].Events);
    }

    [Fact]
    public void Batches_beyond_ten_thousand_events_or_a_megabyte_fail()
    {
        var many = Enumerable.Range(0, LogBatch.MaxEvents + 1).Select(_ => new InputLogEvent(NowMs, "x")).ToArray();
        Assert.Equal("InvalidParameterException", LogBatch.Classify(many, _group.Now, null).Error?.Code);
        Assert.False(LogBatch.Classify(many[..LogBatch.MaxEvents], _group.Now, null).IsError);

        // 1,048,576 bytes exactly fit: two events whose messages plus 26 bytes each fill the limit.
        var half = (LogBatch.MaxBytes / 2) - LogEvent.Overhead;
        InputLogEvent[] exact = [E(NowMs, new string('a', half)), E(NowMs, new string('b', half))];
        Assert.False(LogBatch.Classify(exact, _group.Now, null).IsError);
        InputLogEvent[] over = [E(NowMs, new string('a', half)), E(NowMs, new string('b', half + 1))];
        Assert.Equal("InvalidParameterException", LogBatch.Classify(over, _group.Now, null).Error?.Code);
        Assert.Equal("InvalidParameterException", LogBatch.Classify([], _group.Now, null).Error?.Code);
    }

    [Fact]
    public void A_batch_spanning_more_than_24_hours_fails()
    {
        InputLogEvent[] events = [E(NowMs - (long)TimeSpan.FromHours(25).TotalMilliseconds, "a"), E(NowMs, "b")];
        Assert.Equal("InvalidParameterException", LogBatch.Classify(events, _group.Now, null).Error?.Code);
    }

    [Fact]
    public void Too_old_expired_and_too_new_events_are_rejected_individually()
    {
        Created();
        _group.Execute(new PutRetention("app", 1));
        var day = (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var put = Send(
            E(NowMs - (15 * day), "too old"),        // 0: older than 14 days (and than the retention)
            E(NowMs - (2 * day), "expired"),         // 1: older than the 1-day retention
            E(NowMs - 1000, "kept"),                 // 2
            E(NowMs + (long)TimeSpan.FromHours(2).TotalMilliseconds, "just in time"), // 3: exactly 2 h ahead is accepted
            E(NowMs + (long)TimeSpan.FromHours(3).TotalMilliseconds, "too new"));     // 4
        Assert.Equal(new RejectedEvents(TooNewLogEventStartIndex: 4, TooOldLogEventEndIndex: 1, ExpiredLogEventEndIndex: 2), put.Rejected);
        Assert.Equal(["kept", "just in time"], _group.State!.Streams["web-1"].Events.Select(e => e.Message));
        Assert.Equal(put.Rejected, _group.State.Streams["web-1"].LastRejected);
    }

    [Fact]
    public void A_batch_of_only_rejected_events_still_counts_as_an_upload()
    {
        Created();
        var put = Send(E(NowMs + (long)TimeSpan.FromHours(5).TotalMilliseconds, "future"));
        Assert.Empty(put.Events);
        Assert.Equal(new RejectedEvents(0, null, null), put.Rejected);
        Assert.Equal(1, _group.State!.Streams["web-1"].Uploads);
    }

    [Fact]
    public void Older_batches_are_placed_in_timestamp_order()
    {
        Created();
        Send(E(NowMs - 1000, "late"));
        Send(E(NowMs - 5000, "early"));
        Assert.Equal(["early", "late"], _group.State!.Streams["web-1"].Events.Select(e => e.Message));
        Assert.Equal(NowMs - 5000, _group.State.Streams["web-1"].FirstEventTimestamp);
        Assert.Equal(NowMs - 1000, _group.State.Streams["web-1"].LastEventTimestamp);
    }

    [Fact]
    public void Events_beyond_retention_are_hidden_at_once_and_dropped_at_the_next_write()
    {
        Created();
        _group.Execute(new PutRetention("app", 1));
        Send(E(NowMs, "old"));
        _group.Now += TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1);
        Assert.Empty(LogReads.Get(_group.State!, new LogGroupQueries.GetEvents("app", "web-1", null, null, null, null, true), _group.Now).Value.Events);
        Assert.Single(_group.State!.Streams["web-1"].Events);
        Send(E(NowMs, "new"));
        Assert.Equal(["new"], _group.State!.Streams["web-1"].Events.Select(e => e.Message));
    }

    [Fact]
    public void The_group_keeps_a_bounded_number_of_events_dropping_the_oldest()
    {
        Created();
        for (var batch = 0; batch < 3; batch++)
            Send([.. Enumerable.Range(0, 8000).Select(i => new InputLogEvent(NowMs - 100_000 + (batch * 8000) + i, $"e{(batch * 8000) + i}"))]);
        var events = _group.State!.Streams["web-1"].Events;
        Assert.True(events.Count <= LogGroupBehavior.MaxEventsPerGroup);
        Assert.Equal("e23999", events[^1].Message);
        Assert.Equal(24000 - events.Count, int.Parse(events[0].Message[1..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Own_records_create_the_group_and_stream_on_first_use()
    {
        var events = _group.Execute(new LogGroupCommands.Record("/orchestrator/elb", "arn:aws:logs:us-east-1:000000000000:log-group:/orchestrator/elb", "web", "i-1 in tg web: initial -> healthy"));
        Assert.Equal(3, events.Count);
        _group.Execute(new LogGroupCommands.Record("/orchestrator/elb", "arn", "web", "second"));
        Assert.Equal(["i-1 in tg web: initial -> healthy", "second"], _group.State!.Streams["web"].Events.Select(e => e.Message));
    }

    [Fact]
    public void Tags_are_limited_to_fifty()
    {
        Created();
        _group.Execute(new Tag("app", ImmutableDictionary<string, string>.Empty.Add("team", "a")));
        var tooMany = Enumerable.Range(0, 50).ToImmutableDictionary(i => $"k{i}", i => "v");
        Assert.Equal("InvalidParameterException", _group.Refuse(new Tag("app", tooMany)).Code);
        _group.Execute(new Untag("app", ["team"]));
        Assert.Empty(_group.State!.Tags);
    }

    [Fact]
    public void Identifiers_may_be_names_or_arns()
    {
        Assert.Equal("app", LogNames.GroupNameOf("app"));
        Assert.Equal("/a/b", LogNames.GroupNameOf("arn:aws:logs:us-east-1:000000000000:log-group:/a/b:*"));
        Assert.Equal("/a/b", LogNames.GroupNameOf("arn:aws:logs:us-east-1:000000000000:log-group:/a/b"));
        Assert.Null(LogNames.GroupNameOfArn("arn:aws:ec2:us-east-1:000000000000:instance/i-1"));
    }
}
