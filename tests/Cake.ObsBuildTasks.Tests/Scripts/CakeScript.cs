using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Packages;
using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests.Scripts;

/// <summary>
/// A build.cake in a temporary folder of its own that loads the packed addin from a local folder feed, runnable with
/// <c>dotnet cake</c> as a user would. The folder has the repository's tool manifest, a nuget.config adding the feed
/// (the machine's default sources stay) and a fresh Cake tools folder, so no addin of an earlier run is reused.
/// </summary>
internal sealed class CakeScript : IDisposable
{
    public CakeScript(AddinFeed feed, string body)
    {
        Directory.CreateDirectory(Path.Combine(Files.Root, ".config"));
        File.Copy(Path.Combine(LocalObjectStore.RepositoryRoot(), ".config", "dotnet-tools.json"), Path.Combine(Files.Root, ".config", "dotnet-tools.json"));
        FolderFeed.WriteNuGetConfig(Files.Root, "addin-feed", feed.Folder);
        File.WriteAllText(Path.Combine(Files.Root, "build.cake"), $"""
            #addin nuget:file://{feed.Folder}?package=Cake.ObsBuildTasks&version={feed.Version}

            {body}
            """);
    }

    /// <summary>The script's folder: its working directory, where the test puts the files to upload.</summary>
    public TestFiles Files { get; } = new();

    /// <summary>Starts <c>dotnet cake build.cake</c> with <paramref name="arguments"/>, seeing none of the test
    /// process's <c>OBS_*</c> variables, only <paramref name="variables"/>. Its process id is the process group's.</summary>
    public RunningProcess Start(IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var start = RunningProcess.InSessionOfItsOwn("dotnet", ["cake", "build.cake", .. arguments], Files.Root);
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("OBS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        return new RunningProcess(start);
    }

    /// <summary>Runs the script to the end.</summary>
    public async Task<RunningProcess> RunAsync(IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var process = Start(variables, arguments);
        await process.WaitForExitAsync();
        return process;
    }

    public void Dispose() => Files.Dispose();
}
