using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Tests.Wire;

public sealed class ObsEndpointTests
{
    [Theory]
    [InlineData("http://127.0.0.1:18080")]
    [InlineData("http://localhost:9000")]
    [InlineData("http://[::1]:9000")]
    public void Address_and_localhost_endpoints_use_path_style(string endpoint)
    {
        var request = ObsEndpoint.Parse(endpoint, pathStyle: null).CreateRequest(HttpMethod.Put, "bucket", "a b/c.zip");

        Assert.Equal("/bucket/a%20b/c.zip", request.Path);
    }

    [Theory]
    [InlineData("http://user:pw@127.0.0.1:18080", "'http://***@127.0.0.1:18080'")]
    [InlineData("user:pw@obs.example.com", "'***@obs.example.com'")]
    [InlineData("https://user:p/w@x@obs.example.com/path", "'https://***@obs.example.com/path'")]
    public void Invalid_endpoint_message_never_shows_the_user_name_or_password(string endpoint, string shown)
    {
        var message = ObsEndpoint.Check(endpoint);

        Assert.Contains($"The endpoint {shown} is not valid", message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_endpoint_message_hides_a_password_longer_than_the_quoted_text()
    {
        var message = ObsEndpoint.Check($"http://user:{new string('s', 300)}@obs.example.com");

        Assert.Contains("'http://***@obs.example.com'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_name_endpoint_uses_virtual_hosted_style()
    {
        var endpoint = ObsEndpoint.Parse("obs.cn-north-4.myhuaweicloud.com", pathStyle: null);

        var request = endpoint.CreateRequest(HttpMethod.Put, "releases", "app/1.0/app.zip");

        Assert.Equal("releases.obs.cn-north-4.myhuaweicloud.com", request.Host);
        Assert.Equal("/app/1.0/app.zip", request.Path);
        Assert.Equal("https://releases.obs.cn-north-4.myhuaweicloud.com/app/1.0/app.zip", endpoint.BuildUri(request).AbsoluteUri);
    }

    [Fact]
    public void Path_style_can_be_forced_for_a_host_name()
    {
        var request = ObsEndpoint.Parse("https://s3.example.com:8443", pathStyle: true).CreateRequest(HttpMethod.Get, "b1", "k");

        Assert.Equal("s3.example.com:8443", request.Host);
        Assert.Equal("/b1/k", request.Path);
    }

    [Fact]
    public void Reserved_characters_in_keys_and_query_values_reach_the_wire_encoded_once()
    {
        var endpoint = ObsEndpoint.Parse("http://127.0.0.1:1", pathStyle: null);
        var request = endpoint.CreateRequest(HttpMethod.Put, "b1", "dir/a+b%c;d#e ü.zip");
        request.Query["uploadId"] = "x/y+z=";
        request.Query["uploads"] = null;

        var uri = endpoint.BuildUri(request);

        Assert.Equal("/b1/dir/a%2Bb%25c%3Bd%23e%20%C3%BC.zip", uri.AbsolutePath);
        Assert.Equal("?uploadId=x%2Fy%2Bz%3D&uploads", uri.Query);
    }
}
