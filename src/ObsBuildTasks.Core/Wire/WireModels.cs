namespace ObsBuildTasks.Wire;

/// <summary>A part the server holds for an unfinished multipart upload; the ETag is unquoted and not yet checked.</summary>
internal sealed record UploadedPart(int PartNumber, string ETag, long Size);

/// <summary>One page of a ListParts answer.</summary>
internal sealed record ListPartsPage(IReadOnlyList<UploadedPart> Parts, bool IsTruncated, int NextPartNumberMarker);

/// <summary>One page of a ListMultipartUploads answer.</summary>
internal sealed record ListUploadsPage(IReadOnlyList<MultipartUploadInfo> Uploads, bool IsTruncated, string? NextKeyMarker, string? NextUploadIdMarker);

/// <summary>An object of a ListObjects answer; the ETag is unquoted and not yet checked.</summary>
internal sealed record ListedObject(string Key, string ETag, long Size);

/// <summary>One page of a ListObjects answer; <paramref name="NextMarker"/> is where the next page starts, when the
/// service names it (without a delimiter S3 leaves it out: the last key is the marker then).</summary>
internal sealed record ObjectListingPage(IReadOnlyList<ListedObject> Objects, bool IsTruncated, string? NextMarker);

/// <summary>The error document of a failed request, with the fields redirects and region errors carry.</summary>
internal sealed record ServiceError(string? Code, string? Message, string? RequestId, string? Endpoint = null, string? Region = null);
