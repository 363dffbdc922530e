namespace ObsBuildTasks;

/// <summary>
/// The <see cref="ObsException.ErrorCode"/> values the client raises itself (the service's own codes, such as
/// <c>AccessDenied</c>, pass through unchanged).
/// </summary>
public static class ObsErrorCodes
{
    /// <summary>Another process holds the checkpoint of this upload.</summary>
    public const string CheckpointInUse = "CheckpointInUse";

    /// <summary>The local file could not be read (or changed while it was being read).</summary>
    public const string LocalFileError = "LocalFileError";

    /// <summary>What the server stored differs from what was sent (a part's or the object's ETag).</summary>
    public const string ETagMismatch = "ETagMismatch";
}
