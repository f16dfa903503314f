using System.Collections.Frozen;
using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>One instance type as DescribeInstanceTypes and the bill see it. All listed types are EBS-only, so they can be stopped.</summary>
public sealed record InstanceTypeInfo(
    string Name,
    int VCpus,
    int MemoryMiB,
    string Architecture,
    string NetworkPerformance,
    decimal OnDemandHourlyUsd);

/// <summary>
/// The instance types the simulator launches: vCPU, memory and network from DescribeInstanceTypes, price from the
/// us-east-1 Linux on-demand list (2024-2025). Other regions are billed at the same price.
/// </summary>
public static class InstanceTypes
{
    public const string X86 = "x86_64";
    public const string Arm = "arm64";

    public static ImmutableArray<InstanceTypeInfo> All { get; } =
    [
        new("t2.nano", 1, 512, X86, "Low to Moderate", 0.0058m),
        new("t2.micro", 1, 1024, X86, "Low to Moderate", 0.0116m),
        new("t2.small", 1, 2048, X86, "Low to Moderate", 0.023m),
        new("t2.medium", 2, 4096, X86, "Low to Moderate", 0.0464m),
        new("t2.large", 2, 8192, X86, "Low to Moderate", 0.0928m),
        new("t2.xlarge", 4, 16384, X86, "Moderate", 0.1856m),
        new("t2.2xlarge", 8, 32768, X86, "Moderate", 0.3712m),

        new("t3.nano", 2, 512, X86, "Up to 5 Gigabit", 0.0052m),
        new("t3.micro", 2, 1024, X86, "Up to 5 Gigabit", 0.0104m),
        new("t3.small", 2, 2048, X86, "Up to 5 Gigabit", 0.0208m),
        new("t3.medium", 2, 4096, X86, "Up to 5 Gigabit", 0.0416m),
        new("t3.large", 2, 8192, X86, "Up to 5 Gigabit", 0.0832m),
        new("t3.xlarge", 4, 16384, X86, "Up to 5 Gigabit", 0.1664m),
        new("t3.2xlarge", 8, 32768, X86, "Up to 5 Gigabit", 0.3328m),

        new("t4g.nano", 2, 512, Arm, "Up to 5 Gigabit", 0.0042m),
        new("t4g.micro", 2, 1024, Arm, "Up to 5 Gigabit", 0.0084m),
        new("t4g.small", 2, 2048, Arm, "Up to 5 Gigabit", 0.0168m),
        new("t4g.medium", 2, 4096, Arm, "Up to 5 Gigabit", 0.0336m),
        new("t4g.large", 2, 8192, Arm, "Up to 5 Gigabit", 0.0672m),
        new("t4g.xlarge", 4, 16384, Arm, "Up to 5 Gigabit", 0.1344m),
        new("t4g.2xlarge", 8, 32768, Arm, "Up to 5 Gigabit", 0.2688m),

        new("m5.large", 2, 8192, X86, "Up to 10 Gigabit", 0.096m),
        new("m5.xlarge", 4, 16384, X86, "Up to 10 Gigabit", 0.192m),
        new("m5.2xlarge", 8, 32768, X86, "Up to 10 Gigabit", 0.384m),
        new("m5.4xlarge", 16, 65536, X86, "Up to 10 Gigabit", 0.768m),

        new("m6i.large", 2, 8192, X86, "Up to 12.5 Gigabit", 0.096m),
        new("m6i.xlarge", 4, 16384, X86, "Up to 12.5 Gigabit", 0.192m),
        new("m6i.2xlarge", 8, 32768, X86, "Up to 12.5 Gigabit", 0.384m),
        new("m6i.4xlarge", 16, 65536, X86, "Up to 12.5 Gigabit", 0.768m),

        new("m6g.large", 2, 8192, Arm, "Up to 10 Gigabit", 0.077m),
        new("m6g.xlarge", 4, 16384, Arm, "Up to 10 Gigabit", 0.154m),
        new("m6g.2xlarge", 8, 32768, Arm, "Up to 10 Gigabit", 0.308m),
        new("m6g.4xlarge", 16, 65536, Arm, "Up to 10 Gigabit", 0.616m),

        new("c5.large", 2, 4096, X86, "Up to 10 Gigabit", 0.085m),
        new("c5.xlarge", 4, 8192, X86, "Up to 10 Gigabit", 0.17m),
        new("c5.2xlarge", 8, 16384, X86, "Up to 10 Gigabit", 0.34m),
        new("c5.4xlarge", 16, 32768, X86, "Up to 10 Gigabit", 0.68m),

        new("c6i.large", 2, 4096, X86, "Up to 12.5 Gigabit", 0.085m),
        new("c6i.xlarge", 4, 8192, X86, "Up to 12.5 Gigabit", 0.17m),
        new("c6i.2xlarge", 8, 16384, X86, "Up to 12.5 Gigabit", 0.34m),
        new("c6i.4xlarge", 16, 32768, X86, "Up to 12.5 Gigabit", 0.68m),

        new("r5.large", 2, 16384, X86, "Up to 10 Gigabit", 0.126m),
        new("r5.xlarge", 4, 32768, X86, "Up to 10 Gigabit", 0.252m),
        new("r5.2xlarge", 8, 65536, X86, "Up to 10 Gigabit", 0.504m),
        new("r5.4xlarge", 16, 131072, X86, "Up to 10 Gigabit", 1.008m),

        new("r6i.large", 2, 16384, X86, "Up to 12.5 Gigabit", 0.126m),
        new("r6i.xlarge", 4, 32768, X86, "Up to 12.5 Gigabit", 0.252m),
        new("r6i.2xlarge", 8, 65536, X86, "Up to 12.5 Gigabit", 0.504m),
        new("r6i.4xlarge", 16, 131072, X86, "Up to 12.5 Gigabit", 1.008m),
    ];

    private static readonly FrozenDictionary<string, InstanceTypeInfo> ByName = All.ToFrozenDictionary(type => type.Name, StringComparer.Ordinal);

    public static InstanceTypeInfo? Find(string? name) => name is not null && ByName.TryGetValue(name, out var type) ? type : null;

    public static Result<InstanceTypeInfo> Resolve(string? name) =>
        Find(name) is { } type ? type : Ec2Errors.InvalidInstanceType(name ?? "");

    /// <summary>RunInstances refuses an AMI built for another architecture than the instance type's.</summary>
    public static Result<InstanceTypeInfo> CheckCompatible(InstanceTypeInfo type, MachineImage image) =>
        type.Architecture == image.Architecture ? type : Ec2Errors.ArchitectureMismatch(type.Architecture, image.Architecture);
}
