using Orchestrator.Actors.Management;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Tests;

/// <summary>
/// The real wiring in real time: a one-node cluster with sharding, the region singleton and the
/// EC2 module, driven through its command host. The clock runs at x100 so a 10 s boot takes 0.1 s.
/// </summary>
public sealed class InProcessNodeTests : IAsyncLifetime
{
    private OrchestratorNode _node = null!;

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { Persistence = PersistenceMode.Memory, NodePort = 0, TimeScale = 100, StrictImages = true };
        _node = await OrchestratorNode.Start(options, Modules.All(options), _ => { }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<CommandResponse> Run(string line) => await _node.Commands.Execute(CommandRequest.Parse(line), CancellationToken.None);

    private static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
                return value;
            await Task.Delay(50);
        }
    }

    private static IEnumerable<string> States(CommandResponse response) =>
        ((Orchestrator.Actors.Ec2.Ec2Palette.InstancesReport)response.Data!).Instances.Select(i => i.State);

    [Fact]
    public async Task Sharded_instances_boot_through_the_simulated_scheduler_and_show_in_the_read_model()
    {
        Assert.True(_node.IsReady);
        var launched = await Run("ec2 launch --image ami-0c02fb55956c7d316 --type t3.micro --count 4");
        Assert.True(launched.Ok, launched.Text);
        Assert.All(States(launched), s => Assert.Equal("pending", s));

        var described = await Eventually(() => Run("ec2 describe"), r => States(r).All(s => s == "running"), TimeSpan.FromSeconds(20));
        Assert.Equal(["running", "running", "running", "running"], States(described));

        var unknownImage = await Run("ec2 launch --image ami-0123456789abcdef0 --type t3.micro");
        Assert.Equal("InvalidAMIID.NotFound", unknownImage.Error?.Code);

        var regions = await Run("cluster-sharding regions");
        Assert.Contains("instance", regions.Text);
    }

    [Fact]
    public async Task Reset_wipes_every_resource_and_recreates_the_default_vpc()
    {
        var before = _node.Region.Snapshot.Current;
        Assert.True((await Run("ec2 launch --image ami-0c02fb55956c7d316 --type t3.micro")).Ok);

        var after = await _node.Reset(CancellationToken.None);

        Assert.Equal(before.Generation + 1, after.Generation);
        Assert.Empty(States(await Run("ec2 describe")));
        Assert.NotEqual(before.DefaultVpc!.VpcId, _node.Region.Snapshot.Current.DefaultVpc!.VpcId);
        Assert.True((await Run("ec2 launch --image ami-0c02fb55956c7d316 --type t3.micro")).Ok);
    }

    [Fact]
    public async Task Zone_status_and_clock_commands_take_effect_on_this_node_at_once()
    {
        var outage = await Run("region az-status us-east-1b unavailable --mode network");
        Assert.True(outage.Ok, outage.Text);
        Assert.True(_node.Region.Snapshot.Current.Status.Zone("us-east-1b")!.IsUnreachable);

        var paused = await Run("sim pause");
        Assert.True(paused.Ok);
        var frozen = _node.Clock.Now;
        Assert.Equal(frozen, _node.Clock.Now);
        Assert.True((await Run("sim resume")).Ok);

        var usage = await Assert.ThrowsAsync<CommandUsageException>(() => Run("region az-status us-east-1b sideways"));
        Assert.Contains("sideways", usage.Message);
        var unknownZone = await Run("region az-status us-east-1q unavailable");
        Assert.Equal("InvalidParameterValue", unknownZone.Error?.Code);
    }
}
