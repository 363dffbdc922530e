using System.Net;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Tests.Wire;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown")]
    [InlineData(HttpStatusCode.BadGateway, null)]
    [InlineData(HttpStatusCode.RequestTimeout, null)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout")]
    [InlineData(HttpStatusCode.BadRequest, "BadDigest")]
    public void Service_answers_worth_another_attempt_are_transient(HttpStatusCode status, string? code) =>
        Assert.True(RetryPolicy.IsTransient(new ObsException("UploadPart", ObsErrorKind.Service, "x", status, code)));

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchUpload")]
    [InlineData(HttpStatusCode.BadRequest, "EntityTooSmall")]
    [InlineData(HttpStatusCode.Forbidden, "RequestTimeTooSkewed")]
    public void Definitive_answers_fail_fast(HttpStatusCode status, string code) =>
        Assert.False(RetryPolicy.IsTransient(new ObsException("UploadPart", ObsErrorKind.Service, "x", status, code)));

    [Fact]
    public void A_clock_skew_is_retried_only_once_the_clock_was_corrected() =>
        Assert.True(RetryPolicy.IsTransient(new ObsException("UploadPart", ObsErrorKind.Service, "x", HttpStatusCode.Forbidden, "RequestTimeTooSkewed")
        {
            ClockCorrected = true,
        }));

    [Theory]
    [InlineData(ObsErrorKind.Transport)]
    [InlineData(ObsErrorKind.IdleTimeout)]
    [InlineData(ObsErrorKind.MalformedAnswer)]
    [InlineData(ObsErrorKind.IntegrityMismatch)]
    public void Failures_of_the_way_are_transient(ObsErrorKind kind) =>
        Assert.True(RetryPolicy.IsTransient(new ObsException("UploadPart", kind, "x")));

    [Theory]
    [InlineData(ObsErrorKind.Redirect)]
    [InlineData(ObsErrorKind.FileChanged)]
    [InlineData(ObsErrorKind.LocalFile)]
    [InlineData(ObsErrorKind.CheckpointInUse)]
    public void Redirects_and_local_failures_are_not_retried(ObsErrorKind kind) =>
        Assert.False(RetryPolicy.IsTransient(new ObsException("UploadPart", kind, "x")));
}
