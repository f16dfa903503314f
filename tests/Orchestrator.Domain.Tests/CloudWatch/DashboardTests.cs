using Orchestrator.Domain.CloudWatch;

namespace Orchestrator.Domain.Tests.CloudWatch;

/// <summary>Dashboard names and bodies as PutDashboard validates them, and the upsert/delete decider.</summary>
public sealed class DashboardTests
{
    [Theory]
    [InlineData("""{"widgets":[]}""")]
    [InlineData("""{"start":"-PT6H","widgets":[{"type":"metric","x":0,"y":0,"width":24,"height":6,"properties":{"metrics":[["AWS/EC2","CPUUtilization"]]}},{"type":"text","x":23,"y":7,"properties":{"markdown":"hi"}}]}""")]
    public void Valid_bodies(string body) => Assert.Empty(DashboardBehavior.ValidateBody(body));

    [Theory]
    [InlineData("not json", "")]
    [InlineData("[]", "")]
    [InlineData("""{"start":"-PT6H"}""", "")]
    [InlineData("""{"widgets":{}}""", "/widgets")]
    [InlineData("""{"widgets":[1]}""", "/widgets/0")]
    [InlineData("""{"widgets":[{"x":0}]}""", "/widgets/0")]
    [InlineData("""{"widgets":[{"type":"chart"}]}""", "/widgets/0/type")]
    [InlineData("""{"widgets":[{"type":"text","width":25}]}""", "/widgets/0/width")]
    [InlineData("""{"widgets":[{"type":"text","x":24}]}""", "/widgets/0/x")]
    [InlineData("""{"widgets":[{"type":"text","y":"top"}]}""", "/widgets/0/y")]
    public void Invalid_bodies_name_the_path(string body, string path)
    {
        var messages = DashboardBehavior.ValidateBody(body);
        Assert.Equal(path, Assert.Single(messages).DataPath);
        Assert.Equal("InvalidParameterInput", DashboardBehavior.Invalid(messages)?.Code);
    }

    [Theory]
    [InlineData("main", true)]
    [InlineData("my-Dash_01", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("slash/", false)]
    public void Names(string name, bool valid) => Assert.Equal(valid, DashboardBehavior.ValidateName(name) is null);

    [Fact]
    public void Put_upserts_and_delete_of_nothing_is_not_found()
    {
        var harness = new EntityHarness<Dashboard, IDashboardCommand, IDashboardEvent>(new DashboardBehavior());
        Assert.Equal("ResourceNotFound", harness.Refuse(new DashboardCommands.Delete("main")).Code);
        harness.Execute(new DashboardCommands.Put("main", "arn", """{"widgets":[]}"""));
        Assert.Empty(harness.Execute(new DashboardCommands.Put("main", "arn", """{"widgets":[]}""")));
        harness.Execute(new DashboardCommands.Put("main", "arn", """{"widgets":[{"type":"text"}]}"""));
        Assert.Equal("""{"widgets":[{"type":"text"}]}""", harness.State!.Body);
        harness.Execute(new DashboardCommands.Delete("main"));
        Assert.Null(harness.State);
    }
}
