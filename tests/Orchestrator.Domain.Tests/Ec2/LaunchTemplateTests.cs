using System.Collections.Immutable;
using Orchestrator.Domain.Ec2;
using static Orchestrator.Domain.Ec2.LaunchTemplateCommands;
using static Orchestrator.Domain.Ec2.LaunchTemplateEvents;

namespace Orchestrator.Domain.Tests.Ec2;

public sealed class LaunchTemplateTests
{
    private const string Id = "lt-0abcd290751193123";
    private static readonly LaunchTemplateData Base = new(
        ImageId: "ami-0453ec754f44f9a4a",
        InstanceType: "t3.micro",
        KeyName: "drill",
        SecurityGroupIds: ["sg-0123456789abcdef0"],
        Monitoring: false,
        TagSpecifications: [new("instance", ImmutableDictionary<string, string>.Empty.Add("Name", "web"))]);

    private readonly EntityHarness<LaunchTemplate, ILaunchTemplateCommand, ILaunchTemplateEvent> _template = new(new LaunchTemplateBehavior());

    [Fact]
    public void Create_makes_version_1_both_default_and_latest()
    {
        _template.Execute(new Create(Id, "WebServers", Base, "first"));

        var view = LaunchTemplateView.From(_template.State!);
        Assert.Equal(Id, view.LaunchTemplateId);
        Assert.Equal("WebServers", view.LaunchTemplateName);
        Assert.Equal(1, view.DefaultVersionNumber);
        Assert.Equal(1, view.LatestVersionNumber);
        Assert.Equal(TestRegion.Epoch, view.CreateTime);
        var version = LaunchTemplateVersionView.From(_template.State!, _template.State!.ResolveVersion("1").Value);
        Assert.True(version.DefaultVersion);
        Assert.Equal("first", version.VersionDescription);
        Assert.Same(Base, version.LaunchTemplateData);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("star*")]
    [InlineData("")]
    public void Create_refuses_malformed_names(string name)
    {
        var error = _template.Refuse(new Create(Id, name, Base));
        Assert.Equal("InvalidLaunchTemplateName.MalformedException", error.Code);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("Web-Servers_v1.2/(prod)")]
    public void Create_accepts_the_allowed_characters(string name) => Assert.Single(_template.Execute(new Create(Id, name, Base)));

    [Fact]
    public void Names_are_limited_to_128_characters()
    {
        Assert.True(LaunchTemplate.IsValidName(new string('a', 128)));
        Assert.False(LaunchTemplate.IsValidName(new string('a', 129)));
    }

    [Fact]
    public void Create_again_is_a_retry()
    {
        _template.Execute(new Create(Id, "WebServers", Base));
        Assert.Empty(_template.Execute(new Create(Id, "WebServers", Base)));
    }

    [Fact]
    public void A_version_from_a_source_inherits_what_it_does_not_override()
    {
        _template.Execute(new Create(Id, "WebServers", Base));
        var created = Assert.IsType<VersionCreated>(Assert.Single(_template.Execute(
            new CreateVersion(Id, new LaunchTemplateData(ImageId: "ami-0c02fb55956c7d316"), SourceVersion: "1", VersionDescription: "WebVersion2"))));

        Assert.Equal(2, created.VersionNumber);
        Assert.Equal("ami-0c02fb55956c7d316", created.Data.ImageId);
        Assert.Equal("t3.micro", created.Data.InstanceType);
        Assert.Equal("drill", created.Data.KeyName);
        Assert.Equal(Base.SecurityGroupIds, created.Data.SecurityGroupIds);
        Assert.Equal(1, _template.State!.DefaultVersionNumber);
        Assert.Equal(2, _template.State.LatestVersionNumber());
    }

    [Fact]
    public void A_version_without_a_source_holds_only_its_own_data()
    {
        _template.Execute(new Create(Id, "WebServers", Base));
        var created = Assert.IsType<VersionCreated>(Assert.Single(_template.Execute(new CreateVersion(Id, new LaunchTemplateData(InstanceType: "m5.large")))));
        Assert.Null(created.Data.ImageId);
        Assert.Equal("m5.large", created.Data.InstanceType);
    }

    [Fact]
    public void A_missing_source_version_is_VersionNotFound()
    {
        _template.Execute(new Create(Id, "WebServers", Base));
        var error = _template.Refuse(new CreateVersion(Id, LaunchTemplateData.Empty, SourceVersion: "7"));
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", error.Code);
        Assert.Equal($"Could not find the specified version 7 for the launch template with ID {Id}.", error.Message);
    }

    [Fact]
    public void Versions_resolve_by_default_latest_and_number()
    {
        CreateWithVersions(3);
        _template.Execute(new ModifyDefaultVersion(Id, "2"));
        var template = _template.State!;

        Assert.Equal(2, template.ResolveVersion(null).Value.VersionNumber);
        Assert.Equal(2, template.ResolveVersion("$Default").Value.VersionNumber);
        Assert.Equal(3, template.ResolveVersion("$Latest").Value.VersionNumber);
        Assert.Equal(1, template.ResolveVersion("1").Value.VersionNumber);
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", template.ResolveVersion("4").Error!.Code);
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", template.ResolveVersion("$latest").Error!.Code);
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", template.ResolveVersion("-1").Error!.Code);
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", template.ResolveVersion("two").Error!.Code);
    }

