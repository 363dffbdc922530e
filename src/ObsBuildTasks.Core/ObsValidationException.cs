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

    /// <summary>The object key is empty, too long, or holds control characters.</summary>
    InvalidObjectKey,

    /// <summary>Metadata the service cannot store (non-ASCII, bad names, over 8 KiB).</summary>
    InvalidMetadata,

    /// <summary>A header value the service cannot store.</summary>
    InvalidHeader,

    /// <summary>No access key id or secret access key.</summary>
    MissingCredentials,

    /// <summary>An access key id, secret or security token that holds characters no credential has.</summary>
    InvalidCredentials,

    /// <summary>The endpoint is not an HTTP(S) URL.</summary>
    InvalidEndpoint,

    /// <summary>Another option is out of range.</summary>
    InvalidOption,
}

/// <summary>One thing wrong with an input.</summary>
/// <param name="Error">What is wrong.</param>
/// <param name="Message">What is wrong and how to fix it, ready for a user.</param>
public sealed record ObsValidationFailure(ObsValidationError Error, string Message);

/// <summary>Inputs were rejected before any request was sent; <see cref="Failures"/> lists everything that is wrong.</summary>
public sealed class ObsValidationException : ArgumentException
{
    /// <summary>Creates the exception for one failure.</summary>
    public ObsValidationException(ObsValidationError error, string message)
        : this([new ObsValidationFailure(error, message)])
    {
    }

    /// <summary>Creates the exception for one or more failures.</summary>
    public ObsValidationException(IReadOnlyList<ObsValidationFailure> failures)
        : base(string.Join(Environment.NewLine, (failures ?? throw new ArgumentNullException(nameof(failures))).Select(failure => failure.Message)))
    {
        if (failures.Count == 0)
        {
            throw new ArgumentException("At least one failure is needed.", nameof(failures));
        }

        Failures = failures;
    }

    /// <summary>Everything that is wrong, in the order the inputs were checked.</summary>
    public IReadOnlyList<ObsValidationFailure> Failures { get; }

    /// <summary>The first failure's kind.</summary>
    public ObsValidationError Error => Failures[0].Error;
}
