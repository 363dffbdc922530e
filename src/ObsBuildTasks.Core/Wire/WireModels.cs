namespace ObsBuildTasks.Wire;

/// <summary>A part the server holds for an unfinished multipart upload.</summary>
internal sealed record UploadedPart(int PartNumber, string ETag, long Size);

/// <summary>One page of a ListParts answer.</summary>
internal sealed record ListPartsPage(IReadOnlyList<UploadedPart> Parts, bool IsTruncated, int NextPartNumberMarker);

/// <summary>An unfinished multipart upload in a bucket.</summary>
/// <param name="ObjectKey">The key it will create.</param>
/// <param name="UploadId">Its id.</param>
/// <param name="Initiated">When it was started.</param>
public sealed record MultipartUploadInfo(string ObjectKey, string UploadId, DateTimeOffset Initiated);

/// <summary>One page of a ListMultipartUploads answer.</summary>
internal sealed record ListUploadsPage(IReadOnlyList<MultipartUploadInfo> Uploads, bool IsTruncated, string? NextKeyMarker, string? NextUploadIdMarker);

/// <summary>The error document of a failed request.</summary>
internal sealed record ServiceError(string? Code, string? Message, string? RequestId);

/// <summary>An object's properties from HeadObject.</summary>
/// <param name="ETag">The ETag, unquoted.</param>
/// <param name="ContentLength">The size in bytes.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Metadata">User metadata, names without the <c>x-obs-meta-</c>/<c>x-amz-meta-</c> prefix.</param>
/// <param name="Headers">Every response header, for callers that need more.</param>
public sealed record ObjectProperties(string ETag, long ContentLength, string? ContentType,
    IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, string> Headers);
