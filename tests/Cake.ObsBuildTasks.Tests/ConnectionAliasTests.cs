using Cake.Core;
using ObsBuildTasks.Testing.Faults;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>Where endpoint and credentials come from, and what happens when they or other settings are missing or wrong.</summary>
public sealed class ConnectionAliasTests
{
    [Fact]
    public async Task Explicit_settings_take_precedence_over_the_environment()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 10);
        var context = workspace.CreateContext(new Dictionary<string, string>
        {
            ["OBS_ENDPOINT"] = "http://127.0.0.1:9",
            ["OBS_ACCESS_KEY_ID"] = "nobody",
            ["OBS_SECRET_ACCESS_KEY"] = "wrong",
        });
        var settings = workspace.Settings();
        settings.Endpoint = workspace.Store.Endpoint.ToString();
        settings.AccessKeyId = workspace.Store.AccessKeyId;
        settings.SecretAccessKey = workspace.Store.SecretAccessKey;

        var result = context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings);

        Assert.NotNull(await workspace.StoredAsync(result.ObjectKey));
    }

    [Fact]
    public async Task Without_an_endpoint_the_error_names_the_setting_and_the_variable()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 10);
        var context = workspace.CreateContext(new Dictionary<string, string>());

        var error = Assert.Throws<CakeException>(() => context.ObsUploadFile(workspace.Store.Bucket, "app.zip", workspace.Settings()));

        Assert.Contains("OBS0001: No endpoint: set Endpoint or the OBS_ENDPOINT environment variable", error.Message, StringComparison.Ordinal);
        Assert.Contains("OBS_ENDPOINT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_credentials_the_error_names_the_variables()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 10);
        var context = workspace.CreateContext(new Dictionary<string, string> { ["OBS_ENDPOINT"] = workspace.Store.Endpoint.ToString() });

        var error = Assert.Throws<CakeException>(() => context.ObsUploadFile(workspace.Store.Bucket, "app.zip", workspace.Settings()));

        Assert.Contains("OBS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
        Assert.Contains("OBS_SECRET_ACCESS_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_part_size_fails_before_any_request()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        await using var proxy = new FaultInjectingProxy(workspace.Store.Endpoint);
        workspace.Files.Create("app.zip", 10);
        var context = workspace.CreateContext(workspace.StoreVariables(proxy.Endpoint));
        var settings = workspace.Settings();
        settings.PartSize = 1;

        var error = Assert.Throws<CakeException>(() => context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings));

        Assert.StartsWith($"Cannot upload to OBS bucket '{workspace.Store.Bucket}':\n  OBS0006: PartSize 1 is out of range", error.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task A_service_error_carries_operation_status_code_and_request_id()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 10);

        var error = Assert.Throws<CakeException>(() => workspace.Context.ObsUploadFile("obs-no-such-bucket", "app.zip", workspace.Settings()));

        Assert.Contains("'obs-no-such-bucket'", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"PutObject failed with HTTP 404 NoSuchBucket.* \(request id \S+\)", error.Message);
    }

    [Fact]
    public async Task Every_invalid_setting_is_reported_at_once_with_its_code()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 10);
        var settings = workspace.Settings();
        settings.PartSize = 1;
        settings.MaxRetries = 99;
        settings.IdleTimeout = TimeSpan.Zero;
        settings.Metadata["bad name"] = "x";

        var error = Assert.Throws<CakeException>(() => workspace.Context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings));

        foreach (var expected in new[] { "OBS0006: PartSize 1", "OBS0013: MaxRetries must be", "OBS0013: IdleTimeout 0 is out of range", "OBS0010: The metadata name 'bad name'" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_rejected_explicit_secret_is_blamed_on_the_setting_not_the_variable()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 10);
        var settings = workspace.Settings();
        settings.SecretAccessKey = "wrong";

        var error = Assert.Throws<CakeException>(() => workspace.Context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings));

        Assert.Contains("OBS0021:", error.Message, StringComparison.Ordinal);
        Assert.Contains("the secret access key from the SecretAccessKey setting", error.Message, StringComparison.Ordinal);
        Assert.Contains("the access key id came from the environment variable OBS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
    }
}
