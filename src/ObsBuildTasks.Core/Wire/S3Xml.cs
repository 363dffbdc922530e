using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ObsBuildTasks.Wire;

/// <summary>Reads and writes the XML documents of the multipart protocol (OBS and S3 share the element names).</summary>
internal static class S3Xml
{
    public static string ParseUploadId(string xml) =>
        Child(Load(xml).Root!, "UploadId") ?? throw new FormatException("InitiateMultipartUploadResult has no UploadId.");

    public static ListPartsPage ParseListParts(string xml)
    {
        var root = Load(xml).Root!;
        var parts = Children(root, "Part").Select(part => new UploadedPart(
            int.Parse(Child(part, "PartNumber")!, CultureInfo.InvariantCulture),
            Unquote(Child(part, "ETag") ?? ""),
            long.Parse(Child(part, "Size")!, CultureInfo.InvariantCulture))).ToList();
        var truncated = string.Equals(Child(root, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);
        var next = int.TryParse(Child(root, "NextPartNumberMarker"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var marker) ? marker : 0;
        return new ListPartsPage(parts, truncated, next);
    }

    public static ListUploadsPage ParseListUploads(string xml)
    {
        var root = Load(xml).Root!;
        var uploads = Children(root, "Upload").Select(upload => new MultipartUploadInfo(
            Child(upload, "Key")!,
            Child(upload, "UploadId")!,
            DateTimeOffset.Parse(Child(upload, "Initiated")!, CultureInfo.InvariantCulture))).ToList();
        var truncated = string.Equals(Child(root, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);
        return new ListUploadsPage(uploads, truncated, Child(root, "NextKeyMarker"), Child(root, "NextUploadIdMarker"));
    }

    /// <summary>The ETag of a CompleteMultipartUploadResult, or <see langword="null"/> when the document is an
    /// <c>Error</c> (services may answer 200 and report the failure in the body).</summary>
    public static string? ParseCompleteETag(string xml)
    {
        var root = Load(xml).Root!;
        return root.Name.LocalName == "Error" ? null : Unquote(Child(root, "ETag") ?? "");
    }

    public static ServiceError? TryParseError(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            var root = Load(xml).Root!;
            return root.Name.LocalName == "Error"
                ? new ServiceError(Child(root, "Code"), Child(root, "Message"), Child(root, "RequestId"))
                : null;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    public static string BuildCompleteBody(IEnumerable<(int PartNumber, string ETag)> parts)
    {
        var builder = new StringBuilder("<CompleteMultipartUpload>");
        foreach (var (number, etag) in parts)
        {
            builder.Append(CultureInfo.InvariantCulture, $"<Part><PartNumber>{number}</PartNumber><ETag>\"{etag}\"</ETag></Part>");
        }

        return builder.Append("</CompleteMultipartUpload>").ToString();
    }

    /// <summary>Removes the quotes around an ETag.</summary>
    public static string Unquote(string etag) => etag.Trim().Trim('"');

    private static XDocument Load(string xml) => XDocument.Parse(xml);

    private static IEnumerable<XElement> Children(XElement parent, string name) =>
        parent.Elements().Where(element => element.Name.LocalName == name);

    private static string? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value;
}
