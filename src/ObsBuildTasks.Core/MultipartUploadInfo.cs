namespace ObsBuildTasks;

/// <summary>An unfinished multipart upload in a bucket.</summary>
/// <param name="ObjectKey">The key it will create.</param>
/// <param name="UploadId">Its id.</param>
/// <param name="Initiated">When it was started (the server's clock).</param>
public sealed record MultipartUploadInfo(string ObjectKey, string UploadId, DateTimeOffset Initiated);
