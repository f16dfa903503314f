using System.Collections.Frozen;
using System.Collections.Immutable;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>An AMI as DescribeImages and launches see it. Recorded images are well-formed ids the catalogue does not know.</summary>
public sealed record MachineImage(
    string ImageId,
    string Name,
    string Description,
    string OwnerId,
    string PlatformDetails,
    string? Platform,
    string Architecture,
    string RootDeviceType,
    string RootDeviceName,
    string VirtualizationType,
    bool IsRecorded = false);

/// <summary>
/// A snapshot of public us-east-1 images (ids as AWS published them in 2022-2024; AWS deprecates
/// old ids, so these stay fixed on purpose). Unknown but well-formed ids launch as generic Linux
/// x86_64, so scripts written against a real account keep working unless strict lookup is asked for.
/// </summary>
public static class AmiCatalogue
{
    public const string AmazonOwnerId = "137112412989";
    public const string CanonicalOwnerId = "099720109477";
    public const string WindowsOwnerId = "801119661308";
    public const string LinuxPlatformDetails = "Linux/UNIX";

    public static ImmutableArray<MachineImage> Images { get; } =
    [
        Linux("ami-0c02fb55956c7d316", "amzn2-ami-kernel-5.10-hvm-2.0.20220606.1-x86_64-gp2",
            "Amazon Linux 2 Kernel 5.10 AMI 2.0.20220606.1 x86_64 HVM gp2", AmazonOwnerId, InstanceTypes.X86, "/dev/xvda"),
        Linux("ami-0453ec754f44f9a4a", "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64",
            "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1", AmazonOwnerId, InstanceTypes.X86, "/dev/xvda"),
        Linux("ami-0ed83e7a78a23014e", "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64",
            "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1", AmazonOwnerId, InstanceTypes.Arm, "/dev/xvda"),
        Linux("ami-005fc0f236362e99f", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240927",
            "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-09-27", CanonicalOwnerId, InstanceTypes.X86, "/dev/sda1"),
        Linux("ami-0e2c8caa4b6378d8c", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119",
            "Canonical, Ubuntu, 24.04, amd64 noble image", CanonicalOwnerId, InstanceTypes.X86, "/dev/sda1"),
        new("ami-0e3c2921641a4a215", "Windows_Server-2022-English-Full-Base-2024.10.09",
            "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon", WindowsOwnerId, "Windows", "windows",
            InstanceTypes.X86, "ebs", "/dev/sda1", "hvm"),
    ];

    private static readonly FrozenDictionary<string, MachineImage> ById = Images.ToFrozenDictionary(image => image.ImageId, StringComparer.Ordinal);

    public static MachineImage? Find(string imageId) => ById.GetValueOrDefault(imageId);

    /// <summary>Malformed ids always fail; well-formed unknown ids fail only when strict, otherwise they are recorded as generic Linux.</summary>
    public static Result<MachineImage> Resolve(string? imageId, bool strict)
    {
        if (!AwsIds.IsWellFormed(imageId, "ami"))
            return Ec2Errors.ImageIdMalformed(imageId ?? "");
        if (Find(imageId!) is { } known)
            return known;
        if (strict)
            return Ec2Errors.ImageNotFound(imageId!);
        return Linux(imageId!, imageId!, "Image recorded by the simulator", AmazonOwnerId, InstanceTypes.X86, "/dev/xvda") with { IsRecorded = true };
    }

    private static MachineImage Linux(string imageId, string name, string description, string ownerId, string architecture, string rootDeviceName) =>
        new(imageId, name, description, ownerId, LinuxPlatformDetails, null, architecture, "ebs", rootDeviceName, "hvm");
}
