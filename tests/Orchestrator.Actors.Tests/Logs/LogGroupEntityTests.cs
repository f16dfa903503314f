using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Management;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Logs;

namespace Orchestrator.Actors.Tests.Logs;

/// <summary>Log groups as entities in virtual time: durable events, recovery through snapshots, retention in simulated time, the read model.</summary>
public sealed class LogGroupEntityTests : EntityTestKit
{
    private const string Group = "/app/web";

    private readonly LogsService _logs;

    public LogGroupEntityTests() => _logs = new LogsService(Services, "000000000000");

    private long NowMs => Clock.Now.ToUnixTimeMilliseconds();

    private async Task Ok<T>(Task<Result<T>> call)
    {
        var result = await call;
        Assert.False(result.IsError, result.Error?.ToString());
    }

    private async Task CreateWithStream(string stream = "web-1")
    {
        await Ok(_logs.CreateGroup(Group, Tags.None, null, null, false));
        await Ok(_logs.Send(Group, new LogGroupCommands.CreateStream(Group, stream)));
    }

    private Task Put(string stream, params string[] messages) =>
        Ok(_logs.Send(Group, new LogGroupCommands.PutEvents(Group, stream, [.. messages.Select(m => new InputLogEvent(NowMs, m))])));

    private async Task<string[]> Messages(string stream = "web-1")
    {
        var page = await _logs.GetEvents(new LogGroupQueries.GetEvents(Group, stream, null, null, null, null, true));
        Assert.False(page.IsError, page.Error?.ToString());
        return [.. page.Value.Events.Select(e => e.Message)];
    }

    private async Task Kill()
    {
        // The only group of the test (its escaped name does not survive a selection path).
        var entity = await Sys.ActorSelection($"/user/local-{LogsKinds.LogGroup}/*").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity);
    }

    [Fact]
    public async Task Events_are_durable_and_recover_after_the_entity_dies()
    {
        await CreateWithStream();
        await Put("web-1", "one", "two");
        await Kill();

        Assert.Equal(["one", "two"], await Messages());
    }

    [Fact]
    public async Task A_group_with_more_events_than_a_snapshot_interval_recovers_from_its_snapshot()
    {
        await CreateWithStream();
        for (var i = 0; i < Services.SnapshotEvery + 20; i++)
        {
            await Put("web-1", $"line {i}");
            Clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        await Kill();

        var messages = await Messages();
        Assert.Equal(Services.SnapshotEvery + 20, messages.Length);
        Assert.Equal($"line {Services.SnapshotEvery + 19}", messages[^1]);
    }

    [Fact]
    public async Task Events_older_than_the_retention_disappear_as_simulated_time_passes()
    {
        await CreateWithStream();
        await Ok(_logs.Send(Group, new LogGroupCommands.PutRetention(Group, 1)));
        await Put("web-1", "yesterday's news");
        Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(["yesterday's news"], await Messages());

        Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Empty(await Messages());
        var filtered = await _logs.FilterEvents(new LogGroupQueries.FilterEvents(Group, [], null, null, null, null, null, null));
        Assert.Empty(filtered.Value.Events);
    }

    [Fact]
    public async Task The_read_model_lists_groups_and_streams_without_asking_the_entities()
    {
        await CreateWithStream("b");
        await Ok(_logs.Send(Group, new LogGroupCommands.CreateStream(Group, "a")));
        await Put("b", "x");

        var groups = await _logs.DescribeGroups("/app", null, null, null);
        var view = Assert.Single(groups.Value.Items);
        Assert.Equal("arn:aws:logs:us-east-1:000000000000:log-group:/app/web:*", view.Arn);
        Assert.Equal(1 + LogEvent.Overhead, view.StoredBytes);
        var streams = await _logs.DescribeStreams(Group, null, null, false, null, null);
        Assert.Equal(["a", "b"], streams.Value.Items.Select(s => s.LogStreamName));
        var byTime = await _logs.DescribeStreams(Group, null, "LastEventTime", true, 1, null);
        Assert.Equal(["b"], byTime.Value.Items.Select(s => s.LogStreamName));
        Assert.Equal("1", byTime.Value.NextToken);
    }

    [Fact]
    public async Task A_deleted_group_is_gone_and_its_name_can_be_reused()
    {
        await CreateWithStream();
        await Put("web-1", "old life");
        Assert.False((await _logs.DeleteGroup(Group)).IsError);
        Assert.Null(await _logs.Group(Group));
        Assert.Equal("ResourceNotFoundException", (await _logs.DeleteGroup(Group)).Error?.Code);

        await CreateWithStream();
        Assert.Empty(await Messages());
    }

    [Fact]
    public async Task Orchestrator_lines_create_their_group_and_stream()
    {
        OrchestratorLogs.Write(Services, "000000000000", OrchestratorLogs.Elb, "web", "hello");
        var page = await _logs.FilterEvents(new LogGroupQueries.FilterEvents(OrchestratorLogs.Elb, [], null, null, null, null, null, null));
        Assert.Equal("hello", Assert.Single(page.Value.Events).Message);
        Assert.Equal(NowMs, page.Value.Events[0].Timestamp);
    }

    [Fact]
    public async Task The_logs_palette_lists_groups_and_tails_the_latest_lines_across_streams()
    {
        await CreateWithStream("a");
        await Ok(_logs.Send(Group, new LogGroupCommands.CreateStream(Group, "b")));
        await Put("a", "first");
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Put("b", "second");
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Put("a", "third");
        var palette = new LogsPalette(_logs);

        var groups = await palette.Execute(CommandRequest.Parse("logs groups"), default);
        Assert.Contains(Group, groups.Text, StringComparison.Ordinal);
        var tail = await palette.Execute(CommandRequest.Parse($"logs tail {Group} --limit 2"), default);
        Assert.True(tail.Ok, tail.Text);
        Assert.EndsWith("third", tail.Text, StringComparison.Ordinal);
        Assert.Contains("b                    second", tail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("first", tail.Text, StringComparison.Ordinal);
        Assert.False((await palette.Execute(CommandRequest.Parse("logs tail /nothing/here"), default)).Ok);
        await Assert.ThrowsAsync<CommandUsageException>(() => palette.Execute(CommandRequest.Parse($"logs tail {Group} --limit 0"), default));
    }
}
