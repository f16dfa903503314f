using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Actors.Entities;
using Orchestrator.Actors.Sharding;

namespace Orchestrator.Benchmarks;

/// <summary>Messages per second to sharded entities: a window of told queries, each reply releasing the next (memory persistence, one node).</summary>
public static class TellScenario
{
    public static async Task<int> Run(Options options)
    {
        var entities = options.Int("entities", 1_000);
        var messages = options.Int("messages", 1_000_000);
        var inFlight = options.Int("in-flight", 5_000);
        var nodeOptions = BenchNode.OptionsFrom(options, Path.GetTempPath()) with { Persistence = Node.Hosting.PersistenceMode.Memory };
        await using var node = await BenchNode.Start(nodeOptions);
        await BenchNode.AskAll(node.Router, BenchNode.Kind, entities, i => ($"i-{i:x17}", BenchNode.Launch(i, "vpc-00000000000000001", "subnet-00000000000000001")), entities);

        var done = new TaskCompletionSource<TimeSpan>();
        node.System.ActorOf(Props.Create(() => new Driver(node.Router, entities, messages, inFlight, done)));
        var elapsed = await done.Task;
        Console.WriteLine($"{messages} told queries and replies to {entities} entities in {elapsed.TotalSeconds:F1} s: {BenchNode.PerSecond(messages, elapsed):F0} msg/s");
        return 0;
    }

    private sealed class Driver : ReceiveActor
    {
        public Driver(IEntityRouter router, int entities, int messages, int inFlight, TaskCompletionSource<TimeSpan> done)
        {
            var region = router.RefFor(BenchNode.Kind);
            var query = new EntityQueries.GetState();
            var sent = 0;
            var received = 0;
            var watch = Stopwatch.StartNew();
            void Send()
            {
                region.Tell(router.Envelope($"i-{sent % entities:x17}", query), Self);
                sent++;
            }
            for (var i = 0; i < inFlight && sent < messages; i++)
                Send();
            Receive<EntityReplies.Accepted>(_ =>
            {
                if (++received == messages)
                    done.TrySetResult(watch.Elapsed);
                else if (sent < messages)
                    Send();
            });
        }
    }
}
