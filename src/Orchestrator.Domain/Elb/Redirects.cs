using System.Globalization;

namespace Orchestrator.Domain.Elb;

/// <summary>
/// The Location of a redirect action: each component is the configured text with the placeholders
/// #{protocol}, #{host}, #{port}, #{path} (without its leading slash) and #{query} replaced by the
/// request's; components left unset keep the request's own. Default ports are left out of the URL.
/// </summary>
public static class Redirects
{
    public static string Location(RedirectConfig redirect, string listenerProtocol, int listenerPort, ListenerRequest request)
    {
        var query = string.Join('&', request.Query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var port = listenerPort.ToString(CultureInfo.InvariantCulture);
        string Fill(string? configured, string placeholderDefault) => (configured ?? placeholderDefault)
            .Replace("#{protocol}", listenerProtocol, StringComparison.Ordinal)
            .Replace("#{host}", request.Host, StringComparison.Ordinal)
            .Replace("#{port}", port, StringComparison.Ordinal)
            .Replace("#{path}", request.Path.TrimStart('/'), StringComparison.Ordinal)
            .Replace("#{query}", query, StringComparison.Ordinal);
        var protocol = Fill(redirect.Protocol, "#{protocol}").ToLowerInvariant();
        var targetPort = Fill(redirect.Port, "#{port}");
        var isDefaultPort = (protocol, targetPort) is ("http", "80") or ("https", "443");
        var path = Fill(redirect.Path, "/#{path}");
        var targetQuery = Fill(redirect.Query, "#{query}");
        return $"{protocol}://{Fill(redirect.Host, "#{host}")}{(isDefaultPort ? "" : ":" + targetPort)}{path}{(targetQuery.Length > 0 ? "?" + targetQuery : "")}";
    }
}
