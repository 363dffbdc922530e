using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>Every bad input fails the build with its own code and a message that names the problem, and nothing is
/// sent: the endpoint is a recording proxy that must see no request at all.</summary>
[Collection(MSBuildTests.Name)]
public sealed class InvalidInputTests : IDisposable
{
    private readonly TaskProject _project = new();

    [Theory]
    [InlineData("missing file", "OBS0004", "missing.bin")]
    [InlineData("pattern in a missing folder", "OBS0004", "dist/nosuch/*.bin' does not exist")]
    [InlineData("directory", "OBS0005", "dist")]
    [InlineData("part size", "OBS0006", "PartSize 1024")]
    [InlineData("task number", "OBS0007", "TaskNum 0")]
    [InlineData("no credentials", "OBS0002", "OBS_SECRET_ACCESS_KEY")]
    [InlineData("bucket name", "OBS0008", "Bad_Bucket")]
    [InlineData("endpoint", "OBS0003", "/not-a-root")]
    [InlineData("no endpoint", "OBS0001", "OBS_ENDPOINT")]
    [InlineData("signature", "OBS0012", "V3")]
    [InlineData("metadata syntax", "OBS0010", "no-equals-sign")]
    [InlineData("metadata value", "OBS0010", "printable ASCII")]
    [InlineData("duplicate key", "OBS0014", "same/key.bin")]
    [InlineData("max retries", "OBS0013", "MaxRetries")]
    [InlineData("idle timeout", "OBS0013", "IdleTimeout")]
    [InlineData("path style", "OBS0013", "PathStyle 'sometimes'")]
    [InlineData("key with a control character", "OBS0009", "control character")]
    [InlineData("access key with a line break", "OBS0015", "stray line break")]
    public async Task Bad_input_fails_with_its_own_code_before_any_request(string input, string code, string quoted)
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        _project.CreateFile("dist/a.bin", 1000);
        _project.CreateFile("dist/b.bin", 1000);
        var task = TaskProject.StoreTask(store, proxy.Endpoint);
        var items = """<Artifacts Include="dist/*.bin" />""";
        var environment = EnvironmentScope.StoreCredentials(store);
        switch (input)
        {
            case "missing file": items = """<Artifacts Include="dist/a.bin;dist/missing.bin" />"""; break;
            case "directory": items = """<Artifacts Include="dist" />"""; break;
            case "pattern in a missing folder": items = """<Artifacts Include="dist/" FileMatch="*.bin;nosuch/*.bin" />"""; break;
            case "part size": task["PartSize"] = "1024"; break;
            case "task number": task["TaskNum"] = "0"; break;
            case "no credentials": environment["OBS_SECRET_ACCESS_KEY"] = null; break;
            case "bucket name": task["Bucket"] = "Bad_Bucket"; break;
            case "endpoint": task["Endpoint"] = new Uri(proxy.Endpoint, "not-a-root").ToString(); break;
            case "no endpoint": task.Remove("Endpoint"); break;
            case "signature": task["Signature"] = "V3"; break;
            case "metadata syntax": task["Metadata"] = "build=42;no-equals-sign"; break;
            case "metadata value": task["Metadata"] = "owner=Zoë"; break;
            case "duplicate key": items = """<Artifacts Include="dist/*.bin" ObjectKey="same/key.bin" />"""; break;
            case "max retries": task["MaxRetries"] = "21"; break;
            case "idle timeout": task["IdleTimeout"] = "0"; break;
            case "path style": task["PathStyle"] = "sometimes"; break;
            case "key with a control character": items = """<Artifacts Include="dist/a.bin" ObjectKey="a%01b" />"""; break;
            case "access key with a line break": environment["OBS_ACCESS_KEY_ID"] = store.AccessKeyId + "\r\nX-Injected: 1"; break;
            default: throw new ArgumentOutOfRangeException(nameof(input), input, null);
        }

        _project.Write(items, task);

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = environment });

        Assert.False(run.Succeeded);
        var error = Assert.Single(run.Errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(quoted, error.Message, StringComparison.Ordinal);
        Assert.Empty(run.UploadedFiles);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        _project.CreateFile("dist/a.bin", 1000);
        var task = TaskProject.StoreTask(store, proxy.Endpoint);
        task["PartSize"] = "1024";
        task["Signature"] = "V3";
        task["Bucket"] = "Bad_Bucket";
        _project.Write("""<Artifacts Include="dist/a.bin;dist/missing.bin" />""", task);

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = EnvironmentScope.StoreCredentials(store) });

        Assert.Equal(["OBS0004", "OBS0006", "OBS0008", "OBS0012"], run.Errors.Select(error => error.Code).Order());
        Assert.All(run.Errors, error => Assert.EndsWith("/docs/errors.md#" + error.Code.ToLowerInvariant(), error.HelpLink, StringComparison.Ordinal));
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task No_files_is_a_coded_warning_not_an_error()
    {
        var store = await LocalObjectStore.GetAsync();
        _project.Write("", TaskProject.StoreTask(store, store.Endpoint));

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = EnvironmentScope.StoreCredentials(store) });

        Assert.True(run.Succeeded, run.Describe());
        Assert.Equal("OBS0045", Assert.Single(run.Warnings).Code);
    }

    public void Dispose() => _project.Dispose();
}
