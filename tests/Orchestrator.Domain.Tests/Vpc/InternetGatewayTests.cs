using System.Collections.Immutable;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Vpc;
using static Orchestrator.Domain.Vpc.InternetGatewayCommands;
using static Orchestrator.Domain.Vpc.InternetGatewayEvents;

namespace Orchestrator.Domain.Tests.Vpc;

public sealed class InternetGatewayTests
{
    private const string Id = "igw-0123456789abcdef0";
    private const string VpcId = "vpc-0123456789abcdef0";

    private readonly EntityHarness<InternetGateway, IInternetGatewayCommand, IInternetGatewayEvent> _igw = new(new InternetGatewayBehavior());

    [Fact]
    public void Created_detached_with_its_tags()
    {
        _igw.Execute(new Create(Id, ImmutableDictionary<string, string>.Empty.Add("Name", "gw")));
        var view = InternetGatewayView.From(_igw.State!);
        Assert.Null(view.AttachedVpcId);
        Assert.Equal("gw", view.Tags["Name"]);
    }

    [Fact]
    public void Create_refuses_reserved_tag_keys() =>
        Assert.Equal("InvalidParameterValue", _igw.Refuse(new Create(Id, ImmutableDictionary<string, string>.Empty.Add("aws:x", "y"))).Code);

    [Fact]
    public void Attach_detach_then_delete()
    {
        _igw.Execute(new Create(Id));
        Assert.IsType<Attached>(Assert.Single(_igw.Execute(new Attach(Id, VpcId))));
        Assert.Equal(VpcId, _igw.State!.AttachedVpcId);
        Assert.Equal("DependencyViolation", _igw.Refuse(new Delete(Id)).Code);
        Assert.IsType<Detached>(Assert.Single(_igw.Execute(new Detach(Id, VpcId))));
        Assert.IsType<Deleted>(Assert.Single(_igw.Execute(new Delete(Id))));
        Assert.Null(_igw.State);
    }

    [Fact]
    public void A_gateway_attaches_to_one_vpc_and_a_vpc_takes_one_gateway()
    {
        _igw.Execute(new Create(Id));
        Assert.Equal("Resource.AlreadyAssociated", _igw.Refuse(new Attach(Id, VpcId, GatewayOnVpc: "igw-0fedcba9876543210")).Code);
        _igw.Execute(new Attach(Id, VpcId));
        Assert.Equal("Resource.AlreadyAssociated", _igw.Refuse(new Attach(Id, VpcId, GatewayOnVpc: Id)).Code);
        Assert.Equal("Resource.AlreadyAssociated", _igw.Refuse(new Attach(Id, "vpc-0fedcba9876543210")).Code);
    }

    [Fact]
    public void Detach_from_another_vpc_or_when_detached_is_gateway_not_attached()
    {
        _igw.Execute(new Create(Id));
        Assert.Equal("Gateway.NotAttached", _igw.Refuse(new Detach(Id, VpcId)).Code);
        _igw.Execute(new Attach(Id, VpcId));
        Assert.Equal("Gateway.NotAttached", _igw.Refuse(new Detach(Id, "vpc-0fedcba9876543210")).Code);
    }

    [Fact]
    public void Unknown_gateway_is_not_found() =>
        Assert.Equal("InvalidInternetGatewayID.NotFound", _igw.Refuse(new Delete(Id)).Code);

    [Fact]
    public void Tags_are_added_and_removed_by_the_shared_rules()
    {
        _igw.Execute(new Create(Id));
        _igw.Execute(new AddTags(Id, ImmutableDictionary<string, string>.Empty.Add("a", "1").Add("b", "2")));
        _igw.Execute(new RemoveTags(Id, [new TagRemoval("a"), new TagRemoval("b", "other")]));
        Assert.Equal(["b"], _igw.State!.Tags.Keys);
    }
}
