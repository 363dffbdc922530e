using System.Reflection;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// A stable code (<c>OBSnnnn</c>) for every error and warning the front ends raise, with an absolute link to its
/// section of <c>docs/errors.md</c> (cause and fix). MSBuild shows the code and link; Cake puts the code in the message.
/// </summary>
internal sealed record DiagnosticCode(string Id)
{
    /// <summary>Where the repository lives, from the assembly's metadata (set once, in Directory.Build.props).</summary>
    private static readonly string RepositoryUrl = typeof(DiagnosticCode).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(attribute => attribute.Key == "RepositoryUrl")?.Value ?? "";

    // Input, rejected before any request.
    public static readonly DiagnosticCode NoEndpoint = new("OBS0001");
    public static readonly DiagnosticCode MissingCredentials = new("OBS0002");
    public static readonly DiagnosticCode InvalidEndpoint = new("OBS0003");
    public static readonly DiagnosticCode FileNotFound = new("OBS0004");
    public static readonly DiagnosticCode NotAFile = new("OBS0005");
    public static readonly DiagnosticCode PartSizeOutOfRange = new("OBS0006");
    public static readonly DiagnosticCode TaskNumOutOfRange = new("OBS0007");
    public static readonly DiagnosticCode InvalidBucketName = new("OBS0008");
    public static readonly DiagnosticCode InvalidObjectKey = new("OBS0009");
    public static readonly DiagnosticCode InvalidMetadata = new("OBS0010");
    public static readonly DiagnosticCode InvalidHeader = new("OBS0011");
    public static readonly DiagnosticCode InvalidSignature = new("OBS0012");
    public static readonly DiagnosticCode InvalidOption = new("OBS0013");
    public static readonly DiagnosticCode DuplicateObjectKey = new("OBS0014");
    public static readonly DiagnosticCode InvalidCredentials = new("OBS0015");
    public static readonly DiagnosticCode OutsideBaseDirectory = new("OBS0016");

    // An upload that failed.
    public static readonly DiagnosticCode UploadFailed = new("OBS0020");
    public static readonly DiagnosticCode CredentialsRejected = new("OBS0021");
    public static readonly DiagnosticCode AccessDenied = new("OBS0022");
    public static readonly DiagnosticCode NoSuchBucket = new("OBS0023");
    public static readonly DiagnosticCode NoAnswer = new("OBS0024");
    public static readonly DiagnosticCode ContentMismatch = new("OBS0025");
    public static readonly DiagnosticCode CheckpointInUse = new("OBS0026");
    public static readonly DiagnosticCode LocalFileError = new("OBS0027");
    public static readonly DiagnosticCode FileChanged = new("OBS0028");
    public static readonly DiagnosticCode Redirected = new("OBS0029");
    public static readonly DiagnosticCode Cancelled = new("OBS0030");
    public static readonly DiagnosticCode CancelledWithoutCheckpoint = new("OBS0031");
    public static readonly DiagnosticCode MalformedAnswer = new("OBS0032");
    public static readonly DiagnosticCode UploadEndedElsewhere = new("OBS0033");
    public static readonly DiagnosticCode UploaderFailed = new("OBS0034");

    // Warnings: the upload went on.
    public static readonly DiagnosticCode RequestRetried = new("OBS0040");
    public static readonly DiagnosticCode CheckpointUnusable = new("OBS0041");
    public static readonly DiagnosticCode UploadGone = new("OBS0042");
    public static readonly DiagnosticCode AbortFailed = new("OBS0043");
    public static readonly DiagnosticCode DuplicateUploadAborted = new("OBS0044");
    public static readonly DiagnosticCode NoFiles = new("OBS0045");
    public static readonly DiagnosticCode ProgressCallbackFailed = new("OBS0046");
    public static readonly DiagnosticCode ObjectNotVerified = new("OBS0047");

    /// <summary>Every code, for the documentation check.</summary>
    public static IReadOnlyList<DiagnosticCode> All { get; } = typeof(DiagnosticCode)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.FieldType == typeof(DiagnosticCode))
        .Select(field => (DiagnosticCode)field.GetValue(null)!).ToList();

    /// <summary>The section of docs/errors.md that explains this code.</summary>
    public string HelpLink => $"{RepositoryUrl}/blob/main/docs/errors.md#{Id.ToLowerInvariant()}";

    /// <summary>The code of an input problem the engine found.</summary>
    public static DiagnosticCode For(ObsValidationError error) => error switch
    {
        ObsValidationError.FileNotFound => FileNotFound,
        ObsValidationError.NotAFile => NotAFile,
        ObsValidationError.PartSizeOutOfRange => PartSizeOutOfRange,
        ObsValidationError.TaskNumOutOfRange => TaskNumOutOfRange,
        ObsValidationError.InvalidBucketName => InvalidBucketName,
        ObsValidationError.InvalidObjectKey => InvalidObjectKey,
        ObsValidationError.InvalidMetadata => InvalidMetadata,
        ObsValidationError.InvalidHeader => InvalidHeader,
        ObsValidationError.MissingCredentials => MissingCredentials,
        ObsValidationError.InvalidCredentials => InvalidCredentials,
        ObsValidationError.InvalidEndpoint => InvalidEndpoint,
        _ => InvalidOption,
    };

    /// <summary>The code of a failed upload.</summary>
    public static DiagnosticCode For(ObsException error) => error.Kind switch
    {
        ObsErrorKind.Transport or ObsErrorKind.IdleTimeout => NoAnswer,
        ObsErrorKind.MalformedAnswer => MalformedAnswer,
        ObsErrorKind.Redirect => Redirected,
        ObsErrorKind.IntegrityMismatch => ContentMismatch,
        ObsErrorKind.FileChanged => FileChanged,
        ObsErrorKind.LocalFile => LocalFileError,
        ObsErrorKind.CheckpointInUse => CheckpointInUse,
        _ => error.ErrorCode switch
        {
            "SignatureDoesNotMatch" or "InvalidAccessKeyId" or "InvalidSecurity" or "InvalidToken" or "ExpiredToken" => CredentialsRejected,
            "AccessDenied" or "Forbidden" => AccessDenied,
            "NoSuchBucket" => NoSuchBucket,
            "NoSuchUpload" => UploadEndedElsewhere,
            _ => UploadFailed,
        },
    };

    /// <summary>The code of an engine warning.</summary>
    public static DiagnosticCode For(UploadWarning warning) => warning switch
    {
        UploadWarning.CheckpointUnusable => CheckpointUnusable,
        UploadWarning.UploadGone => UploadGone,
        UploadWarning.AbortFailed => AbortFailed,
        UploadWarning.DuplicateUploadAborted => DuplicateUploadAborted,
        UploadWarning.ObjectNotVerified => ObjectNotVerified,
        _ => ProgressCallbackFailed,
    };

    public override string ToString() => Id;
}

/// <summary>An error or warning with its code; <see cref="File"/> is the local file it is about, when there is one.</summary>
internal sealed record Diagnostic(DiagnosticCode Code, string Message, string? File = null);
