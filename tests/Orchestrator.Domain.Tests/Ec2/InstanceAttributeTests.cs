using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.InstanceCommands;
using static Orchestrator.Domain.Ec2.InstanceEvents;
using static Orchestrator.Domain.Ec2.InstanceStateName;

namespace Orchestrator.Domain.Tests.Ec2;

/// <summary>ModifyInstanceAttribute, credit options, tags and the primary interface id, as pure rules.</summary>
public sealed class InstanceAttributeTests
{
    private const string Id = InstanceFixture.InstanceId;

    [Fact]
    public void A_launch_takes_AWS_defaults_for_the_later_attributes()
    {
        var state = InstanceFixture.In(Running).State!;
        Assert.True(state.SourceDestCheck);
        Assert.False(state.EbsOptimized);
        Assert.Equal("stop", state.InstanceInitiatedShutdownBehavior);
        Assert.Equal("unlimited", state.EffectiveCpuCredits());
    }

    [Fact]
    public void The_interface_id_is_the_launched_one_or_a_stable_derivation()
    {
        var launched = InstanceFixture.In(Running, InstanceFixture.Spec() with { NetworkInterfaceId = "eni-0123456789abcdef0" }).State!;
        Assert.Equal("eni-0123456789abcdef0", launched.PrimaryNetworkInterfaceId());

        var old = InstanceFixture.In(Running).State!;
        Assert.Equal(old.PrimaryNetworkInterfaceId(), NetworkInterfaces.DerivedId(Id));
        Assert.Matches("^eni-[0-9a-f]{17}$", old.PrimaryNetworkInterfaceId());
        Assert.NotEqual(NetworkInterfaces.DerivedId(Id), NetworkInterfaces.DerivedId("i-0123456789abcdef1"));
    }

    [Theory]
    [InlineData(Running, true)]
    [InlineData(Pending, true)]
    [InlineData(Stopped, true)]
    [InlineData(ShuttingDown, false)]
    [InlineData(Terminated, false)]
    public void Live_attributes_change_in_any_state_but_the_terminal_ones(InstanceStateName state, bool allowed)
    {
        var instance = InstanceFixture.In(state);
        var command = new ModifyAttribute(Id, SourceDestCheck: false, InstanceInitiatedShutdownBehavior: "terminate", SecurityGroupIds: ImmutableArray.Create("sg-0123456789abcdef0"));
        if (!allowed)
        {
            Assert.Equal("IncorrectInstanceState", instance.Refuse(command).Code);
            return;
        }
        var modified = Assert.IsType<AttributesModified>(Assert.Single(instance.Execute(command)));
        Assert.False(modified.SourceDestCheck);
        Assert.False(instance.State!.SourceDestCheck);
        Assert.Equal("terminate", instance.State.InstanceInitiatedShutdownBehavior);
        Assert.Equal("sg-0123456789abcdef0", Assert.Single(instance.State.SecurityGroupIds));
        Assert.Empty(instance.Execute(command));
    }

    [Fact]
    public void UserData_and_EbsOptimized_change_only_while_stopped()
    {
        var running = InstanceFixture.In(Running);
        Assert.Equal("IncorrectInstanceState", running.Refuse(new ModifyAttribute(Id, UserData: "ZWNobyBoaQ==")).Code);
        Assert.Equal("IncorrectInstanceState", running.Refuse(new ModifyAttribute(Id, EbsOptimized: true)).Code);

        var stopped = InstanceFixture.In(Stopped);
        stopped.Execute(new ModifyAttribute(Id, UserData: "ZWNobyBoaQ=="));
        stopped.Execute(new ModifyAttribute(Id, EbsOptimized: true));
        Assert.Equal("ZWNobyBoaQ==", stopped.State!.UserData);
        Assert.True(stopped.State.EbsOptimized);
    }

    [Fact]
    public void Bad_values_are_refused_with_the_attribute_codes()
    {
        var stopped = InstanceFixture.In(Stopped);
        Assert.Equal("InvalidInstanceAttributeValue", stopped.Refuse(new ModifyAttribute(Id, InstanceType: "t3.gigantic")).Code);
        Assert.Equal("InvalidInstanceAttributeValue", stopped.Refuse(new ModifyAttribute(Id, InstanceInitiatedShutdownBehavior: "hibernate")).Code);
        Assert.Equal("InvalidGroupId.Malformed", stopped.Refuse(new ModifyAttribute(Id, SecurityGroupIds: ImmutableArray.Create("default"))).Code);
        var oversized = Convert.ToBase64String(new byte[InstanceLimits.MaxUserDataBytes + 1]);
        Assert.Equal("InvalidParameterValue", stopped.Refuse(new ModifyAttribute(Id, UserData: oversized)).Code);
        Assert.Equal("MissingParameter", stopped.Refuse(new ModifyAttribute(Id)).Code);
        Assert.Empty(stopped.History.OfType<AttributesModified>());
    }

