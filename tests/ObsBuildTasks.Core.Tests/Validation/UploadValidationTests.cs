using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Validation;

/// <summary>Bad input fails with its own error before any request: the client points at a port where nothing
/// listens, so a request would surface as an <see cref="ObsException"/> instead.</summary>
public sealed class UploadValidationTests : IDisposable
{
    private readonly TestFiles _files = new();

    public static TheoryData<string, ObsValidationError> BadRequests => new()
    {
        { "missing file", ObsValidationError.FileNotFound },
        { "directory", ObsValidationError.NotAFile },
        { "named pipe", ObsValidationError.NotAFile },
        { "character device", ObsValidationError.NotAFile },
        { "part size below 100 KiB", ObsValidationError.PartSizeOutOfRange },
        { "part size above 5 GiB", ObsValidationError.PartSizeOutOfRange },
        { "task num 0", ObsValidationError.TaskNumOutOfRange },
        { "task num 101", ObsValidationError.TaskNumOutOfRange },
        { "upper-case bucket", ObsValidationError.InvalidBucketName },
        { "short bucket", ObsValidationError.InvalidBucketName },
        { "IP bucket", ObsValidationError.InvalidBucketName },
        { "bucket with ..", ObsValidationError.InvalidBucketName },
        { "empty key", ObsValidationError.InvalidObjectKey },
        { "key over 1024 bytes", ObsValidationError.InvalidObjectKey },
        { "key with a line feed", ObsValidationError.InvalidObjectKey },
        { "key with U+0001", ObsValidationError.InvalidObjectKey },
        { "key with DEL", ObsValidationError.InvalidObjectKey },
        { "key with a lone surrogate", ObsValidationError.InvalidObjectKey },
        { "non-ASCII metadata value", ObsValidationError.InvalidMetadata },
        { "metadata name with space", ObsValidationError.InvalidMetadata },
        { "metadata over 8 KiB", ObsValidationError.InvalidMetadata },
        { "content type with newline", ObsValidationError.InvalidHeader },
    };

