using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>The runner built beside this test assembly (same configuration; a project reference builds it first), whose
/// output also holds the engine and both builds of obs-uploader, as the packages ship them.</summary>
internal static class RunnerBuild
{
    /// <summary>The runner's assembly.</summary>
    public static string Assembly
    {
        get
        {
            var runner = Path.Combine(OutputFolder, "ObsBuildTasks.Runner.dll");
            Assert.True(File.Exists(runner), $"The runner is not built: {runner}");
            return runner;
        }
    }

    /// <summary>The runner's output folder.</summary>
    public static string OutputFolder
    {
        get
        {
            var targetDirectory = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            return Path.Combine(LocalObjectStore.RepositoryRoot(), "tests", "ObsBuildTasks.Runner", "bin", targetDirectory.Parent!.Name, targetDirectory.Name);
        }
    }
}
