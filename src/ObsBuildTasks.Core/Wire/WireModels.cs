namespace ObsBuildTasks.Wire;

/// <summary>A part the server holds for an unfinished multipart upload; the ETag is unquoted and not yet checked.</summary>
internal sealed record UploadedPart(int PartNumber, string ETag, long Size);

/// <summary>One page of a ListParts answer.</summary>
internal sealed record ListPartsPage(IReadOnlyList<UploadedPart> Parts, bool IsTruncated, int NextPartNumberMarker);

/// <summary>One page of a ListMultipartUploads answer.</summary>
internal sealed record ListUploadsPage(IReadOnlyList<MultipartUploadInfo> Uploads, bool IsTruncated, string? NextKeyMarker, string? NextUploadIdMarker);

/// <summary>The error document of a failed request, with the fields redirects and region errors carry.</summary>
internal sealed record ServiceError(string? Code, string? Message, string? RequestId, string? Endpoint = null, string? Region = null);
