using System.Net;
using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Tests.FrontEnd;

/// <summary>What users read, made from the engine's events the same way for both front ends.</summary>
public sealed class UploadNarratorTests
{
    private static readonly UploadFileRequest Request = new("bucket", "app/1.0/app.zip", "/work/dist/app.zip")
    {
        CheckpointFile = "/work/dist/app.zip.obs-checkpoint.json",
    };
    private readonly RecordingReporter _reporter = new();
    private readonly UploadNarrator _narrator;

    public UploadNarratorTests() => _narrator = new UploadNarrator(_reporter, new Dictionary<UploadFileRequest, string> { [Request] = "dist/app.zip" },
        new ProgressHeartbeat(TimeSpan.Zero, "bucket", 1), maxAttempts: 5, onProgress: null, credentialOrigin: "Check the credentials: from X.");

    [Fact]
    public void A_fresh_multipart_file_starts_with_its_size_destination_and_parts()
    {
        _narrator.OnEvent(new FileStartedEvent(Request, 30L * 1024 * 1024, 3, 10L * 1024 * 1024, 0, 0, 0, false));

        Assert.Equal((LineImportance.High, "Uploading dist/app.zip (30.0 MiB) to bucket/app/1.0/app.zip in 3 parts of 10.0 MiB."), _reporter.Lines.Single());
    }

    [Fact]
    public void A_resumed_file_says_how_many_parts_are_there_and_how_many_go_again()
    {
        _narrator.OnEvent(new FileStartedEvent(Request, 30L * 1024 * 1024, 3, 10L * 1024 * 1024, 1, 10L * 1024 * 1024, 1, true));

        Assert.Equal("Resuming dist/app.zip (30.0 MiB) to bucket/app/1.0/app.zip in 3 parts of 10.0 MiB: 1 of 3 are already there, 1 no longer match the file and are sent again.",
            _reporter.Lines.Single().Text);
    }

    [Fact]
    public void A_retry_is_a_coded_warning_with_part_file_delay_attempt_and_cause()
    {
        var cause = new ObsException("UploadPart", ObsErrorKind.Service, "UploadPart failed with HTTP 503 SlowDown.", HttpStatusCode.ServiceUnavailable, "SlowDown");

        _narrator.OnEvent(new RequestRetriedEvent(Request, "UploadPart", 7, cause, 2, TimeSpan.FromSeconds(1.5)));

        var warning = _reporter.Warnings.Single();
        Assert.Equal(DiagnosticCode.RequestRetried, warning.Code);
        Assert.Equal("UploadPart of part 7 of dist/app.zip failed; retrying in 1.5 s (attempt 2 of 5): UploadPart failed with HTTP 503 SlowDown.", warning.Message);
    }

    [Theory]
    [InlineData(ObsErrorKind.IdleTimeout, null, "OBS0024")]
    [InlineData(ObsErrorKind.Redirect, null, "OBS0029")]
    [InlineData(ObsErrorKind.MalformedAnswer, null, "OBS0032")]
    [InlineData(ObsErrorKind.FileChanged, null, "OBS0028")]
    [InlineData(ObsErrorKind.IntegrityMismatch, null, "OBS0025")]
    [InlineData(ObsErrorKind.Service, "NoSuchBucket", "OBS0023")]
    [InlineData(ObsErrorKind.Service, "NoSuchUpload", "OBS0033")]
    [InlineData(ObsErrorKind.Service, "InternalError", "OBS0020")]
    public void A_failed_file_is_an_error_coded_by_its_kind(ObsErrorKind kind, string? serviceCode, string expected)
    {
        _narrator.OnEvent(new FileFailedEvent(Request, new ObsException("UploadPart", kind, "It broke.", errorCode: serviceCode, requestId: "r-1"), Resumable: true));

        var error = _reporter.Errors.Single();
        Assert.Equal(expected, error.Code.Id);
        Assert.Equal("Uploading dist/app.zip to bucket/app/1.0/app.zip failed: It broke. (request id r-1) The next run resumes from the checkpoint '/work/dist/app.zip.obs-checkpoint.json'.", error.Message);
    }

    [Fact]
    public void A_rejected_secret_names_where_the_credentials_came_from()
    {
        _narrator.OnEvent(new FileFailedEvent(Request,
            new ObsException("PutObject", ObsErrorKind.Service, "Refused.", HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), Resumable: false));

        Assert.EndsWith("Refused. Check the credentials: from X.", _reporter.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Totals_count_uploaded_resumed_skipped_and_failed_files()
    {
        var outcomes = new[]
        {
            Outcome(resumed: false, skipped: false),
            Outcome(resumed: true, skipped: false),
            Outcome(resumed: false, skipped: true),
            new UploadFileOutcome(Request, null, new ObsException("UploadPart", ObsErrorKind.Transport, "x")),
        };

        _narrator.Totals("bucket", outcomes, TimeSpan.FromSeconds(2));

        Assert.StartsWith("Uploaded 3 of 4 file(s) (3.0 KiB) to bucket bucket in 2.0 s: 1 uploaded, 1 resumed, 1 skipped, 1 failed; 3.0 KiB sent at ",
            _reporter.Lines.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Totals_count_the_bytes_that_failed_files_sent()
    {
        var error = new ObsException("UploadPart", ObsErrorKind.Transport, "x");
        _narrator.OnEvent(new FileFailedEvent(Request, error, Resumable: true) { BytesSent = 2048 });

        _narrator.Totals("bucket", [Outcome(resumed: false, skipped: false), new UploadFileOutcome(Request, null, error)], TimeSpan.FromSeconds(2));

        Assert.Contains("1 failed; 3.0 KiB sent at ", _reporter.Lines.Single(line => line.Text.StartsWith("Uploaded ", StringComparison.Ordinal)).Text,
            StringComparison.Ordinal);
    }

    private static UploadFileOutcome Outcome(bool resumed, bool skipped) => new(Request, new CompleteMultipartUploadResult
    {
        BucketName = "bucket", ObjectKey = "k", UploadFile = "/f", ETag = "e", Location = new Uri("http://h/b/k"), Size = 1024, BytesSent = 1024,
        Resumed = resumed, Skipped = skipped,
    }, null);
}
