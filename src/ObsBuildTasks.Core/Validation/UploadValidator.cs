using System.Text;
using System.Text.RegularExpressions;
using ObsBuildTasks.Transfer;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Validation;

/// <summary>Checks inputs before any request is sent and reports everything that is wrong at once, each with a
/// message that says what to fix.</summary>
internal static partial class UploadValidator
{
    private const int MaxMetadataBytes = 8 * 1024;
    private const int MaxKeyBytes = 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void ThrowIfInvalid(ObsClientOptions options) => ThrowIfAny(Check(options));

    public static void ThrowIfInvalid(UploadFileRequest request) => ThrowIfAny(Check(request));

    public static void ThrowIfAny(IReadOnlyList<ObsValidationFailure> failures)
    {
        if (failures.Count > 0)
        {
            throw new ObsValidationException(failures);
        }
    }

    public static IReadOnlyList<ObsValidationFailure> Check(ObsClientOptions options)
    {
        var failures = new List<ObsValidationFailure>();
        if (string.IsNullOrWhiteSpace(options.AccessKeyId) || string.IsNullOrWhiteSpace(options.SecretAccessKey))
        {
            failures.Add(new(ObsValidationError.MissingCredentials,
                "No credentials: set OBS_ACCESS_KEY_ID and OBS_SECRET_ACCESS_KEY (and OBS_SECURITY_TOKEN for temporary credentials)."));
        }

        CheckCredential(failures, "access key id", options.AccessKeyId, sentInHeader: true);
        CheckCredential(failures, "secret access key", options.SecretAccessKey, sentInHeader: false);
        CheckCredential(failures, "security token", options.SecurityToken, sentInHeader: true);
        if (ObsEndpoint.Check(options.Endpoint) is { } endpointProblem)
        {
            failures.Add(new(ObsValidationError.InvalidEndpoint, endpointProblem));
        }

        Require(failures, options.MaxRetries is >= 0 and <= 20, $"MaxRetries must be from 0 to 20 (it is {options.MaxRetries}).");
        Require(failures, options.IdleTimeout >= TimeSpan.FromSeconds(1) && options.IdleTimeout <= TimeSpan.FromHours(1),
            $"IdleTimeout must be from 1 to 3600 seconds (it is {options.IdleTimeout.TotalSeconds:0.###}).");
        Require(failures, options.RetryBaseDelay >= TimeSpan.Zero, "RetryBaseDelay must not be negative.");
        Require(failures, Enum.IsDefined(options.Signature), $"Signature {options.Signature} is not known: use Auto, Obs, V4 or V2.");
        Require(failures, options.Region is null || RegionPattern().IsMatch(options.Region),
            $"Region '{SafeText.Printable(options.Region)}' is not a region name: use lowercase letters, digits and '-', e.g. cn-north-4.");
        return failures;
    }

    public static IReadOnlyList<ObsValidationFailure> Check(UploadFileRequest request)
    {
        var failures = new List<ObsValidationFailure>();
        if (CheckBucketName(request.BucketName) is { } bucketProblem)
        {
            failures.Add(bucketProblem);
        }

        CheckObjectKey(failures, request.ObjectKey);
        CheckFile(failures, request.UploadFile);
        if (request.PartSize is < UploadFileRequest.MinPartSize or > UploadFileRequest.MaxPartSize)
        {
            failures.Add(new(ObsValidationError.PartSizeOutOfRange,
                $"PartSize {request.PartSize} is out of range: use 102400 (100 KiB) to 5368709120 (5 GiB) bytes."));
        }

        if (CheckTaskNum(request.TaskNum) is { } taskNumProblem)
        {
            failures.Add(taskNumProblem);
        }

        Require(failures, request.ProgressInterval > TimeSpan.Zero, "ProgressInterval must be positive.");
        CheckMetadata(failures, request.Metadata);
        CheckHeaders(failures, request.Headers);
        return failures;
    }

    public static ObsValidationFailure? CheckTaskNum(int taskNum) =>
        taskNum is < 1 or > UploadFileRequest.MaxTaskNum
            ? new(ObsValidationError.TaskNumOutOfRange, $"TaskNum {taskNum} is out of range: use 1 to {UploadFileRequest.MaxTaskNum} concurrent requests.")
            : null;

    /// <summary>OBS bucket names: 3-63 characters of lowercase letters, digits, hyphens and periods, starting and
    /// ending with a letter or digit, no empty labels or <c>.-</c>/<c>-.</c>, and not an IP address.</summary>
    public static ObsValidationFailure? CheckBucketName(string? bucketName)
    {
        var name = bucketName ?? "";
        var valid = name.Length is >= 3 and <= 63
            && BucketNamePattern().IsMatch(name)
            && !name.Contains("..", StringComparison.Ordinal)
            && !name.Contains(".-", StringComparison.Ordinal)
            && !name.Contains("-.", StringComparison.Ordinal)
            && !IpAddressPattern().IsMatch(name);
        return valid
            ? null
            : new(ObsValidationError.InvalidBucketName,
                $"The bucket name '{SafeText.Printable(name)}' is not valid: use 3 to 63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, not shaped like an IP address.");
    }

