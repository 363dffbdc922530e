using System.Text;
using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>Credentials live in the environment and nowhere else: not in a diagnostic binary log (replayed to text),
/// not in the checkpoints a failed upload leaves behind.</summary>
[Collection(MSBuildTests.Name)]
public sealed class SecretTests : IDisposable
{
    private const int PartSize = 102_400;
    private readonly TaskProject _project = new();

    [Fact]
    public async Task Secret_key_and_token_reach_neither_the_binary_log_nor_the_checkpoints()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        // One file goes up; the other stops at part 3 with a definitive error, so its checkpoint stays.
        proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "3"));
        _project.CreateFile("dist/done.txt", 100);
        _project.CreateFile("dist/partial.bin", 5 * PartSize);
        var task = TaskProject.StoreTask(store, proxy.Endpoint);
        task["PartSize"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        task["ObjectKeyPrefix"] = LocalObjectStore.UniqueKey("secrets") + "/";
        _project.Write("""<Artifacts Include="dist/*" />""", task);
        var token = $"obs-token-{Guid.NewGuid():N}";
        var binaryLog = Path.Combine(_project.Directory, "build.binlog");

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings
        {
            Environment = EnvironmentScope.StoreCredentials(store, securityToken: token),
            BinaryLogPath = binaryLog,
        });

        Assert.Equal("OBS0022", Assert.Single(run.Errors).Code);
        var (_, replay) = await DotNetCli.RunAsync(_project.Directory, new Dictionary<string, string?>(), "msbuild", binaryLog, "-v:diag", "-nologo");
        Assert.Contains("OBS0022", replay, StringComparison.Ordinal);
        Assert.Contains("Task Parameter:", replay, StringComparison.Ordinal);
        var checkpoints = Directory.GetFiles(_project.CheckpointDirectory);
        Assert.NotEmpty(checkpoints);
        foreach (var text in checkpoints.Select(File.ReadAllText).Append(replay))
        {
            Assert.DoesNotContain(store.SecretAccessKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _project.Dispose();
}
