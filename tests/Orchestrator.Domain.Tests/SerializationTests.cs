using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using Orchestrator.Domain.Region;
using Orchestrator.Domain.Tests.Ec2;
using Orchestrator.Domain.Vpc;

namespace Orchestrator.Domain.Tests;

/// <summary>
/// Events and states are persisted as System.Text.Json (camelCase, enums as strings, nulls omitted, as the
/// actor layer configures it). Every event must round-trip, and replaying the read-back events must rebuild
/// the same state.
/// </summary>
public sealed class SerializationTests
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    [Fact]
    public void Instance_events_and_state_round_trip_and_replay()
    {
        var instance = InstanceFixture.In(InstanceStateName.Running);
        var id = InstanceFixture.InstanceId;
        instance.Execute(new InstanceCommands.ChangeTags(id, ImmutableDictionary<string, string>.Empty.Add("team", "blue"), ["Name"]));
        instance.Execute(new InstanceCommands.SetMonitoring(id, true));
        instance.Execute(new InstanceCommands.SetApplicationHealth(id, ApplicationHealth.Slow, TimeSpan.FromSeconds(9)));
        instance.Execute(new InstanceCommands.Reboot(id));
        var outage = TestRegion.Zone(InstanceFixture.Zone, AzState.Unavailable);
        instance.Region = TestRegion.With(outage);
        instance.Execute(new InstanceCommands.ObserveZone(id, outage));
        instance.Advance(InstanceTimings.Stop);
        instance.Execute(new InstanceCommands.ModifyAttribute(id, InstanceType: "t3.small", DisableApiStop: true));
        instance.Region = TestRegion.AllAvailable;
        instance.Execute(new InstanceCommands.ObserveZone(id, outage with { State = AzState.Available }));
        instance.Advance(TimeSpan.FromMinutes(3));
        instance.Execute(new InstanceCommands.Terminate(id));
        instance.Advance(InstanceTimings.ShutDown);

        AssertRoundTripAndReplay(new InstanceBehavior(), instance.History, instance.State);
        Assert.Contains("\"state\":\"Terminated\"", JsonSerializer.Serialize(instance.State, Json));
    }

    [Fact]
    public void Vpc_events_and_state_round_trip_and_replay()
    {
        var vpc = new EntityHarness<VpcState, IVpcCommand, IVpcEvent>(new VpcBehavior());
        string[] subnets = [.. Enumerable.Range(1, 6).Select(i => $"subnet-{i:x17}")];
        foreach (var command in DefaultVpc.Plan("vpc-0defa017000000000", subnets, TestRegion.AllAvailable))
            vpc.Execute(command);
        vpc.Execute(new VpcCommands.AllocatePrivateIp("vpc-0defa017000000000", subnets[0], "i-0000000000000000a"));
        vpc.Execute(new VpcCommands.AllocatePrivateIp("vpc-0defa017000000000", subnets[0], "i-0000000000000000b"));
        vpc.Execute(new VpcCommands.ReleasePrivateIp("vpc-0defa017000000000", subnets[0], "i-0000000000000000a"));
        vpc.Execute(new VpcCommands.ModifySubnetAttribute("vpc-0defa017000000000", subnets[1], SubnetAttributes.MapPublicIpOnLaunch, "false"));
        vpc.Execute(new VpcCommands.DeleteSubnet("vpc-0defa017000000000", subnets[5]));

        AssertRoundTripAndReplay(new VpcBehavior(), vpc.History, vpc.State);
    }

    [Fact]
    public void Launch_template_events_and_state_round_trip_and_replay()
    {
        var template = new EntityHarness<LaunchTemplate, ILaunchTemplateCommand, ILaunchTemplateEvent>(new LaunchTemplateBehavior());
        var data = new LaunchTemplateData(
            "ami-0453ec754f44f9a4a", "t3.micro", "drill", ["sg-0123456789abcdef0"], "IyEvYmluL3NoCg==", true,
            [new("instance", ImmutableDictionary<string, string>.Empty.Add("Name", "web"))], "arn:aws:iam::123456789012:instance-profile/web");
        template.Execute(new LaunchTemplateCommands.Create("lt-0abcd290751193123", "WebServers", data, "v1"));
        template.Execute(new LaunchTemplateCommands.CreateVersion("lt-0abcd290751193123", new LaunchTemplateData(InstanceType: "m5.large"), "1"));
        template.Execute(new LaunchTemplateCommands.CreateVersion("lt-0abcd290751193123", LaunchTemplateData.Empty));
        template.Execute(new LaunchTemplateCommands.ModifyDefaultVersion("lt-0abcd290751193123", "2"));
        template.Execute(new LaunchTemplateCommands.DeleteVersions("lt-0abcd290751193123", ["3"]));

        AssertRoundTripAndReplay(new LaunchTemplateBehavior(), template.History, template.State);
    }

    private static void AssertRoundTripAndReplay<TState, TCommand, TEvent>(
        IEntityBehavior<TState, TCommand, TEvent> behavior, IEnumerable<TEvent> history, TState? expectedState)
        where TState : class
        where TEvent : notnull
    {
        TState? replayed = null;
        foreach (var @event in history)
        {
            var json = JsonSerializer.Serialize(@event, @event.GetType(), Json);
            var readBack = (TEvent)JsonSerializer.Deserialize(json, @event.GetType(), Json)!;
            Assert.Equal(json, JsonSerializer.Serialize(readBack, readBack.GetType(), Json));
            replayed = behavior.Evolve(replayed, readBack);
        }
        Assert.Equal(JsonSerializer.Serialize(expectedState, Json), JsonSerializer.Serialize(replayed, Json));

        var stateJson = JsonSerializer.Serialize(expectedState, Json);
        Assert.Equal(stateJson, JsonSerializer.Serialize(JsonSerializer.Deserialize<TState>(stateJson, Json), Json));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
