using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ObsBuildTasks.Wire;

/// <summary>
/// Reads and writes the XML documents of the multipart protocol (OBS and S3 share the element names). Every reader
/// checks what it returns: a document that is not XML, is cut short, or lacks a value the engine relies on is a
/// <see cref="ObsErrorKind.MalformedAnswer"/>, never an unparsed value passed on.
/// </summary>
internal static class S3Xml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = AnswerBody.MaxDocumentBytes,
        IgnoreComments = true,
    };

    /// <summary>The upload id of an InitiateMultipartUploadResult, checked to be a plain token of an upload of
    /// <paramref name="bucketName"/> and <paramref name="key"/> (when the answer names them).</summary>
    public static string ParseUploadId(string operation, byte[] body, string bucketName, string key)
    {
        var root = Parse(operation, body, "InitiateMultipartUploadResult");
        RequireSame(operation, root, "Bucket", bucketName);
        RequireSame(operation, root, "Key", key);
        var uploadId = Required(operation, root, "UploadId");
        return UploadIds.IsValid(uploadId) ? uploadId : throw Malformed(operation, $"the upload id '{SafeText.Printable(uploadId)}' is not a plain token");
    }

    public static ListPartsPage ParseListParts(string operation, byte[] body)
    {
        var root = Parse(operation, body, "ListPartsResult");
        var parts = Children(root, "Part").Select(part => new UploadedPart(
            (int)Number(operation, part, "PartNumber", 1, UploadFileRequest.MaxPartCount),
            ETags.Unquote(Child(part, "ETag") ?? ""),
            Number(operation, part, "Size", 0, long.MaxValue))).ToList();
        var next = Child(root, "NextPartNumberMarker") is { Length: > 0 } ? (int)Number(operation, root, "NextPartNumberMarker", 0, int.MaxValue) : 0;
        return new ListPartsPage(parts, IsTruncated(root), next);
    }

    public static ListUploadsPage ParseListUploads(string operation, byte[] body)
    {
        var root = Parse(operation, body, "ListMultipartUploadsResult");
        var uploads = Children(root, "Upload").Select(upload => new MultipartUploadInfo(
            Required(operation, upload, "Key"),
            Required(operation, upload, "UploadId"),
            DateTimeOffset.TryParse(Required(operation, upload, "Initiated"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var initiated)
                ? initiated
                : throw Malformed(operation, "an Initiated date is not a date"))).ToList();
        return new ListUploadsPage(uploads, IsTruncated(root), Child(root, "NextKeyMarker"), Child(root, "NextUploadIdMarker"));
    }

    public static ObjectListingPage ParseListObjects(string operation, byte[] body)
    {
        var root = Parse(operation, body, "ListBucketResult");
        var objects = Children(root, "Contents").Select(entry => new ListedObject(
            Required(operation, entry, "Key"),
            ETags.Unquote(Child(entry, "ETag") ?? ""),
            Number(operation, entry, "Size", 0, long.MaxValue))).ToList();
        return new ObjectListingPage(objects, IsTruncated(root), Child(root, "NextMarker") is { Length: > 0 } next ? next : null);
    }

    /// <summary>The ETag of a CompleteMultipartUploadResult.</summary>
    public static string ParseComplete(string operation, byte[] body) => ETags.Unquote(Required(operation, Parse(operation, body, "CompleteMultipartUploadResult"), "ETag"));

    /// <summary>The error document of a failed request, or <see langword="null"/> when the body is not one.</summary>
    public static ServiceError? TryParseError(byte[] body)
    {
        try
        {
            var root = Load(body).Root;
            return root?.Name.LocalName == "Error" ? ErrorOf(root) : null;
        }
        catch (XmlException)
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

    /// <summary>The failure for an answer the engine cannot use.</summary>
    public static ObsException Malformed(string operation, string what) =>
        new(operation, ObsErrorKind.MalformedAnswer, $"{operation}: the service's answer cannot be used: {what}.");

    private static ServiceError ErrorOf(XElement root) =>
        new(Child(root, "Code"), Child(root, "Message"), Child(root, "RequestId"), Child(root, "Endpoint"), Child(root, "Region"));

    /// <summary>The root of the answer's document, checked to be <paramref name="rootName"/>: a document of another kind
    /// (say, a bucket listing where the uploads were asked for) lists nothing the engine may rely on.</summary>
    private static XElement Parse(string operation, byte[] body, string rootName)
    {
        if (body.Length == 0)
        {
            throw Malformed(operation, "the answer is empty where an XML document was expected");
        }

        XElement root;
        try
        {
            root = Load(body).Root ?? throw Malformed(operation, "the XML document has no root element");
        }
        catch (XmlException exception)
        {
            throw Malformed(operation, $"it is not a complete XML document ({exception.Message.TrimEnd('.')})");
        }

        return root.Name.LocalName == rootName
            ? root
            : throw Malformed(operation, $"it is a {SafeText.Printable(root.Name.LocalName)} document, not the {rootName} this operation answers with");
    }

    private static XDocument Load(byte[] body)
    {
        using var reader = XmlReader.Create(new MemoryStream(body), Settings);
        return XDocument.Load(reader);
    }

    private static bool IsTruncated(XElement root) => string.Equals(Child(root, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);

    private static long Number(string operation, XElement parent, string name, long min, long max) =>
        long.TryParse(Required(operation, parent, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Malformed(operation, $"{name} is not a number from {min} to {max}");

    private static void RequireSame(string operation, XElement parent, string name, string asked)
    {
        if (Child(parent, name) is { } answered && !string.Equals(answered, asked, StringComparison.Ordinal))
        {
            throw Malformed(operation, $"it is for {name} '{SafeText.Printable(answered)}', not '{SafeText.Printable(asked)}' as asked");
        }
    }

    private static string Required(string operation, XElement parent, string name) =>
        Child(parent, name) is { Length: > 0 } value ? value : throw Malformed(operation, $"{parent.Name.LocalName} has no {name}");

    private static IEnumerable<XElement> Children(XElement parent, string name) =>
        parent.Elements().Where(element => element.Name.LocalName == name);

    private static string? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value;
}