    [Fact]
    public void Credit_options_apply_to_burstable_types_only()
    {
        var t3 = InstanceFixture.In(Running);
        var changed = Assert.IsType<CreditSpecificationChanged>(Assert.Single(t3.Execute(new SetCreditSpecification(Id, "standard"))));
        Assert.Equal("standard", changed.CpuCredits);
        Assert.Equal("standard", t3.State!.EffectiveCpuCredits());
        Assert.Empty(t3.Execute(new SetCreditSpecification(Id, "standard")));
        Assert.Equal("InvalidParameterValue", t3.Refuse(new SetCreditSpecification(Id, "turbo")).Code);

        Assert.Equal("standard", InstanceFixture.In(Running, InstanceFixture.Spec("t2.micro")).State!.EffectiveCpuCredits());
        var m5 = InstanceFixture.In(Running, InstanceFixture.Spec("m5.large"));
        Assert.Null(m5.State!.EffectiveCpuCredits());
        Assert.Equal("InstanceCreditSpecification.NotSupported", m5.Refuse(new SetCreditSpecification(Id, "unlimited")).Code);
    }

    [Fact]
    public void Launch_checks_refuse_bad_attributes_before_anything_is_allocated()
    {
        Assert.Null(InstanceLimits.CheckLaunch("t3.micro", "terminate", "ZWNobw==", "standard"));
        Assert.Equal("InvalidParameterValue", InstanceLimits.CheckLaunch("t3.micro", "explode", null, null)!.Code);
        Assert.Equal("InvalidParameterValue", InstanceLimits.CheckLaunch("t3.micro", null, Convert.ToBase64String(new byte[16 * 1024 + 1]), null)!.Code);
        Assert.Null(InstanceLimits.CheckLaunch("t3.micro", null, Convert.ToBase64String(new byte[16 * 1024]), null));
        Assert.Equal("InvalidParameterCombination", InstanceLimits.CheckLaunch("m5.large", null, null, "unlimited")!.Code);
    }

    [Fact]
    public void Tags_follow_the_shared_rules()
    {
        var instance = InstanceFixture.In(Running);
        instance.Execute(new AddTags(Id, ImmutableDictionary<string, string>.Empty.Add("team", "blue").Add("env", "dev")));
        Assert.Equal("blue", instance.State!.Tags["team"]);

        Assert.Equal("InvalidParameterValue", instance.Refuse(new AddTags(Id, ImmutableDictionary<string, string>.Empty.Add("aws:x", "1"))).Code);
        Assert.Equal("InvalidParameterValue", instance.Refuse(new AddTags(Id, ImmutableDictionary<string, string>.Empty.Add("k", new string('v', 257)))).Code);
        var many = Enumerable.Range(0, 49).ToImmutableDictionary(i => $"k{i}", i => "v");
        Assert.Equal("TagLimitExceeded", instance.Refuse(new AddTags(Id, many)).Code);

        Assert.Empty(instance.Execute(new RemoveTags(Id, [new TagRemoval("team", "red")])));
        instance.Execute(new RemoveTags(Id, [new TagRemoval("team", "blue"), new TagRemoval("env")]));
        Assert.DoesNotContain(instance.State!.Tags, t => t.Key is "team" or "env");
    }

    [Fact]
    public void Launch_template_tags_follow_the_shared_rules()
    {
        var template = new EntityHarness<LaunchTemplate, ILaunchTemplateCommand, ILaunchTemplateEvent>(new LaunchTemplateBehavior());
        const string TemplateId = "lt-0123456789abcdef0";
        Assert.Equal("InvalidLaunchTemplateId.NotFound", template.Refuse(new LaunchTemplateCommands.AddTags(TemplateId, ImmutableDictionary<string, string>.Empty.Add("a", "b"))).Code);
        template.Execute(new LaunchTemplateCommands.Create(TemplateId, "web", LaunchTemplateData.Empty));
        template.Execute(new LaunchTemplateCommands.AddTags(TemplateId, ImmutableDictionary<string, string>.Empty.Add("a", "b")));
        Assert.Equal("b", template.State!.Tags["a"]);
        Assert.Empty(template.Execute(new LaunchTemplateCommands.AddTags(TemplateId, ImmutableDictionary<string, string>.Empty.Add("a", "b"))));
        template.Execute(new LaunchTemplateCommands.RemoveTags(TemplateId, [new TagRemoval("a")]));
        Assert.Empty(template.State!.Tags);
    }
}
