using ObsBuildTasks.Wire;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>
/// The six OBS test vectors of obs-protocol.md, each built from a request and signed end to end.
/// The vectors' <c>Date</c> strings are passed as existing <c>Date</c> headers: 15 Oct 2015 was a Thursday, so no
/// timestamp can make the signer format "Tue, 15 Oct 2015"; <see cref="HmacSha1SignerTests"/> covers the date the signer adds.
/// </summary>
public sealed class ObsSignatureVectorTests
{
    private const string Host = "examplebucket.obs.cn-north-4.myhuaweicloud.com";
    private const string Bucket = "examplebucket";
    private const string Key = "artifacts/build 1.zip";
    private const string Path = "/artifacts/build%201.zip";
    private const string UploadId = "00000163D40171ED8DF4050919BD02B8";
    private const string VectorDate = "Tue, 15 Oct 2015 07:20:09 GMT";
    private const string Resource = "/examplebucket/artifacts/build%201.zip";

    private static readonly DateTimeOffset Timestamp = new(2015, 10, 15, 7, 20, 9, TimeSpan.Zero);

    [Fact]
    public void Get_object_matches_vector()
    {
        var request = new ObsRequest(HttpMethod.Get, "johnsmith.obs.example.com", "/photos/puppy.jpg", "johnsmith", "photos/puppy.jpg");
        request.Headers["Date"] = "Tue, 27 Mar 2007 19:36:42 +0000";

        AssertSigned(
            request,
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
            "bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
    }

    [Fact]
    public void Initiate_multipart_upload_matches_vector()
    {
        var request = ObjectRequest(HttpMethod.Post, ("uploads", null));
        request.Headers["Content-Type"] = "application/zip";
        request.Headers["x-obs-acl"] = "private";
        request.Headers["x-obs-date"] = VectorDate;
        request.Headers["x-obs-meta-commit"] = "abc123";
        request.Headers["x-obs-storage-class"] = "STANDARD";

        AssertSigned(
            request,
            "POST\n\napplication/zip\n\nx-obs-acl:private\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\n" +
            "x-obs-meta-commit:abc123\nx-obs-storage-class:STANDARD\n" + Resource + "?uploads",
            "MaQK5FtJAdOgN4nbaNpNem9rpJw=");
    }

    [Fact]
    public void Upload_part_matches_vector()
    {
        var request = ObjectRequest(HttpMethod.Put, ("partNumber", "3"), ("uploadId", UploadId));
        request.Headers["Content-MD5"] = "I5pU0r4+sgO9Emgl1KMQUg==";
        request.Headers["Date"] = VectorDate;

        AssertSigned(
            request,
            "PUT\nI5pU0r4+sgO9Emgl1KMQUg==\n\n" + VectorDate + "\n" + Resource + "?partNumber=3&uploadId=" + UploadId,
            "DhH479Dxn5pky4N6gfJuKeM6EcI=");
    }

    [Fact]
    public void Complete_multipart_upload_matches_vector()
    {
        var request = ObjectRequest(HttpMethod.Post, ("uploadId", UploadId));
        request.Headers["Content-Type"] = "application/xml";
        request.Headers["Date"] = VectorDate;

        AssertSigned(
            request,
            "POST\n\napplication/xml\n" + VectorDate + "\n" + Resource + "?uploadId=" + UploadId,
            "tukZhRuUslv4AuHv2xKWumXqH5E=");
    }

    [Fact]
    public void List_parts_matches_vector_without_signing_paging_parameters()
    {
        var request = ObjectRequest(HttpMethod.Get, ("uploadId", UploadId), ("max-parts", "1000"), ("part-number-marker", "2"));
        request.Headers["Date"] = VectorDate;

        AssertSigned(
            request,
            "GET\n\n\n" + VectorDate + "\n" + Resource + "?uploadId=" + UploadId,
            "aHVjy7q0+R5mcVJBBf1C2R+WTDM=");
    }

    [Fact]
    public void Abort_multipart_upload_matches_vector()
    {
        var request = ObjectRequest(HttpMethod.Delete, ("uploadId", UploadId));
        request.Headers["Date"] = VectorDate;

        AssertSigned(
            request,
            "DELETE\n\n\n" + VectorDate + "\n" + Resource + "?uploadId=" + UploadId,
            "IbkfBYsnTkR+mBhCWaE4TRjJB+M=");
    }

    private static ObsRequest ObjectRequest(HttpMethod method, params (string Name, string? Value)[] query)
    {
        var request = new ObsRequest(method, Host, Path, Bucket, Key);
        foreach (var (name, value) in query)
        {
            request.Query[name] = value;
        }

        return request;
    }

    private static void AssertSigned(ObsRequest request, string expectedStringToSign, string expectedSignature)
    {
        HmacSha1Signer.Obs.Sign(request, SigningTestData.Credentials, Timestamp);

        Assert.Equal(expectedStringToSign, HmacSha1Signer.Obs.BuildStringToSign(request));
        Assert.Equal($"OBS {SigningTestData.AccessKeyId}:{expectedSignature}", request.Headers["Authorization"]);
    }
}
