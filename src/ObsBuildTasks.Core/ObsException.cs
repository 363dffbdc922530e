using System.Net;

namespace ObsBuildTasks;

/// <summary>A request the service refused or that could not be completed, with what the service said.</summary>
public class ObsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ObsException(string operation, string message, HttpStatusCode? statusCode = null, string? errorCode = null,
        string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The operation that failed, e.g. <c>UploadPart</c> or <c>CompleteMultipartUpload</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, or <see langword="null"/> when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The service's error code, e.g. <c>AccessDenied</c> or <c>NoSuchUpload</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's request id (<c>x-obs-request-id</c> / <c>x-amz-request-id</c>).</summary>
    public string? RequestId { get; }
}
