using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.ObsFront;

/// <summary>
/// Signs a request for the store with AWS Signature V4 (<c>UNSIGNED-PAYLOAD</c>, so bodies stream unhashed), the way
/// the store (Swift's s3api) checks it: the canonical URI and query are the decoded path and query encoded again
/// (RFC 3986, query decoded as a form: <c>+</c> is a space); signed are <c>host</c> and every <c>x-amz-*</c> header.
/// </summary>
public sealed class StoreSigner(string accessKeyId, string secretAccessKey, string region)
{
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>Adds <c>x-amz-date</c>, <c>x-amz-content-sha256</c> and <c>Authorization</c> to a request for
    /// <paramref name="target"/> (sent with its <see cref="RequestTarget.StorePath"/> and raw query).</summary>
    public void Sign(HttpRequestMessage request, RequestTarget target, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var timestamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{timestamp[..8]}/{region}/s3/aws4_request";
        request.Headers.TryAddWithoutValidation("x-amz-date", timestamp);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", UnsignedPayload);
        var headers = request.Headers.NonValidated
            .Where(header => header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            .Select(header => (Name: header.Key.ToLowerInvariant(), Value: string.Join(',', header.Value.Select(CollapseWhitespace))))
            .Append((Name: "host", Value: request.RequestUri!.Authority))
            .OrderBy(header => header.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', headers.Select(header => header.Name));
        var canonicalRequest = string.Join('\n',
            request.Method.Method,
            PercentEncoding.Canonicalize(target.StorePath, keepSlash: true),
            CanonicalQuery(target),
            string.Concat(headers.Select(header => $"{header.Name}:{header.Value}\n")),
            signedHeaders,
            UnsignedPayload);
        var stringToSign = $"AWS4-HMAC-SHA256\n{timestamp}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (var part in new[] { timestamp[..8], region, "s3", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    // Sorted by the decoded bytes (the store compares its parsed parameters), then encoded.
    private static string CanonicalQuery(RequestTarget target) => string.Join('&', target.QueryParameters()
        .Select(parameter => (Name: Decode(parameter.Name), Value: Decode(parameter.Value ?? "")))
        .OrderBy(parameter => parameter.Name, StringComparer.Ordinal)
        .ThenBy(parameter => parameter.Value, StringComparer.Ordinal)
        .Select(parameter => Encode(parameter.Name) + "=" + Encode(parameter.Value)));

    // Latin-1 maps each byte to one char, so ordinal order is byte order.
    private static string Decode(string raw) => Encoding.Latin1.GetString(PercentEncoding.Decode(raw, plusIsSpace: true));

    private static string Encode(string latin1) => PercentEncoding.Encode(Encoding.Latin1.GetBytes(latin1), keepSlash: false);

    private static string CollapseWhitespace(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
