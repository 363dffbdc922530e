using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.Wire.Signing;

/// <summary>
/// AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>) for the <c>s3</c> service, header-based. The payload is not
/// hashed: <c>x-amz-content-sha256</c> is <c>UNSIGNED-PAYLOAD</c> unless the caller already set it.
/// </summary>
/// <remarks>
/// CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash;
/// StringToSign = AWS4-HMAC-SHA256 \n AmzDate \n Scope \n Hex(SHA256(CanonicalRequest));
/// Signature = Hex(HMAC-SHA256(SigningKey, StringToSign)).
/// </remarks>
internal sealed class V4Signer : RequestSigner
{
    /// <summary>The payload-hash value that tells the server the body is not covered by the signature.</summary>
    internal const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Service = "s3";
    private const string ScopeTerminator = "aws4_request";
    private const string AmzDateHeader = "x-amz-date";
    private const string ContentSha256Header = "x-amz-content-sha256";
    private const string SecurityTokenHeader = "x-amz-security-token";

    private readonly string _region;

    /// <summary>Creates a signer for <paramref name="region"/> (for example <c>us-east-1</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="region"/> is null, empty or white space.</exception>
    public V4Signer(string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        _region = region;
    }

    /// <inheritdoc/>
    public override string HeaderPrefix => "x-amz-";

    /// <inheritdoc/>
    /// <remarks>
    /// Sets <c>x-amz-date</c> from <paramref name="timestamp"/>, adds <c>x-amz-content-sha256: UNSIGNED-PAYLOAD</c>
    /// unless present and <c>x-amz-security-token</c> for temporary credentials; every header is then signed.
    /// </remarks>
    public override void Sign(ObsRequest request, SigningCredentials credentials, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);

        request.Headers.Remove(AuthorizationHeader);
        request.Headers[AmzDateHeader] = FormatAmzDate(timestamp);
        request.Headers.TryAdd(ContentSha256Header, UnsignedPayload);
        if (credentials.SecurityToken is { } token)
        {
            request.Headers[SecurityTokenHeader] = token;
        }

        string stringToSign = BuildStringToSign(timestamp, BuildCanonicalRequest(request));
        byte[] signingKey = DeriveSigningKey(credentials.SecretAccessKey, FormatDateStamp(timestamp), _region, Service);
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers[AuthorizationHeader] =
            $"{Algorithm} Credential={credentials.AccessKeyId}/{Scope(timestamp)}, " +
            $"SignedHeaders={BuildSignedHeaders(request)}, Signature={signature}";
    }

    /// <summary>Builds the canonical request from the request as it stands (headers included).</summary>
    internal static string BuildCanonicalRequest(ObsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        var headers = CanonicalHeaders(request);
        var builder = new StringBuilder();
        builder.Append(request.Method.Method).Append('\n')
            .Append(request.Path.Length == 0 ? "/" : request.Path).Append('\n')
            .Append(BuildCanonicalQuery(request)).Append('\n');
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n')
            .Append(JoinNames(headers)).Append('\n')
            .Append(request.Headers.GetValueOrDefault(ContentSha256Header, UnsignedPayload));
        return builder.ToString();
    }

    /// <summary>Builds the string to sign for <paramref name="canonicalRequest"/> at <paramref name="timestamp"/>.</summary>
    internal string BuildStringToSign(DateTimeOffset timestamp, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);

        string canonicalRequestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        return $"{Algorithm}\n{FormatAmzDate(timestamp)}\n{Scope(timestamp)}\n{canonicalRequestHash}";
    }

    /// <summary>
    /// Derives the SigV4 signing key: HMAC chain over <c>"AWS4" + secret</c>, the date stamp (<c>yyyyMMdd</c>), the
    /// region, the service and <c>aws4_request</c>.
    /// </summary>
    internal static byte[] DeriveSigningKey(string secretAccessKey, string dateStamp, string region, string service)
    {
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (string part in new[] { dateStamp, region, service, ScopeTerminator })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return key;
    }

    /// <summary>The <c>SignedHeaders</c> list: lowercased names of <c>host</c> and every request header, sorted.</summary>
    internal static string BuildSignedHeaders(ObsRequest request) => JoinNames(CanonicalHeaders(request));

    private static string BuildCanonicalQuery(ObsRequest request) => string.Join(
        '&',
        request.Query
            .Select(parameter => (Name: UriEncoding.EncodeComponent(parameter.Key), Value: UriEncoding.EncodeComponent(parameter.Value ?? string.Empty)))
            .OrderBy(parameter => parameter.Name, StringComparer.Ordinal)
            .Select(parameter => $"{parameter.Name}={parameter.Value}"));

    private static List<(string Name, string Value)> CanonicalHeaders(ObsRequest request) =>
        request.Headers
            .Select(header => (Name: header.Key.ToLowerInvariant(), Value: NormalizeValue(header.Value)))
            .Append((Name: "host", Value: request.Host))
            .OrderBy(header => header.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Trims the value and collapses each inner run of spaces to one space.</summary>
    private static string NormalizeValue(string value) =>
        string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string JoinNames(List<(string Name, string Value)> headers) =>
        string.Join(';', headers.Select(header => header.Name));

    private string Scope(DateTimeOffset timestamp) => $"{FormatDateStamp(timestamp)}/{_region}/{Service}/{ScopeTerminator}";

    private static string FormatAmzDate(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string FormatDateStamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
