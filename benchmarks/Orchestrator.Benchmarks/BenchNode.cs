using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;
using Orchestrator.Domain.Ec2;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Benchmarks;

/// <summary>A real node in-process (sharding, persistence, region), for measuring the entity layer end to end.</summary>
public static class BenchNode
{
    public static NodeOptions OptionsFrom(Options options, string dataDir) => new()
    {
        DataDir = dataDir,
        NodePort = 0,
        Persistence = options.String("persistence", "sqlite") switch
        {
            "postgres" => PersistenceMode.Postgres,
            "memory" => PersistenceMode.Memory,
            _ => PersistenceMode.Sqlite,
        },
        ConnectionString = options.Optional("connection-string"),
    };

    public static Task<OrchestratorNode> Start(NodeOptions options) =>
        OrchestratorNode.Start(options, Modules.All(options), line => Console.WriteLine($"  node: {line}"), CancellationToken.None);

    /// <summary>A launch with everything already decided, so the measurement is the entity, not address allocation.</summary>
    public static InstanceCommands.Launch Launch(int index, string vpcId, string subnetId) =>
        new(new InstanceLaunchSpec($"i-{index:x17}", "r-00000000000000001", "ami-0c02fb55956c7d316", "t3.micro", vpcId, subnetId, "us-east-1a",
            $"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}", null, ImmutableArray<string>.Empty));

    /// <summary>Sends one message per id with at most inFlight outstanding asks; returns when every one answered.</summary>
    public static async Task AskAll(IEntityRouter router, string kind, int count, Func<int, (string Id, object Message)> message, int inFlight)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            var (id, payload) = message(i);
            tasks.Add(router.Ask<object>(kind, id, payload, TimeSpan.FromMinutes(5)).ContinueWith(t =>
            {
                gate.Release();
                if (t.Result is EntityReplies.Rejected rejected)
                    throw new InvalidOperationException(rejected.Error.ToString());
            }, TaskScheduler.Default));
        }
        await Task.WhenAll(tasks);
    }

    public static string Kind => Ec2Kinds.Instance;

    public static double PerSecond(int count, TimeSpan elapsed) => count / elapsed.TotalSeconds;

    public static long ManagedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public static IActorRef Region(OrchestratorNode node) => node.Router.RefFor(Kind);
}
