using System.Diagnostics;
using System.Text.Json;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Infrastructure;

/// <summary>
/// Debian's awscli (<c>/usr/bin/aws</c>: the <c>aws</c> first on PATH may be another install) talking straight to the
/// store: an independent reader of what went through the front.
/// </summary>
internal static class AwsCli
{
    /// <summary>Runs <c>aws s3api {arguments}</c> against the store and returns its JSON answer.</summary>
    public static async Task<JsonElement> S3ApiAsync(params string[] arguments)
    {
        var store = await LocalObjectStore.GetAsync();
        var start = new ProcessStartInfo("/usr/bin/aws");
        foreach (var argument in (string[])["--endpoint-url", store.Endpoint.ToString(), "--output", "json", "s3api", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // Only this store's settings: this machine's AWS_CA_BUNDLE, profiles or config files must not apply.
        foreach (var name in new[] { "AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_SESSION_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_ACCESS_KEY_ID"] = store.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = store.SecretAccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = LocalObjectStore.Region;
        start.Environment["AWS_PAGER"] = "";
        var (exitCode, output, error) = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"aws s3api {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        using var document = JsonDocument.Parse(output.Length == 0 ? "{}" : output);
        return document.RootElement.Clone();
    }

    /// <summary>The stored object's user metadata and content type.</summary>
    public static async Task<(Dictionary<string, string> Metadata, string ContentType)> HeadObjectAsync(string bucket, string key)
    {
        var head = await S3ApiAsync("head-object", "--bucket", bucket, "--key", key);
        return (head.GetProperty("Metadata").EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetString()!),
            head.GetProperty("ContentType").GetString()!);
    }
}
