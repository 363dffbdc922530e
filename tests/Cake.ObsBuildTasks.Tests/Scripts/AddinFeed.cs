namespace Cake.ObsBuildTasks.Tests.Scripts;

/// <summary>
/// A private copy of the addin package that the test project packs at build time (into addin-feed/ beside the tests,
/// with a fresh prerelease version each build), taken once per test class so a rebuild during the run cannot change
/// it under the scripts.
/// </summary>
public sealed class AddinFeed : IDisposable
{
    private const string PackagePrefix = "Cake.ObsBuildTasks.";

    public AddinFeed()
    {
        var package = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "addin-feed"), PackagePrefix + "*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(package)[PackagePrefix.Length..];
        Directory.CreateDirectory(Folder);
        File.Copy(package, Path.Combine(Folder, Path.GetFileName(package)));
    }

    /// <summary>The absolute path of the folder feed.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "obs-tests", "addin-feed-" + Guid.NewGuid().ToString("N"));

    /// <summary>The package version to ask for.</summary>
    public string Version { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
