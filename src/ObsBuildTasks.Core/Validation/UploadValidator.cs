using System.Text;
using System.Text.RegularExpressions;

namespace ObsBuildTasks.Validation;

/// <summary>Checks inputs before any request is sent, with a message that says what to fix.</summary>
internal static partial class UploadValidator
{
    private const int MaxMetadataBytes = 8 * 1024;
    private const int MaxKeyBytes = 1024;

    public static void Validate(ObsClientOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AccessKeyId) || string.IsNullOrWhiteSpace(options.SecretAccessKey))
        {
            throw new ObsValidationException(ObsValidationError.MissingCredentials,
                "No credentials: set OBS_ACCESS_KEY_ID and OBS_SECRET_ACCESS_KEY (and OBS_SECURITY_TOKEN for temporary credentials).",
                nameof(options));
        }

        Require(options.MaxRetries is >= 0 and <= 20, $"MaxRetries must be between 0 and 20 (it is {options.MaxRetries}).");
        Require(options.IdleTimeout > TimeSpan.Zero, "IdleTimeout must be positive.");
        Require(options.RetryBaseDelay >= TimeSpan.Zero, "RetryBaseDelay must not be negative.");
        Require(options.Signature != SignatureType.V4 || !string.IsNullOrWhiteSpace(options.Region), "V4 signing needs a Region.");
    }

    public static void Validate(UploadFileRequest request)
    {
        ValidateBucketName(request.BucketName);
        ValidateObjectKey(request.ObjectKey);
        ValidateFile(request.UploadFile);
        if (request.PartSize is < UploadFileRequest.MinPartSize or > UploadFileRequest.MaxPartSize)
        {
            throw new ObsValidationException(ObsValidationError.PartSizeOutOfRange,
                $"PartSize {request.PartSize} is out of range: use 102400 (100 KiB) to 5368709120 (5 GiB) bytes.", nameof(request));
        }

        ValidateTaskNum(request.TaskNum);
        Require(request.ProgressInterval > TimeSpan.Zero, "ProgressInterval must be positive.");
        ValidateMetadata(request.Metadata);
        ValidateHeaders(request.Headers);
    }

    public static void ValidateTaskNum(int taskNum)
    {
        if (taskNum is < 1 or > UploadFileRequest.MaxTaskNum)
        {
            throw new ObsValidationException(ObsValidationError.TaskNumOutOfRange,
                $"TaskNum {taskNum} is out of range: use 1 to {UploadFileRequest.MaxTaskNum} concurrent requests.", nameof(taskNum));
        }
    }

    /// <summary>OBS bucket names: 3-63 characters of lowercase letters, digits, hyphens and periods, starting and
    /// ending with a letter or digit, no empty labels or <c>.-</c>/<c>-.</c>, and not an IP address.</summary>
    public static void ValidateBucketName(string? bucketName)
    {
        var name = bucketName ?? "";
        var valid = name.Length is >= 3 and <= 63
            && BucketNamePattern().IsMatch(name)
            && !name.Contains("..", StringComparison.Ordinal)
            && !name.Contains(".-", StringComparison.Ordinal)
            && !name.Contains("-.", StringComparison.Ordinal)
            && !IpAddressPattern().IsMatch(name);
        if (!valid)
        {
            throw new ObsValidationException(ObsValidationError.InvalidBucketName,
                $"The bucket name '{name}' is not valid: use 3 to 63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, not shaped like an IP address.",
                nameof(bucketName));
        }
    }

    private static void ValidateObjectKey(string? objectKey)
    {
        if (string.IsNullOrEmpty(objectKey) || Encoding.UTF8.GetByteCount(objectKey) > MaxKeyBytes)
        {
            throw new ObsValidationException(ObsValidationError.InvalidObjectKey,
                $"The object key '{objectKey}' is not valid: it must be 1 to {MaxKeyBytes} bytes of UTF-8.", nameof(objectKey));
        }
    }

    private static void ValidateFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ObsValidationException(ObsValidationError.FileNotFound, "No file to upload was given.", nameof(path));
        }

        if (Directory.Exists(path))
        {
            throw new ObsValidationException(ObsValidationError.NotAFile, $"'{path}' is a directory; give a file.", nameof(path));
        }

        if (!File.Exists(path))
        {
            throw new ObsValidationException(ObsValidationError.FileNotFound, $"The file '{path}' does not exist.", nameof(path));
        }
    }

    private static void ValidateMetadata(IDictionary<string, string> metadata)
    {
        var total = 0;
        foreach (var (name, value) in metadata)
        {
            if (!HeaderTokenPattern().IsMatch(name))
            {
                throw new ObsValidationException(ObsValidationError.InvalidMetadata,
                    $"The metadata name '{name}' is not valid: use ASCII letters, digits and '-' or '_'.", nameof(metadata));
            }

            if (!IsStorableValue(value))
            {
                throw new ObsValidationException(ObsValidationError.InvalidMetadata,
                    $"The metadata value of '{name}' cannot be stored: use printable ASCII only (encode other text, e.g. as URL-encoding or Base64).",
                    nameof(metadata));
            }

            total += name.Length + value.Length;
        }

        if (total > MaxMetadataBytes)
        {
            throw new ObsValidationException(ObsValidationError.InvalidMetadata,
                $"The metadata takes {total} bytes; the service stores at most {MaxMetadataBytes} (names and values together).", nameof(metadata));
        }
    }

    private static void ValidateHeaders(UploadFileHeaders headers)
    {
        string?[] values = [headers.Acl, headers.ContentType, headers.StorageClass, headers.WebsiteRedirectLocation];
        foreach (var value in values.Concat(headers.Extra.Values))
        {
            if (value is not null && !IsStorableValue(value))
            {
                throw new ObsValidationException(ObsValidationError.InvalidHeader,
                    $"The header value '{value}' cannot be sent: use printable ASCII only.", nameof(headers));
            }
        }

        foreach (var name in headers.Extra.Keys)
        {
            if (!HeaderTokenPattern().IsMatch(name))
            {
                throw new ObsValidationException(ObsValidationError.InvalidHeader, $"'{name}' is not a valid header name.", nameof(headers));
            }
        }
    }

    private static bool IsStorableValue(string value) => value.All(c => c is >= ' ' and <= '~');

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ObsValidationException(ObsValidationError.InvalidOption, message);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex IpAddressPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex HeaderTokenPattern();
}