    [Fact]
    public void ModifyDefaultVersion_accepts_latest_ignores_the_current_default_and_refuses_unknown_versions()
    {
        CreateWithVersions(3);
        Assert.IsType<DefaultVersionChanged>(Assert.Single(_template.Execute(new ModifyDefaultVersion(Id, "$Latest"))));
        Assert.Equal(3, _template.State!.DefaultVersionNumber);
        Assert.Empty(_template.Execute(new ModifyDefaultVersion(Id, "3")));
        Assert.Equal("InvalidLaunchTemplateId.VersionNotFound", _template.Refuse(new ModifyDefaultVersion(Id, "9")).Code);
    }

    [Fact]
    public void DeleteVersions_deletes_what_it_can_and_reports_the_rest()
    {
        CreateWithVersions(3);

        var outcome = VersionDeletionOutcome.Plan(_template.State!, ["1", "2", "8", "x"]);
        Assert.Equal(2L, Assert.Single(outcome.Deleted));
        Assert.Equal(
            [("1", VersionDeletionOutcome.UnexpectedError), ("8", VersionDeletionOutcome.VersionDoesNotExist), ("x", VersionDeletionOutcome.VersionDoesNotExist)],
            outcome.Failures.Select(f => (f.Version, f.Code)));

        var deleted = Assert.IsType<VersionsDeleted>(Assert.Single(_template.Execute(new DeleteVersions(Id, ["1", "2", "8", "x"]))));
        Assert.Equal(2L, Assert.Single(deleted.VersionNumbers));
        Assert.Equal([1L, 3L], _template.State!.Versions.Select(v => v.VersionNumber));
        Assert.Empty(_template.Execute(new DeleteVersions(Id, ["1"])));
    }

    [Fact]
    public void Version_numbers_are_never_reused_and_latest_follows_deletions()
    {
        CreateWithVersions(3);
        _template.Execute(new DeleteVersions(Id, ["3"]));
        Assert.Equal(2, _template.State!.LatestVersionNumber());
        Assert.Equal(2, _template.State.ResolveVersion("$Latest").Value.VersionNumber);

        var next = Assert.IsType<VersionCreated>(Assert.Single(_template.Execute(new CreateVersion(Id, Base))));
        Assert.Equal(4, next.VersionNumber);
    }

    [Fact]
    public void Delete_removes_the_template()
    {
        CreateWithVersions(2);
        Assert.IsType<Deleted>(Assert.Single(_template.Execute(new Delete(Id))));
        Assert.Null(_template.State);
    }

    [Fact]
    public void Commands_for_a_missing_template_are_InvalidLaunchTemplateId_NotFound()
    {
        ILaunchTemplateCommand[] commands =
        [
            new CreateVersion(Id, Base),
            new ModifyDefaultVersion(Id, "1"),
            new DeleteVersions(Id, ["2"]),
            new Delete(Id),
        ];
        foreach (var command in commands)
        {
            var error = _template.Refuse(command);
            Assert.Equal("InvalidLaunchTemplateId.NotFound", error.Code);
            Assert.Equal($"The specified launch template, with template ID {Id}, does not exist.", error.Message);
        }
    }

    [Fact]
    public void Explicit_launch_parameters_override_the_template()
    {
        var merged = Base.OverlaidWith(new LaunchTemplateData(InstanceType: "c5.large", Monitoring: true, SecurityGroupIds: []));
        Assert.Equal("c5.large", merged.InstanceType);
        Assert.True(merged.Monitoring);
        Assert.Empty(merged.SecurityGroupIds!.Value);
        Assert.Equal("ami-0453ec754f44f9a4a", merged.ImageId);
        Assert.Equal(Base.TagSpecifications, merged.TagSpecifications);
    }

    [Fact]
    public void Tag_specifications_are_read_per_resource_type()
    {
        var data = Base with
        {
            TagSpecifications =
            [
                new("instance", ImmutableDictionary<string, string>.Empty.Add("Name", "web")),
                new("volume", ImmutableDictionary<string, string>.Empty.Add("backup", "daily")),
                new("instance", ImmutableDictionary<string, string>.Empty.Add("team", "blue")),
            ],
        };
        Assert.Equal(["Name", "team"], data.TagsFor("instance").Keys.Order());
        Assert.Equal("daily", data.TagsFor("volume")["backup"]);
        Assert.Empty(LaunchTemplateData.Empty.TagsFor("instance"));
    }

    [Fact]
    public void Templates_have_no_deadlines()
    {
        CreateWithVersions(1);
        Assert.Empty(new LaunchTemplateBehavior().Deadlines(_template.State));
    }

    private void CreateWithVersions(int count)
    {
        _template.Execute(new Create(Id, "WebServers", Base));
        for (var version = 2; version <= count; version++)
            _template.Execute(new CreateVersion(Id, new LaunchTemplateData(InstanceType: "m5.large"), SourceVersion: "$Latest"));
    }
}
