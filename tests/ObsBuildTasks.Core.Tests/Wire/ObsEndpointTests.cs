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
