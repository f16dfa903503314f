using System.Security.Cryptography;
using System.Text;
using Orchestrator.Domain.Common;

namespace Orchestrator.Domain.Ec2;

/// <summary>InstanceInitiatedShutdownBehavior: what a shutdown from inside the instance does.</summary>
public static class ShutdownBehaviors
{
    public const string Stop = "stop";
    public const string Terminate = "terminate";

    public static bool IsValid(string? value) => value is Stop or Terminate;
}

/// <summary>Each instance has one primary network interface (device index 0), created and deleted with it.</summary>
public static class NetworkInterfaces
{
    /// <summary>eni- and 17 hex characters of a hash of the instance id: the same instance always gets the same id.</summary>
    public static string DerivedId(string instanceId) =>
        "eni-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(instanceId)))[..AwsIds.HexLength];
}

/// <summary>CPU credit options of burstable types: T2 launches standard, T3, T3a and T4g launch unlimited.</summary>
public static class CreditSpecifications
{
    public const string Standard = "standard";
    public const string Unlimited = "unlimited";

    public static string? DefaultFor(string instanceType) => instanceType.Split('.')[0] switch
    {
        "t2" => Standard,
        "t3" or "t3a" or "t4g" => Unlimited,
        _ => null,
    };

    public static bool IsBurstable(string instanceType) => DefaultFor(instanceType) is not null;

    public static bool IsValid(string? value) => value is Standard or Unlimited;

    public static AwsError InvalidValue(string? value) =>
        AwsError.InvalidParameterValue($"Value ({value}) for parameter cpuCredits is invalid. Expecting one of: standard, unlimited.");

    public static AwsError NotSupported(string instanceId) =>
        new("InstanceCreditSpecification.NotSupported", $"The instance '{instanceId}' does not support the requested credit specification; it is not a burstable performance instance.");
}

/// <summary>Limits of instance attributes as RunInstances and ModifyInstanceAttribute enforce them.</summary>
public static class InstanceLimits
{
    /// <summary>User data is limited to 16 KB before base64 encoding.</summary>
    public const int MaxUserDataBytes = 16 * 1024;

    /// <summary>RunInstances' checks of the attributes it sets, made before any address is allocated.</summary>
    public static AwsError? CheckLaunch(string instanceType, string? shutdownBehavior, string? userData, string? cpuCredits)
    {
        if (shutdownBehavior is not null && !ShutdownBehaviors.IsValid(shutdownBehavior))
            return AwsError.InvalidParameterValue($"Value ({shutdownBehavior}) for parameter instanceInitiatedShutdownBehavior is invalid. Expecting one of: stop, terminate.");
        if (CheckUserData(userData) is { } userDataError)
            return userDataError;
        if (cpuCredits is null)
            return null;
        if (!CreditSpecifications.IsValid(cpuCredits))
            return CreditSpecifications.InvalidValue(cpuCredits);
        return CreditSpecifications.IsBurstable(instanceType)
            ? null
            : AwsError.InvalidParameterCombination($"The parameter creditSpecification is not supported for instance type {instanceType}.");
    }

    /// <summary>UserData arrives base64-encoded; the limit applies to the decoded bytes.</summary>
    public static AwsError? CheckUserData(string? base64)
    {
        if (base64 is null)
            return null;
        var decoded = TryDecodedLength(base64);
        return decoded > MaxUserDataBytes
            ? AwsError.InvalidParameterValue($"User data is limited to {MaxUserDataBytes} bytes")
            : null;
    }

    private static int TryDecodedLength(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? written : Encoding.UTF8.GetByteCount(base64);
    }
}
