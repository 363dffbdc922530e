using Microsoft.Win32.SafeHandles;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>Everything one file's upload works with; shared by the single-request and multipart paths.</summary>
internal sealed class UploadContext
{
    public required ObsWireClient Wire { get; init; }

    public required UploadFileRequest Request { get; init; }

    public required RequestSlots Slots { get; init; }

    public required SafeFileHandle File { get; init; }

    public required PartPlan Plan { get; init; }

    public required DateTime FileLastWriteTimeUtc { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required ProgressReporter Progress { get; init; }

    public Action<ObsLogLevel, string>? Log { get; init; }

    public string Bucket => Request.BucketName;

    public string Key => Request.ObjectKey;

    /// <summary>The file for messages: its name and where it goes.</summary>
    public string Describe => $"'{Request.UploadFile}' -> {Bucket}/{Key}";

    public void Write(ObsLogLevel level, string message) => Log?.Invoke(level, message);

    /// <summary>Base64 MD5 of a byte range for <c>Content-MD5</c>, when <see cref="UploadFileRequest.CheckSum"/> asks for it.</summary>
    public async Task<string?> ContentMd5Async(long offset, long length, CancellationToken cancellationToken) =>
        Request.CheckSum
            ? Convert.ToBase64String(await FileRangeHasher.Md5Async(File, offset, length, cancellationToken).ConfigureAwait(false))
            : null;

    public CompleteMultipartUploadResult Result(string etag, WireResponse? response, int partsUploaded = 0, int partsReused = 0,
        bool resumed = false, bool skipped = false) => new()
        {
            BucketName = Bucket,
            ObjectKey = Key,
            ETag = etag,
            VersionId = response?.VersionId,
            RequestId = response?.RequestId,
            Location = Wire.Endpoint.ObjectUri(Bucket, Key),
            Size = Plan.FileSize,
            PartCount = Plan.PartCount,
            PartsUploaded = partsUploaded,
            PartsReused = partsReused,
            BytesSent = Progress.BytesSent,
            Resumed = resumed,
            Skipped = skipped,
        };
}
