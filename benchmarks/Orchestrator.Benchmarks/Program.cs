using System.Diagnostics;
using System.Globalization;
using Orchestrator.Benchmarks;

// Harness for the node-level targets of docs/benchmarks.md. Never part of the tests.
//   dotnet run -c Release --project benchmarks/Orchestrator.Benchmarks -- <scenario> [--name value ...]
// Scenarios: entities (create and recover N instances), events (persisted events per second through
// entities), journal (the SQLite journal alone), tell (messages per second to sharded entities),
// healthchecks (CPU of target health checks), listener (requests through a real listener port),
// alarms (PutMetricData datapoints per second, CPU of evaluating many alarms each minute).
// See docs/benchmarks.md for the commands used.
var scenario = args.Length > 0 ? args[0] : "help";
var options = Options.Parse(args.Skip(1).ToArray());
Console.WriteLine($"# {scenario} {string.Join(' ', args.Skip(1))}  ({Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}, {DateTimeOffset.UtcNow:u})");
var watch = Stopwatch.StartNew();
var code = scenario switch
{
    "entities" => await EntityScenario.Run(options),
    "events" => await EventScenario.Run(options),
    "tell" => await TellScenario.Run(options),
    "journal" => await JournalScenario.Run(options),
    "healthchecks" => await HealthCheckScenario.Run(options),
    "listener" => await ListenerScenario.Run(options),
    "alarms" => await AlarmScenario.Run(options),
    _ => Usage(),
};
Console.WriteLine($"# done in {watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
return code;

static int Usage()
{
    Console.WriteLine("""
        usage: Orchestrator.Benchmarks <scenario> [options]
          entities --count 100000 [--persistence sqlite|postgres|memory] [--connection-string ...] [--in-flight 2000]
          events   --entities 1000 --events 20 [--persistence sqlite|postgres] [--connection-string ...]
          tell     --entities 1000 --messages 1000000 [--in-flight 5000]
          journal  --actors 1000 --events 20 [--journal group-commit,sql]
          healthchecks --groups 100 --targets 100 --window 120 [--settle 5] [--time-scale 1] [--attach lb|direct|none] [--persistence sqlite|memory] [--batch 100] [--in-flight 8]
          alarms   --metrics 1000 --puts 2000 --batch 20 --alarms 10000 --window 120 [--settle 10] [--time-scale 1] [--in-flight 16] [--persistence sqlite|memory]
          listener --connections 32 --duration 30 [--client wrk|internal] [--threads 2] [--time-scale 600] [--instances 4] [--instance-type t3.large] [--offset 18000]
        """);
    return 2;
}
