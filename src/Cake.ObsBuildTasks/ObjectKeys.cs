using Cake.Core;
using Cake.Core.IO;

namespace Cake.ObsBuildTasks;

/// <summary>Names the object each file becomes: <see cref="ObsUploadFileSettings.ObjectKeyPrefix"/> followed by the
/// file name, or by the path relative to <see cref="ObsUploadFileSettings.BaseDirectory"/> when that is set.</summary>
internal static class ObjectKeys
{
    /// <summary>The key of every file, in order.</summary>
    /// <param name="files">Absolute paths.</param>
    /// <param name="settings">The prefix and base directory.</param>
    /// <param name="environment">Resolves a relative base directory against the working directory.</param>
    /// <exception cref="CakeException">A file lies outside the base directory, or two files would get the same key.</exception>
    public static IReadOnlyList<string> For(IReadOnlyList<FilePath> files, ObsUploadFileSettings settings, ICakeEnvironment environment)
    {
        var baseDirectory = settings.BaseDirectory?.MakeAbsolute(environment).FullPath;
        var keys = files.Select(file => settings.ObjectKeyPrefix + (baseDirectory is null ? file.GetFilename().FullPath : RelativeName(baseDirectory, file)))
            .ToList();
        var clash = keys.Select((key, index) => (key, index)).GroupBy(entry => entry.key, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (clash is not null)
        {
            var names = string.Join(" and ", clash.Select(entry => $"'{files[entry.index].FullPath}'"));
            throw new CakeException(
                $"Cannot upload to OBS: {names} would both become the object '{clash.Key}'. Set BaseDirectory so that keys keep the folders, or upload them in separate calls with different ObjectKeyPrefix values.");
        }

        return keys;
    }

    private static string RelativeName(string baseDirectory, FilePath file)
    {
        var relative = System.IO.Path.GetRelativePath(baseDirectory, file.FullPath).Replace(System.IO.Path.DirectorySeparatorChar, '/');
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative))
        {
            throw new CakeException($"Cannot upload to OBS: '{file.FullPath}' is not under the BaseDirectory '{baseDirectory}'.");
        }

        return relative;
    }
}
