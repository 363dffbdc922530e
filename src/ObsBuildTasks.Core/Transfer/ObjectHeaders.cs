using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.Transfer;

/// <summary>The headers fixed when an object is created (Initiate or the single PUT), in the service's dialect.</summary>
internal static class ObjectHeaders
{
    /// <summary>Builds the headers of <paramref name="request"/> with <paramref name="prefix"/> (<c>x-obs-</c> or <c>x-amz-</c>).</summary>
    public static SortedDictionary<string, string> Build(UploadFileRequest request, string prefix)
    {
        var options = request.Headers;
        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = options.ContentType ?? ContentTypes.FromFileName(request.UploadFile),
        };
        AddIfSet(headers, prefix + "acl", options.Acl);
        AddIfSet(headers, prefix + "storage-class", options.StorageClass);
        AddIfSet(headers, prefix + "website-redirect-location", options.WebsiteRedirectLocation);
        AddIfSet(headers, "Expires", options.Expires?.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture));
        foreach (var (name, value) in request.Metadata)
        {
            headers[prefix + "meta-" + name.ToLowerInvariant()] = value;
        }

        foreach (var (name, value) in options.Extra)
        {
            headers[name] = value;
        }

        return headers;
    }

    /// <summary>SHA-256 (hex) of the headers and the part size: what must not change between a run and its resume.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> headers, long partSize)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in headers.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.Append(name.ToLowerInvariant()).Append(':').Append(value).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"part-size:{partSize}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void AddIfSet(SortedDictionary<string, string> headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers[name] = value;
        }
    }
}
