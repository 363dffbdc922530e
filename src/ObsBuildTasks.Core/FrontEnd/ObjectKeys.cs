namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// Names the object each file becomes: its explicit key as written, else the prefix, the folder below the upload root
/// (MSBuild's <c>%(RecursiveDir)</c>, or the path below <see cref="UploadSettings.BaseDirectory"/>) and the file name,
/// with '/' between folders. Two files that would become one object are a problem, never a silent overwrite.
/// </summary>
internal static class ObjectKeys
{
    /// <param name="files">The files, with absolute paths.</param>
    /// <param name="settings">The prefix and base directory.</param>
    /// <param name="baseFolder">What a relative base directory is relative to.</param>
    /// <param name="problems">Receives a coded problem per file outside the base directory and per clash.</param>
    /// <returns>The key of each file, in order.</returns>
    public static IReadOnlyList<string> For(IReadOnlyList<UploadFileSpec> files, UploadSettings settings, string baseFolder, List<Diagnostic> problems)
    {
        var baseDirectory = string.IsNullOrWhiteSpace(settings.BaseDirectory) ? null : Path.GetFullPath(Path.Combine(baseFolder, settings.BaseDirectory));
        var keys = files.Select(file => file.ObjectKey is { Length: > 0 } explicitKey
            ? explicitKey
            : (settings.ObjectKeyPrefix + RelativeDirectory(file, baseDirectory, problems) + Path.GetFileName(file.Path)).Replace('\\', '/')).ToList();
        foreach (var clash in keys.Select((key, index) => (key, index)).GroupBy(entry => entry.key, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            var names = string.Join(" and ", clash.Select(entry => $"'{files[entry.index].Path}'"));
            problems.Add(new Diagnostic(DiagnosticCode.DuplicateObjectKey,
                $"{names} would all be uploaded to {settings.Bucket}/{clash.Key}: give each its own ObjectKey, or keep their folders in the key (RecursiveDir in MSBuild, BaseDirectory in Cake).",
                files[clash.First().index].Path));
        }

        return keys;
    }

    private static string RelativeDirectory(UploadFileSpec file, string? baseDirectory, List<Diagnostic> problems)
    {
        if (file.RelativeDirectory is not null || baseDirectory is null)
        {
            return file.RelativeDirectory ?? "";
        }

        var relative = Path.GetRelativePath(baseDirectory, Path.GetDirectoryName(file.Path) ?? "");
        if (relative == ".")
        {
            return "";
        }

        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            problems.Add(new Diagnostic(DiagnosticCode.OutsideBaseDirectory,
                $"'{file.Path}' is not under the BaseDirectory '{baseDirectory}', so it has no path below it for its key: move it there or upload it in another call.",
                file.Path));
            return "";
        }

        return relative + "/";
    }
}
