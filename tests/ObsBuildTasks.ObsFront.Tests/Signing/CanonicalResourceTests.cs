namespace ObsBuildTasks.ObsFront.Tests.Signing;

/// <summary>The signed resource names the bucket and key however the client addressed and encoded them.</summary>
public sealed class CanonicalResourceTests
{
    private const string Domain = "localhost";

    [Theory]
    [InlineData("examplebucket.localhost", "/artifacts/build%201.zip?uploads", "/examplebucket/artifacts/build%201.zip?uploads")]
    [InlineData("localhost", "/examplebucket/artifacts/build%201.zip?uploads", "/examplebucket/artifacts/build%201.zip?uploads")]
    [InlineData("examplebucket.localhost", "/?uploads", "/examplebucket/?uploads")]
    [InlineData("localhost", "/examplebucket?uploads", "/examplebucket?uploads")]
    public void Virtual_hosted_and_path_style_requests_sign_the_bucket_and_key(string host, string rawTarget, string resource) =>
        Assert.Equal(resource, ObsStringToSign.CanonicalResource(RequestTarget.Parse(host, rawTarget, Domain)));

    [Theory]
    [InlineData("/b/%7e%2a%c3%a9%20x", "/b/~%2A%C3%A9%20x")]
    [InlineData("/b/~*%C3%A9%20x", "/b/~%2A%C3%A9%20x")]
    [InlineData("/b/a+b/./c/../d//e", "/b/a%2Bb/./c/../d//e")]
    public void Key_is_signed_in_canonical_encoding(string rawTarget, string resource) =>
        Assert.Equal(resource, ObsStringToSign.CanonicalResource(RequestTarget.Parse(Domain, rawTarget, Domain)));

    [Fact]
    public void Only_sub_resources_are_signed_sorted_with_decoded_values()
    {
        var target = RequestTarget.Parse(Domain,
            "/b/k?versionId=v%2B1&prefix=p&response-content-disposition=attachment%3B%20filename%3Da.zip&max-keys=2&acl", Domain);

        Assert.Equal("/b/k?acl&response-content-disposition=attachment; filename=a.zip&versionId=v+1",
            ObsStringToSign.CanonicalResource(target));
    }
}
