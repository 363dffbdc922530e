namespace ObsBuildTasks;

/// <summary>What kind of failure an <see cref="ObsException"/> reports. The kind, not the HTTP status, decides whether
/// the engine retries and what a front end tells the user.</summary>
public enum ObsErrorKind
{
    /// <summary>The service answered with an error status; <see cref="ObsException.StatusCode"/> and
    /// <see cref="ObsException.ErrorCode"/> say which.</summary>
    Service,

    /// <summary>No complete answer arrived: the connection could not be made, was reset or closed early.</summary>
    Transport,

    /// <summary>Nothing moved in either direction for <see cref="ObsClientOptions.IdleTimeout"/>.</summary>
    IdleTimeout,

    /// <summary>An answer arrived but could not be used: not XML, cut short, too large, or a required value such as an
    /// ETag or upload id missing or malformed.</summary>
    MalformedAnswer,

    /// <summary>The service redirected the request elsewhere (HTTP 3xx). Redirects are never followed: no byte and no
    /// credential goes to a host that was not configured. <see cref="ObsException.RedirectTarget"/> names the target.</summary>
    Redirect,

    /// <summary>What the server stored differs from what was sent: a part's ETag is not the MD5 of its bytes, or the
    /// completed object's ETag is not the one its parts produce.</summary>
    IntegrityMismatch,

    /// <summary>The local file changed (content, size, time, or replaced) while it was being uploaded.</summary>
    FileChanged,

    /// <summary>The local file could not be read, or its checkpoint could not be written.</summary>
    LocalFile,

    /// <summary>Another process holds the checkpoint of this upload.</summary>
    CheckpointInUse,
}
