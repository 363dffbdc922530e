using System.Net;
using System.Xml.Linq;
using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Front;

/// <summary>
/// The front refuses what OBS refuses, the way OBS does: 403 with an XML error naming the code and the request id
/// (also in <c>x-obs-request-id</c>); HEAD answers without a body, the code in <c>x-obs-error-code</c>. A refused
/// request never reaches the store (which would answer 404 for the keys used here).
/// </summary>
public sealed class RefusalTests
{
    private static FrontRequest Get() => new(HttpMethod.Get, FrontRequest.ObjectTarget("obs-tests", LocalObjectStore.UniqueKey("refused.bin")));

    [Fact]
    public async Task Wrong_secret_is_SignatureDoesNotMatch()
    {
        var front = await LocalObsFront.GetAsync();

        using var response = await Get().SendAsync(front, front.AccessKeyId, "not-" + front.SecretAccessKey);

        var error = await AssertErrorAsync(response, "SignatureDoesNotMatch");
        Assert.StartsWith("GET\n\n\n", error.Element("StringToSign")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_access_key_is_InvalidAccessKeyId()
    {
        var front = await LocalObsFront.GetAsync();

        using var response = await Get().SendAsync(front, "NOSUCHACCESSKEY00000", front.SecretAccessKey);

        await AssertErrorAsync(response, "InvalidAccessKeyId");
    }

    [Fact]
    public async Task Date_twenty_minutes_off_is_RequestTimeTooSkewed_with_the_server_Date()
    {
        var front = await LocalObsFront.GetAsync();
        var request = new FrontRequest(HttpMethod.Get, FrontRequest.ObjectTarget(front.Bucket, LocalObjectStore.UniqueKey("skewed.bin")))
        {
            Date = DateTimeOffset.UtcNow.AddMinutes(-20),
        };

        using var response = await request.SendAsync(front);

        await AssertErrorAsync(response, "RequestTimeTooSkewed");
        var serverDate = Assert.IsType<DateTimeOffset>(response.Headers.Date);
        Assert.InRange(serverDate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Stale_Date_is_accepted_when_x_obs_date_is_current()
    {
        var front = await LocalObsFront.GetAsync();
        var request = new FrontRequest(HttpMethod.Get, FrontRequest.ObjectTarget(front.Bucket, LocalObjectStore.UniqueKey("absent.bin")))
        {
            Date = DateTimeOffset.UtcNow.AddHours(-1),
            Headers = { ["x-obs-date"] = DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture) },
        };

        using var response = await request.SendAsync(front);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Temporary_key_without_its_token_is_AccessDenied()
    {
        var front = await LocalObsFront.GetAsync();

        using var response = await Get().SendAsync(front, front.TemporaryAccessKeyId, front.TemporarySecretAccessKey);

        await AssertErrorAsync(response, "AccessDenied");
    }

    [Fact]
    public async Task Temporary_key_with_a_wrong_token_is_AccessDenied()
    {
        var front = await LocalObsFront.GetAsync();
        var request = Get();
        request.Headers["x-obs-security-token"] = front.SecurityToken + "x";

        using var response = await request.SendAsync(front, front.TemporaryAccessKeyId, front.TemporarySecretAccessKey);

        await AssertErrorAsync(response, "AccessDenied");
    }

    [Fact]
    public async Task Temporary_key_with_its_token_is_accepted()
    {
        var front = await LocalObsFront.GetAsync();
        var request = Get();
        request.Headers["x-obs-security-token"] = front.SecurityToken;

        using var response = await request.SendAsync(front, front.TemporaryAccessKeyId, front.TemporarySecretAccessKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Permanent_key_with_a_token_is_AccessDenied()
    {
        var front = await LocalObsFront.GetAsync();
        var request = Get();
        request.Headers["x-obs-security-token"] = front.SecurityToken;

        using var response = await request.SendAsync(front);

        await AssertErrorAsync(response, "AccessDenied");
    }

    [Fact]
    public async Task Request_without_Authorization_is_AccessDenied()
    {
        var front = await LocalObsFront.GetAsync();

        using var response = await Get().SendUnsignedAsync(front);

        await AssertErrorAsync(response, "AccessDenied");
    }

    [Fact]
    public async Task Refused_HEAD_has_no_body_and_the_code_in_a_header()
    {
        var front = await LocalObsFront.GetAsync();
        var request = new FrontRequest(HttpMethod.Head, FrontRequest.ObjectTarget(front.Bucket, LocalObjectStore.UniqueKey("head.bin")));

        using var response = await request.SendAsync(front, front.AccessKeyId, "wrong");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", Assert.Single(response.Headers.GetValues("x-obs-error-code")));
        Assert.Single(response.Headers.GetValues("x-obs-request-id"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<XElement> AssertErrorAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = XElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Error", error.Name.LocalName);
        Assert.Equal(code, error.Element("Code")?.Value);
        Assert.False(string.IsNullOrEmpty(error.Element("Message")?.Value));
        Assert.False(string.IsNullOrEmpty(error.Element("HostId")?.Value));
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-obs-request-id")), error.Element("RequestId")?.Value);
        return error;
    }
}
