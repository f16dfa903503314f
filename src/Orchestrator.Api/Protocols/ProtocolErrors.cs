using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>
/// Which AWS code each protocol family answers generic request problems with. EC2 names the parameter
/// as sent (MissingParameter / InvalidParameterValue / UnknownParameter); Coral query services say
/// ValidationError with the "N validation errors detected" text (RDS: MissingParameter / InvalidParameterValue);
/// JSON and CBOR services say ValidationException, and SerializationException for values of the wrong type.
/// Query-compatible JSON services also carry the query code for x-amzn-query-error.
/// </summary>
public static class ProtocolErrors
{
    private enum Family
    {
        Ec2,
        Query,
        Rds,
        Json,
    }

    private static Family FamilyOf(ServiceModel service, AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Ec2 => Family.Ec2,
        AwsProtocol.Query when service.Name == "rds" => Family.Rds,
        AwsProtocol.Query or AwsProtocol.RestXml => Family.Query,
        _ => Family.Json,
    };

    public static AwsError FromIssues(ServiceModel service, AwsProtocol protocol, IReadOnlyList<InputIssue> issues)
    {
        var error = FromIssues(FamilyOf(service, protocol), issues);
        if (service.Metadata.AwsQueryCompatible && protocol is AwsProtocol.Json or AwsProtocol.RpcV2Cbor)
        {
            return error with { QueryCode = FromIssues(Family.Query, issues).Code };
        }
        return error;
    }

    private static AwsError FromIssues(Family family, IReadOnlyList<InputIssue> issues)
    {
        var first = issues[0];
        switch (family)
        {
            case Family.Ec2 or Family.Rds:
                return first.Kind switch
                {
                    InputIssueKind.Missing => new AwsError("MissingParameter", $"The request must contain the parameter {first.WirePath}"),
                    InputIssueKind.UnknownParameter => new AwsError("UnknownParameter", $"The parameter {first.WirePath} is not recognized"),
                    InputIssueKind.Malformed => new AwsError("InvalidParameterValue", first.Constraint),
                    _ => new AwsError("InvalidParameterValue", $"Value ({first.Value}) for parameter {first.WirePath} is invalid. {first.Constraint}"),
                };
            case Family.Query:
                return first.Kind == InputIssueKind.Malformed
                    ? new AwsError("MalformedQueryString", first.Constraint)
                    : new AwsError("ValidationError", CoralMessage(issues));
            default:
                return first.Kind is InputIssueKind.WrongType or InputIssueKind.Malformed
                    ? new AwsError("SerializationException", first.Constraint)
                    : new AwsError("ValidationException", CoralMessage(issues));
        }
    }

    /// <summary>"2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; ...".</summary>
    public static string CoralMessage(IReadOnlyList<InputIssue> issues)
    {
        var parts = issues.Select(i =>
            $"Value {(i.Value is null ? "null" : $"'{i.Value}'")} at '{i.ModelPath}' failed to satisfy constraint: {i.Constraint}");
        var count = issues.Count == 1 ? "1 validation error" : $"{issues.Count} validation errors";
        return $"{count} detected: {string.Join("; ", parts)}";
    }

    public static AwsError UnknownOperation(ServiceModel? service, AwsProtocol protocol, string operation)
    {
        if (protocol is AwsProtocol.Ec2 or AwsProtocol.Query)
        {
            return new AwsError("InvalidAction", $"The action {operation} is not valid for this web service.");
        }
        var error = new AwsError("UnknownOperationException", $"Operation {operation} is not supported.");
        return service?.Metadata.AwsQueryCompatible == true ? error with { QueryCode = "InvalidAction" } : error;
    }

    /// <summary>Operation known to the model but without a handler yet: a client error (4xx), not a server bug.</summary>
    public static AwsError NotImplemented(ServiceModel service, AwsProtocol protocol, string operation) => protocol switch
    {
        AwsProtocol.Ec2 or AwsProtocol.Query => new AwsError("InvalidAction", $"The action {operation} is not valid for this web service."),
        AwsProtocol.RestXml => new AwsError("NotImplemented", $"The operation {operation} is not implemented by this emulator.", 501),
        _ => UnknownOperation(service, protocol, operation),
    };

    public static AwsError Internal(AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Ec2 => AwsError.Receiver("InternalError", "An internal error has occurred"),
        AwsProtocol.RestXml => AwsError.Receiver("InternalError", "We encountered an internal error. Please try again."),
        _ => AwsError.Receiver("InternalFailure", "The request processing has failed because of an unknown error, exception or failure."),
    };

    public static AwsError MissingAction() => new("MissingAction", "The request must contain the parameter Action");
}
