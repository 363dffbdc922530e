using Cake.Core.IO;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>One uploaded file: where it went, what the server answered and what the transfer did.</summary>
public sealed class ObsUploadResult
{
    private ObsUploadResult(FilePath file, CompleteMultipartUploadResult result)
    {
        File = file;
        Bucket = result.BucketName;
        ObjectKey = result.ObjectKey;
        ETag = result.ETag;
        VersionId = result.VersionId;
        Url = result.Location;
        RequestId = result.RequestId;
        Size = result.Size;
        PartCount = result.PartCount;
        PartsUploaded = result.PartsUploaded;
        PartsReused = result.PartsReused;
        BytesSent = result.BytesSent;
        Resumed = result.Resumed;
        Skipped = result.Skipped;
    }

    /// <summary>The local file (absolute).</summary>
    public FilePath File { get; }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The object key.</summary>
    public string ObjectKey { get; }

    /// <summary>The object's ETag, unquoted: the MD5 for single-request uploads, <c>md5-of-md5s-N</c> for multipart.</summary>
    public string ETag { get; }

    /// <summary>The version id when the bucket is versioned, otherwise <see langword="null"/>.</summary>
    public string? VersionId { get; }

    /// <summary>The object's URL.</summary>
    public Uri Url { get; }

    /// <summary>The request id of the request that completed the upload (for support cases), when one was sent.</summary>
    public string? RequestId { get; }

    /// <summary>The size of the file in bytes.</summary>
    public long Size { get; }

    /// <summary>How many parts the object has (1 for a single-request upload).</summary>
    public int PartCount { get; }

    /// <summary>Parts sent by this call.</summary>
    public int PartsUploaded { get; }

    /// <summary>Parts an earlier, interrupted run left on the server that this call kept.</summary>
    public int PartsReused { get; }

    /// <summary>Body bytes sent by this call, retries included.</summary>
    public long BytesSent { get; }

    /// <summary>Whether this call continued an upload that an earlier run started.</summary>
    public bool Resumed { get; }

    /// <summary>Whether nothing was sent because the stored object already matched the file
    /// (<see cref="ObsUploadFileSettings.SkipUnchanged"/>).</summary>
    public bool Skipped { get; }

    /// <inheritdoc />
    public override string ToString() => Url.ToString();

    internal static ObsUploadResult From(FilePath file, CompleteMultipartUploadResult result) => new(file, result);
}
