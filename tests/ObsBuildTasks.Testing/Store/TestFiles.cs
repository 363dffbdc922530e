using System.Security.Cryptography;

namespace ObsBuildTasks.Testing.Store;

/// <summary>Files with reproducible pseudo-random content in a temporary folder that is deleted on dispose.</summary>
public sealed class TestFiles : IDisposable
{
    public TestFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "obs-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="size"/> bytes derived from <paramref name="seed"/> to <paramref name="name"/>.</summary>
    public string Create(string name, long size, int seed = 1)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        for (long written = 0; written < size;)
        {
            random.NextBytes(buffer);
            var count = (int)Math.Min(buffer.Length, size - written);
            stream.Write(buffer, 0, count);
            written += count;
        }

        return path;
    }

    /// <summary>The MD5 (hex) of a whole file.</summary>
    public static string Md5(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
