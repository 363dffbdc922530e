using System.Reflection;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>The ObsBuildTasks package, packed (without building again) from the task this test run built, in a
/// temporary folder that serves as a local feed.</summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public string Feed { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "obs-tests", "feed-" + Guid.NewGuid().ToString("N"));

    public string PackagePath { get; private set; } = "";

    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var project = System.IO.Path.Combine(LocalObjectStore.RepositoryRoot(), "src", "ObsBuildTasks", "ObsBuildTasks.csproj");
        var configuration = typeof(PackedPackage).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var (exitCode, output) = await DotNetCli.RunAsync(LocalObjectStore.RepositoryRoot(), new Dictionary<string, string?>(),
            "pack", project, "--no-build", "-c", configuration, "-o", Feed, "-nologo");
        Assert.True(exitCode == 0, output);
        PackagePath = Directory.GetFiles(Feed, "ObsBuildTasks.*.nupkg").Single();
        Version = System.IO.Path.GetFileNameWithoutExtension(PackagePath)["ObsBuildTasks.".Length..];
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Feed, recursive: true);
        return Task.CompletedTask;
    }
}
