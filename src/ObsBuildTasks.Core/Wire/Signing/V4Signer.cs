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

        var headers = CanonicalHeaders(request);
        string stringToSign = BuildStringToSign(timestamp, BuildCanonicalRequest(request, headers));
        byte[] signingKey = DeriveSigningKey(credentials.SecretAccessKey, FormatDateStamp(timestamp), _region, Service);
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = new StringBuilder(256)
            .Append(Algorithm).Append(" Credential=").Append(credentials.AccessKeyId).Append('/').Append(Scope(timestamp))
            .Append(", SignedHeaders=");
        AppendNames(authorization, headers);
        request.Headers[AuthorizationHeader] = authorization.Append(", Signature=").Append(signature).ToString();
    }

    /// <summary>Builds the canonical request from the request as it stands (headers included).</summary>
    internal static string BuildCanonicalRequest(ObsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        return BuildCanonicalRequest(request, CanonicalHeaders(request));
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
    internal static string BuildSignedHeaders(ObsRequest request) => AppendNames(new StringBuilder(), CanonicalHeaders(request)).ToString();

    /// <summary>The canonical request, built with one builder from the <paramref name="headers"/> already made canonical
    /// (the request path of every attempt of every part comes here, so nothing is allocated per header or parameter that
    /// is not part of the result).</summary>
    private static string BuildCanonicalRequest(ObsRequest request, CanonicalHeaderList headers)
    {
        var builder = new StringBuilder(512);
        builder.Append(request.Method.Method).Append('\n')
            .Append(request.Path.Length == 0 ? "/" : request.Path).Append('\n');
        AppendCanonicalQuery(builder, request);
        builder.Append('\n');
        for (var index = 0; index < headers.Names.Length; index++)
        {
            builder.Append(headers.Names[index]).Append(':').Append(headers.Values[index]).Append('\n');
        }

        builder.Append('\n');
        AppendNames(builder, headers).Append('\n')
            .Append(request.Headers.GetValueOrDefault(ContentSha256Header, UnsignedPayload));
        return builder.ToString();
    }

    /// <summary>Appends the query's encoded parameters, sorted by encoded name, as <c>name=value</c> joined by <c>&amp;</c>.</summary>
    private static void AppendCanonicalQuery(StringBuilder builder, ObsRequest request)
    {
        var count = request.Query.Count;
        if (count == 0)
        {
            return;
        }

        var names = new string[count];
        var values = new string[count];
        var index = 0;
        foreach (var (name, value) in request.Query)
        {
            names[index] = UriEncoding.EncodeComponent(name);
            values[index] = UriEncoding.EncodeComponent(value ?? string.Empty);
            index++;
        }

        // Encoding can change the order (the query is sorted by raw names); the encoded names are as distinct as the raw ones.
        Array.Sort(names, values, StringComparer.Ordinal);
        for (index = 0; index < count; index++)
        {
            builder.Append(index == 0 ? "" : "&").Append(names[index]).Append('=').Append(values[index]);
        }
    }

    /// <summary>Every request header with its name lowercased and its value normalized, plus <c>host</c>, sorted by name.</summary>
    private static CanonicalHeaderList CanonicalHeaders(ObsRequest request)
    {
        var names = new string[request.Headers.Count + 1];
        var values = new string[names.Length];
        var index = 0;
        foreach (var (name, value) in request.Headers)
        {
            names[index] = name.ToLowerInvariant();
            values[index] = NormalizeValue(value);
            index++;
        }

        names[index] = "host";
        values[index] = request.Host;
        // Header names are distinct ignoring case (the request's headers are keyed so), and so once lowercased.
        Array.Sort(names, values, StringComparer.Ordinal);
        return new CanonicalHeaderList(names, values);
    }

    /// <summary>Trims the value and collapses each inner run of spaces to one space. A value that is already so (the usual
    /// case) is returned as it is.</summary>
    private static string NormalizeValue(string value) =>
        IsNormalized(value) ? value : string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Whether splitting <paramref name="value"/> at spaces, trimming each piece and joining the non-empty ones with
    /// one space would give it back: its only white space is single spaces between other characters.</summary>
    private static bool IsNormalized(string value)
    {
        for (var index = 0; index < value.Length; index++)
        {
            if (char.IsWhiteSpace(value[index])
                && (value[index] != ' ' || index == 0 || index == value.Length - 1 || char.IsWhiteSpace(value[index - 1]) || char.IsWhiteSpace(value[index + 1])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends the header names joined by <c>;</c>.</summary>
    private static StringBuilder AppendNames(StringBuilder builder, CanonicalHeaderList headers)
    {
        for (var index = 0; index < headers.Names.Length; index++)
        {
            builder.Append(index == 0 ? "" : ";").Append(headers.Names[index]);
        }

        return builder;
    }

    private string Scope(DateTimeOffset timestamp) => $"{FormatDateStamp(timestamp)}/{_region}/{Service}/{ScopeTerminator}";

    /// <summary><c>yyyyMMdd'T'HHmmss'Z'</c> in UTC. Composed from numbers rather than with a custom date format, whose
    /// large formatting routine every request would otherwise make hot enough to be compiled again.</summary>
    private static string FormatAmzDate(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{utc.Year:D4}{utc.Month:D2}{utc.Day:D2}T{utc.Hour:D2}{utc.Minute:D2}{utc.Second:D2}Z");
    }

    /// <summary><c>yyyyMMdd</c> in UTC.</summary>
    private static string FormatDateStamp(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{utc.Year:D4}{utc.Month:D2}{utc.Day:D2}");
    }

    /// <summary>Canonical header names and their values, in the same order.</summary>
    private readonly record struct CanonicalHeaderList(string[] Names, string[] Values);
}
