using ObsBuildTasks.Wire;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>Behaviour of the HMAC-SHA1 signer (OBS and AWS V2) beyond the published vectors.</summary>
public sealed class HmacSha1SignerTests
{
    private static readonly DateTimeOffset Timestamp = new(2015, 10, 15, 7, 20, 9, TimeSpan.Zero);

    [Fact]
    public void Aws_V2_signs_the_AWS_documentation_GET_example()
    {
        var request = new ObsRequest(HttpMethod.Get, "johnsmith.s3.amazonaws.com", "/photos/puppy.jpg", "johnsmith", "photos/puppy.jpg");
        request.Headers["Date"] = "Tue, 27 Mar 2007 19:36:42 +0000";

        HmacSha1Signer.AwsV2.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.Equal("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", request.Headers["Authorization"]);
    }

    [Fact]
    public void Adds_rfc1123_date_in_utc_from_timestamp_when_no_date_is_present()
    {
        var request = ObjectRequest();
        var beijingTime = new DateTimeOffset(2015, 10, 15, 15, 20, 9, TimeSpan.FromHours(8));

        HmacSha1Signer.Obs.Sign(request, SigningTestData.Credentials, beijingTime);

        Assert.Equal("Thu, 15 Oct 2015 07:20:09 GMT", request.Headers["Date"]);
        Assert.Equal("GET\n\n\nThu, 15 Oct 2015 07:20:09 GMT\n/bucket/key", HmacSha1Signer.Obs.BuildStringToSign(request));
    }

    [Fact]
    public void Keeps_a_date_header_that_is_already_present()
    {
        var request = ObjectRequest();
        request.Headers["Date"] = "Tue, 27 Mar 2007 19:36:42 +0000";

        HmacSha1Signer.Obs.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.Equal("Tue, 27 Mar 2007 19:36:42 +0000", request.Headers["Date"]);
    }

    [Fact]
    public void Signs_an_empty_date_and_adds_no_date_header_when_prefixed_date_is_sent()
    {
        var request = ObjectRequest();
        request.Headers["x-obs-date"] = "Thu, 15 Oct 2015 07:20:09 GMT";

        HmacSha1Signer.Obs.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.False(request.Headers.ContainsKey("Date"));
        Assert.Equal(
            "GET\n\n\n\nx-obs-date:Thu, 15 Oct 2015 07:20:09 GMT\n/bucket/key",
            HmacSha1Signer.Obs.BuildStringToSign(request));
    }

    [Fact]
    public void Obs_sends_and_signs_the_security_token()
    {
        var request = ObjectRequest();

        HmacSha1Signer.Obs.Sign(request, SigningTestData.TemporaryCredentials("sts-token"), Timestamp);

        Assert.Equal("sts-token", request.Headers["x-obs-security-token"]);
        Assert.Contains("\nx-obs-security-token:sts-token\n", HmacSha1Signer.Obs.BuildStringToSign(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_V2_sends_the_security_token_as_an_amz_header()
    {
        var request = ObjectRequest();

        HmacSha1Signer.AwsV2.Sign(request, SigningTestData.TemporaryCredentials("sts-token"), Timestamp);

        Assert.Equal("sts-token", request.Headers["x-amz-security-token"]);
        Assert.False(request.Headers.ContainsKey("x-obs-security-token"));
    }

    [Fact]
    public void Canonicalized_headers_are_lowercased_trimmed_and_sorted_by_name()
    {
        var request = ObjectRequest();
        request.Headers["Date"] = "d";
        request.Headers["X-Obs-Meta-Zeta"] = "  last  ";
        request.Headers["x-obs-meta-alpha"] = "first";
        request.Headers["X-OBS-ACL"] = "private";

        Assert.Equal(
            "GET\n\n\nd\nx-obs-acl:private\nx-obs-meta-alpha:first\nx-obs-meta-zeta:last\n/bucket/key",
            HmacSha1Signer.Obs.BuildStringToSign(request));
    }

    [Fact]
    public void Only_the_schemes_own_prefix_is_canonicalized()
    {
        var request = ObjectRequest();
        request.Headers["Date"] = "d";
        request.Headers["x-obs-acl"] = "private";
        request.Headers["x-amz-acl"] = "public-read";

        Assert.Equal("GET\n\n\nd\nx-amz-acl:public-read\n/bucket/key", HmacSha1Signer.AwsV2.BuildStringToSign(request));
    }

    [Fact]
    public void Object_key_is_percent_encoded_in_the_resource()
    {
        var request = new ObsRequest(HttpMethod.Get, "h", "/", "bucket", "dir/café #1+2.txt");
        request.Headers["Date"] = "d";

        Assert.EndsWith("\n/bucket/dir/caf%C3%A9%20%231%2B2.txt", HmacSha1Signer.Obs.BuildStringToSign(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Bucket_level_resource_ends_with_a_slash()
    {
        var request = new ObsRequest(HttpMethod.Get, "bucket.obs.example.com", "/", "bucket", objectKey: null);
        request.Headers["Date"] = "d";
        request.Query["acl"] = null;

        Assert.Equal("GET\n\n\nd\n/bucket/?acl", HmacSha1Signer.Obs.BuildStringToSign(request));
    }

    [Fact]
    public void Service_level_resource_is_a_slash()
    {
        var request = new ObsRequest(HttpMethod.Get, "obs.example.com", "/", bucketName: null, objectKey: null);
        request.Headers["Date"] = "d";

        Assert.Equal("GET\n\n\nd\n/", HmacSha1Signer.Obs.BuildStringToSign(request));
    }

    [Fact]
    public void Sub_resource_values_are_signed_unencoded()
    {
        var request = ObjectRequest();
        request.Headers["Date"] = "d";
        request.Query["response-content-disposition"] = "attachment; filename=\"a b.zip\"";

        Assert.EndsWith(
            "/bucket/key?response-content-disposition=attachment; filename=\"a b.zip\"",
            HmacSha1Signer.Obs.BuildStringToSign(request),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_query_parameters_are_left_out_of_the_resource()
    {
        var request = ObjectRequest();
        request.Headers["Date"] = "d";
        request.Query["prefix"] = "a";
        request.Query["key-marker"] = "b";
        request.Query["max-parts"] = "10";

        Assert.Equal("GET\n\n\nd\n/bucket/key", HmacSha1Signer.Obs.BuildStringToSign(request));
    }

    [Fact]
    public void Signing_again_replaces_the_authorization_header()
    {
        var request = ObjectRequest();
        HmacSha1Signer.Obs.Sign(request, new SigningCredentials("OTHERKEY", "other-secret", null), Timestamp);

        HmacSha1Signer.Obs.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.StartsWith("OBS AKIAIOSFODNN7EXAMPLE:", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    private static ObsRequest ObjectRequest() => new(HttpMethod.Get, "bucket.obs.example.com", "/key", "bucket", "key");
}
