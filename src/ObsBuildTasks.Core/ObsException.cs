using System.Net;

namespace ObsBuildTasks;

/// <summary>An upload step that could not be completed: what failed, why (<see cref="Kind"/>), and what the service
/// said when it answered.</summary>
public class ObsException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation that failed, e.g. <c>UploadPart</c>.</param>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="message">A message for people: what happened and what to do.</param>
    /// <param name="statusCode">The HTTP status of the answer, when one arrived.</param>
    /// <param name="errorCode">The service's error code, e.g. <c>AccessDenied</c>.</param>
    /// <param name="requestId">The service's request id.</param>
    /// <param name="innerException">The underlying exception.</param>
    public ObsException(string operation, ObsErrorKind kind, string message, HttpStatusCode? statusCode = null, string? errorCode = null,
        string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        Kind = kind;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The operation that failed, e.g. <c>UploadPart</c> or <c>CompleteMultipartUpload</c>.</summary>
    public string Operation { get; }

    /// <summary>What kind of failure this is.</summary>
    public ObsErrorKind Kind { get; }

    /// <summary>The HTTP status, or <see langword="null"/> when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The service's error code, e.g. <c>AccessDenied</c> or <c>NoSuchUpload</c>; <see langword="null"/> for
    /// failures that are not the service's.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's request id (<c>x-obs-request-id</c> / <c>x-amz-request-id</c>).</summary>
    public string? RequestId { get; }

    /// <summary>Where a <see cref="ObsErrorKind.Redirect"/> pointed, when the answer said.</summary>
    public string? RedirectTarget { get; init; }

    /// <summary>Whether the engine corrected its clock from the server's <c>Date</c> after <c>RequestTimeTooSkewed</c>,
    /// so that another attempt can succeed.</summary>
    internal bool ClockCorrected { get; init; }

    /// <summary>The region a V4 refusal (<c>AuthorizationHeaderMalformed</c>) named as the bucket's.</summary>
    internal string? ExpectedRegion { get; init; }
}
