using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using Orchestrator.Api.Handlers;
using Orchestrator.Api.Models;

namespace Orchestrator.Api.Protocols;

/// <summary>XML bodies of the EC2, query and rest-xml protocols, written from an output tree and its shape.</summary>
public static class XmlEncoder
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false };

    /// <summary>The model's xmlNamespace with the trailing slash real responses carry (EC2's model omits it).</summary>
    public static string Namespace(ServiceModel service)
    {
        var ns = service.Metadata.XmlNamespace ?? $"http://{service.Metadata.EndpointPrefix}.amazonaws.com/doc/{service.Metadata.ApiVersion}/";
        return ns.EndsWith('/') ? ns : ns + "/";
    }

    public static byte[] Ec2Response(ServiceModel service, OperationModel operation, JsonObject output, string requestId) =>
        Write(w =>
        {
            w.WriteStartElement(operation.Name + "Response", Namespace(service));
            w.WriteElementString("requestId", requestId);
            if (operation.Output is { } shape)
            {
                WriteMembers(w, output, shape);
            }
            w.WriteEndElement();
        });

    public static byte[] QueryResponse(ServiceModel service, OperationModel operation, JsonObject output, string requestId) =>
        Write(w =>
        {
            w.WriteStartElement(operation.Name + "Response", Namespace(service));
            if (operation.Output is { } shape)
            {
                w.WriteStartElement(operation.ResultWrapper ?? operation.Name + "Result");
                WriteMembers(w, output, shape);
                w.WriteEndElement();
            }
            w.WriteStartElement("ResponseMetadata");
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
            w.WriteEndElement();
        });

    /// <summary>rest-xml body: the payload members inside an element named after the shape (or its locationName).</summary>
    public static byte[] RestXmlBody(ServiceModel service, string rootName, JsonObject body, Shape shape) =>
        Write(w =>
        {
            w.WriteStartElement(rootName, Namespace(service));
            WriteMembers(w, body, shape);
            w.WriteEndElement();
        });

    public static byte[] Ec2Error(AwsError error, string requestId) =>
        Write(w =>
        {
            w.WriteStartElement("Response");
            w.WriteStartElement("Errors");
            w.WriteStartElement("Error");
            w.WriteElementString("Code", error.Code);
            w.WriteElementString("Message", error.Message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("RequestID", requestId);
            w.WriteEndElement();
        });

    public static byte[] QueryError(ServiceModel? service, AwsError error, string requestId) =>
        Write(w =>
        {
            w.WriteStartElement("ErrorResponse", service is null ? "" : Namespace(service));
            w.WriteStartElement("Error");
            w.WriteElementString("Type", error.Sender ? "Sender" : "Receiver");
            w.WriteElementString("Code", error.Code);
            w.WriteElementString("Message", error.Message);
            w.WriteEndElement();
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
        });

    public static byte[] RestXmlError(AwsError error, string requestId) =>
        Write(w =>
        {
            w.WriteStartElement("Error");
            w.WriteElementString("Code", error.Code);
            w.WriteElementString("Message", error.Message);
            w.WriteElementString("RequestId", requestId);
            w.WriteElementString("HostId", requestId);
            w.WriteEndElement();
        });

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, Settings))
        {
            w.WriteStartDocument();
            body(w);
            w.WriteEndDocument();
        }
        return stream.ToArray();
    }

    private static void WriteMembers(XmlWriter w, JsonObject obj, Shape shape)
    {
        foreach (var (name, _) in obj)
        {
            if (!shape.Members.ContainsKey(name))
            {
                throw new InvalidOperationException($"Output member {shape.Name}.{name} is not in the model.");
            }
        }
        // XML attributes must precede child elements.
        foreach (var (name, member) in shape.Members)
        {
            if (member.XmlAttribute && obj[name] is { } value)
            {
                w.WriteAttributeString(member.LocationName ?? name, ValueTree.ScalarText(value, member, ValueTree.Iso8601));
            }
        }
        foreach (var (name, member) in shape.Members)
        {
            if (!member.XmlAttribute && member.Location is null && obj[name] is { } value)
            {
                WriteMember(w, member.LocationName ?? name, value, member);
            }
        }
    }

    private static void WriteMember(XmlWriter w, string elementName, JsonNode value, MemberRef member)
    {
        var shape = member.Shape;
        switch (shape.Kind)
        {
            case ShapeKind.Structure:
                w.WriteStartElement(elementName);
                WriteMembers(w, value.AsObject(), shape);
                w.WriteEndElement();
                break;
            case ShapeKind.List:
                var element = shape.Member!;
                if (member.Flattened)
                {
                    foreach (var item in value.AsArray().OfType<JsonNode>())
                    {
                        WriteMember(w, element.LocationName ?? elementName, item, element);
                    }
                }
                else
                {
                    w.WriteStartElement(elementName);
                    foreach (var item in value.AsArray().OfType<JsonNode>())
                    {
                        WriteMember(w, element.LocationName ?? "member", item, element);
                    }
                    w.WriteEndElement();
                }
                break;
            case ShapeKind.Map:
                if (!member.Flattened)
                {
                    w.WriteStartElement(elementName);
                }
                foreach (var (key, entry) in value.AsObject())
                {
                    w.WriteStartElement(member.Flattened ? elementName : "entry");
                    w.WriteElementString(shape.Key!.LocationName ?? "key", key);
                    if (entry is not null)
                    {
                        WriteMember(w, shape.Value!.LocationName ?? "value", entry, shape.Value);
                    }
                    w.WriteEndElement();
                }
                if (!member.Flattened)
                {
                    w.WriteEndElement();
                }
                break;
            default:
                w.WriteElementString(elementName, ValueTree.ScalarText(value, member, ValueTree.Iso8601));
                break;
        }
    }
}
