using System.IO.Compression;
using System.Reflection.PortableExecutable;

namespace ObsBuildTasks.Testing;

/// <summary>Whether a packed assembly carries ReadyToRun code (eng/ReadyToRun.targets) besides its IL.</summary>
public static class ReadyToRunImage
{
    /// <summary>The entries under <paramref name="folder"/> of the package at <paramref name="packagePath"/> that are
    /// assemblies, each with whether it is a ReadyToRun image.</summary>
    public static IReadOnlyDictionary<string, bool> InPackage(string packagePath, string folder)
    {
        using var package = ZipFile.OpenRead(packagePath);
        return package.Entries
            .Where(entry => entry.FullName.StartsWith(folder, StringComparison.Ordinal) && entry.FullName.EndsWith(".dll", StringComparison.Ordinal))
            .ToDictionary(entry => entry.Name, Is, StringComparer.Ordinal);
    }

    private static bool Is(ZipArchiveEntry entry)
    {
        using var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var reader = new PEReader(copy);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
