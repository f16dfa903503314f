using System.Net;
using System.Text.RegularExpressions;

namespace Orchestrator.Node.Tests;

/// <summary>
/// Client mistakes on every EC2 action this node serves: each gets AWS's error code with HTTP 400
/// in the EC2 error envelope, and changes nothing.
/// </summary>
public sealed partial class Ec2BadInputTests(Ec2ApiFixture api) : IClassFixture<Ec2ApiFixture>
{
    private const string Image = Ec2ApiFixture.Image;
    private const string UnknownInstance = "i-0000000000000dead";
    private static readonly string LongValue = new('v', 257);
    private static readonly string OversizedUserData = Convert.ToBase64String(new byte[16 * 1024 + 1]);

    public static TheoryData<string, string> Instances() => new()
    {
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=abc&MaxCount=1", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1", "MissingParameter" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=0&MaxCount=1", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=2&MaxCount=1", "InvalidParameterValue" },
        { "Action=RunInstances&ImageId=ami-xyz&InstanceType=t3.micro&MinCount=1&MaxCount=1", "InvalidAMIID.Malformed" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.gigantic&MinCount=1&MaxCount=1", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&SubnetId=subnet-zz", "InvalidSubnetID.Malformed" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&SubnetId=subnet-0000000000000dead", "InvalidSubnetID.NotFound" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&DisableApiTermination=perhaps", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&InstanceInitiatedShutdownBehavior=explode", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&CreditSpecification.CpuCredits=turbo", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=m5.large&MinCount=1&MaxCount=1&CreditSpecification.CpuCredits=unlimited", "InvalidParameterCombination" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&UserData={OversizedUserData}", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value={LongValue}", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=aws:owner&TagSpecification.1.Tag.1.Value=me", "InvalidParameterValue" },
        { "Action=RunInstances&InstanceType=t3.micro&MinCount=1&MaxCount=1", "MissingParameter" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&Placement.AvailabilityZone=us-east-1z", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&Monitoring.Enabled=often", "InvalidParameterValue" },
        { $"Action=RunInstances&ImageId={Image}&InstanceType=t3.micro&MinCount=1&MaxCount=1&LaunchTemplate.LaunchTemplateId=lt-zz", "InvalidLaunchTemplateId.Malformed" },
        { "Action=DescribeInstances&InstanceId.1=i-xyz", "InvalidInstanceID.Malformed" },
        { $"Action=DescribeInstances&InstanceId.1={UnknownInstance}", "InvalidInstanceID.NotFound" },
        { "Action=DescribeInstances&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
        { "Action=DescribeInstances&MaxResults=3", "InvalidParameterValue" },
        { "Action=DescribeInstances&MaxResults=ten", "InvalidParameterValue" },
        { "Action=DescribeInstances&NextToken=%21%21%21", "InvalidParameterValue" },
        { "Action=StopInstances", "MissingParameter" },
        { "Action=StopInstances&InstanceId.1={id}&Force=maybe", "InvalidParameterValue" },
        { $"Action=StartInstances&InstanceId.1={UnknownInstance}", "InvalidInstanceID.NotFound" },
        { "Action=TerminateInstances&InstanceId.1={id}&InstanceId.2=i-bad", "InvalidInstanceID.Malformed" },
        { "Action=RebootInstances&InstanceId.1=i-zzz", "InvalidInstanceID.Malformed" },
        { "Action=MonitorInstances", "MissingParameter" },
        { "Action=DescribeInstanceStatus&IncludeAllInstances=yes", "InvalidParameterValue" },
        { "Action=DescribeInstanceStatus&Filter.1.Name=health&Filter.1.Value.1=ok", "InvalidParameterValue" },
    };

