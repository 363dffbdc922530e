using System.Diagnostics;
using System.Reflection;
using ObsBuildTasks.Testing.Store;
using Xunit;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>The git repository the packages were built from, and how they were built.</summary>
public static class SourceRepository
{
    private static readonly Lazy<string> Head = new(() => Git("rev-parse", "HEAD").Trim());
    private static readonly Lazy<IReadOnlySet<string>> Tracked = new(() => Git("ls-files").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet());

    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = LocalObjectStore.RepositoryRoot();

    /// <summary>The commit checked out.</summary>
    public static string HeadCommit => Head.Value;

    /// <summary>The paths of the files git tracks, relative to <see cref="Root"/> with <c>/</c>.</summary>
    public static IReadOnlySet<string> TrackedFiles => Tracked.Value;

    /// <summary>Whether this build was a CI build (ContinuousIntegrationBuild, recorded by this project's build): then
    /// the PDBs name their sources under <c>/_/</c> instead of <see cref="Root"/>.</summary>
    public static bool BuiltForContinuousIntegration { get; } = typeof(SourceRepository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ContinuousIntegrationBuild").Value?.Equals("true", StringComparison.OrdinalIgnoreCase) == true;

    private static string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {error.Result}");
        return output;
    }
}