    /// <summary>Any Unicode text of 1 to 1024 UTF-8 bytes without control characters (U+0000-U+001F, U+007F), sent
    /// exactly as given: <c>./</c>, <c>../</c> and <c>//</c> are part of the key.</summary>
    private static void CheckObjectKey(List<ObsValidationFailure> failures, string? objectKey)
    {
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(objectKey ?? "");
        }
        catch (ArgumentException)
        {
            failures.Add(new(ObsValidationError.InvalidObjectKey, $"The object key '{SafeText.Printable(objectKey)}' is not valid Unicode (it holds a lone surrogate)."));
            return;
        }

        if (string.IsNullOrEmpty(objectKey) || byteCount > MaxKeyBytes)
        {
            failures.Add(new(ObsValidationError.InvalidObjectKey,
                $"The object key '{SafeText.Printable(objectKey)}' is not valid: it must be 1 to {MaxKeyBytes} bytes of UTF-8 (it has {byteCount})."));
        }
        else if (objectKey.Any(IsControl))
        {
            failures.Add(new(ObsValidationError.InvalidObjectKey,
                $"The object key '{SafeText.Printable(objectKey)}' holds a control character (shown as '?'): keys must not contain U+0000-U+001F or U+007F."));
        }
    }

    private static void CheckCredential(List<ObsValidationFailure> failures, string name, string? value, bool sentInHeader)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.Any(IsControl) || (sentInHeader && value.Any(c => c is <= ' ' or > '~')))
        {
            failures.Add(new(ObsValidationError.InvalidCredentials, sentInHeader
                ? $"The {name} holds a character no {name} has (a control character, a space or a non-ASCII character); check the variable it comes from for a stray line break."
                : $"The {name} holds a control character; check the variable it comes from for a stray line break."));
        }
    }

    private static void CheckFile(List<ObsValidationFailure> failures, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            failures.Add(new(ObsValidationError.FileNotFound, "No file to upload was given."));
        }
        else if (Directory.Exists(path))
        {
            failures.Add(new(ObsValidationError.NotAFile, $"'{path}' is a directory; give a file."));
        }
        else if (!File.Exists(path))
        {
            failures.Add(new(ObsValidationError.FileNotFound, $"The file '{path}' does not exist."));
        }
        else if (FileStatus.Of(path) is { IsRegularFile: false })
        {
            failures.Add(new(ObsValidationError.NotAFile,
                $"'{path}' is not a regular file (a pipe, a device or a socket): its size is not known in advance. Copy it to a file and upload that."));
        }
    }

    private static void CheckMetadata(List<ObsValidationFailure> failures, IDictionary<string, string> metadata)
    {
        var total = 0;
        foreach (var (name, value) in metadata)
        {
            if (!HeaderTokenPattern().IsMatch(name))
            {
                failures.Add(new(ObsValidationError.InvalidMetadata,
                    $"The metadata name '{SafeText.Printable(name)}' is not valid: use ASCII letters, digits and '-' or '_'."));
            }

            if (!IsStorableValue(value))
            {
                failures.Add(new(ObsValidationError.InvalidMetadata,
                    $"The metadata value of '{SafeText.Printable(name)}' cannot be stored: use printable ASCII only (encode other text, e.g. as URL-encoding or Base64)."));
            }

            total += name.Length + (value?.Length ?? 0);
        }

        if (total > MaxMetadataBytes)
        {
            failures.Add(new(ObsValidationError.InvalidMetadata,
                $"The metadata takes {total} bytes; the service stores at most {MaxMetadataBytes} (names and values together)."));
        }
    }

    private static void CheckHeaders(List<ObsValidationFailure> failures, UploadFileHeaders headers)
    {
        string?[] values = [headers.Acl, headers.ContentType, headers.StorageClass, headers.WebsiteRedirectLocation];
        foreach (var value in values.Concat(headers.Extra.Values).Where(value => value is not null && !IsStorableValue(value)))
        {
            failures.Add(new(ObsValidationError.InvalidHeader, $"The header value '{SafeText.Printable(value)}' cannot be sent: use printable ASCII only."));
        }

        foreach (var name in headers.Extra.Keys.Where(name => !HeaderTokenPattern().IsMatch(name)))
        {
            failures.Add(new(ObsValidationError.InvalidHeader, $"'{SafeText.Printable(name)}' is not a valid header name."));
        }
    }

    private static bool IsControl(char c) => c is < ' ' or '\u007f';

    private static bool IsStorableValue(string? value) => value is not null && value.All(c => c is >= ' ' and <= '~');

    private static void Require(List<ObsValidationFailure> failures, bool condition, string message)
    {
        if (!condition)
        {
            failures.Add(new(ObsValidationError.InvalidOption, message));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex IpAddressPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex HeaderTokenPattern();

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex RegionPattern();
}
