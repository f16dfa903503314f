using Orchestrator.Actors.AutoScaling;
using Orchestrator.Actors.Chaos;
using Orchestrator.Actors.CloudWatch;
using Orchestrator.Actors.Modules;
using Orchestrator.Actors.Ec2;
using Orchestrator.Actors.Elb;
using Orchestrator.Actors.Logs;
using Orchestrator.Actors.Rds;
using Orchestrator.Actors.Region;
using Orchestrator.Actors.Vpc;

namespace Orchestrator.Node.Hosting;

/// <summary>The modules a node hosts; each new AWS service adds itself here.</summary>
public static class Modules
{
    public static IReadOnlyList<IOrchestratorModule> All(NodeOptions options) => [new RegionModule(), new NodeModule(), new Ec2Module(options.StrictImages), new ElbModule(), new LogsModule(), new CloudWatchModule(), new AutoScalingModule(), new ChaosModule(), new VpcModule(), new RdsModule()];
}
