namespace ObsBuildTasks;

/// <summary>Receives what the engine does, as typed events, from whichever thread the work runs on. Implementations
/// must be thread-safe and quick; an exception they throw is swallowed (it never fails an upload).</summary>
public interface IUploadObserver
{
    /// <summary>Called for every event; switch on its type.</summary>
    void OnEvent(UploadEvent uploadEvent);
}

/// <summary>Something the engine did or found. Concrete events: <see cref="FileStartedEvent"/>,
/// <see cref="FileProgressEvent"/>, <see cref="RequestRetriedEvent"/>, <see cref="FileFinishedEvent"/>,
/// <see cref="FileSkippedEvent"/>, <see cref="FileFailedEvent"/>, <see cref="UploadWarningEvent"/> and
/// <see cref="SignatureChosenEvent"/>.</summary>
public abstract record UploadEvent;

/// <summary>A file's bytes start to go up: its plan, and what an earlier run left on the server that is kept.</summary>
/// <param name="Request">The file.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="PartCount">How many parts the object will have (1 for a single request).</param>
/// <param name="PartSize">Bytes per part (the last may be shorter).</param>
/// <param name="PartsReused">Parts an earlier run sent that match the file and are kept.</param>
/// <param name="BytesReused">The bytes of those parts.</param>
/// <param name="PartsRejected">Parts an earlier run sent that no longer match the file and are sent again.</param>
/// <param name="Resumed">Whether this continues an upload an earlier run started.</param>
public sealed record FileStartedEvent(UploadFileRequest Request, long Size, int PartCount, long PartSize, int PartsReused, long BytesReused,
    int PartsRejected, bool Resumed) : UploadEvent;

/// <summary>How far a file has come, once per <see cref="UploadFileRequest.ProgressInterval"/> while it uploads (also when
/// nothing moved) and once at the end.</summary>
/// <param name="Request">The file.</param>
/// <param name="TransferredBytes">Bytes on the server, parts kept from an earlier run included; never decreases.</param>
/// <param name="TotalBytes">The file's size.</param>
/// <param name="BytesPerSecond">Average rate of this call's sending so far (0 before the first byte).</param>
/// <param name="Elapsed">Time since the file's upload started.</param>
public sealed record FileProgressEvent(UploadFileRequest Request, long TransferredBytes, long TotalBytes, double BytesPerSecond, TimeSpan Elapsed)
    : UploadEvent;

/// <summary>A request failed in a way worth another attempt, which follows after <paramref name="Delay"/>.</summary>
/// <param name="Request">The file, or <see langword="null"/> for a request that serves no single file.</param>
/// <param name="Operation">The operation, e.g. <c>UploadPart</c>.</param>
/// <param name="PartNumber">The part, for <c>UploadPart</c>.</param>
/// <param name="Cause">Why the attempt failed.</param>
/// <param name="Attempt">The number of the attempt that comes next (2 for the first retry).</param>
/// <param name="Delay">The wait before it.</param>
public sealed record RequestRetriedEvent(UploadFileRequest? Request, string Operation, int? PartNumber, ObsException Cause, int Attempt,
    TimeSpan Delay) : UploadEvent;

/// <summary>A file is on the server, exactly.</summary>
/// <param name="Request">The file.</param>
/// <param name="Result">The object and what the transfer did.</param>
/// <param name="Elapsed">How long the file took.</param>
public sealed record FileFinishedEvent(UploadFileRequest Request, CompleteMultipartUploadResult Result, TimeSpan Elapsed) : UploadEvent;

/// <summary>Nothing was sent: the stored object already holds the file (<see cref="UploadFileRequest.SkipUnchanged"/>).</summary>
/// <param name="Request">The file.</param>
/// <param name="Result">The stored object.</param>
public sealed record FileSkippedEvent(UploadFileRequest Request, CompleteMultipartUploadResult Result) : UploadEvent;

/// <summary>A file could not be uploaded.</summary>
/// <param name="Request">The file.</param>
/// <param name="Error">Why.</param>
/// <param name="Resumable">Whether a checkpoint names the unfinished upload, so the next run continues it.</param>
public sealed record FileFailedEvent(UploadFileRequest Request, ObsException Error, bool Resumable) : UploadEvent
{
    /// <summary>The bytes of the file this run sent before it failed (parts the server accepted and ones it did not).</summary>
    public long BytesSent { get; init; }
}

/// <summary>Something went wrong that the engine recovered from, or that the user should know.</summary>
/// <param name="Request">The file, when the warning is about one.</param>
/// <param name="Warning">Which warning: a stable id.</param>
/// <param name="Message">What happened and what it means.</param>
public sealed record UploadWarningEvent(UploadFileRequest? Request, UploadWarning Warning, string Message) : UploadEvent;

/// <summary>How requests to a bucket are signed, and why.</summary>
/// <param name="BucketName">The bucket.</param>
/// <param name="Signature">The signature used.</param>
/// <param name="Region">The region, for <see cref="SignatureType.V4"/>.</param>
/// <param name="Reason">Why: configured, or what the service's answer to the protocol probe said.</param>
public sealed record SignatureChosenEvent(string BucketName, SignatureType Signature, string? Region, string Reason) : UploadEvent;

/// <summary>The warnings the engine raises; the ids are stable.</summary>
public enum UploadWarning
{
    /// <summary>The checkpoint file could not be read (damaged, cut short, another format): the upload starts over.</summary>
    CheckpointUnusable,

    /// <summary>The checkpoint names an upload the server no longer has for this key: the upload starts over.</summary>
    UploadGone,

    /// <summary>An unfinished upload could not be aborted: its parts stay billed until it is aborted.</summary>
    AbortFailed,

    /// <summary>A lost answer to Initiate left a second upload open; it was aborted.</summary>
    DuplicateUploadAborted,

    /// <summary>The progress callback threw; the upload went on.</summary>
    ProgressCallbackFailed,

    /// <summary>The upload completed with the ETag its parts make, but the object could not be read back (<c>HEAD</c>
    /// refused, e.g. write-only credentials) to confirm it.</summary>
    ObjectNotVerified,
}