    public static TheoryData<string, ObsValidationError> BadOptions => new()
    {
        { "no access key", ObsValidationError.MissingCredentials },
        { "no secret key", ObsValidationError.MissingCredentials },
        { "endpoint with path", ObsValidationError.InvalidEndpoint },
        { "ftp endpoint", ObsValidationError.InvalidEndpoint },
        { "endpoint not a URL", ObsValidationError.InvalidEndpoint },
        { "retries over 20", ObsValidationError.InvalidOption },
        { "access key id with CR LF", ObsValidationError.InvalidCredentials },
        { "secret with a line feed", ObsValidationError.InvalidCredentials },
        { "token with CR LF", ObsValidationError.InvalidCredentials },
        { "region with a space", ObsValidationError.InvalidOption },
        { "idle timeout under a second", ObsValidationError.InvalidOption },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_request_is_rejected_before_any_request(string fault, ObsValidationError expected)
    {
        using var client = new ObsClient(Options());

        var exception = await Assert.ThrowsAsync<ObsValidationException>(() => client.UploadFileAsync(Request(fault)));

        Assert.Equal(expected, exception.Error);
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_client_options_are_rejected(string fault, ObsValidationError expected)
    {
        var options = Options();
        switch (fault)
        {
            case "no access key": options.AccessKeyId = ""; break;
            case "no secret key": options.SecretAccessKey = " "; break;
            case "endpoint with path": options.Endpoint = "http://127.0.0.1:1/bucket"; break;
            case "ftp endpoint": options.Endpoint = "ftp://example.com"; break;
            case "endpoint not a URL": options.Endpoint = "http://exa mple.com"; break;
            case "retries over 20": options.MaxRetries = 21; break;
            case "access key id with CR LF": options.AccessKeyId = "ak\r\nX-Injected: 1"; break;
            case "secret with a line feed": options.SecretAccessKey = "sk\n"; break;
            case "token with CR LF": options.SecurityToken = "token\r\nX-Injected: 1"; break;
            case "region with a space": options.Region = "us east"; break;
            case "idle timeout under a second": options.IdleTimeout = TimeSpan.FromMilliseconds(500); break;
        }

        var exception = Assert.Throws<ObsValidationException>(() => new ObsClient(options));

        Assert.Equal(expected, exception.Error);
    }

    [Fact]
    public void Missing_credentials_message_names_the_environment_variables()
    {
        var options = Options();
        options.SecretAccessKey = "";

        var exception = Assert.Throws<ObsValidationException>(() => new ObsClient(options));

        Assert.Contains("OBS_SECRET_ACCESS_KEY", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_bad_request_in_a_batch_stops_the_batch_before_any_request()
    {
        using var client = new ObsClient(Options());
        UploadFileRequest[] requests = [Request("valid"), Request("missing file")];

        var exception = await Assert.ThrowsAsync<ObsValidationException>(() => client.UploadFilesAsync(requests, 2));

        Assert.Equal(ObsValidationError.FileNotFound, exception.Error);
    }

    [Fact]
    public async Task Every_problem_of_a_request_is_reported_at_once()
    {
        using var client = new ObsClient(Options());
        var request = Request("empty key");
        request.PartSize = 1;
        request.Metadata["bad name"] = "v";

        var exception = await Assert.ThrowsAsync<ObsValidationException>(() => client.UploadFileAsync(request));

        Assert.Equal([ObsValidationError.InvalidObjectKey, ObsValidationError.PartSizeOutOfRange, ObsValidationError.InvalidMetadata],
            exception.Failures.Select(failure => failure.Error));
    }

    [Fact]
    public void Every_problem_of_the_options_is_reported_at_once()
    {
        var options = Options();
        options.Endpoint = "ftp://example.com";
        options.MaxRetries = -1;
        options.AccessKeyId = "a\rb";

        var exception = Assert.Throws<ObsValidationException>(() => new ObsClient(options));

        Assert.Equal([ObsValidationError.InvalidCredentials, ObsValidationError.InvalidEndpoint, ObsValidationError.InvalidOption],
            exception.Failures.Select(failure => failure.Error));
    }

    [Fact]
    public async Task File_that_says_it_is_empty_but_has_bytes_fails_before_any_request()
    {
        using var client = new ObsClient(Options());
        var request = new UploadFileRequest("valid-bucket", "key", "/proc/self/status");

        var exception = await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));

        Assert.Equal(ObsErrorKind.LocalFile, exception.Kind);
        Assert.Contains("reports a size of 0 bytes but has content", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    /// <summary>A FIFO nobody writes to: opening it to read would wait for a writer forever.</summary>
    private string NamedPipe()
    {
        var path = Path.Combine(_files.Root, "pipe");
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private static ObsClientOptions Options() => new()
    {
        Endpoint = "http://127.0.0.1:9",
        AccessKeyId = "ak",
        SecretAccessKey = "sk",
        Signature = SignatureType.V4,
        MaxRetries = 0,
    };

    private UploadFileRequest Request(string fault)
    {
        var request = new UploadFileRequest("valid-bucket", "key", _files.Create("file.bin", 10));
        switch (fault)
        {
            case "valid": break;
            case "missing file": request.UploadFile = Path.Combine(_files.Root, "nope.bin"); break;
            case "directory": request.UploadFile = _files.Root; break;
            case "named pipe": request.UploadFile = NamedPipe(); break;
            case "character device": request.UploadFile = "/dev/zero"; break;
            case "part size below 100 KiB": request.PartSize = UploadFileRequest.MinPartSize - 1; break;
            case "part size above 5 GiB": request.PartSize = UploadFileRequest.MaxPartSize + 1; break;
            case "task num 0": request.TaskNum = 0; break;
            case "task num 101": request.TaskNum = 101; break;
            case "upper-case bucket": request.BucketName = "Releases"; break;
            case "short bucket": request.BucketName = "ab"; break;
            case "IP bucket": request.BucketName = "192.168.1.1"; break;
            case "bucket with ..": request.BucketName = "a..b"; break;
            case "empty key": request.ObjectKey = ""; break;
            case "key over 1024 bytes": request.ObjectKey = new string('é', 513); break;
            case "key with a line feed": request.ObjectKey = "a\nb"; break;
            case "key with U+0001": request.ObjectKey = "a\u0001b"; break;
            case "key with DEL": request.ObjectKey = "a\u007fb"; break;
            case "key with a lone surrogate": request.ObjectKey = "a\ud800b"; break;
            case "non-ASCII metadata value": request.Metadata["author"] = "Zoë"; break;
            case "metadata name with space": request.Metadata["my key"] = "v"; break;
            case "metadata over 8 KiB": request.Metadata["big"] = new string('x', 8 * 1024); break;
            case "content type with newline": request.Headers.ContentType = "text/plain\r\nX-Evil: 1"; break;
            default: throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }

        return request;
    }
}
