using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ObsBuildTasks.ObsFront;

/// <summary>
/// The OBS header signature (<c>Authorization: OBS AK:Base64(HMAC-SHA1(SK, StringToSign))</c>), built from a request as
/// received. StringToSign = verb, <c>Content-MD5</c>, <c>Content-Type</c>, <c>Date</c> (empty when <c>x-obs-date</c>
/// is sent), one line per <c>x-obs-*</c> header (name lowercased, sorted, values trimmed and comma-joined), then the
/// canonical resource.
/// </summary>
public static class ObsStringToSign
{
    /// <summary>Header prefix of the OBS protocol.</summary>
    public const string HeaderPrefix = "x-obs-";

    /// <summary>The query parameters that are part of the signed resource (compared ignoring case, as the SDKs do);
    /// paging and listing parameters such as <c>max-parts</c>, <c>part-number-marker</c> or <c>prefix</c> are not.</summary>
    private static readonly FrozenSet<string> SignedSubResources = new[]
    {
        "acl", "append", "attname", "backtosource", "cors", "customdomain", "delete", "deletebucket", "directcoldaccess",
        "encryption", "inventory", "length", "lifecycle", "location", "logging", "metadata", "modify", "name", "notification",
        "object-lock", "partNumber", "policy", "position", "quota", "rename", "replication", "requestPayment",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "retention", "storageClass", "storageinfo", "storagePolicy",
        "tagging", "torrent", "truncate", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
        "x-image-process", "x-image-save-bucket", "x-image-save-object", "x-obs-security-token", "x-oss-process",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The StringToSign of a request.</summary>
    public static string Build(string method, RequestTarget target, IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(headers);
        var text = new StringBuilder()
            .Append(method).Append('\n')
            .Append(headers["Content-MD5"].ToString()).Append('\n')
            .Append(headers.ContentType.ToString()).Append('\n')
            .Append(headers.ContainsKey(HeaderPrefix + "date") ? "" : headers.Date.ToString()).Append('\n');
        var obsHeaders = headers
            .Where(header => header.Key.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(header => (Name: header.Key.ToLowerInvariant(), Value: string.Join(',', header.Value.Select(value => value?.Trim()))))
            .OrderBy(header => header.Name, StringComparer.Ordinal);
        foreach (var (name, value) in obsHeaders)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        return text.Append(CanonicalResource(target)).ToString();
    }

    /// <summary>
    /// <c>/{bucket}/{key}</c> with the key in canonical percent-encoding (decoded from the request line and encoded
    /// again, keeping <c>/</c> and the unreserved characters), then <c>?</c> and the signed sub-resources sorted by
    /// name, as <c>name</c> or <c>name=value</c> with decoded values.
    /// </summary>
    public static string CanonicalResource(RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var resource = (target.VirtualHosted ? "/" + target.Bucket : "") + PercentEncoding.Canonicalize(target.RawPath, keepSlash: true);
        var subResources = target.QueryParameters()
            .Select(parameter => (Name: PercentEncoding.DecodeToString(parameter.Name),
                Value: parameter.Value is null ? "" : PercentEncoding.DecodeToString(parameter.Value)))
            .Where(parameter => SignedSubResources.Contains(parameter.Name))
            .OrderBy(parameter => parameter.Name, StringComparer.Ordinal)
            .ThenBy(parameter => parameter.Value, StringComparer.Ordinal)
            .Select(parameter => parameter.Value.Length == 0 ? parameter.Name : parameter.Name + "=" + parameter.Value)
            .ToList();
        return subResources.Count == 0 ? resource : resource + "?" + string.Join('&', subResources);
    }

    /// <summary>Base64(HMAC-SHA1(secret, UTF-8(stringToSign))).</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "HMAC-SHA1 is mandated by the OBS signature.")]
    public static string Sign(string stringToSign, string secretAccessKey) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretAccessKey), Encoding.UTF8.GetBytes(stringToSign)));
}