    public static TheoryData<string, string> Attributes() => new()
    {
        { "Action=ModifyInstanceAttribute&InstanceType.Value=t3.small", "MissingParameter" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}", "MissingParameter" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&Attribute=instanceType", "MissingParameter" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&Attribute=instanceType&Value=t3.small&DisableApiStop.Value=true", "InvalidParameterCombination" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&SourceDestCheck.Value=false&EbsOptimized.Value=true", "InvalidParameterCombination" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&Attribute=disableApiTermination&Value=perhaps", "InvalidInstanceAttributeValue" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&DisableApiStop.Value=perhaps", "InvalidParameterValue" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&Attribute=colour&Value=red", "InvalidParameterValue" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&InstanceType.Value=t3.small", "IncorrectInstanceState" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&UserData.Value=ZWNobw==", "IncorrectInstanceState" },
        { $"Action=ModifyInstanceAttribute&InstanceId={{id}}&UserData.Value={OversizedUserData}", "InvalidParameterValue" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&InstanceInitiatedShutdownBehavior.Value=hibernate", "InvalidInstanceAttributeValue" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&GroupId.1=default", "InvalidGroupId.Malformed" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&Kernel.Value=aki-12345678", "UnsupportedOperation" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&BlockDeviceMapping.1.DeviceName=/dev/xvda&BlockDeviceMapping.1.Ebs.DeleteOnTermination=false", "UnsupportedOperation" },
        { "Action=ModifyInstanceAttribute&InstanceId={id}&UserData.Value=%21%21not-base64%21%21", "InvalidParameterValue" },
        { "Action=ModifyInstanceAttribute&InstanceId=i-bad&SourceDestCheck.Value=false", "InvalidInstanceID.Malformed" },
        { $"Action=ModifyInstanceAttribute&InstanceId={UnknownInstance}&SourceDestCheck.Value=false", "InvalidInstanceID.NotFound" },
        { "Action=DescribeInstanceAttribute&InstanceId={id}", "MissingParameter" },
        { "Action=DescribeInstanceAttribute&InstanceId={id}&Attribute=colour", "InvalidParameterValue" },
        { "Action=DescribeInstanceAttribute&InstanceId=i-bad&Attribute=instanceType", "InvalidInstanceID.Malformed" },
        { "Action=DescribeInstanceCreditSpecifications&InstanceId.1=i-bad", "InvalidInstanceID.Malformed" },
        { "Action=DescribeInstanceCreditSpecifications&Filter.1.Name=cpu-credits&Filter.1.Value.1=x", "InvalidParameterValue" },
        { "Action=ModifyInstanceCreditSpecification", "MissingParameter" },
        { "Action=ModifyInstanceCreditSpecification&InstanceCreditSpecification.1.InstanceId={id}&InstanceCreditSpecification.1.CpuCredits=turbo", "InvalidParameterValue" },
        { "Action=DescribeAccountAttributes&AttributeName.1=colour", "InvalidParameterValue" },
        { "Action=DescribeNetworkInterfaces&NetworkInterfaceId.1=eni-zz", "InvalidNetworkInterfaceID.Malformed" },
        { "Action=DescribeNetworkInterfaces&NetworkInterfaceId.1=eni-0000000000000dead", "InvalidNetworkInterfaceID.NotFound" },
        { "Action=DescribeNetworkInterfaces&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
        { "Action=DescribeNetworkInterfaces&MaxResults=1", "InvalidParameterValue" },
    };

    public static TheoryData<string, string> Networks() => new()
    {
        { "Action=CreateVpc", "MissingParameter" },
        { "Action=CreateVpc&CidrBlock=banana", "InvalidParameterValue" },
        { "Action=CreateVpc&CidrBlock=10.0.0.0/8", "InvalidVpc.Range" },
        { $"Action=CreateVpc&CidrBlock=10.9.0.0/16&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value={LongValue}", "InvalidParameterValue" },
        { "Action=CreateSubnet&CidrBlock=10.0.1.0/24", "MissingParameter" },
        { "Action=CreateSubnet&VpcId=vpc-zz&CidrBlock=10.0.1.0/24", "InvalidVpcID.Malformed" },
        { "Action=CreateSubnet&VpcId=vpc-0000000000000dead&CidrBlock=10.0.1.0/24", "InvalidVpcID.NotFound" },
        { "Action=DeleteVpc&VpcId=vpc-zz", "InvalidVpcID.Malformed" },
        { "Action=DeleteVpc", "MissingParameter" },
        { "Action=DeleteSubnet&SubnetId=subnet-zz", "InvalidSubnetID.Malformed" },
        { "Action=DeleteSubnet&SubnetId=subnet-0000000000000dead", "InvalidSubnetID.NotFound" },
        { "Action=DescribeVpcs&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
        { "Action=DescribeVpcs&VpcId.1=vpc-zz", "InvalidVpcID.Malformed" },
        { "Action=DescribeSubnets&SubnetId.1=subnet-0000000000000dead", "InvalidSubnetID.NotFound" },
        { "Action=DescribeSubnets&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
    };

    public static TheoryData<string, string> TemplatesAndCatalogues() => new()
    {
        { "Action=CreateLaunchTemplate&LaunchTemplateData.ImageId=ami-0c02fb55956c7d316", "MissingParameter" },
        { "Action=CreateLaunchTemplate&LaunchTemplateName=x&LaunchTemplateData.ImageId=ami-0c02fb55956c7d316", "InvalidParameterValue" },
        { "Action=CreateLaunchTemplate&LaunchTemplateName=bad%20name%21&LaunchTemplateData.ImageId=ami-0c02fb55956c7d316", "InvalidLaunchTemplateName.MalformedException" },
        { "Action=CreateLaunchTemplate&LaunchTemplateName=fixture&LaunchTemplateData.ImageId=ami-0c02fb55956c7d316", "InvalidLaunchTemplateName.AlreadyExistsException" },
        { $"Action=CreateLaunchTemplate&LaunchTemplateName=long-tags&LaunchTemplateData.TagSpecification.1.ResourceType=instance&LaunchTemplateData.TagSpecification.1.Tag.1.Key=k&LaunchTemplateData.TagSpecification.1.Tag.1.Value={LongValue}", "InvalidParameterValue" },
        { "Action=CreateLaunchTemplateVersion&LaunchTemplateData.InstanceType=t3.small", "MissingParameter" },
        { "Action=CreateLaunchTemplateVersion&LaunchTemplateId={lt}&SourceVersion=99&LaunchTemplateData.InstanceType=t3.small", "InvalidLaunchTemplateId.VersionNotFound" },
        { "Action=DescribeLaunchTemplates&LaunchTemplateId.1=lt-zz", "InvalidLaunchTemplateId.Malformed" },
        { "Action=DescribeLaunchTemplates&LaunchTemplateId.1=lt-0000000000000dead", "InvalidLaunchTemplateId.NotFound" },
        { "Action=DescribeLaunchTemplates&MaxResults=0", "InvalidParameterValue" },
        { "Action=DescribeLaunchTemplateVersions&LaunchTemplateName=nope", "InvalidLaunchTemplateName.NotFoundException" },
        { "Action=ModifyLaunchTemplate&LaunchTemplateId={lt}&SetDefaultVersion=7", "InvalidLaunchTemplateId.VersionNotFound" },
        { "Action=DeleteLaunchTemplate&LaunchTemplateId=lt-0000000000000dead", "InvalidLaunchTemplateId.NotFound" },
        { "Action=DescribeImages&ImageId.1=ami-zz", "InvalidAMIID.Malformed" },
        { "Action=DescribeImages&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
        { "Action=DescribeInstanceTypes&InstanceType.1=t3.gigantic", "InvalidParameterValue" },
        { "Action=DescribeInstanceTypes&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
        { "Action=DescribeAvailabilityZones&Filter.1.Name=colour&Filter.1.Value.1=red", "InvalidParameterValue" },
        { "Action=DescribeAvailabilityZones&ZoneName.1=us-east-1z", "InvalidParameterValue" },
        { "Action=DescribeAvailabilityZones&AllAvailabilityZones=sometimes", "InvalidParameterValue" },
        { "Action=DescribeUnicorns", "InvalidAction" },
        { "Action=describeinstances", "InvalidAction" },
        { "Action=RunInstances&ImageId=ami-0c02fb55956c7d316&MinCount=1&MaxCount=1&Colour=red", "UnknownParameter" },
    };

    [Theory]
    [MemberData(nameof(Instances))]
    [MemberData(nameof(Attributes))]
    [MemberData(nameof(Networks))]
    [MemberData(nameof(TemplatesAndCatalogues))]
    public async Task Refused_with_the_AWS_code_and_nothing_changes(string body, string code)
    {
        var before = await api.Snapshot();

        var (status, text) = await api.Send(body.Replace("{id}", api.InstanceId, StringComparison.Ordinal).Replace("{lt}", api.LaunchTemplateId, StringComparison.Ordinal));

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {text}");
        Assert.Equal(code, ErrorCode().Match(text).Groups[1].Value);
        Assert.Contains("<RequestID>", text, StringComparison.Ordinal);
        Assert.Equal(before, await api.Snapshot());
    }

    [GeneratedRegex("<Response><Errors><Error><Code>([^<]*)</Code>")]
    private static partial Regex ErrorCode();
}
