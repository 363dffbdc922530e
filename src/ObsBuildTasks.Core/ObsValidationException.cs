namespace ObsBuildTasks;

/// <summary>What is wrong with an input that was rejected before any request was sent.</summary>
public enum ObsValidationError
{
    /// <summary>The file to upload does not exist.</summary>
    FileNotFound,

    /// <summary>The path names a directory, not a file.</summary>
    NotAFile,

    /// <summary>The part size is outside 100 KiB..5 GiB.</summary>
    PartSizeOutOfRange,

    /// <summary>The number of concurrent requests is outside 1..100.</summary>
    TaskNumOutOfRange,

    /// <summary>The bucket name breaks the naming rules.</summary>
    InvalidBucketName,

    /// <summary>The object key is empty or too long.</summary>
    InvalidObjectKey,

    /// <summary>Metadata the service cannot store (non-ASCII, bad names, over 8 KiB).</summary>
    InvalidMetadata,

    /// <summary>A header value the service cannot store.</summary>
    InvalidHeader,

    /// <summary>No access key id or secret access key.</summary>
    MissingCredentials,

    /// <summary>The endpoint is not an HTTP(S) URL.</summary>
    InvalidEndpoint,

    /// <summary>Another client option is out of range.</summary>
    InvalidOption,
}

/// <summary>An input was rejected before any request was sent.</summary>
public sealed class ObsValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public ObsValidationException(ObsValidationError error, string message, string? paramName = null)
        : base(message, paramName)
    {
        Error = error;
        Reason = message;
    }

    /// <summary>What is wrong.</summary>
    public ObsValidationError Error { get; }

    /// <summary>The message alone, without the parameter name <see cref="ArgumentException"/> appends: ready for a user.</summary>
    public string Reason { get; }
}
