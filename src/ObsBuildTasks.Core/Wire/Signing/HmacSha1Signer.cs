using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.Wire.Signing;

/// <summary>
/// The HMAC-SHA1 header signature shared by Huawei OBS (<c>Authorization: OBS AK:sig</c>, <c>x-obs-*</c> headers) and
/// AWS Signature Version 2 (<c>Authorization: AWS AK:sig</c>, <c>x-amz-*</c> headers). The two differ only in the
/// scheme name and the header prefix, so one class serves both.
/// </summary>
/// <remarks>
/// StringToSign = Verb \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource;
/// the signature is Base64(HMAC-SHA1(SK, UTF-8(StringToSign))).
/// </remarks>
internal sealed class HmacSha1Signer : RequestSigner
{
    private const string DateHeader = "Date";

    /// <summary>Query parameters that are part of the canonicalized resource; all others (paging etc.) are not signed.</summary>
    private static readonly HashSet<string> SignedSubResources = new(StringComparer.Ordinal)
    {
        "acl", "append", "attname", "backtosource", "cors", "customdomain", "delete", "deletebucket",
        "directcoldaccess", "encryption", "inventory", "length", "lifecycle", "location", "logging", "metadata",
        "modify", "name", "notification", "partNumber", "policy", "position", "quota", "rename", "replication",
        "requestPayment", "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires", "restore", "storageClass",
        "storagePolicy", "storageinfo", "tagging", "torrent", "truncate", "uploadId", "uploads", "versionId",
        "versioning", "versions", "website", "x-image-process", "x-oss-process",
    };

    private readonly string _scheme;
    private readonly string _prefixedDateHeader;
    private readonly string _securityTokenHeader;

    private HmacSha1Signer(string scheme, string headerPrefix)
    {
        _scheme = scheme;
        HeaderPrefix = headerPrefix;
        _prefixedDateHeader = headerPrefix + "date";
        _securityTokenHeader = headerPrefix + "security-token";
    }

    /// <summary>Huawei OBS native signing.</summary>
    public static HmacSha1Signer Obs { get; } = new("OBS", "x-obs-");

    /// <summary>AWS Signature Version 2.</summary>
    public static HmacSha1Signer AwsV2 { get; } = new("AWS", "x-amz-");

    /// <inheritdoc/>
    public override string HeaderPrefix { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// Adds <c>Date</c> (RFC 1123, from <paramref name="timestamp"/>) unless a <c>Date</c> or <c>{prefix}date</c>
    /// header is already present, and <c>{prefix}security-token</c> for temporary credentials.
    /// </remarks>
    public override void Sign(ObsRequest request, SigningCredentials credentials, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);

        request.Headers.Remove(AuthorizationHeader);
        AddDateUnlessPresent(request, timestamp);
        if (credentials.SecurityToken is { } token)
        {
            request.Headers[_securityTokenHeader] = token;
        }

        string signature = ComputeSignature(credentials.SecretAccessKey, BuildStringToSign(request));
        request.Headers[AuthorizationHeader] = $"{_scheme} {credentials.AccessKeyId}:{signature}";
    }

    /// <summary>Builds the exact string that is HMAC'd, from the request as it stands.</summary>
    internal string BuildStringToSign(ObsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        var builder = new StringBuilder();
        builder.Append(request.Method.Method).Append('\n')
            .Append(HeaderOrEmpty(request, "Content-MD5")).Append('\n')
            .Append(HeaderOrEmpty(request, "Content-Type")).Append('\n')
            .Append(DateToSign(request)).Append('\n');
        AppendCanonicalizedHeaders(builder, request);
        AppendCanonicalizedResource(builder, request);
        return builder.ToString();
    }

    private void AddDateUnlessPresent(ObsRequest request, DateTimeOffset timestamp)
    {
        if (request.Headers.ContainsKey(DateHeader) || request.Headers.ContainsKey(_prefixedDateHeader))
        {
            return;
        }

        request.Headers[DateHeader] = timestamp.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>Date</c> line is empty when <c>{prefix}date</c> is sent: that header is signed instead.</summary>
    private string DateToSign(ObsRequest request) =>
        request.Headers.ContainsKey(_prefixedDateHeader) ? string.Empty : HeaderOrEmpty(request, DateHeader);

    private void AppendCanonicalizedHeaders(StringBuilder builder, ObsRequest request)
    {
        var headers = request.Headers
            .Where(header => header.Key.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(header => (Name: header.Key.ToLowerInvariant(), Value: header.Value.Trim()))
            .OrderBy(header => header.Name, StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, ObsRequest request)
    {
        builder.Append('/');
        if (request.BucketName is not null)
        {
            builder.Append(request.BucketName).Append('/');
            if (request.ObjectKey is not null)
            {
                builder.Append(UriEncoding.EncodeKey(request.ObjectKey));
            }
        }

        AppendSubResources(builder, request);
    }

    private static void AppendSubResources(StringBuilder builder, ObsRequest request)
    {
        var subResources = request.Query
            .Where(parameter => SignedSubResources.Contains(parameter.Key))
            .OrderBy(parameter => parameter.Key, StringComparer.Ordinal)
            .Select(parameter => string.IsNullOrEmpty(parameter.Value) ? parameter.Key : $"{parameter.Key}={parameter.Value}")
            .ToList();
        if (subResources.Count > 0)
        {
            builder.Append('?').AppendJoin('&', subResources);
        }
    }

    private static string HeaderOrEmpty(ObsRequest request, string name) =>
        request.Headers.TryGetValue(name, out string? value) ? value : string.Empty;

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "HMAC-SHA1 is mandated by the OBS and AWS V2 signature protocols.")]
    private static string ComputeSignature(string secretAccessKey, string stringToSign) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretAccessKey), Encoding.UTF8.GetBytes(stringToSign)));
}
