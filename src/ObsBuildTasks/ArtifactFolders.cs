using System.IO.Enumeration;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>
/// Expands items that name a folder and carry <c>FileMatch</c> metadata (the <c>ObsArtifact</c> items of the
/// <c>ObsUploadArtifacts</c> target) into the files in it, when the task runs: so items can name what the build has not
/// produced yet at evaluation. Each file keeps the folder's metadata, and its path below the folder as <c>RecursiveDir</c>.
/// Other items pass through unchanged.
/// </summary>
internal static class ArtifactFolders
{
    public static IReadOnlyList<ITaskItem> Expand(IEnumerable<ITaskItem> items) => [.. items.SelectMany(Expand)];

    private static IEnumerable<ITaskItem> Expand(ITaskItem item)
    {
        var folder = item.GetMetadata("FullPath");
        var patterns = Split(item.GetMetadata("FileMatch"));
        if (patterns.Length == 0 || !Directory.Exists(folder))
        {
            return [item];
        }

        var excluded = Split(item.GetMetadata("FileExclude"));
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = !string.Equals(item.GetMetadata("IsRecursive"), "false", StringComparison.OrdinalIgnoreCase),
            MatchType = MatchType.Win32,
            AttributesToSkip = FileAttributes.None,
        };
        return patterns.SelectMany(pattern => Matching(folder, pattern, options))
            .Distinct(StringComparer.Ordinal)
            .Where(file => !excluded.Any(exclude => FileSystemName.MatchesSimpleExpression(exclude, Path.GetFileName(file))))
            .Order(StringComparer.Ordinal)
            .Select(file => FileItem(item, folder, file));
    }

    /// <summary>The files below <paramref name="folder"/> that <paramref name="pattern"/> matches; a pattern may name a
    /// subfolder (<c>packages/*.nupkg</c>). When that subfolder does not exist, the pattern itself below the folder: it
    /// then fails as a file that does not exist (<c>OBS0004</c>, naming it), as a folder item that does not exist
    /// does, rather than matching nothing in silence.</summary>
    private static IEnumerable<string> Matching(string folder, string pattern, EnumerationOptions options) =>
        Directory.Exists(Path.Combine(folder, Path.GetDirectoryName(pattern) ?? ""))
            ? Directory.EnumerateFiles(folder, pattern, options)
            : [Path.Combine(folder, pattern)];

    private static TaskItem FileItem(ITaskItem folderItem, string folder, string file)
    {
        var item = new TaskItem(file, folderItem.CloneCustomMetadata());
        var relative = Path.GetRelativePath(folder, Path.GetDirectoryName(file)!);
        item.SetMetadata("RecursiveDir", relative == "." ? "" : relative + Path.DirectorySeparatorChar);
        return item;
    }

    private static string[] Split(string value) => value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
