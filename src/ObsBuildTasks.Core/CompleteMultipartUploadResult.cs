namespace ObsBuildTasks;

/// <summary>What an upload produced on the server and what the transfer did to get there.</summary>
public sealed class CompleteMultipartUploadResult
{
    /// <summary>The bucket.</summary>
    public required string BucketName { get; init; }

    /// <summary>The object key.</summary>
    public required string ObjectKey { get; init; }

    /// <summary>The full path of the local file that was uploaded.</summary>
    public required string UploadFile { get; init; }

    /// <summary>The object's ETag, unquoted: the MD5 for single-request uploads, <c>md5-of-md5s-N</c> for multipart.</summary>
    public required string ETag { get; init; }

    /// <summary>The version id when the bucket is versioned, otherwise <see langword="null"/>.</summary>
    public string? VersionId { get; init; }

    /// <summary>The object's URL.</summary>
    public required Uri Location { get; init; }

    /// <summary>The request id of the request that completed the upload, for support cases.</summary>
    public string? RequestId { get; init; }

    /// <summary>The size of the uploaded file in bytes.</summary>
    public long Size { get; init; }

    /// <summary>How many parts the object has (1 for a single-request upload).</summary>
    public int PartCount { get; init; }

    /// <summary>Parts sent by this call.</summary>
    public int PartsUploaded { get; init; }

    /// <summary>Parts found on the server from an earlier run and kept.</summary>
    public int PartsReused { get; init; }

    /// <summary>Body bytes sent by this call, retries included.</summary>
    public long BytesSent { get; init; }

    /// <summary>Whether this call continued an upload that an earlier run started.</summary>
    public bool Resumed { get; init; }

    /// <summary>Whether nothing was sent because the stored object already matched the file
    /// (<see cref="UploadFileRequest.SkipUnchanged"/>).</summary>
    public bool Skipped { get; init; }
}
