namespace ObsBuildTasks;

/// <summary>One file to upload: OBS's <c>UploadFileRequest</c>, C#-cased.</summary>
public sealed class UploadFileRequest
{
    /// <summary>The smallest part size the service accepts: 100 KiB.</summary>
    public const long MinPartSize = 100 * 1024;

    /// <summary>The largest part size the service accepts: 5 GiB.</summary>
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;

    /// <summary>The default part size: 9 MiB.</summary>
    public const long DefaultPartSize = 9 * 1024 * 1024;

    /// <summary>The most parts one object may have.</summary>
    public const int MaxPartCount = 10_000;

    /// <summary>The most requests one call may keep in flight.</summary>
    public const int MaxTaskNum = 100;

    /// <summary>Creates a request for <paramref name="uploadFile"/> to <paramref name="bucketName"/>/<paramref name="objectKey"/>.</summary>
    public UploadFileRequest(string bucketName, string objectKey, string uploadFile)
    {
        BucketName = bucketName;
        ObjectKey = objectKey;
        UploadFile = uploadFile;
    }

    /// <summary>The bucket.</summary>
    public string BucketName { get; set; }

    /// <summary>The object key: any Unicode text up to 1024 UTF-8 bytes.</summary>
    public string ObjectKey { get; set; }

    /// <summary>Path of the local file.</summary>
    public string UploadFile { get; set; }

    /// <summary>Bytes per part, 100 KiB..5 GiB (default 9 MiB). Grown automatically when the file would need more
    /// than 10,000 parts. A file no larger than one part is sent in a single request.</summary>
    public long PartSize { get; set; } = DefaultPartSize;

    /// <summary>How many parts are sent at once, 1..100 (default 1).</summary>
    public int TaskNum { get; set; } = 1;

    /// <summary>Record finished parts in <see cref="CheckpointFile"/> so a later call resumes (default false). When false,
    /// a failed upload is aborted on the server.</summary>
    public bool EnableCheckpoint { get; set; }

    /// <summary>Where the checkpoint lives. Default: <c>{UploadFile}.obs-checkpoint.json</c> beside the file. A file name
    /// longer than 255 bytes (with the <c>.lock</c> beside it) is cut short and ends with a hash of the whole name.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>Accepted for code written for Huawei's SDK (<c>CheckSum</c> there sends <c>Content-MD5</c>); has no
    /// effect here: every part and object is hashed before it is sent and goes with its <c>Content-MD5</c>, and every
    /// ETag is checked against that MD5.</summary>
    public bool CheckSum { get; set; }

    /// <summary>User metadata (<c>x-obs-meta-*</c> / <c>x-amz-meta-*</c>): ASCII names and values, 8 KiB in all.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Object headers fixed when the upload starts.</summary>
    public UploadFileHeaders Headers { get; } = new();

    /// <summary>Told how far the upload has come, at most once per <see cref="ProgressInterval"/> and once at the end
    /// (OBS's progress callback; <see cref="ObsClientOptions.Observer"/> gets the same as <see cref="FileProgressEvent"/>).
    /// Runs outside the transfer: a slow callback never slows the upload.</summary>
    public Action<UploadProgress>? ProgressCallback { get; set; }

    /// <summary>The least time between two progress calls (default 500 ms).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Send nothing when the stored object already has this file's size and content hash (its ETag).</summary>
    public bool SkipUnchanged { get; set; }

    /// <summary>
    /// The checkpoint file for this upload inside <paramref name="directory"/>: named by a hash of the endpoint, bucket,
    /// key and file name, so every destination of every file has its own. The file's folder is left out on purpose: a
    /// CI retry in another workspace path still resumes (the parts are checked against the file's bytes either way).
    /// </summary>
    public string CheckpointFileIn(string directory, string endpoint)
    {
        var identity = string.Join('\n', endpoint.Trim().TrimEnd('/'), BucketName, ObjectKey, Path.GetFileName(UploadFile));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)));
        return Path.Combine(directory, hash[..32] + ".json");
    }
}
