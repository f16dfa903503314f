using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Api.Auth;

/// <summary>The parts of a SigV4 signature (from the Authorization header or X-Amz-* query parameters).</summary>
public sealed record SigV4Signature(
    string AccessKeyId,
    string Date,
    string Region,
    string Service,
    IReadOnlyList<string> SignedHeaders,
    string Signature,
    bool Presigned)
{
    public string Scope => $"{Date}/{Region}/{Service}/aws4_request";
}

/// <summary>The request as the client signed it: raw (still percent-encoded) path and query, headers as sent.</summary>
public sealed record SigV4Request(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash);

public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
    public static SigV4Signature? ParseAuthorization(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }
        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }
            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }
        return Build(credential, signedHeaders, signature, presigned: false);
    }

    /// <summary>Parses presigned-URL parameters (X-Amz-Algorithm, X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature).</summary>
    public static SigV4Signature? ParseQuery(Func<string, string?> parameter) =>
        parameter("X-Amz-Algorithm") == Algorithm
            ? Build(parameter("X-Amz-Credential"), parameter("X-Amz-SignedHeaders"), parameter("X-Amz-Signature"), presigned: true)
            : null;

    private static SigV4Signature? Build(string? credential, string? signedHeaders, string? signature, bool presigned)
    {
        // AKID/date/region/service/aws4_request; access key ids never contain '/'.
        var scope = credential?.Split('/');
        if (scope is not { Length: 5 } || scope[4] != "aws4_request")
        {
            return null;
        }
        return new SigV4Signature(
            scope[0], scope[1], scope[2], scope[3],
            (signedHeaders ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries),
            signature ?? "",
            presigned);
    }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Recomputes the signature and compares it in constant time.</summary>
    public static bool Verify(SigV4Request request, SigV4Signature signature, string secretAccessKey) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(ComputeSignature(request, signature, secretAccessKey)),
            Encoding.ASCII.GetBytes(signature.Signature));

    public static string ComputeSignature(SigV4Request request, SigV4Signature signature, string secretAccessKey)
    {
        var amzDate = Header(request, "x-amz-date") ?? QueryValue(request.RawQuery, "X-Amz-Date") ?? "";
        var canonical = CanonicalRequest(request, signature);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{signature.Scope}\n{Sha256Hex(Encoding.UTF8.GetBytes(canonical))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), signature.Date);
        key = Hmac(key, signature.Region);
        key = Hmac(key, signature.Service);
        key = Hmac(key, "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, stringToSign));
    }

    public static string CanonicalRequest(SigV4Request request, SigV4Signature signature)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method.ToUpperInvariant()).Append('\n');
        // S3 signs the path as sent; every other service signs it normalised and encoded once more (botocore _normalize_url_path).
        sb.Append(signature.Service == "s3" ? EmptyToSlash(request.RawPath) : UriEncode(RemoveDotSegments(request.RawPath), encodeSlash: false)).Append('\n');
        sb.Append(CanonicalQuery(request.RawQuery, signature.Presigned)).Append('\n');
        foreach (var name in signature.SignedHeaders)
        {
            var values = request.Headers
                .Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                .Select(h => CollapseSpaces(h.Value.Trim()));
            sb.Append(name.ToLowerInvariant()).Append(':').AppendJoin(',', values).Append('\n');
        }
        sb.Append('\n').AppendJoin(';', signature.SignedHeaders).Append('\n');
        sb.Append(signature.Presigned && Header(request, "x-amz-content-sha256") is null ? UnsignedPayload : request.PayloadHash);
        return sb.ToString();
    }

    private static string CanonicalQuery(string rawQuery, bool presigned)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Unescape(part[(eq + 1)..]);
            if (presigned && key == "X-Amz-Signature")
            {
                continue;
            }
            pairs.Add((UriEncode(key, encodeSlash: true), UriEncode(value, encodeSlash: true)));
        }
        pairs.Sort((a, b) => a.Key != b.Key ? string.CompareOrdinal(a.Key, b.Key) : string.CompareOrdinal(a.Value, b.Value));
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding: unreserved characters stay, everything else is %XX of its UTF-8 bytes.</summary>
    public static string UriEncode(string value, bool encodeSlash)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static string EmptyToSlash(string path) => path.Length == 0 ? "/" : path;

    private static string RemoveDotSegments(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }
        var output = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                if (output.Count > 1)
                {
                    output.RemoveAt(output.Count - 1);
                }
            }
            else if (segment != ".")
            {
                output.Add(segment);
            }
        }
        var result = string.Join('/', output);
        // A trailing "/." or "/.." still names a directory.
        if (path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal))
        {
            result += "/";
        }
        return result.StartsWith('/') ? result : "/" + result;
    }

    private static string CollapseSpaces(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal))
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c != ' ' || sb.Length == 0 || sb[^1] != ' ')
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string? Header(SigV4Request request, string name) =>
        request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? QueryValue(string rawQuery, string name)
    {
        foreach (var part in rawQuery.TrimStart('?').Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Unescape(part[..eq]) == name)
            {
                return Unescape(part[(eq + 1)..]);
            }
        }
        return null;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
