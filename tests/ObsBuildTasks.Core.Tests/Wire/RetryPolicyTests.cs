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
    [InlineData(HttpStatusCode.Forbidden, "RequestTimeTooSkewed")]
    [InlineData(HttpStatusCode.OK, "ETagMismatch")]
    public void Service_answers_worth_another_attempt_are_transient(HttpStatusCode status, string? code) =>
        Assert.True(RetryPolicy.IsTransient(new ObsException("UploadPart", "x", status, code)));

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchUpload")]
    [InlineData(HttpStatusCode.BadRequest, "EntityTooSmall")]
    public void Definitive_answers_fail_fast(HttpStatusCode status, string code) =>
        Assert.False(RetryPolicy.IsTransient(new ObsException("UploadPart", "x", status, code)));

    [Fact]
    public void Transport_failures_are_transient()
    {
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("reset")));
        Assert.True(RetryPolicy.IsTransient(new IOException("broken pipe")));
        Assert.True(RetryPolicy.IsTransient(new TimeoutException("idle")));
    }

    [Fact]
    public void Cancellation_is_not_retried() =>
        Assert.False(RetryPolicy.IsTransient(new OperationCanceledException()));
}
