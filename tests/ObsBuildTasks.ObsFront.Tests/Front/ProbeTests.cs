using System.Net;
using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Front;

/// <summary>The protocol probe Huawei's SDKs send before they choose a signature is answered like OBS, without authentication.</summary>
public sealed class ProbeTests
{
    [Theory]
    [InlineData("/?apiversion", null)]
    [InlineData("/obs-tests?apiversion", null)]
    [InlineData("/?apiversion", "obs-tests")]
    public async Task Anonymous_HEAD_apiversion_answers_x_obs_api_3_0(string rawTarget, string? virtualHostBucket)
    {
        var front = await LocalObsFront.GetAsync();

        using var response = await new FrontRequest(HttpMethod.Head, rawTarget) { VirtualHostBucket = virtualHostBucket }.SendUnsignedAsync(front);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3.0", Assert.Single(response.Headers.GetValues("x-obs-api")));
    }
}
