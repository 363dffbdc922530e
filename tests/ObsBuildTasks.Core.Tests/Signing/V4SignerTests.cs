using ObsBuildTasks.Wire;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>
/// SigV4 against the worked S3 examples in AWS's "Signature Calculations for the Authorization Header" documentation
/// (examplebucket, 2013-05-24, us-east-1). Those examples sign a real payload hash, so it is set explicitly.
/// </summary>
public sealed class V4SignerTests
{
    private const string Host = "examplebucket.s3.amazonaws.com";
    private const string EmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Scope = "20130524/us-east-1/s3/aws4_request";

    private static readonly DateTimeOffset Timestamp = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly V4Signer Signer = new("us-east-1");

    [Fact]
    public void Get_object_canonical_request_matches_aws_example()
    {
        var request = GetObjectExample();
        request.Headers["x-amz-date"] = "20130524T000000Z";

        Assert.Equal(
            "GET\n/test.txt\n\n" +
            "host:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n" +
            $"x-amz-content-sha256:{EmptyPayloadSha256}\nx-amz-date:20130524T000000Z\n\n" +
            $"host;range;x-amz-content-sha256;x-amz-date\n{EmptyPayloadSha256}",
            V4Signer.BuildCanonicalRequest(request));
    }

    [Fact]
    public void Get_object_string_to_sign_matches_aws_example()
    {
        var request = GetObjectExample();
        request.Headers["x-amz-date"] = "20130524T000000Z";

        Assert.Equal(
            $"AWS4-HMAC-SHA256\n20130524T000000Z\n{Scope}\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
            Signer.BuildStringToSign(Timestamp, V4Signer.BuildCanonicalRequest(request)));
    }

    [Fact]
    public void Get_object_authorization_matches_aws_example()
    {
        var request = GetObjectExample();

        Signer.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/{Scope}, " +
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            request.Headers["Authorization"]);
    }

    [Fact]
    public void Put_object_signature_matches_aws_example()
    {
        var request = new ObsRequest(HttpMethod.Put, Host, "/test%24file.text", "examplebucket", "test$file.text");
        request.Headers["Date"] = "Fri, 24 May 2013 00:00:00 GMT";
        request.Headers["x-amz-storage-class"] = "REDUCED_REDUNDANCY";
        request.Headers["x-amz-content-sha256"] = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";

        Signer.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.EndsWith(
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, " +
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
            request.Headers["Authorization"],
            StringComparison.Ordinal);
    }

    [Fact]
    public void Valueless_query_flag_is_signed_as_name_equals_as_in_aws_lifecycle_example()
    {
        var request = BucketRequest(("lifecycle", null));

        Signer.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.EndsWith(
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
            request.Headers["Authorization"],
            StringComparison.Ordinal);
    }

    [Fact]
    public void Query_is_sorted_by_name_as_in_aws_list_objects_example()
    {
        var request = BucketRequest(("prefix", "J"), ("max-keys", "2"));

        Signer.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.EndsWith(
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
            request.Headers["Authorization"],
            StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_key_matches_aws_derivation_example()
    {
        byte[] key = V4Signer.DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Payload_is_unsigned_when_no_content_hash_is_given()
    {
        var request = new ObsRequest(HttpMethod.Put, Host, "/big.zip", "examplebucket", "big.zip");

        Signer.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.Equal("UNSIGNED-PAYLOAD", request.Headers["x-amz-content-sha256"]);
    }

    [Fact]
    public void Amz_date_is_set_from_the_timestamp_in_utc()
    {
        var request = GetObjectExample();

        Signer.Sign(request, SigningTestData.Credentials, new DateTimeOffset(2013, 5, 24, 8, 0, 0, TimeSpan.FromHours(8)));

        Assert.Equal("20130524T000000Z", request.Headers["x-amz-date"]);
    }

    [Fact]
    public void Security_token_is_sent_and_signed()
    {
        var request = GetObjectExample();

        Signer.Sign(request, SigningTestData.TemporaryCredentials("sts-token"), Timestamp);

        Assert.Equal("sts-token", request.Headers["x-amz-security-token"]);
        Assert.Contains(
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token,",
            request.Headers["Authorization"],
            StringComparison.Ordinal);
    }

    [Fact]
    public void Header_values_are_trimmed_and_inner_space_runs_collapsed()
    {
        var request = new ObsRequest(HttpMethod.Get, Host, "/", "examplebucket", objectKey: null);
        request.Headers["X-Amz-Meta-Note"] = "  a   b  c ";

        Assert.Contains("\nx-amz-meta-note:a b c\n", V4Signer.BuildCanonicalRequest(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Canonical_query_encodes_names_and_values_including_slash()
    {
        var request = BucketRequest(("prefix", "dir/a b+é~"), ("uploads", null));

        string canonicalQuery = V4Signer.BuildCanonicalRequest(request).Split('\n')[2];

        Assert.Equal("prefix=dir%2Fa%20b%2B%C3%A9~&uploads=", canonicalQuery);
    }

    [Fact]
    public void Signing_again_does_not_sign_the_previous_authorization()
    {
        var request = GetObjectExample();
        Signer.Sign(request, SigningTestData.Credentials, Timestamp);
        string first = request.Headers["Authorization"];

        Signer.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.Equal(first, request.Headers["Authorization"]);
    }

    private static ObsRequest GetObjectExample()
    {
        var request = new ObsRequest(HttpMethod.Get, Host, "/test.txt", "examplebucket", "test.txt");
        request.Headers["Range"] = "bytes=0-9";
        request.Headers["x-amz-content-sha256"] = EmptyPayloadSha256;
        return request;
    }

    private static ObsRequest BucketRequest(params (string Name, string? Value)[] query)
    {
        var request = new ObsRequest(HttpMethod.Get, Host, "/", "examplebucket", objectKey: null);
        request.Headers["x-amz-content-sha256"] = EmptyPayloadSha256;
        foreach (var (name, value) in query)
        {
            request.Query[name] = value;
        }

        return request;
    }
}
